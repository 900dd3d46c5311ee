#include "eligibility/rule_parser.h"

#include "common/ascii.h"
#include "eligibility/criteria_scopes.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "common/strings.h"
#include "eligibility/atoms.h"
#include "eligibility/clause_scan.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

CriteriaParser::CriteriaParser(const ConceptTable& concepts, FormGating gating)
    : concepts_(concepts), gate_(FormGate::Open()) {
  auto lex = CriteriaLexicon::Builtin();
  // The lexicon and the gate table are compiled into the binary and checked by eligibility_test: a
  // failure here is a programmer's error, not bad input.
  if (!lex.ok()) std::abort();
  lexicon_ = std::move(*lex);
  if (gating == FormGating::kReviewed) {
    auto gate = FormGate::Builtin();
    if (!gate.ok()) std::abort();
    gate_ = std::move(*gate);
  }
}

StudyContext StudyContext::FromTexts(const ConceptTable& concepts, const std::vector<std::string>& texts) {
  StudyContext ctx;
  for (const std::string& t : texts) {
    for (const ConceptMention& m : concepts.FindMentions(t, {ConceptKind::kCondition})) {
      if (std::find(ctx.condition_ids.begin(), ctx.condition_ids.end(), m.concept_ref->id) == ctx.condition_ids.end()) {
        ctx.condition_ids.push_back(m.concept_ref->id);
      }
    }
  }
  return ctx;
}

namespace {

using atoms::HasWord;

// Splits a criterion into clauses at ';' and at sentence ends, outside parentheses.
std::vector<std::string_view> Clauses(std::string_view text) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '(' || c == '[') ++depth;
    else if ((c == ')' || c == ']') && depth > 0) --depth;
    if (depth > 0) continue;
    bool cut = c == ';';
    if (c == '.' && i + 2 < text.size() && text[i + 1] == ' ' && ascii::IsUpper(static_cast<unsigned char>(text[i + 2]))) {
      // Not after an abbreviation ("e.g. ", "etc. ", "vs. ", "Dr. ").
      size_t w = i;
      while (w > start && ascii::IsAlpha(static_cast<unsigned char>(text[w - 1]))) --w;
      std::string word = ToLowerAscii(text.substr(w, i - w));
      cut = !(word == "e.g" || word == "g" || word == "etc" || word == "vs" || word == "dr" || word == "i.e" ||
              word == "e" || word == "approx" || word == "no" || (word.size() == 1 && (w == start || text[w - 1] == ' ')));
    }
    if (cut) {
      if (!Trim(text.substr(start, i - start)).empty()) out.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (!Trim(text.substr(start)).empty()) out.push_back(text.substr(start));
  return out;
}

// Legacy records run headed sections together in one line: "PRIOR CONCURRENT THERAPY: Biologic
// therapy: No prior antibodies Chemotherapy: No prior chemotherapy Radiotherapy: Not specified".
// With two or more such headings, the text is cut before each heading (the capitalised words just
// before its ':'), so that each section is read with its own heading. Otherwise the text is returned whole.
std::vector<std::string_view> HeadedSections(std::string_view text) {
  std::vector<size_t> starts;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch == '(' || ch == '[') ++depth;
    else if ((ch == ')' || ch == ']') && depth > 0) --depth;
    if (ch != ':' || depth > 0 || i == 0 || (i + 1 < text.size() && ascii::IsDigit(static_cast<unsigned char>(text[i + 1])))) {
      continue;
    }
    // The heading: the capitalised word nearest the colon among the three before it ("Life
    // expectancy:", "Not specified Hepatic:"), with the all-capitals words before an all-capitals one
    // ("PRIOR CONCURRENT THERAPY:").
    size_t j = i, heading = std::string_view::npos;
    bool caps_run = false;
    for (int w = 0; w < 8; ++w) {
      while (j > 0 && text[j - 1] == ' ') --j;
      size_t e = j;
      while (j > 0 && ascii::IsAlpha(static_cast<unsigned char>(text[j - 1]))) --j;
      if (j == e) break;
      bool all_caps = true;
      for (size_t q = j; q < e; ++q) all_caps &= ascii::IsUpper(static_cast<unsigned char>(text[q])) != 0;
      if (heading == std::string_view::npos) {
        if (w >= 3) break;
        if (ascii::IsUpper(static_cast<unsigned char>(text[j]))) {
          heading = j;
          caps_run = all_caps && e - j > 1;
          if (!caps_run) break;
        }
      } else if (caps_run && all_caps && e - j > 1) {
        heading = j;
      } else {
        break;
      }
      if (j == 0 || text[j - 1] != ' ') break;
    }
    if (heading != std::string_view::npos && (starts.empty() || heading > starts.back())) starts.push_back(heading);
  }
  if (starts.size() < 2) return {text};
  std::vector<std::string_view> out;
  if (!Trim(text.substr(0, starts[0])).empty()) out.push_back(text.substr(0, starts[0]));
  for (size_t k = 0; k < starts.size(); ++k) {
    size_t end = k + 1 < starts.size() ? starts[k + 1] : text.size();
    out.push_back(text.substr(starts[k], end - starts[k]));
  }
  return out;
}

// The position of a ':' that separates a heading or condition from what follows, or npos.
size_t ColonSplit(std::string_view clause) {
  int depth = 0;
  for (size_t i = 0; i < clause.size(); ++i) {
    char c = clause[i];
    if (c == '(') ++depth;
    else if (c == ')' && depth > 0) --depth;
    else if (c == ':' && depth == 0) {
      bool digits = i > 0 && i + 1 < clause.size() && ascii::IsDigit(static_cast<unsigned char>(clause[i - 1])) &&
                    ascii::IsDigit(static_cast<unsigned char>(clause[i + 1]));
      if (!digits) return i;
    }
  }
  return std::string_view::npos;
}

// True if a lab, score, age or life-expectancy leaf is in `r`.
// True if `clause` ends naming a specimen other than blood (a lab_specimen phrase, then at most "fluid" and
// punctuation): "Normal cerebrospinal fluid", "CSF:". (Not "G-CSF": a hyphenated word is a name.)
bool EndsNamingSpecimen(const CriteriaLexicon& lex, std::string_view clause) {
  std::string lower = atoms::Lower(clause);
  while (!lower.empty() && !ascii::IsAlnum(static_cast<unsigned char>(lower.back()))) lower.pop_back();
  if (EndsWith(lower, " fluid")) lower.resize(lower.size() - 6);
  std::vector<clause::Word> words = clause::Words(lower);
  if (words.empty()) return false;
  size_t from = words[words.size() > 3 ? words.size() - 3 : 0].begin;
  for (auto hit = lex.Find(Trigger::kLabSpecimen, lower, from); hit; hit = lex.Find(Trigger::kLabSpecimen, lower, hit->end)) {
    if (hit->end == lower.size() && (hit->begin == 0 || lower[hit->begin - 1] != '-')) return true;
  }
  return false;
}

bool HasMeasurement(const Rule& r) {
  if (r.kind == RuleKind::kLab || r.kind == RuleKind::kScore || r.kind == RuleKind::kAge ||
      r.kind == RuleKind::kLifeExpectancy) {
    return true;
  }
  for (const Rule& c : r.children) {
    if (HasMeasurement(c)) return true;
  }
  return false;
}

// The first reason in `r` that says the text qualifies or conditions what is around it (an
// exception, a permission, a condition, an unclear negation ...), if any. Plain "unparsed" text and
// headings are not such reasons.
std::optional<Uncertainty> GatedReason(const Rule& r) {
  if (r.kind == RuleKind::kNotComputable) {
    switch (r.why) {
      case Uncertainty::kConditional: case Uncertainty::kExemption: case Uncertainty::kPermission:
      case Uncertainty::kPlan: case Uncertainty::kHypothetical: case Uncertainty::kSubgroup:
      case Uncertainty::kNegationScope: case Uncertainty::kAlternative: case Uncertainty::kConjunction:
        return r.why;
      default:
        return std::nullopt;
    }
  }
  for (const Rule& c : r.children) {
    if (auto g = GatedReason(c)) return g;
  }
  return std::nullopt;
}


// True if the criterion's text ends in "or" / "and/or": it is one alternative of a list that goes on
// in the next criterion ("Karnofsky 70-100% OR").
bool EndsWithOr(std::string_view text) {
  std::string t = ToLowerAscii(Trim(text));
  while (!t.empty() && (t.back() == ',' || t.back() == ';' || t.back() == ' ')) t.pop_back();
  // "... status 0-2,or": any non-letter before the "or".
  return t == "or" || (EndsWith(t, "or") && t.size() > 2 && !ascii::IsAlpha(static_cast<unsigned char>(t[t.size() - 3])));
}

// "2 of the following:", "at least three of the following:": how many items must hold, when it is more
// than one (0 when the heading does not say). Neither AND nor OR of the items says it.
int CountOfItems(std::string_view lower) {
  std::vector<clause::Word> w = clause::Words(lower);
  for (size_t i = 0; i + 2 < w.size(); ++i) {
    if (w[i + 1].text != "of" || (w[i + 2].text != "the" && w[i + 2].text != "these")) continue;
    std::string_view n = w[i].text;
    if (n == "two" || n == "2") return 2;
    if (n == "three" || n == "3") return 3;
    if (n == "four" || n == "4") return 4;
    if (n == "five" || n == "5") return 5;
  }
  return 0;
}

// A heading that ends in ':' and says how its list counts ("one of the following:", "mandatory for the
// following:", "must not have any of the following:"), unlike a section heading ("DISEASE
// CHARACTERISTICS:") or "all of the following:". When the record's layout lost its nesting, the
// items after it do not say on their own what they mean.
bool ListHeading(std::string_view text) {
  std::string t = ToLowerAscii(Trim(text));
  if (t.empty() || t.back() != ':') return false;
  if (HasWord(t, "all of the following") || HasWord(t, "each of the following")) return false;
  return HasWord(t, "one of") || HasWord(t, "1 of") || HasWord(t, "any of") || CountOfItems(t) > 0 || HasWord(t, "either") || HasWord(t, "at least") ||
         HasWord(t, "one or more") || HasWord(t, "due to") || HasWord(t, "for the following") ||
         HasWord(t, "will be considered");
}

// A heading whose list is negated or qualified as a whole ("must not have any of the following:",
// "unless:"): its items do not state requirements of their own.
bool NegatedHeading(const CriteriaLexicon& lex, std::string_view lower) {
  return lex.Has(Trigger::kNegation, lower) || HasWord(lower, "not") || HasWord(lower, "none");
}

bool AnyOfHeading(std::string_view lower) {
  return HasWord(lower, "at least one of") || HasWord(lower, "any of the following") ||
         HasWord(lower, "one of the following") || HasWord(lower, "either of the following") ||
         HasWord(lower, "any one of") || HasWord(lower, "1 of the following") || HasWord(lower, "at least 1 of");
}

// "Very low-risk (VLR) patients meeting 1 of the following criteria:": a list heading that names a kind of
// patient before "patients" (a word that is neither filler nor heading_general) sets criteria for those
// patients only.
bool ListForSomePatients(const CriteriaLexicon& lex, std::string_view lower) {
  std::vector<clause::Word> w = clause::Words(lower);
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i].text != "patients" && w[i].text != "subjects" && w[i].text != "participants") continue;
    for (size_t j = 0; j < i; ++j) {
      auto g = lex.FindAt(Trigger::kHeadingGeneral, lower, w[j].begin, w[j].end);
      if (!(g && g->end == w[j].end) && !lex.IsFiller(w[j].text)) return true;
    }
    return false;
  }
  return false;
}

// True if a head names a group of the patients rather than a topic ("First 2 enrolled subjects", "Patients
// in cohort B", "Subjects over 65"), unlike legacy section headings ("Hepatic", "Performance status").
bool NamesSomePatients(std::string_view head) {
  std::string lower = ToLowerAscii(head);
  if (lower.find_first_of("0123456789") != std::string::npos) return true;
  for (std::string_view w : {"patients", "patient", "subjects", "subject", "participants", "participant", "those",
                             "cohort", "group", "arm", "first", "enrolled", "children", "adults"}) {
    if (HasWord(lower, w)) return true;
  }
  return false;
}

// Which sexes a text names: "Women of childbearing potential" women; "men and women", "female patients and
// their partners", "both sexes" both; "patients of childbearing potential" neither.
enum class SexNamed { kNeither, kWomen, kMen, kBoth };
SexNamed SexesNamed(std::string_view lower) {
  bool women = false, men = false;
  for (const clause::Word& w : clause::Words(lower)) {
    std::string_view t = w.text;
    women |= t == "women" || t == "woman" || t == "female" || t == "females" || t == "wocbp" || t == "wcbp" ||
             t == "girls";
    men |= t == "men" || t == "man" || t == "male" || t == "males" || t == "boys" || t == "partner" ||
           t == "partners" || t == "sexes" || t == "both";
  }
  return women && men ? SexNamed::kBoth : women ? SexNamed::kWomen : men ? SexNamed::kMen : SexNamed::kNeither;
}

}  // namespace

Rule CriteriaParser::ParseCriterion(std::string_view text, CriterionKind kind, const StudyContext& study) const {
  const bool inclusion = kind == CriterionKind::kInclusion;
  std::string lower = atoms::Lower(text);
  bool childbearing = HasWord(lower, "childbearing") || HasWord(lower, "child-bearing") ||
                      HasWord(lower, "child bearing") || HasWord(lower, "reproductive potential") ||
                      HasWord(lower, "fertile ") || HasWord(lower, "fertile,");
  ClauseFlags flags{childbearing, SexesNamed(lower) == SexNamed::kWomen, false, &study};
  // "Life expectancy greater than 6 months (deleted AS PER AMENDMENT 11/25/98)": no longer a criterion.
  if (auto gone = lexicon_.Find(Trigger::kWithdrawn, lower)) {
    return Rule::NotComputable("withdrawn ('" + std::string(Trim(gone->phrase)) + "'): \"" + std::string(Trim(text)) + "\"",
                               Uncertainty::kUnparsed);
  }
  // "CD4+ cell count 50 to 300 cells/mm3 [AS PER AMENDMENT 10/31/97: 50 to 350 cells/mm3]": two versions side by side.
  if (auto amended = lexicon_.Find(Trigger::kAmended, lower)) {
    return Rule::NotComputable("amended ('" + std::string(Trim(amended->phrase)) + "': the text holds two versions): \"" +
                               std::string(Trim(text)) + "\"", Uncertainty::kUnparsed);
  }
  // "No active infection defined as: temperature above 101 F with WBC greater than 12,000/mm3 ...": the
  // measurements define what is negated, and the layout loses the negation: not typed.
  if (auto def = lexicon_.Find(Trigger::kDefinitionLead, lower); def && lexicon_.Find(Trigger::kNegation, lower, 0, def->begin)) {
    return Rule::NotComputable("negation_scope (a negated definition): \"" + std::string(Trim(text)) + "\"",
                               Uncertainty::kNegationScope);
  }
  size_t colon = ColonSplit(text);
  if (colon != std::string_view::npos && AnyOfHeading(lower.substr(0, colon))) {
    std::vector<Rule> parts;
    for (std::string_view c : Clauses(text.substr(colon + 1))) {
      // The list items are separated by '.' or ',' in run-on text: parse each comma part too.
      for (std::string_view piece : Split(c, ',')) {
        if (!Trim(piece).empty()) parts.push_back(ParseClause(piece, kind, flags));
      }
    }
    if (parts.empty()) return Rule::NotComputable("\"" + std::string(Trim(text)) + "\"", Uncertainty::kUnparsed);
    return Rule::Any(std::move(parts));
  }
  std::vector<Rule> parts;
  std::vector<std::string_view> clauses;
  for (std::string_view c : Clauses(text)) {
    std::vector<std::string_view> sections = HeadedSections(c);
    clauses.insert(clauses.end(), sections.begin(), sections.end());
  }
  // A clause that names no sex speaks of the people the clause before it named ("Women of childbearing
  // potential must ...; they must agree to use contraception. Men must ...").
  SexNamed people = SexNamed::kNeither;
  // "No patients with unstable angina; recent myocardial infarction; renal failure": a negation opening the
  // criterion may reach into the clauses after it; they are not typed.
  bool leading_negation = false;
  if (clauses.size() > 1) {
    std::vector<clause::Word> first = clause::Words(atoms::Lower(clauses[0]));
    leading_negation = !first.empty() && (first[0].text == "no" || first[0].text == "not" || first[0].text == "none" ||
                                          first[0].text == "without");
  }
  // "Normal cerebrospinal fluid Preterm: WBC no greater than 30 ... Term: WBC no greater than 25": a clause
  // that ends naming a specimen heads the "X: values" sections after it.
  bool specimen_run = false;
  for (std::string_view c : clauses) {
    bool after_specimen = specimen_run;
    specimen_run = EndsNamingSpecimen(lexicon_, c);
    if (SexNamed here = SexesNamed(atoms::Lower(c)); here != SexNamed::kNeither) people = here;
    flags.women_only = people == SexNamed::kWomen;
    size_t cc = ColonSplit(c);
    if (cc != std::string_view::npos && !Trim(c.substr(cc + 1)).empty() && !Trim(c.substr(0, cc)).empty()) {
      // "X: Y": X is a condition (or a heading) for Y.
      ClauseFlags head_flags = flags;
      head_flags.head = true;
      // "DONOR: Pregnancy", "Mother: HIV positive": a head naming another person makes the body about them.
      if (auto who = lexicon_.Find(Trigger::kOtherPerson, atoms::Lower(c.substr(0, cc)))) {
        parts.push_back(Rule::NotComputable("other_person ('" + std::string(Trim(who->phrase)) + "'): \"" +
                                                std::string(Trim(c)) + "\"",
                                            Uncertainty::kOtherPerson));
        continue;
      }
      Rule head = ParseClause(c.substr(0, cc), kind, head_flags);
      Rule body = ParseClause(c.substr(cc + 1), kind, flags);
      // "Radiotherapy: See Disease Characteristics No prior spleen radiotherapy": the topic's rule is partly
      // stated in another section (which may require what this one seems to forbid): not typed. (A permission
      // or an exception in the body still reaches the whole criterion, below.)
      if (auto ref = lexicon_.Find(Trigger::kCrossReference, atoms::Lower(c.substr(cc + 1))); ref && !GatedReason(body)) {
        parts.push_back(Rule::NotComputable("qualified (the topic refers to another section: '" + std::string(ref->phrase) +
                                                "'): \"" + std::string(Trim(c)) + "\"",
                                            Uncertainty::kQualified));
        continue;
      }
      // "Currently receiving anti-cancer therapy: chemotherapy, radiotherapy, ...": a list that only
      // names kinds of the head's concept adds nothing to it.
      bool head_concept = head.kind == RuleKind::kTherapy || head.kind == RuleKind::kCondition ||
                          head.kind == RuleKind::kProcedure;
      // A body that is an exception, a permission, a condition ... changes what the head means.
      // "Age: Over 18": neither part says anything alone; read together.
      if (head.kind == RuleKind::kNotComputable && !body.HasTypedPart() && !GatedReason(body)) {
        Rule whole = ParseClause(c, kind, flags);
        if (whole.HasTypedPart() || GatedReason(whole)) {
          parts.push_back(whole);
          continue;
        }
      }
      // (An "or" in the body is only a list of the head's kinds: "anti-cancer therapy: chemotherapy, ... or combinations".)
      if (auto gated = GatedReason(body); gated && !(head_concept && *gated == Uncertainty::kAlternative)) {
        parts.push_back(Rule::NotComputable(std::string(UncertaintyName(*gated)) + ": \"" + std::string(Trim(c)) + "\"",
                                            *gated));
        continue;
      }
      if (head_concept && !HasMeasurement(body)) {
        parts.push_back(head);
        continue;
      }
      // "First 2 enrolled subjects: age >= 18 and <= 30", "Patients with liver metastases: ALT <= 5 x ULN": an
      // untyped head that names some of the patients limits the body to them.
      if (head.kind == RuleKind::kNotComputable && body.HasTypedPart() && NamesSomePatients(c.substr(0, cc))) {
        parts.push_back(Rule::NotComputable("subgroup (\"" + std::string(Trim(c.substr(0, cc))) + "\" only): \"" +
                                            std::string(Trim(c)) + "\"", Uncertainty::kSubgroup));
        continue;
      }
      // "Normal cerebrospinal fluid Preterm: WBC no greater than 30": the head names the specimen the body's
      // values are measured in, and the analytes are blood values.
      if (HasMeasurement(body) && (after_specimen || lexicon_.Has(Trigger::kLabSpecimen, atoms::Lower(c.substr(0, cc))))) {
        specimen_run = true;
        parts.push_back(Rule::NotComputable("qualified (values in another specimen than blood): \"" +
                                            std::string(Trim(c)) + "\"", Uncertainty::kQualified));
        continue;
      }
      // "Age range: 50-80 years old": the head only names what the body types.
      if (head.kind == RuleKind::kNotComputable && head.why == Uncertainty::kUnparsed && body.kind == RuleKind::kAge &&
          StartsWith(atoms::Lower(Trim(c.substr(0, cc))), "age")) {
        parts.push_back(body);
        continue;
      }
      if (head.kind == RuleKind::kNotComputable && body.IsComputable()) {
        parts.push_back(inclusion ? Rule::All({body, head}) : Rule::All({head, body}));
      } else {
        parts.push_back(Rule::All({head, body}));
      }
      continue;
    }
    parts.push_back(ParseClause(c, kind, flags));
  }
  if (parts.empty()) return Rule::NotComputable("empty", Uncertainty::kEmpty);
  // One part per clause. A later clause without a negation of its own, typed as a requirement, may be
  // under the opening negation ("Not pregnant or breastfeeding" has its own).
  if (leading_negation && parts.size() == clauses.size()) {
    for (size_t i = 1; i < parts.size(); ++i) {
      if (lexicon_.Has(Trigger::kNegation, atoms::Lower(clauses[i])) || !parts[i].HasTypedPart() || GatedReason(parts[i])) {
        continue;
      }
      parts[i] = Rule::NotComputable("negation_scope (a negation in an earlier clause): \"" + std::string(Trim(clauses[i])) +
                                         "\"", Uncertainty::kNegationScope);
    }
  }
  // "Persistent diarrhea ... Diarrhea is defined as 3 or more unformed stools per day": a definition in
  // one clause says what a mention in the others means.
  if (parts.size() > 1) {
    for (std::string_view c : clauses) {
      std::string lc = atoms::Lower(c);
      if (HasWord(lc, "is defined as") || HasWord(lc, "are defined as") || HasWord(lc, "is defined by") ||
          HasWord(lc, "are defined by")) {
        return Rule::NotComputable("qualified (a definition in another clause): \"" + std::string(Trim(text)) + "\"",
                                   Uncertainty::kQualified);
      }
    }
  }
  // "ALT <= 3 x ULN; <= 5 x ULN in case of liver involvement", "Age >= 18. Those from susceptible areas
  // may be 13": a condition, exception, subgroup, permission or possibility in one clause can change
  // what the others mean.
  if (parts.size() > 1) {
    for (const Rule& p : parts) {
      std::optional<Uncertainty> g = GatedReason(p);
      if (g == Uncertainty::kConditional || g == Uncertainty::kExemption || g == Uncertainty::kSubgroup ||
          g == Uncertainty::kPermission || g == Uncertainty::kHypothetical) {
        return Rule::NotComputable(std::string(UncertaintyName(*g)) + " (in another clause): \"" +
                                       std::string(Trim(text)) + "\"", *g);
      }
    }
  }
  return inclusion ? Rule::All(std::move(parts)) : Rule::Any(std::move(parts));
}

namespace {

// True if a criterion's text ends in ':' (a heading or a list's lead).
bool EndsWithColon(std::string_view text) {
  std::string_view t = Trim(text);
  return !t.empty() && t.back() == ':';
}

// A numbered list that starts again at 1 with no heading before it: the record lost the heading of the
// new list ("Excluded:", "Prior Medication:"), so what its items mean (required, excluded, allowed) is
// unknown. Its items and the rest of the section are not typed.
void UntypeAfterLostHeading(std::vector<ParsedCriterion>& out) {
  for (size_t k = 1; k < out.size(); ++k) {
    const CriterionText& c = out[k].criterion;
    if (c.parent != -1 || c.label != "1" || c.kind != out[k - 1].criterion.kind) continue;
    const CriterionText& prev = out[k - 1].criterion;
    if (prev.parent == -1 && prev.label == "1") continue;
    if (EndsWithColon(prev.text)) continue;
    bool numbered_before = false;
    for (size_t j = 0; j < k; ++j) numbered_before |= out[j].criterion.kind == c.kind && out[j].criterion.label == "1";
    if (!numbered_before) continue;
    for (size_t j = k; j < out.size() && out[j].criterion.kind == c.kind; ++j) {
      if (!out[j].rule.HasTypedPart()) continue;
      out[j].rule = Rule::NotComputable("heading (a list whose heading the record lost): \"" + out[j].criterion.text + "\"",
                                        Uncertainty::kHeading);
    }
    break;
  }
}

// Items after a list heading that kept none of them as children: the layout lost the nesting, and
// each item alone would read as a requirement ("Must meet one of the following:", then "Age >= 70").
void UntypeUnnestedListItems(const CriteriaLexicon& lex, std::vector<ParsedCriterion>& out) {
  for (size_t k = 0; k < out.size(); ++k) {
    // (Among the exclusions, "any of the following" items exclude each on its own, as typed; but under
    // "Household contact with persons meeting any of the following:" they are about someone else.)
    std::string head_lower = atoms::Lower(out[k].criterion.text);
    bool about_others = EndsWithColon(head_lower) && lex.Has(Trigger::kOtherPerson, head_lower);
    bool list_heading = out[k].criterion.kind == CriterionKind::kInclusion && ListHeading(out[k].criterion.text);
    if (!about_others && !list_heading) continue;
    bool has_children = k + 1 < out.size() && out[k + 1].criterion.parent == static_cast<int>(k);
    if (has_children) continue;
    for (size_t j = k + 1; j < out.size(); ++j) {
      const CriterionText& c = out[j].criterion;
      if (c.parent != out[k].criterion.parent || c.kind != out[k].criterion.kind) break;
      if (EndsWithColon(c.text)) break;  // the next heading
      if (!out[j].rule.HasTypedPart()) continue;
      out[j].rule = about_others ? Rule::NotComputable("other_person (an item of a list under \"" + out[k].criterion.text +
                                                       "\"): \"" + c.text + "\"", Uncertainty::kOtherPerson)
                                 : Rule::NotComputable("heading (an item of a list under \"" + out[k].criterion.text +
                                                       "\"): \"" + c.text + "\"", Uncertainty::kHeading);
    }
  }
}

}  // namespace

std::vector<ParsedCriterion> CriteriaParser::Parse(std::string_view criteria, const StudyContext& study) const {
  std::vector<CriterionText> texts = SplitCriteria(criteria);
  std::vector<ParsedCriterion> out;
  out.reserve(texts.size());
  for (CriterionText& t : texts) {
    Rule r = ParseCriterion(t.text, t.kind, study);
    out.push_back({std::move(t), std::move(r)});
  }
  // Criteria written per cohort, phase, group or procedure ("Cohort I: HIV-negative volunteers ...",
  // "Phase II: no prior chemotherapy") apply to part of the trial only, and the layout rarely says which
  // part: in such a study no criterion is typed.
  std::string block = atoms::Lower(criteria);
  if (auto w = lexicon_.Find(Trigger::kStudySubgroup, block)) {
    std::string word(Trim(w->phrase));
    while (!word.empty() && word.back() == ':') word.pop_back();
    for (ParsedCriterion& pc : out) {
      if (pc.rule.HasTypedPart()) {
        pc.rule = Rule::NotComputable("subgroup (the criteria are per " + word + "): \"" + pc.criterion.text + "\"",
                                      Uncertainty::kSubgroup);
      }
    }
    return out;
  }
  // Criteria joined by a trailing "or" are alternatives: neither may be required on its own.
  for (size_t k = 0; k < out.size(); ++k) {
    if (!EndsWithOr(out[k].criterion.text)) continue;
    for (size_t j : {k, k + 1}) {
      if (j >= out.size() || out[j].criterion.parent != out[k].criterion.parent) continue;
      out[j].rule = Rule::NotComputable("alternative (a list joined by 'or'): \"" + out[j].criterion.text + "\"",
                                        Uncertainty::kAlternative);
    }
  }
  UntypeAfterLostHeading(out);
  // Legacy sections put a measurement's name and its value in two items ("Age:", then "18 and over";
  // "Life expectancy:", then "At least 12 weeks"): the value is read with its name.
  for (size_t k = 0; k + 1 < out.size(); ++k) {
    std::string head = ToLowerAscii(Trim(out[k].criterion.text));
    if (head != "age:" && head != "ages:" && head != "age range:" && head != "life expectancy:" && head != "performance status:") continue;
    ParsedCriterion& item = out[k + 1];
    if (item.rule.HasTypedPart() || item.criterion.kind != out[k].criterion.kind) continue;
    bool below = item.criterion.parent == static_cast<int>(k) || item.criterion.parent == out[k].criterion.parent;
    if (!below) continue;
    Rule joined = ParseCriterion(out[k].criterion.text + " " + item.criterion.text, item.criterion.kind, study);
    if (joined.kind == RuleKind::kAge || joined.kind == RuleKind::kLifeExpectancy || joined.kind == RuleKind::kScore) {
      item.rule = std::move(joined);
    }
  }
  UntypeUnnestedListItems(lexicon_, out);
  UntypeUnderScopingHeadings(lexicon_, out);
  UntypeBesideExceptions(out);
  UntypeBesideAlternatives(out);
  UntypeSubgroupAges(study, out);
  // Fold children into parents, deepest first.
  for (size_t k = out.size(); k-- > 0;) {
    std::vector<Rule> kids;
    for (size_t j = k + 1; j < out.size(); ++j) {
      if (out[j].criterion.parent == static_cast<int>(k)) kids.push_back(out[j].rule);
    }
    if (kids.empty()) continue;
    ParsedCriterion& p = out[k];
    std::string lower = atoms::Lower(p.criterion.text);
    bool inclusion = p.criterion.kind == CriterionKind::kInclusion;
    if (HasWord(lower, "if ") || StartsWith(lower, "if ") || HasWord(lower, "unless")) {
      p.rule = Rule::NotComputable("conditional list: \"" + p.criterion.text + "\"", Uncertainty::kConditional);
      continue;
    }
    // "Must not have any of the following:" among the inclusions: the items are exclusions the parser
    // would have to turn around; they are not typed.
    if (inclusion && NegatedHeading(lexicon_, lower)) {
      p.rule = Rule::NotComputable("negation_scope (a negated list): \"" + p.criterion.text + "\"", Uncertainty::kNegationScope);
      continue;
    }
    if (inclusion && CountOfItems(lower) > 0) {
      p.rule = Rule::NotComputable("alternative (a count of the items): \"" + p.criterion.text + "\"", Uncertainty::kAlternative);
      continue;
    }
    if (inclusion && EndsWithColon(lower) && ListForSomePatients(lexicon_, lower)) {
      p.rule = Rule::NotComputable("subgroup (a list for some patients): \"" + p.criterion.text + "\"", Uncertainty::kSubgroup);
      continue;
    }
    Rule children = AnyOfHeading(lower) || !inclusion ? Rule::Any(std::move(kids)) : Rule::All(std::move(kids));
    // A heading that ends in ':' and says nothing typed is defined by its list.
    // A heading that is itself qualified ("Prior therapy allowed:", "unless ...") keeps its list untyped.
    if (GatedReason(p.rule)) continue;
    bool heading_only = p.rule.kind == RuleKind::kNotComputable;
    p.rule = heading_only ? children : Rule::All({p.rule, children});
  }
  for (ParsedCriterion& pc : out) pc.rule = gate_.Apply(std::move(pc.rule), pc.criterion.kind, concepts_);
  return out;
}

}  // namespace ts
