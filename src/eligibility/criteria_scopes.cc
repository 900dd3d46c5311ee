#include "eligibility/criteria_scopes.h"

#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "common/ascii.h"
#include "common/strings.h"
#include "eligibility/atoms.h"
#include "eligibility/clause_scan.h"
#include "eligibility/units.h"

namespace ts {

namespace {

bool IsHeading(const ParsedCriterion& pc) {
  std::string_view t = Trim(pc.criterion.text);
  return !t.empty() && t.back() == ':' && !pc.rule.HasTypedPart();
}

bool HasKind(const Rule& r, RuleKind kind) {
  if (r.kind == kind) return true;
  for (const Rule& c : r.children) {
    if (HasKind(c, kind)) return true;
  }
  return false;
}

bool HasMention(const Rule& r) {
  return HasKind(r, RuleKind::kCondition) || HasKind(r, RuleKind::kTherapy) || HasKind(r, RuleKind::kProcedure);
}

// Gives every lab leaf without a window of its own the heading's ("laboratory values within 30 days prior to
// study entry:"), so an older value does not count. Only a window up to the default 90 days: a shorter one can
// only turn a verdict into a question (the latest value in the window is the latest value).
void SetLabWindows(Rule& r, const Duration& window) {
  if (window.Days() <= 0 || window.Days() > 90) return;
  if (r.kind == RuleKind::kLab && !r.window) r.window = window;
  for (Rule& c : r.children) SetLabWindows(c, window);
}

// The indexes of the items a heading at `k` governs: its nested items, else the siblings after it up to
// the next heading.
std::vector<size_t> ScopeOf(const std::vector<ParsedCriterion>& out, size_t k) {
  std::vector<size_t> scope;
  const CriterionText& h = out[k].criterion;
  for (size_t j = k + 1; j < out.size(); ++j) {
    const CriterionText& c = out[j].criterion;
    if (c.kind != h.kind) break;
    for (int p = c.parent; p != -1; p = out[static_cast<size_t>(p)].criterion.parent) {
      if (p == static_cast<int>(k)) {
        scope.push_back(j);
        break;
      }
    }
  }
  if (!scope.empty()) return scope;
  for (size_t j = k + 1; j < out.size(); ++j) {
    const CriterionText& c = out[j].criterion;
    if (c.kind != h.kind || c.depth < h.depth) break;
    if (c.parent == h.parent && IsHeading(out[j])) break;
    scope.push_back(j);
  }
  return scope;
}

size_t WordCount(std::string_view s) {
  size_t n = 0;
  bool in = false;
  for (char c : s) {
    bool letter = ascii::IsAlnum(static_cast<unsigned char>(c)) != 0;
    if (letter && !in) ++n;
    in = letter;
  }
  return n;
}

enum class HeadingEffect { kNone, kAll, kMentions, kOtherSection };

// "EXCLUSION CRITERIA FOR GADOLINIUM ENHANCED STUDIES:", "Inclusion criteria for the PET sub-study:": criteria
// for something named after "criteria for" that is not the whole study (every word there is a
// heading_general one: "Criteria for all participants:", "Inclusion criteria for this study:").
bool CriteriaForPart(const CriteriaLexicon& lex, std::string_view lower) {
  size_t p = lower.find("criteria for ");
  if (p == std::string_view::npos) return false;
  // Only a heading that opens with it ("Inclusion criteria for ...", "Specific exclusion criteria for ..."),
  // not a sentence that mentions criteria ("The major eligibility criteria for enrollment into X included").
  std::vector<clause::Word> lead = clause::Words(lower.substr(0, p));
  if (lead.size() > 2) return false;
  for (const clause::Word& w : lead) {
    if (w.text != "inclusion" && w.text != "exclusion" && w.text != "eligibility" && w.text != "specific" &&
        w.text != "additional" && w.text != "entry") {
      return false;
    }
  }
  size_t end = lower.find(':', p);
  std::string_view what = lower.substr(p + 13, end == std::string_view::npos ? std::string_view::npos : end - p - 13);
  for (const clause::Word& w : clause::Words(what)) {
    auto g = lex.FindAt(Trigger::kHeadingGeneral, what, w.begin, w.end);
    if (!(g && g->end == w.end) && !lex.IsFiller(w.text)) return true;
  }
  return false;
}

// "Under 65 years:", "Age 65-70 years:": a heading that names an age limits the items under it to
// those patients.
bool AgeHeading(std::string_view text) {
  if (WordCount(text) > 6) return false;
  if (!atoms::ExtractAge(text).empty()) return true;
  // "Under 65 years:": a number of years.
  std::string lower = ToLowerAscii(text);
  std::vector<clause::Word> w = clause::Words(lower);
  for (size_t i = 0; i + 1 < w.size(); ++i) {
    bool number = !w[i].text.empty() && ascii::IsDigit(static_cast<unsigned char>(w[i].text[0]));
    if (number && (w[i + 1].text == "years" || w[i + 1].text == "year" || w[i + 1].text == "yrs")) return true;
  }
  return false;
}

// "DIABETIC SUBJECTS:", "VITAMIN C-DEFICIENT CLINICAL RESEARCH VOLUNTEERS:": a heading that ends in a word for
// people after a word naming which of them (not "ALL SUBJECTS:", "Eligible patients:") heads one group's items.
bool GroupHeading(const CriteriaLexicon& lex, std::string_view lower) {
  std::string_view t = Trim(lower);
  if (t.empty() || t.back() != ':') return false;
  std::vector<clause::Word> w = clause::Words(t.substr(0, t.size() - 1));
  if (w.size() < 2 || w.size() > 8) return false;
  std::string_view last = w.back().text;
  if (last != "patients" && last != "subjects" && last != "participants" && last != "volunteers" && last != "controls") {
    return false;
  }
  for (size_t j = 0; j + 1 < w.size(); ++j) {
    auto g = lex.FindAt(Trigger::kHeadingGeneral, t, w[j].begin, w[j].end);
    if (!(g && g->end == w[j].end) && !lex.IsFiller(w[j].text)) return true;
  }
  return false;
}

// "FOR TREATMENT PILOT:", "For patients randomized to IDV:", "For men:": a short heading opened by "for" that
// names something other than the whole study ("For all subjects:", "For inclusion, the subject must:" do not).
bool ForHeading(const CriteriaLexicon& lex, std::string_view lower) {
  std::string_view t = Trim(lower);
  if (!StartsWith(t, "for ") || t.back() != ':') return false;
  std::vector<clause::Word> w = clause::Words(t.substr(4, t.size() - 5));
  if (w.empty() || w.size() > 10) return false;
  std::string_view rest = t.substr(4, t.size() - 5);
  for (const clause::Word& x : w) {
    auto g = lex.FindAt(Trigger::kHeadingGeneral, rest, x.begin, x.end);
    if (!(g && g->end == x.end) && !lex.IsFiller(x.text) && x.text != "must") return true;
  }
  return false;
}

HeadingEffect EffectOf(const CriteriaLexicon& lex, const CriterionText& h) {
  std::string lower = ToLowerAscii(h.text);
  if (lex.Has(Trigger::kHeadingScope, lower)) return HeadingEffect::kAll;
  if (CriteriaForPart(lex, lower) || AgeHeading(h.text) || GroupHeading(lex, lower) || ForHeading(lex, lower)) {
    return HeadingEffect::kAll;
  }
  // "PATIENTS WITH ACTH-INDEPENDENT CUSHING'S SYNDROME:": the items are for those patients (not "Patients
  // with any of the following:" or "Patients with adequate
  // haematological function, defined as:", which list what is required of everyone).
  for (std::string_view who : {"patients with ", "subjects with ", "participants with "}) {
    if (h.kind == CriterionKind::kInclusion && StartsWith(lower, who) && lower.find("following") == std::string::npos &&
        lower.find("defined") == std::string::npos) {
      return HeadingEffect::kAll;
    }
  }
  if (h.kind == CriterionKind::kInclusion && lex.Has(Trigger::kHeadingNegation, lower)) {
    // "EXCLUSION CRITERIA - X:" files a list; "None of the following:" negates one.
    return atoms::HasWord(lower, "exclusion") ? HeadingEffect::kOtherSection : HeadingEffect::kAll;
  }
  // ("A subject will not be eligible for inclusion if:" only restates the exclusions.)
  if (h.kind == CriterionKind::kExclusion && lex.Has(Trigger::kHeadingInclusions, lower) &&
      !lex.Has(Trigger::kHeadingNegation, lower)) {
    return HeadingEffect::kOtherSection;
  }
  if (lex.Has(Trigger::kHeadingTime, lower)) return HeadingEffect::kMentions;
  return HeadingEffect::kNone;
}

void Untype(ParsedCriterion& pc, const std::string& why, Uncertainty reason) {
  pc.rule = Rule::NotComputable(why + ": \"" + pc.criterion.text + "\"", reason);
}

bool StartsAnException(std::string_view text) {
  std::string lower = ToLowerAscii(Trim(text));
  for (std::string_view w : {"unless ", "except ", "excluding ", "with the exception"}) {
    if (StartsWith(lower, w)) return true;
  }
  // "Greater than 3 times normal if increase in bilirubin is due to biliary obstruction": a threshold with no
  // subject of its own, on a condition, continues the item before it.
  for (std::string_view w : {"greater than ", "less than ", "more than ", "higher than ", "lower than ", "up to ",
                             "no greater than ", "no more than ", "<", ">", "\u2264", "\u2265"}) {
    if (StartsWith(lower, w)) {
      return atoms::HasWord(lower, "if") || atoms::HasWord(lower, "when") || atoms::HasWord(lower, "for patients") ||
             atoms::HasWord(lower, "in patients") || atoms::HasWord(lower, "allowed") || atoms::HasWord(lower, "permitted");
    }
  }
  return false;
}

// An untyped item that holds a permission ("Lymphoma-related renal dysfunction allowed").
bool OnlyAPermission(const Rule& r) {
  if (r.HasTypedPart()) return false;
  if (r.kind == RuleKind::kNotComputable) return r.why == Uncertainty::kPermission;
  for (const Rule& c : r.children) {
    if (OnlyAPermission(c)) return true;
  }
  return false;
}

// A legacy topic heading ("Renal:", "Hepatic:", "Performance status:"): short, not a section's
// capitalised heading ("PATIENT CHARACTERISTICS:"), and not the catch-all "Other:".
bool TopicHeading(std::string_view text) {
  std::string lower = ToLowerAscii(Trim(text));
  if (lower == "other:" || lower == "others:") return false;
  bool has_lower = false;
  for (char c : text) has_lower |= std::islower(static_cast<unsigned char>(c)) != 0;
  return has_lower && WordCount(lower) <= 3;
}

}  // namespace

void UntypeUnderScopingHeadings(const CriteriaLexicon& lex, std::vector<ParsedCriterion>& out) {
  for (size_t k = 0; k < out.size(); ++k) {
    if (!IsHeading(out[k])) continue;
    HeadingEffect effect = EffectOf(lex, out[k].criterion);
    if (effect == HeadingEffect::kNone) continue;
    std::vector<size_t> scope = ScopeOf(out, k);
    if (effect == HeadingEffect::kOtherSection) {
      // Filed under the other section's heading: the items stay there until a heading names this
      // section again ("INCLUSION CRITERIA - HEALTHY CONTROLS:").
      const bool in_inclusions = out[k].criterion.kind == CriterionKind::kInclusion;
      scope.clear();
      for (size_t j = k + 1; j < out.size() && out[j].criterion.kind == out[k].criterion.kind; ++j) {
        std::string lower = ToLowerAscii(out[j].criterion.text);
        bool back = lex.Has(in_inclusions ? Trigger::kHeadingInclusions : Trigger::kHeadingNegation, lower);
        if (IsHeading(out[j]) && back) break;
        scope.push_back(j);
      }
    }
    std::optional<atoms::DurationAt> window;
    if (effect == HeadingEffect::kMentions) {
      std::string lower = ToLowerAscii(out[k].criterion.text);
      window = atoms::FindWindow(lower, 0, lower.size());
    }
    for (size_t j : scope) {
      ParsedCriterion& pc = out[j];
      if (!pc.rule.HasTypedPart()) continue;
      if (effect == HeadingEffect::kMentions && !HasMention(pc.rule)) {
        if (window) SetLabWindows(pc.rule, window->duration);
        continue;
      }
      Untype(pc, "heading (an item under \"" + out[k].criterion.text + "\")", Uncertainty::kHeading);
    }
  }
}

void UntypeBesideAlternatives(std::vector<ParsedCriterion>& out) {
  for (size_t j = 1; j < out.size(); ++j) {
    const CriterionText& c = out[j].criterion;
    std::string lower = ToLowerAscii(Trim(c.text));
    if (lower == "or" || lower == "or:" || lower == "- or -" || lower == "-or-" || lower == "(or)") {
      // A bare "Or:" between items: the items before it and those after it are alternatives as groups.
      for (size_t k = 0; k < out.size(); ++k) {
        const CriterionText& x = out[k].criterion;
        if (k == j || x.kind != c.kind || x.parent != c.parent || !out[k].rule.HasTypedPart()) continue;
        Untype(out[k], "alternative (a list split by \"" + std::string(Trim(c.text)) + "\")", Uncertainty::kAlternative);
      }
      continue;
    }
    if (!(StartsWith(lower, "or ") || StartsWith(lower, "or:") || StartsWith(lower, "or,"))) continue;
    const CriterionText& before = out[j - 1].criterion;
    if (before.kind != c.kind || before.parent != c.parent) continue;
    for (size_t k : {j - 1, j}) {
      if (out[k].rule.HasTypedPart()) Untype(out[k], "alternative (an item beside \"" + c.text + "\")", Uncertainty::kAlternative);
    }
  }
}

void UntypeBesideExceptions(std::vector<ParsedCriterion>& out) {
  for (size_t j = 1; j < out.size(); ++j) {
    const CriterionText& c = out[j].criterion;
    const bool unless = StartsAnException(c.text) && !out[j].rule.HasTypedPart();
    if (!unless && !OnlyAPermission(out[j].rule)) continue;
    // The topic heading the item sits under, if it is a short one.
    size_t h = j;
    while (h-- > 0) {
      const CriterionText& x = out[h].criterion;
      if (x.kind != c.kind || x.parent != c.parent) {
        h = j;
        break;
      }
      if (IsHeading(out[h])) break;
    }
    std::vector<size_t> targets;
    const bool sibling_before = out[j - 1].criterion.kind == c.kind && out[j - 1].criterion.parent == c.parent;
    if (unless) {
      if (sibling_before) targets.push_back(j - 1);
    } else if (h < j && TopicHeading(out[h].criterion.text)) {
      for (size_t i = h + 1; i < out.size(); ++i) {
        const CriterionText& x = out[i].criterion;
        if (x.kind != c.kind || x.parent != c.parent || IsHeading(out[i])) break;
        if (i != j) targets.push_back(i);
      }
    } else if (sibling_before && out[j].rule.kind == RuleKind::kNotComputable && out[j].rule.why == Uncertainty::kPermission &&
               WordCount(out[j - 1].criterion.text) <= 30 && HasMention(out[j - 1].rule)) {
      // "No active inflammatory bowel disease", then "Quiescent disease allowed, including: ... Crohn's disease":
      // a permission (the whole item) right after a short item that names a condition or a treatment may be
      // about it.
      targets.push_back(j - 1);
    }
    for (size_t i : targets) {
      if (!out[i].rule.HasTypedPart()) continue;
      Untype(out[i], "exemption (in another item: \"" + c.text + "\")", Uncertainty::kExemption);
    }
  }
}

namespace {

// The ages an age leaf accepts, in years.
struct AgeSpan {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false, hi_open = false;
};

AgeSpan SpanOf(const Rule& r) {
  AgeSpan a;
  switch (r.cmp) {
    case Comparator::kGe: a.lo = r.value; break;
    case Comparator::kGt: a.lo = r.value; a.lo_open = true; break;
    case Comparator::kLe: a.hi = r.value; break;
    case Comparator::kLt: a.hi = r.value; a.hi_open = true; break;
    case Comparator::kEq: a.lo = a.hi = r.value; break;
    case Comparator::kRange: a.lo = r.value; a.hi = r.value_high; break;
  }
  return a;
}

bool Disjoint(const AgeSpan& a, const AgeSpan& b) {
  auto before = [](const AgeSpan& x, const AgeSpan& y) { return x.hi < y.lo || (x.hi == y.lo && (x.hi_open || y.lo_open)); };
  return before(a, b) || before(b, a);
}

// A month or so absorbs the registry's units ("6 Months") against the text's.
constexpr double kAgeSlack = 0.05;

bool StricterThanRegistry(const AgeSpan& a, const StudyContext& study) {
  return (study.registry_min_age_years && std::isfinite(a.lo) && a.lo > *study.registry_min_age_years + kAgeSlack) ||
         (study.registry_max_age_years && std::isfinite(a.hi) && a.hi < *study.registry_max_age_years - kAgeSlack);
}

Rule SubgroupAge(const Rule& age, const std::string& why) {
  std::string shown = "age " + std::string(ComparatorSymbol(age.cmp)) + " " + FormatNumber(age.value);
  if (age.cmp == Comparator::kRange) shown = "age " + FormatNumber(age.value) + ".." + FormatNumber(age.value_high);
  return Rule::NotComputable("subgroup (" + why + "): \"" + shown + " a\"", Uncertainty::kSubgroup);
}

// Inclusion age leaves outside any NOT that are stricter than the registry's range.
void UntypeStricterAges(Rule& r, const StudyContext& study) {
  if (r.kind == RuleKind::kAge) {
    if (StricterThanRegistry(SpanOf(r), study)) r = SubgroupAge(r, "an age limit narrower than the registry's");
    return;
  }
  if (r.kind != RuleKind::kAnd && r.kind != RuleKind::kOr) return;
  for (Rule& c : r.children) UntypeStricterAges(c, study);
}

// The age leaves an AND requires (through nested ANDs).
void RequiredAges(Rule& r, std::vector<Rule*>& out) {
  if (r.kind == RuleKind::kAge) out.push_back(&r);
  if (r.kind != RuleKind::kAnd) return;
  for (Rule& c : r.children) RequiredAges(c, out);
}

// An AND whose age limits no age meets is a list of per-age requirements ("under 6: weight >= 7 kg;
// 6 and over: weight >= 10 kg"): none of its parts holds for every patient, so the whole AND is untyped.
void UntypeContradictoryAges(Rule& r, const std::string& text) {
  if (r.kind == RuleKind::kAnd) {
    std::vector<Rule*> ages;
    RequiredAges(r, ages);
    for (size_t i = 0; i < ages.size(); ++i) {
      for (size_t j = i + 1; j < ages.size(); ++j) {
        if (!Disjoint(SpanOf(*ages[i]), SpanOf(*ages[j]))) continue;
        r = Rule::NotComputable("subgroup (age limits no age meets together: each is for some patients): \"" + text + "\"",
                                Uncertainty::kSubgroup);
        return;
      }
    }
  }
  for (Rule& c : r.children) UntypeContradictoryAges(c, text);
}

}  // namespace

void UntypeSubgroupAges(const StudyContext& study, std::vector<ParsedCriterion>& out) {
  for (ParsedCriterion& pc : out) {
    if (!pc.rule.HasTypedPart()) continue;
    UntypeContradictoryAges(pc.rule, pc.criterion.text);
    if (pc.criterion.kind == CriterionKind::kInclusion) UntypeStricterAges(pc.rule, study);
  }
}

}  // namespace ts
