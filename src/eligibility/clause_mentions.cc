// Pass 4 of the criteria parser (clause_passes.h): concept mentions, their polarity, narrowing words and time.
#include "eligibility/clause_passes.h"

#include "common/ascii.h"

#include <algorithm>
#include <cctype>

namespace ts::clause_pass {

namespace {

// Time words for one mention: the words of its list before it and up to the next mention.
struct TimeRead {
  TimeScope scope = TimeScope::kEver;
  std::optional<Duration> window;
  std::optional<Duration> min_duration;
  std::optional<Uncertainty> unsure;
  std::vector<Span> consumed;
};

TimeRead ReadTime(const CriteriaLexicon& lex, std::string_view lower, ConceptKind kind, size_t list_begin,
                  size_t prev_end, size_t m_end, size_t next) {
  TimeRead t;
  // Time words before the list count within its phrase, a few words back ("No prior irinotecan ... No
  // other concurrent chemotherapy": "prior" is not about chemotherapy).
  size_t from = std::max(prev_end, list_begin > 40 ? list_begin - 40 : size_t{0});
  for (size_t i = list_begin; i > from; --i) {
    if (std::string_view(",;:.()").find(lower[i - 1]) != std::string_view::npos) {
      from = i;
      break;
    }
  }
  std::string_view before = lower.substr(from, list_begin - from);
  // Time words after the mention count only within its phrase ("chemotherapy in the past", not
  // "cancer, previously untreated").
  size_t phrase_end = m_end;
  while (phrase_end < next && std::string_view(",;:.(").find(lower[phrase_end]) == std::string_view::npos) ++phrase_end;
  std::string_view after = lower.substr(m_end, phrase_end - m_end);
  auto window = atoms::FindWindow(lower, m_end, next);
  auto min_dur = atoms::FindMinDuration(lower, m_end, next);
  bool current = lex.Has(Trigger::kCurrent, before) || lex.Has(Trigger::kCurrent, after);
  bool history = lex.Has(Trigger::kHistory, before) || lex.Has(Trigger::kHistory, after);
  bool unsure_time = lex.Has(Trigger::kUnsureTime, before) || lex.Has(Trigger::kUnsureTime, after);
  if (window) {
    // "At least 4 weeks before" is a gap, not a window.
    size_t b = window->begin;
    while (b > 0 && lower[b - 1] == ' ') --b;
    auto lead = lex.FindLast(Trigger::kWashoutLead, lower, b > 20 ? b - 20 : 0, b);
    if (lead && lead->end == b) {
      t.unsure = Uncertainty::kTimeUnclear;
      return t;
    }
    // "Breast cancer for which definitive surgery was performed during the previous 36 months": a window
    // after a relative clause or another event dates that event, not the mention.
    for (const clause::Word& w : clause::Words(lower.substr(m_end, window->begin - std::min(window->begin, m_end)))) {
      if (w.text == "which" || w.text == "that" || w.text == "whom" || w.text == "whose" || w.text == "where" ||
          w.text == "performed" || w.text == "undergone" || w.text == "underwent" || w.text == "completed" ||
          w.text == "completion" || w.text == "surgery" || w.text == "resection") {
        t.unsure = Uncertainty::kTimeUnclear;
        return t;
      }
    }
    t.scope = TimeScope::kWithin;
    t.window = window->duration;
    t.consumed.push_back({window->begin, window->end});
  } else if (unsure_time) {
    t.unsure = Uncertainty::kTimeUnclear;
  } else if (current && history) {
    t.scope = TimeScope::kEver;  // "current or prior", "no current diagnosis or past history"
  } else if (current) {
    t.scope = TimeScope::kCurrent;
  } else if (history || min_dur) {
    t.scope = TimeScope::kEver;
  } else if (kind == ConceptKind::kCondition) {
    t.scope = TimeScope::kCurrent;
  } else {
    // "Chemotherapy" alone: current use, any use, or a heading for a list? Nobody can tell.
    t.unsure = Uncertainty::kTimeUnclear;
  }
  if (min_dur && kind == ConceptKind::kTherapy && !window) {
    t.min_duration = min_dur->duration;
    t.consumed.push_back({min_dur->begin, min_dur->end});
  }
  return t;
}

// Where a mention's list starts and ends, and the text around it.
struct ListSpan {
  size_t start = 0;     // index of the list's first mention
  size_t prev_end = 0;  // end of the mention before the list (or 0)
  size_t next = 0;      // start of the mention after the list (or the clause's end)
};

ListSpan ListAround(const CriteriaLexicon& lex, const std::vector<ConceptMention>& kept, const std::string& masked,
                    size_t k) {
  // The separator between two mentions, with filler words dropped ("events, heart attack" -> ",").
  auto gap = [&](size_t a) {
    std::string_view g = std::string_view(masked).substr(kept[a].end, kept[a + 1].begin - kept[a].end);
    // "myocardial infarction (MI), stroke (CVA) or TIA": abbreviations do not break a list.
    size_t open = g.find('(');
    std::string without;
    if (open != std::string_view::npos && g.find(')', open) != std::string_view::npos &&
        clause::IsAbbreviationParen(g, open, g.find(')', open))) {
      without = std::string(g.substr(0, open)) + std::string(g.substr(g.find(')', open) + 1));
      g = without;
    }
    std::string out;
    size_t i = 0;
    for (const clause::Word& w : clause::Words(g)) {
      out += Trim(g.substr(i, w.begin - i));
      // Time words are kept: "A and current use of B" is two lists with their own times.
      bool time_word = lex.Has(Trigger::kCurrent, w.text) || lex.Has(Trigger::kHistory, w.text) ||
                       lex.Has(Trigger::kUnsureTime, w.text);
      if (!lex.IsFiller(w.text) || time_word || w.text == "or" || w.text == "and" || w.text == "and/or" ||
          w.text == "nor") {
        if (!out.empty()) out += ' ';
        out += w.text;
      }
      i = w.end;
    }
    out += Trim(g.substr(i));
    // Dropping fillers must leave a separator: "chemotherapy for cancer" is not a list.
    if (Trim(out).empty()) return std::string(Trim(g));
    return std::string(Trim(out));
  };
  size_t list_end = k;
  while (list_end + 1 < kept.size()) {
    std::string g = gap(list_end);
    if (IsOrSeparator(g) || IsAndSeparator(g) || g == "infection or") ++list_end;
    else break;
  }
  size_t list_start = k;
  while (list_start > 0) {
    std::string g = gap(list_start - 1);
    if (IsOrSeparator(g) || IsAndSeparator(g)) --list_start;
    else break;
  }
  return {list_start, list_start > 0 ? kept[list_start - 1].end : 0,
          list_end + 1 < kept.size() ? kept[list_end + 1].begin : masked.size()};
}

// True when the mention is the study's own disease or a kind of it, in a clause where that matters.
bool RelativeToStudy(const ConceptTable& concepts, const CriteriaLexicon& lex, const ClauseState& st,
                     const ConceptMention& m, const ListSpan& ls, size_t list_begin, bool negated) {
  if (m.concept_ref->kind != ConceptKind::kCondition) return false;
  bool other = false;
  if (auto o = lex.FindLast(Trigger::kOther, st.masked, ls.prev_end, list_begin)) {
    other = clause::Words(std::string_view(st.masked).substr(o->end, list_begin - o->end)).size() <= 3;
  }
  // "Other" relative to the study: what counts as the study's own condition (its forms, its causes, its
  // complications) is not settled by the vocabulary ("any other cause of liver disease" in a NASH trial).
  if (other) return true;
  if (st.study == nullptr) return false;
  bool overlaps = false;
  for (const std::string& sc : st.study->condition_ids) {
    overlaps |= concepts.IsA(sc, m.concept_ref->id) || concepts.IsA(m.concept_ref->id, sc);
  }
  // Excluding the study's own disease, or requiring its absence, is about some other form of it.
  return overlaps ? (!st.inclusion || negated) : false;
}

// True if the words before `begin` end in "for" / "against" after a treatment word ("chemotherapy for
// this malignancy", "radiotherapy for lymphoma"): the mention there names what a treatment was for.
bool TreatmentTarget(const CriteriaLexicon& lex, std::string_view masked, size_t begin) {
  size_t from = begin > 56 ? begin - 56 : 0;
  std::vector<clause::Word> before = clause::Words(masked.substr(from, begin - from));
  // Determiners between: "for this malignancy", "for the disease", "for their cancer".
  while (!before.empty() && (before.back().text == "this" || before.back().text == "the" ||
                             before.back().text == "their" || before.back().text == "his" ||
                             before.back().text == "her" || before.back().text == "any" || before.back().text == "a" ||
                             before.back().text == "an" || before.back().text == "such" || before.back().text == "that" ||
                             before.back().text == "current" || before.back().text == "present" ||
                             before.back().text == "active" || before.back().text == "another" ||
                             before.back().text == "other" || before.back().text == "his/her")) {
    before.pop_back();
  }
  // "Hormonal therapy directed at the malignant tumor", "treatment targeting the cancer".
  bool directed = before.size() >= 2 && (before.back().text == "at" || before.back().text == "to" || before.back().text == "against") &&
                  (before[before.size() - 2].text == "directed" || before[before.size() - 2].text == "aimed");
  if (directed) before.pop_back();
  if (!before.empty() && (before.back().text == "targeting" || before.back().text == "targeted")) directed = true;
  // "Prophylaxis for otitis, sinusitis, or urinary tract infection": an untyped item may stand between the
  // target word and a listed disease.
  if (!directed && !before.empty() && before.back().text != "for" && before.back().text != "against" &&
      Trim(masked.substr(from, begin - from)).ends_with(",")) {
    for (int skip = 0; skip < 4 && !before.empty(); ++skip) {
      before.pop_back();
      if (!before.empty() && (before.back().text == "for" || before.back().text == "against")) break;
    }
  }
  if (before.empty() || (!directed && before.back().text != "for" && before.back().text != "against")) return false;
  for (size_t b = before.size() >= 5 ? before.size() - 5 : 0; b + 1 < before.size(); ++b) {
    if (lex.Has(Trigger::kTreatmentWord, before[b].text)) return true;
  }
  return false;
}

// A dose in `text`: a number followed by a dose unit ("600 mg/day", "5 mg/kg", "10,000 units").
bool DoseAfter(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (!ascii::IsDigit(static_cast<unsigned char>(text[i]))) continue;
    size_t j = i;
    while (j < text.size() && (ascii::IsDigit(static_cast<unsigned char>(text[j])) || text[j] == '.' || text[j] == ',')) ++j;
    while (j < text.size() && text[j] == ' ') ++j;
    for (std::string_view u : {"mg", "g/", "mcg", "ug", "\xC2\xB5g", "iu", "units", "u/kg", "ml/"}) {
      if (text.compare(j, u.size(), u) == 0) return true;
    }
    i = j;
  }
  return false;
}

// "No evidence of active liver disease (e.g. ALT > 1.5 x ULN)": brackets right after a condition that define it by a
// measurement, so a record's diagnosis does not settle it.
bool DefinedByMeasurement(std::string_view lower, const std::vector<Span>& parens, size_t mention_end) {
  std::optional<Span> p = clause::BracketsRightAfter(lower, parens, mention_end);
  if (!p) return false;
  std::string_view inside = lower.substr(p->begin, p->end - p->begin);
  if (inside.find_first_of("0123456789") == std::string_view::npos) return false;
  if (inside.find_first_of("<>=") != std::string_view::npos) return true;
  for (std::string_view w : {"\u2264", "\u2265", "greater", "less", "above", "below", "more than", "uln", "times",
                             "at least", "higher", "lower", "exceed"}) {
    if (inside.find(w) != std::string_view::npos) return true;
  }
  return false;
}

// In "Radiotherapy: at least 3 months since X", whether X names something other than the mention
// `m` before the gap: a word that is neither filler, nor a washout_anchor word ("entry", "first dose",
// "registration"), nor inside a mention of the same concept ("since prior surgery", "since irradiation
// of target lesions", "since treatment of brain metastases" are gaps since something else).
bool GapSinceSomethingElse(const CriteriaLexicon& lex, std::string_view masked, size_t gap_end,
                           const ConceptMention& m, const std::vector<ConceptMention>& kept) {
  size_t stop = gap_end;
  while (stop < masked.size() && masked[stop] != ';' && masked[stop] != ':' && masked[stop] != '.' &&
         masked[stop] != ',' && masked[stop] != '(') {
    ++stop;
  }
  for (const clause::Word& w : clause::Words(masked.substr(gap_end, stop - gap_end))) {
    const size_t begin = gap_end + w.begin, end = gap_end + w.end;
    bool letters = false;
    for (char ch : w.text) letters |= ascii::IsAlpha(static_cast<unsigned char>(ch)) != 0;
    if (!letters || lex.IsFiller(w.text)) continue;
    auto a = lex.FindAt(Trigger::kWashoutAnchor, masked, begin, end);
    if (a && a->end == end) continue;
    bool same = false;
    for (const ConceptMention& o : kept) {
      same |= o.begin <= begin && o.end >= end && o.concept_ref->id == m.concept_ref->id;
    }
    if (!same) return true;
  }
  return false;
}

}  // namespace

// Pass 4a: the concept mentions worth typing, with examples masked; sets st.qualifier when a
// mention only modifies another word ("HIV vaccine", "cancer therapy") or an exclusion is qualified.
std::vector<ConceptMention> FindConceptMentions(const ConceptTable& concepts, const CriteriaLexicon& lex,
                                                ClauseState& st) {
  const std::string& lower = st.lower;
  // An exclusion, or a negated inclusion ("No grade 2 or greater neuropathy", "No uncontrolled
  // hypertension"), is narrowed by its qualifier: without it the rule would turn away more patients.
  auto negated_inclusion = [&] {
    std::vector<clause::Word> words = clause::Words(lower);
    if (words.empty()) return false;
    std::string_view w = words[0].text;
    return w == "no" || w == "not" || w == "none" || w == "without" || w == "never";
  };
  if (!st.inclusion || negated_inclusion()) {
    if (auto q = lex.Find(Trigger::kQualifier, lower)) st.qualifier = "qualified by '" + std::string(Trim(q->phrase)) + "'";
  }
  std::vector<ConceptMention> kept;
  for (const ConceptMention& m :
       concepts.FindMentions(st.clause, {ConceptKind::kCondition, ConceptKind::kTherapy, ConceptKind::kProcedure})) {
    if (Inside(st.consumed, m.begin) || Inside(st.examples, m.begin)) continue;
    if (m.concept_ref->id == "pregnancy" || m.concept_ref->id == "breastfeeding") continue;
    // A vocabulary concept in parentheses defines or exemplifies ("a pregnancy test for human chorionic
    // gonadotropin"); the curated concepts there are read by the example pass below.
    if (m.concept_ref->id.find(':') != std::string::npos && Inside(st.parens, m.begin)) continue;
    kept.push_back(m);
  }
  // Parenthesised lists right after a mention of the same kind name examples of it.
  std::vector<size_t> replaced;  // starts of mentions a bracketed list replaces
  for (const Span& p : st.parens) {
    const ConceptMention* before = nullptr;
    for (const ConceptMention& m : kept) {
      if (m.end <= p.begin && Trim(std::string_view(lower).substr(m.end, p.begin - m.end)).empty()) before = &m;
    }
    if (before == nullptr) continue;
    bool all_same = true, any = false;
    std::vector<Span> inside;
    for (const ConceptMention& m : kept) {
      if (m.begin > p.begin && m.end <= p.end) {
        any = true;
        all_same &= m.concept_ref->kind == before->concept_ref->kind;
        inside.push_back({m.begin, m.end});
      }
    }
    // Only a list of mentions: "(stroke, TIA, myocardial infarction)". A definition with other words
    // ("(defined as HBsAg positive and detectable HBV DNA)") narrows the mention instead.
    bool only_mentions = true;
    for (const clause::Word& w : clause::Words(std::string_view(lower).substr(p.begin + 1, p.end - p.begin - 1))) {
      size_t at = p.begin + 1 + w.begin;
      if (!Inside(inside, at) && !lex.IsFiller(w.text) && w.text != "or" && w.text != "and" && w.text != "and/or") {
        only_mentions = false;
      }
    }
    if (!(any && all_same && only_mentions)) continue;
    // "Viral hepatitis (HBV or HCV)": without an example word (those brackets are masked already) and
    // without an "and", a bracketed list of other concepts says which kinds are meant; it replaces the
    // wider mention, which an exclusion would otherwise apply to every kind.
    bool other_concepts = true;
    for (const ConceptMention& m : kept) {
      if (m.begin > p.begin && m.end <= p.end) other_concepts &= m.concept_ref->id != before->concept_ref->id;
    }
    // Only a choice ("HBV or HCV"): a comma list or "etc." reads as examples, and "any X (...)" means
    // every kind of X.
    std::string_view inner = std::string_view(lower).substr(p.begin + 1, p.end - p.begin - 1);
    std::vector<clause::Word> lead = clause::Words(std::string_view(lower).substr(0, before->begin));
    bool any_kind = !lead.empty() && (lead.back().text == "any" || lead.back().text == "all");
    bool choice = (HasWord(inner, "or") || inner.find('/') != std::string_view::npos) &&
                  inner.find(',') == std::string_view::npos && !HasWord(inner, "etc");
    if (other_concepts && choice && !any_kind && !HasWord(inner, "and") && !HasWord(inner, "and/or")) {
      st.attached.push_back({before->begin, before->end});
      st.definers.push_back({p, before->begin});
      replaced.push_back(before->begin);
    } else {
      st.examples.push_back(p);
    }
  }
  std::erase_if(kept, [&](const ConceptMention& m) {
    return Inside(st.examples, m.begin) || std::find(replaced.begin(), replaced.end(), m.begin) != replaced.end();
  });
  st.masked = lower;
  for (const Span& e : st.examples) {
    for (size_t i = e.begin; i < e.end && i < st.masked.size(); ++i) st.masked[i] = ' ';
  }
  const std::string& masked = st.masked;
  for (const ConceptMention& m : kept) {
    if (st.qualifier) break;
    size_t i = m.end;
    while (i < masked.size() && (masked[i] == ' ' || masked[i] == '/')) ++i;
    // "Renal insufficiency defined as a serum creatinine > 2 mg/dL", "diarrhea, defined as >= 3 watery stools":
    // the definition, not the diagnosis, is the criterion (a patient with the diagnosis may not meet it).
    // "Defined" may follow a comma; "definition" and "i.e." only follow the mention directly.
    auto definition = [&]() -> size_t {
      size_t d = masked.find_first_not_of(" ,", m.end);
      for (std::string_view def : {"defined", "as defined", "is defined", "are defined"}) {
        if (d != std::string::npos && masked.compare(d, def.size(), def) == 0) return d + def.size();
      }
      if (masked.compare(i, 4, "i.e.") == 0) return i + 4;
      if (masked.compare(i, 10, "definition") == 0 && (i + 10 == masked.size() || !ascii::IsAlnum(static_cast<unsigned char>(masked[i + 10])))) {
        return i + 10;
      }
      return 0;
    };
    if (size_t end = definition()) {
      st.qualifier = "defined '" + std::string(st.clause.substr(m.begin, end - m.begin)) + "'";
      break;
    }
    if (m.concept_ref->kind == ConceptKind::kCondition) {
      if (auto h = lex.Find(Trigger::kHeadNoun, masked, m.end, std::min(masked.size(), i + 20));
          h && (h->begin == i || h->begin == m.end)) {
        st.qualifier = "modifier '" + std::string(st.clause.substr(m.begin, h->end - m.begin)) + "'";
        break;
      }
      // "smallpox (vaccinia) vaccination": brackets between the mention and its head noun.
      if (std::optional<Span> p = clause::BracketsRightAfter(masked, st.parens, m.end)) {
        size_t q = masked.find_first_not_of(' ', p->end);
        if (auto h = q == std::string::npos ? std::nullopt : lex.FindAt(Trigger::kHeadNoun, masked, q, q + 20)) {
          st.qualifier = "modifier '" + std::string(st.clause.substr(m.begin, h->end - m.begin)) + "'";
          break;
        }
      }
    }
    size_t j = i;
    while (j < masked.size() && (ascii::IsAlnum(static_cast<unsigned char>(masked[j])) || masked[j] == '-')) ++j;
    if (j == i) continue;
    std::string w = masked.substr(i, j - i);
    bool other_mention = false;
    for (const ConceptMention& o : kept) other_mention |= o.begin == i;
    // "Analgesic radiotherapy": a mention right before another, with no separator, modifies it.
    if (other_mention && i > m.end && Trim(std::string_view(masked).substr(m.end, i - m.end)).empty()) {
      st.qualifier = "modifier '" + std::string(st.clause.substr(m.begin, j - m.begin)) + "'";
      break;
    }
    // "No cirrhosis with encephalopathy or abnormal PT": what follows "with" narrows the mention, and an
    // exclusion (or a negated inclusion) without it would turn away more patients than the text.
    auto negated_here = [&] {  // "... No cirrhosis with ...": a negation right before the mention
      std::vector<clause::Word> before = clause::Words(std::string_view(masked).substr(m.begin > 24 ? m.begin - 24 : 0,
                                                                                      m.begin > 24 ? 24 : m.begin));
      return !before.empty() && (before.back().text == "no" || before.back().text == "not" ||
                                 before.back().text == "without" || before.back().text == "never");
    };
    if (w == "with" && (!st.inclusion || negated_inclusion() || negated_here())) {
      st.qualifier = "qualified by 'with'";
      break;
    }
    if (!other_mention && !lex.IsFiller(w) && !ascii::IsDigit(static_cast<unsigned char>(w[0])) && w != "or" &&
        w != "and/or" && w != "nor") {
      st.qualifier = "modifier '" + std::string(st.clause.substr(m.begin, j - m.begin)) + "'";
    }
  }
  return kept;
}

// Pass 4b: each mention to a rule with its polarity, narrowing words and time.
void TypeMentions(const ConceptTable& concepts, const CriteriaLexicon& lex, ClauseState& st,
                  const std::vector<ConceptMention>& kept) {
  const std::string& lower = st.lower;
  const std::string& masked = st.masked;
  bool allergy = HasWord(lower, "allerg") || HasWord(lower, "hypersensitiv") || HasWord(lower, "intoleran");
  bool stop_context = st.inclusion && (HasWord(lower, "stop") || HasWord(lower, "discontinu") ||
                                       HasWord(lower, "washout") || HasWord(lower, "wash-out"));
  std::optional<clause::Washout> washout = clause::FindWashout(lex, lower);
  if (washout) st.consumed.push_back({washout->begin, washout->end});
  std::vector<ClauseAtom> stopped;
  for (size_t k = 0; k < kept.size(); ++k) {
    const ConceptMention& m = kept[k];
    const Concept& c = *m.concept_ref;
    ListSpan ls = ListAround(lex, kept, masked, k);
    size_t list_begin = kept[ls.start].begin;
    RuleKind rk = c.kind == ConceptKind::kCondition ? RuleKind::kCondition
                  : c.kind == ConceptKind::kTherapy ? RuleKind::kTherapy
                                                     : RuleKind::kProcedure;
    st.consumed.push_back({m.begin, m.end});
    {  // "myocardial infarction (MI)": the abbreviation is the mention again.
      size_t p = m.end;
      while (p < masked.size() && masked[p] == ' ') ++p;
      size_t close = p < masked.size() && masked[p] == '(' ? masked.find(')', p) : std::string::npos;
      if (close != std::string::npos && clause::IsAbbreviationParen(masked, p, close)) st.consumed.push_back({p, close + 1});
    }
    // "Immunosuppression, and those allergic to any of the medications": a drug named before the allergy
    // word, and not right before it ("penicillin allergy"), is not what the patient is allergic to.
    // ("Meropenem or glycopeptides hypersensitivity": right after the list the drug is in.)
    bool allergy_here = false;
    if (allergy && c.kind == ConceptKind::kTherapy) {
      size_t list_end = m.end;
      for (size_t j = ls.start; j < kept.size() && kept[j].begin < ls.next; ++j) list_end = std::max(list_end, kept[j].end);
      for (std::string_view w : {"allerg", "hypersensitiv", "intoleran"}) {
        size_t at = FindWord(lower, w);
        if (at == std::string::npos) continue;
        std::string_view gap = at >= list_end ? std::string_view(lower).substr(list_end, at - list_end) : std::string_view();
        bool right_after = at >= list_end && gap.find_first_of(",;.") == std::string_view::npos && clause::Words(gap).size() <= 3;
        if (at < m.begin || right_after) allergy_here = true;
      }
    }
    if (allergy_here) {
      // "Allergy to macrolide antibiotics": a word before the class narrows it.
      Span mod = clause::PreModifiers(lex, masked, list_begin, ls.prev_end);
      if (mod.end > mod.begin) {
        st.found.push_back({Unsure(Uncertainty::kQualified, "qualified", st.clause.substr(mod.begin, m.end - mod.begin)),
                            m.begin, m.end, true});
        continue;
      }
      // "No known allergy to penicillin": the negation is read as for any mention; in an exclusion it
      // is not typed (what is excluded is then unclear).
      clause::Polarity apol = clause::ReadPolarity(lex, masked, m.begin, m.end, ls.prev_end, ls.next);
      // No inclusion requires an allergy: a positive one there is a misfiled exclusion.
      if (apol.unsure || (apol.negated != st.inclusion)) {
        st.found.push_back({Unsure(Uncertainty::kNegationScope, "negation_scope", st.clause.substr(m.begin, m.end - m.begin)),
                            m.begin, m.end, true, apol.negated});
        continue;
      }
      // "Intolerance to zidovudine at 500 mg/day": words after the drug narrow it too.
      size_t next_mention = k + 1 < kept.size() ? kept[k + 1].begin : masked.size();
      Span post = clause::PostModifiers(lex, masked, m.end, std::min(ls.next, next_mention), st.consumed);
      if (post.end > post.begin) {
        st.found.push_back({Unsure(Uncertainty::kQualified, "qualified", st.clause.substr(m.begin, post.end - m.begin)),
                            m.begin, m.end, true});
        continue;
      }
      // "Type I hypersensitivity (urticaria, angioedema) ... to trimetrexate", "reactions with urticaria,
      // hypotension or laryngeal edema": a kind or a severity of reaction that an allergy entry does not record.
      if (auto sev = lex.Find(Trigger::kAllergySeverity, masked)) {
        st.found.push_back({Unsure(Uncertainty::kQualified, "qualified by the reaction ('" + std::string(Trim(sev->phrase)) + "')",
                                   st.clause.substr(m.begin, m.end - m.begin)),
                            m.begin, m.end, true});
        continue;
      }
      // "Intolerance to zidovudine (AZT) therapy of = or < 600 mg/day": a dose anywhere after the drug narrows it.
      const size_t stop = std::max(m.end, std::min(ls.next, masked.size()));
      if (DoseAfter(std::string_view(masked).substr(m.end, stop - m.end))) {
        st.found.push_back({Unsure(Uncertainty::kQualified, "qualified (a dose)", st.clause.substr(m.begin, m.end - m.begin)),
                            m.begin, m.end, true});
        continue;
      }
      Rule a = Rule::Concept(RuleKind::kAllergy, c.id);
      st.found.push_back({apol.negated ? Rule::Not(a) : a, m.begin, m.end, true, apol.negated});
      continue;
    }
    clause::Polarity pol = clause::ReadPolarity(lex, masked, m.begin, m.end, ls.prev_end, ls.next);
    if (pol.unsure) {
      st.unsure_negation = true;
      return;
    }
    // A mention the clause cannot type becomes a not-computable part in its place, in its list.
    auto unsure = [&](Uncertainty why, std::string_view what) {
      std::string label = std::string(UncertaintyName(why)) + " (" + std::string(what) + ")";
      st.found.push_back({Unsure(why, label, st.clause.substr(m.begin, m.end - m.begin)), m.begin, m.end, true, pol.negated});
    };
    // (Where the condition excludes: "No active liver disease (ALT > 1.5 x ULN)" among the inclusions, "Renal
    // insufficiency (creatinine > 2 mg/dL)" among the exclusions. A required one keeps its measurement beside it:
    // "chemotherapy-induced thrombocytopenia (PLT < 50 x 10^9/L)".)
    if (c.kind == ConceptKind::kCondition && pol.negated == st.inclusion && DefinedByMeasurement(st.lower, st.parens, m.end)) {
      unsure(Uncertainty::kQualified, "defined by a measurement in brackets");
      continue;
    }
    std::string near_before(std::string_view(masked).substr(ls.prev_end, list_begin - ls.prev_end));
    if (washout) {  // the gap's number is not a count
      for (size_t i = washout->begin; i < washout->end; ++i) {
        if (i >= ls.prev_end && i < list_begin) near_before[i - ls.prev_end] = ' ';
      }
    }
    std::string_view near_after = std::string_view(masked).substr(m.end, std::min(ls.next, m.end + 24) - m.end);
    if (c.kind == ConceptKind::kTherapy &&
        (near_before.find_first_of("0123456789") != std::string::npos || lex.Has(Trigger::kCount, near_before) ||
         lex.Has(Trigger::kCount, near_after))) {
      unsure(Uncertainty::kQualified, "a count of treatments");
      continue;
    }
    if (c.kind == ConceptKind::kTherapy && lex.Has(Trigger::kDoseChange, masked)) {
      unsure(Uncertainty::kQualified, "a dose or its change");
      continue;
    }
    // "Prednisone no more than 15 mg daily": a dose ceiling, not a requirement to take it.
    if (c.kind == ConceptKind::kTherapy) {
      std::string_view after = std::string_view(masked).substr(m.end, std::min(masked.size(), m.end + 32) - m.end);
      size_t digit = after.find_first_of("0123456789");
      if (digit != std::string_view::npos) {
        size_t u = digit;
        while (u < after.size() && (ascii::IsDigit(static_cast<unsigned char>(after[u])) || after[u] == '.' || after[u] == ',' || after[u] == ' ')) ++u;
        std::string_view unit = after.substr(u);
        if (StartsWith(unit, "mg") || StartsWith(unit, "mcg") || StartsWith(unit, "µg") || StartsWith(unit, "g ") ||
            StartsWith(unit, "g/") || StartsWith(unit, "units") || StartsWith(unit, "iu") || StartsWith(unit, "ml")) {
          unsure(Uncertainty::kQualified, "a dose");
          continue;
        }
      }
    }
    if ((c.kind == ConceptKind::kTherapy || c.kind == ConceptKind::kProcedure) && lex.Has(Trigger::kStudyTime, masked)) {
      unsure(Uncertainty::kPlan, "during or after the study");
      continue;
    }
    if (stop_context && c.kind == ConceptKind::kTherapy && !washout) {
      auto min_dur = atoms::FindMinDuration(lower, m.end, ls.next);
      if (!min_dur) continue;
      stopped.push_back({Rule::Concept(RuleKind::kTherapy, c.id, TimeScope::kWithin, min_dur->duration), m.begin, m.end});
      st.consumed.push_back({min_dur->begin, min_dur->end});
      continue;
    }
    // An exclusion names what excludes; an absence in it is not read: stated after the mention ("HIV
    // negative test must be done"), or before it ("No prior chemotherapy" among the exclusions is a
    // requirement written the inclusion's way: read as an exclusion it would exclude every patient
    // without chemotherapy). The X of "No liver metastases: ALT > 3 x ULN" states a condition for Y.
    if (!st.inclusion && pol.negated && (pol.after || !st.head)) {
      unsure(Uncertainty::kNegationScope, "a negation in an exclusion");
      continue;
    }
    // "No other concurrent chemotherapy": other than the study's own, or than those just named.
    if (c.kind != ConceptKind::kCondition) {
      if (auto o = lex.FindLast(Trigger::kOther, masked, ls.prev_end, list_begin);
          o && clause::Words(std::string_view(masked).substr(o->end, list_begin - o->end)).size() <= 3) {
        unsure(Uncertainty::kOtherRelative, "other than a treatment named elsewhere");
        continue;
      }
    }
    if (RelativeToStudy(concepts, lex, st, m, ls, list_begin, pol.negated)) {
      unsure(Uncertainty::kOtherRelative, "relative to the study's own condition");
      continue;
    }
    // Words right before the list that narrow it ("metastatic breast cancer") and words after the
    // mention in its phrase ("radiotherapy to marker lesions") stay inside the rule, under its negation.
    Span mod = clause::PreModifiers(lex, masked, list_begin, ls.prev_end);
    if (c.kind == ConceptKind::kCondition && !TreatmentTarget(lex, masked, mod.begin)) {
      // "ALP <= 2 x ULN (5 x ULN for liver metastases)": a disease after "for" beside a threshold names
      // the subgroup the threshold is for.
      std::vector<clause::Word> before = clause::Words(std::string_view(masked).substr(ls.prev_end, mod.begin - ls.prev_end));
      bool measured = std::any_of(st.found.begin(), st.found.end(),
                                  [](const ClauseAtom& a) { return a.rule.kind != RuleKind::kNotComputable && !a.concept_list; });
      if (measured && !before.empty() && (before.back().text == "for" || before.back().text == "if")) st.subgroup = true;
      // "Atypical ductal hyperplasia in postmenopausal women": the disease names who, or where.
      if (!before.empty() && before.back().text == "in") {
        unsure(Uncertainty::kQualified, "a population or a place");
        continue;
      }
    }
    if (c.kind == ConceptKind::kCondition && TreatmentTarget(lex, masked, mod.begin)) {
      // "Therapy for lung cancer": the disease is what a treatment was for, not the patient's now;
      // it narrows the treatment (already through its own following words), so it is no part of its own.
      st.attached.push_back({m.begin, m.end});
      continue;
    }
    size_t post_stop = std::min(ls.next, k + 1 < kept.size() ? kept[k + 1].begin : ls.next);
    // "Chemotherapy for this malignancy": the target narrows the treatment.
    if (c.kind != ConceptKind::kCondition && k + 1 < kept.size() &&
        kept[k + 1].concept_ref->kind == ConceptKind::kCondition &&
        TreatmentTarget(lex, masked, clause::PreModifiers(lex, masked, kept[k + 1].begin, m.end).begin)) {
      post_stop = kept[k + 1].end;
    }
    // "AIDS-defining infections, lymphomas, or malignancies": the words before an untyped first item
    // may qualify the whole list, this mention too.
    bool shared_modifier = false;
    {
      std::vector<clause::Word> before = clause::Words(std::string_view(masked).substr(ls.prev_end, mod.begin - ls.prev_end));
      if (!before.empty() && (before.back().text == "or" || before.back().text == "and" || before.back().text == "and/or")) {
        for (size_t b = 0; b + 1 < before.size(); ++b) {
          size_t at = ls.prev_end + before[b].begin;
          bool letters = std::any_of(before[b].text.begin(), before[b].text.end(),
                                     [](char ch) { return ascii::IsAlpha(static_cast<unsigned char>(ch)) != 0; });
          shared_modifier |= letters && !lex.IsFiller(before[b].text) && !Inside(st.consumed, at);
        }
      }
    }
    Rule r = Rule::Concept(rk, c.id);
    // Computed when the rule is built, after its time words are consumed.
    auto narrow = [&](Rule base) {
      Span post = clause::PostModifiers(lex, masked, m.end, post_stop, st.consumed);
      std::vector<std::string> narrowing;
      for (const Span& sp : {mod, post}) {
        if (sp.end <= sp.begin) continue;
        st.attached.push_back(sp);
        narrowing.emplace_back(Trim(st.clause.substr(sp.begin, sp.end - sp.begin)));
      }
      if (shared_modifier) narrowing.emplace_back("(in a list with untyped items)");
      // "No prior chemotherapy for this disease": the treatment's target, even when no concept names it.
      {
        size_t f = masked.find_first_not_of(' ', m.end);
        for (std::string_view t : {"for this ", "for the ", "for their ", "for his ", "for her ", "for current ", "for present ",
                                   "for metastatic ", "for advanced ", "for recurrent ", "for localized ", "for early "}) {
          if (f != std::string::npos && masked.compare(f, t.size(), t) == 0) {
            size_t e = f;
            while (e < masked.size() && std::string_view(".;:()").find(masked[e]) == std::string_view::npos && masked[e] != ',' &&
                   masked.compare(e, 5, " and ") != 0 && masked.compare(e, 4, " or ") != 0 && masked.compare(e, 6, " with ") != 0) {
              ++e;
            }
            std::string target(Trim(st.clause.substr(f, e - f)));
            bool said = std::any_of(narrowing.begin(), narrowing.end(), [&](const std::string& n) {
              return n.find(target) != std::string::npos || target.find(n) != std::string::npos;
            });
            if (!said) narrowing.push_back(target);
            st.attached.push_back({f, e});
            break;
          }
        }
      }
      // "Hypothyroidism or hyperthyroidism not effectively treated": words after a list's last item
      // may qualify every item (a bracket after it defines only that one).
      size_t last = k;
      while (last + 1 < kept.size() && kept[last + 1].begin < ls.next) ++last;
      if (last > k) {
        Span tail = clause::PostModifiers(lex, masked, kept[last].end, ls.next, st.consumed);
        std::string_view words = Trim(std::string_view(masked).substr(tail.begin, tail.end - tail.begin));
        if (tail.end > tail.begin && !words.empty() && words[0] != '(') {
          narrowing.push_back("(the list's last words) " + std::string(Trim(st.clause.substr(tail.begin, tail.end - tail.begin))));
        }
      }
      if (narrowing.empty()) return base;
      return Rule::All({std::move(base), Unsure(Uncertainty::kQualified, "qualified", Join(narrowing, " ... "))});
    };
    if (washout) {
      // "At least N since X": X did not happen within N. Only for the mention the gap is about.
      bool adjacent = (m.begin >= washout->end && m.begin <= washout->end + 48) ||
                      (washout->begin >= m.end && washout->begin <= m.end + 32);
      if (!st.inclusion || pol.negated || !adjacent) {
        unsure(Uncertainty::kTimeUnclear, "a gap that may not be about it");
        continue;
      }
      if (m.end <= washout->begin && GapSinceSomethingElse(lex, masked, washout->end, m, kept)) {
        unsure(Uncertainty::kTimeUnclear, "a gap since something else");
        continue;
      }
      r.scope = TimeScope::kWithin;
      r.window = washout->gap;
      st.found.push_back({Rule::Not(narrow(r)), m.begin, m.end, true, true});
      continue;
    }
    // A list that opens a bracket has the time words before the bracket ("History of cardiovascular
    // disease (stroke, TIA)"), and one that replaced a wider mention has that mention's.
    size_t time_begin = list_begin;
    for (const Span& p : st.parens) {
      if (list_begin > p.begin && list_begin < p.end && Trim(std::string_view(lower).substr(p.begin + 1, list_begin - p.begin - 1)).empty()) {
        time_begin = std::max(ls.prev_end, p.begin);
      }
    }
    for (const auto& [span, outer_begin] : st.definers) {
      if (list_begin > span.begin && list_begin < span.end) time_begin = std::max(ls.prev_end, outer_begin);
    }
    TimeRead t = ReadTime(lex, lower, c.kind, time_begin, ls.prev_end, m.end, ls.next);
    if (t.unsure) {
      unsure(*t.unsure, "when it counts");
      continue;
    }
    // "Prior mild heart failure" in an inclusion list may allow it rather than require it.
    if (st.inclusion && !pol.negated && t.scope == TimeScope::kEver && !t.window && !t.min_duration &&
        !lex.Has(Trigger::kRequirement, lower)) {
      unsure(Uncertainty::kPermission, "a prior fact that may be allowed rather than required");
      continue;
    }
    r.scope = t.scope;
    r.window = t.window;
    r.min_duration = t.min_duration;
    st.consumed.insert(st.consumed.end(), t.consumed.begin(), t.consumed.end());
    Rule narrowed = narrow(r);
    if (c.id == "postmenopausal" || c.id == "premenopausal") {
      // A menopausal status says nothing about men.
      Rule male = Rule::Simple(RuleKind::kSex);
      male.text = "male";
      narrowed = st.inclusion ? Rule::Any({male, pol.negated ? Rule::Not(narrowed) : narrowed})
                              : Rule::All({Rule::Not(male), pol.negated ? Rule::Not(narrowed) : narrowed});
      st.found.push_back({narrowed, m.begin, m.end, true, false});
      continue;
    }
    st.found.push_back({pol.negated ? Rule::Not(narrowed) : narrowed, m.begin, m.end, true, pol.negated});
  }
  if (!stopped.empty()) {
    std::vector<Rule> parts;
    for (ClauseAtom& s : stopped) parts.push_back(std::move(s.rule));
    st.found.push_back({Rule::Not(Rule::Any(std::move(parts))), stopped.front().begin, stopped.back().end});
  }
}

}  // namespace ts::clause_pass
