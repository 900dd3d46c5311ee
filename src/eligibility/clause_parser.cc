// CriteriaParser::ParseClause: one clause of a criterion to a rule, as a pipeline of passes:
//   1. the opening sex line ("male and female", "men: ...");
//   2. the gate (clause_scan.h): study-team clauses and conditional / exemption / permission / plan /
//      possibility / subgroup clauses type nothing;
//   3. atoms: trial participation, labs, scores, age, life expectancy, pregnancy and contraception;
//   4. concept mentions, each with its polarity (negation scope), narrowing words, "other", the time
//      it counts (window, washout, current, ever) or why that is unclear;
//   5. the rest: words nobody typed become a not-computable part, placed so that it cannot flip the
//      verdict; an "or" to an untyped part, or a time left over, makes the whole clause not computable.
#include <algorithm>
#include <cctype>

#include "common/strings.h"
#include "eligibility/atoms.h"
#include "eligibility/clause_scan.h"
#include "eligibility/rule_parser.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {
namespace {

using atoms::Atom;
using atoms::FindWord;
using atoms::HasWord;
using clause::Inside;
using clause::Span;


Rule Unsure(Uncertainty why, std::string_view what, std::string_view text) {
  std::string label = what.empty() ? "" : std::string(what) + ": ";
  return Rule::NotComputable(label + "\"" + std::string(text) + "\"", why);
}

// The words between two mentions of one list: "A, B or C", "A/B", "A and/or B".
bool IsOrSeparator(std::string_view g) {
  return g.empty() || g == "," || g == "or" || g == ", or" || g == "/" || g == "and/or" || g == "nor" || g == ", nor";
}
bool IsAndSeparator(std::string_view g) { return g == "and" || g == ", and"; }

struct ClauseAtom {
  Rule rule;
  size_t begin, end;
  bool concept_list = false;  // a condition / therapy / procedure mention (joins lists in exclusions)
  bool negated = false;
};

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

// The opening line's sex: "Male and female" says nothing; "Men: ..." applies only to men.
std::optional<size_t> BothSexesLead(const CriteriaLexicon& lex, std::string_view lower) {
  auto h = lex.Find(Trigger::kGroupBoth, lower);
  if (!h || !Trim(lower.substr(0, h->begin)).empty()) return std::nullopt;
  return h->end;
}

// Everything the passes of one clause share.
struct ClauseState {
  std::string_view clause;  // trimmed
  std::string lower;        // same offsets
  std::string masked;       // lower with examples blanked
  bool inclusion = true;
  bool childbearing = false;
  bool women_only = false;
  bool head = false;  // the X of "X: Y"
  const StudyContext* study = nullptr;
  std::vector<ClauseAtom> found;
  std::vector<Span> consumed, examples, parens, lab_parens, attached;
  bool has_lab_in_parens = false;
  bool unsure_negation = false;  // a negation whose reach is unclear: the clause is not typed
  bool subgroup = false;         // a threshold "for liver metastases": the clause is not typed
  std::vector<std::string> problems;
  std::optional<std::string> qualifier;  // set when the clause's mentions are qualified as a whole
  std::vector<size_t> untyped_analytes;  // where an analyte's name starts that no lab threshold consumed
  std::vector<std::pair<Span, size_t>> definers;  // a bracketed list that replaced a mention, and where that began
};

// True if the clause dates its age at an earlier event ("2-25 at initial diagnosis"); "at the time of signing
// informed consent", "of screening", "of enrolment" date it today, as every age rule is.
bool AgeAtEarlierEvent(const CriteriaLexicon& lex, std::string_view lower) {
  for (const TriggerHit& h : lex.FindAll(Trigger::kAgeAt, lower)) {
    std::string_view after = Trim(lower.substr(h.end));
    bool today = false;
    for (std::string_view w : {"signing", "sign", "informed", "consent", "screening", "enrol", "registration", "study entry",
                               "entry", "randomi", "inclusion", "the screening", "the signing", "the informed", "giving"}) {
      today |= StartsWith(after, w);
    }
    if (!today) return true;
  }
  return false;
}

// Pass 3b and 3c: labs, scores, age, life expectancy; pregnancy, breastfeeding, contraception.
void ReadMeasures(const ConceptTable& concepts, const CriteriaLexicon& lex, ClauseState& st) {
  std::string_view clause = st.clause;
  const std::string& lower = st.lower;
  const bool inclusion = st.inclusion;
  auto& found = st.found;
  auto& consumed = st.consumed;
  auto& examples = st.examples;
  // "WBC < 30,000/mm3 at time of CMA-676 administration", "ALP >= 1.5 x ULN prior to treatment with UDCA":
  // a value at another time than the screening's.
  std::vector<Atom> labs = atoms::ExtractLabs(clause, concepts, inclusion, &st.problems);
  bool dated_elsewhere = !labs.empty() && (AgeAtEarlierEvent(lex, lower) || HasWord(lower, "prior to treatment with") ||
                                           HasWord(lower, "before treatment with") || HasWord(lower, "prior to initiation of") ||
                                           HasWord(lower, "before initiation of"));
  for (Atom& a : labs) {
    if (dated_elsewhere) {
      a.rule = Unsure(Uncertainty::kTimeUnclear, "time_unclear (a value at another time)", clause.substr(a.begin, a.end - a.begin));
    }
    for (const Span& p : st.parens) {
      if (a.begin > p.begin && a.end <= p.end) {
        st.has_lab_in_parens = true;
        st.lab_parens.push_back(p);
      }
    }
    consumed.push_back({a.begin, a.end});
    found.push_back({std::move(a.rule), a.begin, a.end});
  }
  // (Only an "or" with a number after it reads them: see OrBeforeUntypedNumber.)
  auto or_before_number = [&] {
    for (size_t p = FindWord(lower, "or"); p != std::string::npos; p = FindWord(lower, "or", p + 2)) {
      if (p + 2 < lower.size() && std::isalpha(static_cast<unsigned char>(lower[p + 2]))) continue;
      if (lower.find_first_of("0123456789", p) != std::string::npos) return true;
    }
    return false;
  };
  if (or_before_number()) {
    for (const ConceptMention& m : concepts.FindMentions(clause, {ConceptKind::kAnalyte})) {
      if (!Inside(consumed, m.begin)) st.untyped_analytes.push_back(m.begin);
    }
  }
  for (auto* extract : {&atoms::ExtractAge, &atoms::ExtractLifeExpectancy}) {
    for (Atom& a : (*extract)(clause)) {
      consumed.push_back({a.begin, a.end});
      // "Age 2-25 at initial diagnosis": an age at an earlier event, not today's.
      if (a.rule.kind == RuleKind::kAge && AgeAtEarlierEvent(lex, lower)) {
        a.rule = Unsure(Uncertainty::kTimeUnclear, "time_unclear (an age at an earlier event)", clause.substr(a.begin, a.end - a.begin));
      }
      found.push_back({std::move(a.rule), a.begin, a.end});
    }
  }
  for (Atom& a : atoms::ExtractScores(clause, concepts)) {
    consumed.push_back({a.begin, a.end});
    found.push_back({std::move(a.rule), a.begin, a.end});
  }
  // Spans stay inside the clause whatever a recogniser reports.
  for (ClauseAtom& a : found) {
    a.end = std::min(a.end, lower.size());
    a.begin = std::min(a.begin, a.end);
  }
  for (Span& c : consumed) c.end = std::min(c.end, lower.size());
  // "No NYHA class III or IV", "must not have platelets < 50": a negation before a measurement.
  for (ClauseAtom& a : found) {
    clause::Polarity pol = clause::ReadPolarity(lex, lower, a.begin, a.end, 0, a.end);
    // "Hepatic: No significant hepatic disease Bilirubin no greater than 2 mg/dL": a negation with words of
    // its own before the measurement denies those words, perhaps not the measurement.
    if (pol.negated && !pol.after) {
      if (auto neg = lex.FindLast(Trigger::kNegation, lower, 0, a.begin)) {
        // "non-pregnant females between the ages of 18 and 69": a prefix negates its own word only.
        if (neg->end < lower.size() && (lower[neg->end] == '-' || (neg->end > 0 && lower[neg->end - 1] == '-')) &&
            StartsWith(neg->phrase, "non")) {
          pol.negated = false;
        }
        // ("No diabetes mellitus or fasting glucose >= 120 mg/dl": a list the negation runs through.)
        int words = 0;
        std::vector<clause::Word> gap = clause::Words(std::string_view(lower).substr(neg->end, a.begin - std::min(a.begin, neg->end)));
        for (const clause::Word& w : gap) {
          bool letters = std::any_of(w.text.begin(), w.text.end(), [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)) != 0; });
          words += letters && !lex.IsFiller(w.text);
        }
        bool listed = !gap.empty() && (gap.back().text == "or" || gap.back().text == "nor" || gap.back().text == "and");
        if (pol.negated && words >= 2 && !listed) pol.unsure = Uncertainty::kNegationScope;
      }
    }
    if (pol.unsure) a.rule = Unsure(Uncertainty::kNegationScope, "negation_scope", clause.substr(a.begin, a.end - a.begin));
    else if (pol.negated) a.rule = Rule::Not(std::move(a.rule));
  }

  // Pass 3c: pregnancy, breastfeeding, contraception.
  bool negate_repro = inclusion && (HasWord(lower, "not") || HasWord(lower, "negative") || HasWord(lower, "non"));
  bool repro_unsure = !inclusion && lex.Has(Trigger::kNegation, lower);
  auto add_repro = [&](RuleKind k, std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) {
      size_t p = FindWord(lower, w);
      if (p == std::string::npos || Inside(examples, p)) continue;
      size_t end = p + w.size();
      while (end < lower.size() && std::isalpha(static_cast<unsigned char>(lower[end]))) ++end;
      // "Nursing home resident", "nursing staff": not breastfeeding.
      if (w == "nursing" && lex.Find(Trigger::kHeadNoun, lower, end, std::min(lower.size(), end + 12)) == std::nullopt) {
        bool care = false;
        for (std::string_view n : {" home", " facility", " facilities", " care", " staff", " student", " assist"}) {
          care |= lower.compare(end, n.size(), n) == 0;
        }
        if (care) continue;
      }
      consumed.push_back({p, end});
      // "Amenorrhea not due to pregnancy": pregnancy named as a cause, not as the patient's state.
      std::string_view lead = std::string_view(lower).substr(p > 24 ? p - 24 : 0, p > 24 ? 24 : p);
      bool cause = lead.find("due to") != std::string_view::npos || lead.find("secondary to") != std::string_view::npos ||
                   lead.find("caused by") != std::string_view::npos || lead.find("related to") != std::string_view::npos ||
                   lead.find("complication") != std::string_view::npos;
      // "Complications of pregnancy", "pregnancy-related hypertension", "pregnancy loss": pregnancy as a topic;
      // "have been or currently pregnant", "previous pregnancy": a past one, which no rule here types.
      std::string_view tail = std::string_view(lower).substr(end, std::min<size_t>(16, lower.size() - end));
      cause |= StartsWith(Trim(tail), "complication") || StartsWith(tail, "-related") || StartsWith(tail, "-induced") ||
               StartsWith(Trim(tail), "related") || StartsWith(Trim(tail), "induced") || StartsWith(Trim(tail), "loss") ||
               StartsWith(Trim(tail), "outcome");
      cause |= lead.find("been") != std::string_view::npos || lead.find("previous") != std::string_view::npos ||
               lead.find("prior") != std::string_view::npos || lead.find("past") != std::string_view::npos ||
               lead.find("history") != std::string_view::npos || lead.find("number of") != std::string_view::npos;
      // "During current pregnancy", "after the pregnancy has ended": pregnancy as a time.
      std::vector<clause::Word> lw = clause::Words(lead);
      bool as_time = !lw.empty() && (lw.back().text == "during" || lw.back().text == "in" || lw.back().text == "after" ||
                                     lw.back().text == "the" || lw.back().text == "throughout" ||
                                     lw.back().text == "before" || lw.back().text == "current");
      // No trial's inclusion requires pregnancy in a sentence the parser reads: a positive mention
      // in an inclusion is about something else (a test, a time, a later event).
      bool positive_inclusion = inclusion && !negate_repro;
      if (repro_unsure || cause || as_time || positive_inclusion) {
        found.push_back({Unsure(Uncertainty::kNegationScope, "negation_scope", clause.substr(p, end - p)), p, end});
        return;
      }
      Rule r = Rule::Simple(k);
      r.childbearing_only = st.childbearing;
      found.push_back({negate_repro ? Rule::Not(r) : r, p, end, true, negate_repro});
      return;
    }
  };
  add_repro(RuleKind::kPregnant, {"pregnan"});
  add_repro(RuleKind::kBreastfeeding, {"breastfe", "breast-fe", "breast fe", "nursing", "lactat"});
  if (HasWord(lower, "contracepti") || HasWord(lower, "birth control")) {
    size_t p = FindWord(lower, "contracepti");
    if (p == std::string::npos) p = FindWord(lower, "birth control");
    consumed.push_back({p, p + 11});
    // Only a requirement to use contraception is typed: an exclusion names its absence, whose words
    // the parser does not type safely, and a list of acceptable methods defines, it does not require.
    bool requires_use = HasWord(lower, "must") || HasWord(lower, "should") || HasWord(lower, "agree") ||
                        HasWord(lower, "use") || HasWord(lower, "using") || HasWord(lower, "practic") ||
                        HasWord(lower, "required") || HasWord(lower, "willing");
    auto outside_examples = [&](std::string_view w) {
      for (size_t at = FindWord(lower, w); at != std::string::npos; at = FindWord(lower, w, at + 1)) {
        if (!Inside(examples, at)) return true;
      }
      return false;
    };
    bool defines = outside_examples("include") || outside_examples("defined") || outside_examples("methods are") ||
                   outside_examples("counsel") || outside_examples("guidance") || outside_examples("advised") ||
                   outside_examples("informed") || outside_examples("educat") ||
                   outside_examples("abstinen");  // abstinence is an alternative the records do not show
    if (!inclusion || !requires_use || defines) {
      found.push_back({Unsure(inclusion ? Uncertainty::kUnparsed : Uncertainty::kNegationScope,
                              inclusion ? "" : "negation_scope", clause.substr(p, 11)), p, p + 11});
    } else {
      Rule r = Rule::Simple(RuleKind::kContraception);
      // Contraception asked of women only does not apply to men or to women who cannot become pregnant;
      // asked of "patients" or of men and women, it applies to men too. Asked of "fertile patients" or
      // "patients of reproductive potential", it depends on a man's or a child's fertility, which a record
      // rarely shows: the evaluator asks unless the patient uses contraception.
      r.childbearing_only = st.women_only;
      bool fertility = HasWord(lower, "fertile") || HasWord(lower, "reproductive potential") ||
                       HasWord(lower, "reproductive capacity");
      r.fertile_only = fertility && !st.women_only;
      found.push_back({r, p, p + 11});
    }
  }
}


// Pass 4a: the concept mentions worth typing, with examples masked; sets st.qualifier when a
// mention only modifies another word ("HIV vaccine", "cancer therapy") or an exclusion is qualified.
std::vector<ConceptMention> FindConceptMentions(const ConceptTable& concepts, const CriteriaLexicon& lex,
                                                ClauseState& st) {
  const std::string& lower = st.lower;
  if (!st.inclusion) {
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
      if (masked.compare(i, 10, "definition") == 0 && (i + 10 == masked.size() || !std::isalnum(static_cast<unsigned char>(masked[i + 10])))) {
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
    }
    size_t j = i;
    while (j < masked.size() && (std::isalnum(static_cast<unsigned char>(masked[j])) || masked[j] == '-')) ++j;
    if (j == i) continue;
    std::string w = masked.substr(i, j - i);
    bool other_mention = false;
    for (const ConceptMention& o : kept) other_mention |= o.begin == i;
    // "Analgesic radiotherapy": a mention right before another, with no separator, modifies it.
    if (other_mention && i > m.end && Trim(std::string_view(masked).substr(m.end, i - m.end)).empty()) {
      st.qualifier = "modifier '" + std::string(st.clause.substr(m.begin, j - m.begin)) + "'";
      break;
    }
    if (!other_mention && !lex.IsFiller(w) && !std::isdigit(static_cast<unsigned char>(w[0])) && w != "or" &&
        w != "and/or" && w != "nor") {
      st.qualifier = "modifier '" + std::string(st.clause.substr(m.begin, j - m.begin)) + "'";
    }
  }
  return kept;
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
    if (allergy && c.kind == ConceptKind::kTherapy) {
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
        while (u < after.size() && (std::isdigit(static_cast<unsigned char>(after[u])) || after[u] == '.' || after[u] == ',' || after[u] == ' ')) ++u;
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
                                     [](char ch) { return std::isalpha(static_cast<unsigned char>(ch)) != 0; });
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

// The words no pass typed: not consumed, not an example, not attached, not a filler, number or unit.
std::vector<clause::Word> Residual(const CriteriaLexicon& lex, const ClauseState& st) {
  std::vector<Span> skip = st.consumed;
  skip.insert(skip.end(), st.examples.begin(), st.examples.end());
  skip.insert(skip.end(), st.attached.begin(), st.attached.end());
  std::vector<clause::Word> out;
  for (clause::Word& w : clause::Words(st.lower)) {
    std::string t = w.text;
    while (!t.empty() && (t.back() == '.' || t.back() == '-' || t.back() == '/')) t.pop_back();
    bool skipped = Inside(skip, w.begin);
    // A lab threshold in parentheses defines the words before it ("severe hepatic dysfunction (ALT ...)").
    if (!skipped && st.has_lab_in_parens && !Inside(st.parens, w.begin)) {
      for (const Span& p : st.lab_parens) skipped |= w.begin < p.begin;
    }
    unsigned char first = t.empty() ? 0 : static_cast<unsigned char>(t[0]);
    bool numeric = std::isdigit(first);
    if (skipped || t.empty() || numeric || !(std::isalpha(first) || first >= 0x80) || lex.IsFiller(t) || ParseUnit(t)) {
      continue;
    }
    out.push_back({std::string(st.clause.substr(w.begin, t.size())), w.begin, w.begin + t.size()});
  }
  return out;
}

// True if a connector outside the typed parts has an untyped word as one of its sides, where the rest
// could not be placed soundly: an "or" in an inclusion ("hepatitis C infected or uninfected" is not
// "hepatitis C AND ..."), an "and" or "with" in an exclusion ("HBsAg positive and HBV DNA above ..."
// is not "HBsAg OR ...").
bool JoinsUntyped(const CriteriaLexicon& lex, const ClauseState& st, const std::vector<clause::Word>& residual) {
  if (residual.empty()) return false;
  // What stands nearest each side of a connector: a typed part or an untyped word. Short untyped
  // words ("gm", "dl": the rest of a unit) do not count, and parts that are themselves not computable
  // are not typed.
  enum Side { kNothing, kTyped, kUntyped };
  auto nearest = [&](size_t from, size_t to, bool last) {
    Side out = kNothing;
    size_t best = last ? 0 : std::string::npos;
    auto consider = [&](size_t pos, Side side) {
      if (pos < from || pos >= to) return;
      if (last ? pos >= best : pos <= best) {
        best = pos;
        out = side;
      }
    };
    for (const ClauseAtom& a : st.found) {
      consider(last ? a.end - 1 : a.begin, a.rule.HasTypedPart() ? kTyped : kUntyped);
    }
    for (const clause::Word& r : residual) {
      if (r.text.size() > 3) consider(last ? r.end - 1 : r.begin, kUntyped);
    }
    return out;
  };
  std::vector<clause::Word> words = clause::Words(st.masked);
  for (size_t i = 0; i < words.size(); ++i) {
    const clause::Word& w = words[i];
    bool joins = st.inclusion ? (w.text == "or" || w.text == "and/or" || w.text == "nor" || w.text == "either")
                              : (w.text == "and" || w.text == "plus" || w.text == "both" || w.text == "with");
    // "Nasal polyps reacting with angioedema" joins; "patients with sepsis" names who.
    if (w.text == "with" && (i == 0 || lex.IsFiller(words[i - 1].text))) continue;
    if (!joins || Inside(st.consumed, w.begin)) continue;
    Side left = nearest(0, w.begin, true), right = nearest(w.end, st.lower.size(), false);
    // An untyped word before the connector and a typed part anywhere after it: "ST depression ...
    // and/or positive biomarkers for MI" (but "... iliac crest and/or sternum" after a typed part is
    // one untyped part).
    auto typed_in = [&](size_t from, size_t to) {
      for (const ClauseAtom& a : st.found) {
        if (a.begin >= from && a.end <= to && a.rule.HasTypedPart()) return true;
      }
      return false;
    };
    if (left == kUntyped && typed_in(w.end, st.lower.size())) return true;
    // "Allergic to lidocaine, which is used as a local anesthetic, and who cannot receive a substitute": in an
    // exclusion, an untyped part after "and" may be a second condition on the typed one.
    if (!st.inclusion && w.text == "and" && right == kUntyped && typed_in(0, w.begin)) return true;
    if ((left == kTyped && right == kUntyped) || (left == kUntyped && right == kTyped)) return true;
  }
  return false;
}

// True if an inclusion clause only names diseases, with no verb or word of diagnosis ("CLL and
// prolymphocytic leukemia, in remission", "Right-sided colon cancer", "Congestive heart failure (NYHA
// III or IV)"): such a line is an item of a list whose heading (one of the diagnoses, a family
// history, a disease to be free of) the record's layout may have lost.
bool BareListOfDiseases(const ClauseState& st) {
  bool disease = std::any_of(st.found.begin(), st.found.end(), [](const ClauseAtom& a) {
    return a.concept_list && (a.rule.kind == RuleKind::kCondition || a.rule.kind == RuleKind::kAnd ||
                              a.rule.kind == RuleKind::kNotComputable);
  });
  if (!disease) return false;
  // Only diseases (and a class of them: "NYHA III or IV"); a lab threshold beside a disease defines it
  // ("grade >= 3 thrombocytopenia (PLT < 50)").
  for (const ClauseAtom& a : st.found) {
    if (!a.concept_list && a.rule.HasTypedPart() && a.rule.kind != RuleKind::kScore) return false;
  }
  // A verb, a negation or a word of diagnosis makes it a sentence about the patient instead.
  for (const clause::Word& w : clause::Words(st.lower)) {
    for (std::string_view v : {"must", "have", "has", "be", "is", "are", "no", "not", "with", "confirmed", "diagnosed",
                               "conform", "meet", "meets", "fulfil", "fulfill", "fulfilling", "satisfy", "according",
                               "diagnosis", "documented", "proven", "histologically", "cytologically", "history"}) {
      if (w.text == v) return false;
    }
  }
  return true;
}

// True if an "or" is followed by a number no pass read: "CD4 >= 200/uL or > 14%" has an alternative
// threshold the rule would drop.
bool OrBeforeUntypedNumber(const ClauseState& st) {
  std::vector<clause::Word> words = clause::Words(st.masked);
  for (size_t k = 0; k + 1 < words.size(); ++k) {
    if ((words[k].text != "or" && words[k].text != "and/or") || Inside(st.consumed, words[k].begin)) continue;
    // Three words on, or six when an analyte the labs pass did not type comes first ("or Cr Cl.
    // greater than 60 ml/min./1.73 m(2)"), before any typed part.
    // ("AST or ALT less than 4 times normal" names two analytes for one threshold: a case of its own.)
    auto untyped_analyte = [&](size_t at) {
      return std::find(st.untyped_analytes.begin(), st.untyped_analytes.end(), at) != st.untyped_analytes.end();
    };
    bool pair = k > 0 && untyped_analyte(words[k - 1].begin);
    bool analyte = false;
    for (size_t j = k + 1; j < words.size() && j <= k + 6; ++j) {
      if (Inside(st.consumed, words[j].begin)) break;
      analyte |= !pair && untyped_analyte(words[j].begin);
      if (std::isdigit(static_cast<unsigned char>(words[j].text[0])) && (j <= k + 3 || analyte)) return true;
    }
  }
  return false;
}

// True if two typed parts are separated only by a comma and an "or" follows later in the clause:
// "a history of MI, stroke, angina ... or TIA" is a list of alternatives, not of requirements.
bool CommaListEndsInOr(const ClauseState& st) {
  std::vector<const ClauseAtom*> atoms;
  for (const ClauseAtom& a : st.found) atoms.push_back(&a);
  std::sort(atoms.begin(), atoms.end(), [](const ClauseAtom* a, const ClauseAtom* b) { return a->begin < b->begin; });
  for (size_t k = 1; k < atoms.size(); ++k) {
    if (atoms[k - 1]->end > atoms[k]->begin) continue;
    std::string_view gap = Trim(std::string_view(st.masked).substr(atoms[k - 1]->end, atoms[k]->begin - atoms[k - 1]->end));
    // A comma list, maybe with abbreviations or untyped items between: "MI (MI), stroke (CVA), angina, ...".
    bool comma = gap.find(',') != std::string_view::npos && gap.find(';') == std::string_view::npos;
    for (const clause::Word& w : clause::Words(gap)) comma &= w.text != "and" && w.text != "with";
    if (!comma) continue;
    for (const clause::Word& w : clause::Words(std::string_view(st.masked).substr(atoms[k]->end))) {
      if ((w.text == "or" || w.text == "and/or") && !Inside(st.consumed, atoms[k]->end + w.begin)) return true;
    }
  }
  return false;
}

// A list of mentions of one kind ("thromboembolic events, heart attack or stroke") is one part.
void MergeLists(ClauseState& st) {
  auto& found = st.found;
  std::vector<ClauseAtom> merged;
  for (size_t k = 0; k < found.size();) {
    size_t e = k + 1;
    bool any_or = false;
    auto family = [](const Rule& r) { return r.kind == RuleKind::kNotComputable ? RuleKind::kCondition : r.kind; };
    while (e < found.size() && found[k].concept_list && found[e].concept_list &&
           (family(found[e].rule) == family(found[k].rule) || found[e].rule.kind == RuleKind::kNotComputable ||
            found[k].rule.kind == RuleKind::kNotComputable) &&
           found[e].negated == found[k].negated) {
      std::string g(Trim(std::string_view(st.masked).substr(std::min(found[e - 1].end, found[e].begin),
                                                            found[e].begin - std::min(found[e - 1].end, found[e].begin))));
      if (!IsOrSeparator(g)) break;
      any_or |= g.find("or") != std::string::npos || g == "/";
      ++e;
    }
    if (e - k == 1) {
      merged.push_back(std::move(found[k]));
    } else {
      std::vector<Rule> parts;
      for (size_t i = k; i < e; ++i) parts.push_back(std::move(found[i].rule));
      bool negated = found[k].negated;
      // "not A or B" is neither; an exclusion list is any-of; an inclusion list follows its words.
      bool use_or = negated ? false : (!st.inclusion || any_or);
      merged.push_back({use_or ? Rule::Any(std::move(parts)) : Rule::All(std::move(parts)), found[k].begin,
                        found[e - 1].end, true, negated});
    }
    k = e;
  }
  found = std::move(merged);
}

// Pass 5: the typed parts in text order (AND binds tighter than OR), with the rest placed so that it
// cannot flip the verdict.
Rule Combine(const CriteriaLexicon& lex, ClauseState& st) {
  if (st.unsure_negation) return Unsure(Uncertainty::kNegationScope, "negation_scope", st.clause);
  if (st.subgroup) return Unsure(Uncertainty::kSubgroup, "subgroup", st.clause);
  if (st.inclusion && BareListOfDiseases(st)) return Unsure(Uncertainty::kAlternative, "alternative", st.clause);
  std::vector<clause::Word> residual = Residual(lex, st);
  if (st.found.empty()) {
    if (st.qualifier) return Unsure(Uncertainty::kQualified, *st.qualifier, st.clause);
    if (!st.problems.empty()) return Unsure(Uncertainty::kUnit, st.problems.front(), st.clause);
    return Unsure(Uncertainty::kUnparsed, "", st.clause);
  }
  std::sort(st.found.begin(), st.found.end(), [](const ClauseAtom& a, const ClauseAtom& b) { return a.begin < b.begin; });
  // A time the rules do not hold ("for 3 months", "2 years ago") may change what the clause means.
  std::vector<Span> loose = clause::LooseDurations(st.masked, st.consumed);
  std::erase_if(loose, [&](const Span& s) { return Inside(st.examples, s.begin); });
  // With pregnancy and contraception a time is the test's recency or how long to use contraception
  // ("a negative test within 7 days", "until 3 months after the last dose"): it does not change
  // whether the patient is pregnant or uses contraception now.
  auto reproductive = [](const Rule& r) {
    const Rule& leaf = r.kind == RuleKind::kNot && r.children.size() == 1 ? r.children[0] : r;
    return leaf.kind == RuleKind::kPregnant || leaf.kind == RuleKind::kBreastfeeding ||
           leaf.kind == RuleKind::kContraception || leaf.kind == RuleKind::kNotComputable;
  };
  if (std::all_of(st.found.begin(), st.found.end(), [&](const ClauseAtom& a) { return reproductive(a.rule); })) {
    loose.clear();
  }
  if (!loose.empty()) {
    return Unsure(Uncertainty::kTimeUnclear,
                  "time_unclear ('" + std::string(st.clause.substr(loose[0].begin, loose[0].end - loose[0].begin)) + "')",
                  st.clause);
  }
  if (st.inclusion && CommaListEndsInOr(st)) return Unsure(Uncertainty::kAlternative, "alternative", st.clause);
  if (st.inclusion && OrBeforeUntypedNumber(st)) return Unsure(Uncertainty::kAlternative, "alternative", st.clause);
  if (JoinsUntyped(lex, st, residual)) {
    return st.inclusion ? Unsure(Uncertainty::kAlternative, "alternative", st.clause)
                        : Unsure(Uncertainty::kConjunction, "conjunction", st.clause);
  }
  MergeLists(st);
  auto& found = st.found;
  std::vector<std::vector<Rule>> or_groups(1);
  for (size_t k = 0; k < found.size(); ++k) {
    if (k > 0) {
      std::string_view gap = std::string_view(st.masked).substr(std::min(found[k - 1].end, found[k].begin),
                                                               found[k].begin - std::min(found[k - 1].end, found[k].begin));
      // A slash between names ("AST/ALT") is an "or"; one in a unit between them ("count at least 1,000/mm3")
      // is not.
      bool slash = gap.find('/') != std::string_view::npos && gap.find_first_of("0123456789") == std::string_view::npos;
      bool has_or = HasWord(gap, "or") || slash;
      bool has_and = HasWord(gap, "and") || HasWord(gap, "with") || HasWord(gap, "but");
      bool is_or;
      if (has_or && !has_and) is_or = true;
      else if (has_and && !has_or) is_or = false;
      // "NYHA class II-IV HFrEF (LVEF < 35%)": a part in brackets right after another defines it.
      else if (!has_or && std::any_of(st.parens.begin(), st.parens.end(), [&](const Span& p) {
                 return p.begin >= found[k - 1].end && p.begin < found[k].begin && found[k].end <= p.end;
               })) {
        is_or = false;
      }
      else is_or = !st.inclusion;
      auto family = [](RuleKind rk) { return rk == RuleKind::kBreastfeeding ? RuleKind::kPregnant : rk; };
      if (!st.inclusion && found[k - 1].concept_list && found[k].concept_list &&
          family(found[k - 1].rule.kind) == family(found[k].rule.kind)) {
        is_or = true;
      }
      if (found[k - 1].negated && found[k].negated) is_or = false;  // "not A or B" is neither
      if (is_or) or_groups.emplace_back();
    }
    or_groups.back().push_back(found[k].rule);
  }
  std::vector<Rule> ors;
  for (auto& g : or_groups) ors.push_back(Rule::All(std::move(g)));
  Rule typed = Rule::Any(std::move(ors));
  if (st.qualifier || !residual.empty()) {
    std::vector<std::string> words;
    for (const clause::Word& w : residual) words.push_back(w.text);
    Rule rest = st.qualifier ? Unsure(Uncertainty::kQualified, *st.qualifier, st.clause)
                             : Unsure(Uncertainty::kUnparsed, "", Join(words, " "));
    return st.inclusion ? Rule::All({typed, rest}) : Rule::Any({typed, rest});
  }
  return typed;
}

}  // namespace

Rule CriteriaParser::ParseClause(std::string_view clause, CriterionKind kind, const ClauseFlags& flags) const {
  const bool inclusion = kind == CriterionKind::kInclusion;
  const bool childbearing = flags.childbearing;
  std::string_view trimmed = Trim(clause);
  if (trimmed.empty()) return Rule::NotComputable("empty", Uncertainty::kEmpty);
  if (trimmed.size() != clause.size()) return ParseClause(trimmed, kind, flags);
  std::string lower = atoms::Lower(clause);
  if (trimmed.back() == ':') return Unsure(Uncertainty::kHeading, "heading", trimmed);
  // "Bilirubin <= 2 x ULN*": a footnote elsewhere qualifies it.
  if (trimmed.back() == '*' && !EndsWith(trimmed, "**")) return Unsure(Uncertainty::kExemption, "exemption (a footnote)", trimmed);

  // Pass 1: the opening sex line.
  if (auto both = BothSexesLead(lexicon_, lower)) {
    std::string_view rest = Trim(clause.substr(*both));
    while (!rest.empty() && (rest[0] == ',' || rest[0] == ':')) rest = Trim(rest.substr(1));
    if (rest.empty()) return Unsure(Uncertainty::kUnparsed, "", trimmed);
    return ParseClause(rest, kind, flags);
  }
  for (std::string_view lead : {"for men:", "for men ", "for males:", "for male ", "men:", "men ", "male ", "males ",
                                "male participants", "male patients", "male subjects"}) {
    if (StartsWith(lower, lead)) {
      // "partners of child-bearing potential" is about the partner: the man's own rule is unconditional.
      size_t cut = lead.size() - ((lead.back() == ' ') ? 1 : 0);
      ClauseFlags inner_flags = flags;
      inner_flags.childbearing = false;
      inner_flags.women_only = false;
      Rule inner = ParseClause(Trim(clause.substr(cut)), kind, inner_flags);
      Rule male = Rule::Simple(RuleKind::kSex);
      male.text = "male";
      // Inclusion: men must meet it (others pass); exclusion: it excludes only men.
      return inclusion ? Rule::Any({Rule::Not(male), inner}) : Rule::All({male, inner});
    }
  }

  // Pass 2: the gate.
  bool contraception = HasWord(lower, "contracepti") || HasWord(lower, "birth control");
  if (auto gate = clause::Gate(lexicon_, lower, contraception, inclusion)) {
    static constexpr std::pair<Uncertainty, std::string_view> kLabels[] = {
        {Uncertainty::kConsent, "informed consent"},
        {Uncertainty::kJudgement, "investigator's judgement"},
        {Uncertainty::kCompliance, "compliance"},
        {Uncertainty::kWillingness, "willingness or ability"}};
    for (const auto& [why, label] : kLabels) {
      if (why == gate->why) return Unsure(why, label, trimmed);
    }
    return Unsure(gate->why, std::string(UncertaintyName(gate->why)) + " ('" + gate->phrase + "')", trimmed);
  }

  // Pass 3a: another trial.
  bool trial_words = HasWord(lower, "clinical trial") || HasWord(lower, "clinical study") || HasWord(lower, "other trial") ||
                     HasWord(lower, "another trial") || HasWord(lower, "other study") || HasWord(lower, "another study") ||
                     HasWord(lower, "other clinical") || HasWord(lower, "another clinical") ||
                     HasWord(lower, "investigational");
  if (trial_words &&
      (HasWord(lower, "particip") || HasWord(lower, "enrol") || HasWord(lower, "took part") || HasWord(lower, "received"))) {
    // "Investigational drug within 30 days" is about a drug, not about taking part in a trial.
    bool about_trial = HasWord(lower, "trial") || HasWord(lower, "study") || HasWord(lower, "studies") ||
                       HasWord(lower, "protocol");
    // "Investigational drug within 30 days" is about a drug; "an investigational drug or device study" is
    // narrower than any trial: neither is the trial-participation rule.
    if (!about_trial || HasWord(lower, "investigational") || HasWord(lower, "endpoint") || HasWord(lower, "follow") ||
        HasWord(lower, "until") || HasWord(lower, "before reaching")) {
      return Unsure(Uncertainty::kQualified, "qualified ('investigational')", trimmed);
    }
    Rule r = Rule::Simple(RuleKind::kTrialParticipation);
    if (auto w = atoms::FindWindow(lower, 0, lower.size())) {
      r.scope = TimeScope::kWithin;
      r.window = w->duration;
    } else if (HasWord(lower, "current")) {
      r.scope = TimeScope::kCurrent;
    } else {
      return Unsure(Uncertainty::kTimeUnclear, "time_unclear", trimmed);
    }
    if (clause::FindWashout(lexicon_, lower)) return Unsure(Uncertainty::kTimeUnclear, "time_unclear", trimmed);
    bool negated = lexicon_.Has(Trigger::kNegation, lower);
    // An exclusion names the trial to exclude; an inclusion can only sensibly forbid it ("not
    // participating in another study"): a positive inclusion is usually a misfiled exclusion.
    if (inclusion) {
      if (!negated) return Unsure(Uncertainty::kUnparsed, "", trimmed);
      return Rule::Not(r);
    }
    if (negated) return Unsure(Uncertainty::kNegationScope, "negation_scope", trimmed);
    return r;
  }

  ClauseState st;
  st.clause = trimmed;
  st.lower = std::move(lower);
  st.inclusion = inclusion;
  st.childbearing = childbearing;
  st.women_only = flags.women_only;
  st.head = flags.head;
  st.study = flags.study;
  st.parens = clause::Parens(st.lower);
  st.examples = clause::ExampleSpans(st.lower, st.parens);
  ReadMeasures(concepts_, lexicon_, st);
  std::vector<ConceptMention> kept = FindConceptMentions(concepts_, lexicon_, st);
  // A clause whose mentions are qualified as a whole types only its measurements.
  if (!(st.qualifier && !kept.empty())) {
    st.qualifier.reset();
    TypeMentions(concepts_, lexicon_, st, kept);
  }
  return Combine(lexicon_, st);
}

}  // namespace ts
