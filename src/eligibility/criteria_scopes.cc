#include "eligibility/criteria_scopes.h"

#include <string>

#include "common/ascii.h"
#include "common/strings.h"
#include "eligibility/atoms.h"

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

enum class HeadingEffect { kNone, kAll, kMentions, kOtherSection };

HeadingEffect EffectOf(const CriteriaLexicon& lex, const CriterionText& h) {
  std::string lower = ToLowerAscii(h.text);
  if (lex.Has(Trigger::kHeadingScope, lower)) return HeadingEffect::kAll;
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
  return false;
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
    for (size_t j : scope) {
      ParsedCriterion& pc = out[j];
      if (!pc.rule.HasTypedPart()) continue;
      if (effect == HeadingEffect::kMentions && !HasMention(pc.rule)) continue;
      Untype(pc, "heading (an item under \"" + out[k].criterion.text + "\")", Uncertainty::kHeading);
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
    if (unless) {
      if (out[j - 1].criterion.kind == c.kind && out[j - 1].criterion.parent == c.parent) targets.push_back(j - 1);
    } else if (h < j && TopicHeading(out[h].criterion.text)) {
      for (size_t i = h + 1; i < out.size(); ++i) {
        const CriterionText& x = out[i].criterion;
        if (x.kind != c.kind || x.parent != c.parent || IsHeading(out[i])) break;
        if (i != j) targets.push_back(i);
      }
    }
    for (size_t i : targets) {
      if (!out[i].rule.HasTypedPart()) continue;
      Untype(out[i], "exemption (in another item: \"" + c.text + "\")", Uncertainty::kExemption);
    }
  }
}

}  // namespace ts
