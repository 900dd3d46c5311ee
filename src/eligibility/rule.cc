#include "eligibility/rule.h"

#include <algorithm>

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

std::string_view RuleKindName(RuleKind kind) {
  switch (kind) {
    case RuleKind::kAge: return "age";
    case RuleKind::kSex: return "sex";
    case RuleKind::kPregnant: return "pregnancy";
    case RuleKind::kBreastfeeding: return "breastfeeding";
    case RuleKind::kContraception: return "contraception";
    case RuleKind::kLab: return "lab";
    case RuleKind::kScore: return "score";
    case RuleKind::kLifeExpectancy: return "life_expectancy";
    case RuleKind::kCondition: return "condition";
    case RuleKind::kTherapy: return "therapy";
    case RuleKind::kProcedure: return "procedure";
    case RuleKind::kAllergy: return "allergy";
    case RuleKind::kTrialParticipation: return "trial_participation";
    case RuleKind::kAnd: return "and";
    case RuleKind::kOr: return "or";
    case RuleKind::kNot: return "not";
    case RuleKind::kNotComputable: return "not_computable";
  }
  return "?";
}

std::string_view UncertaintyName(Uncertainty u) {
  switch (u) {
    case Uncertainty::kConsent: return "consent";
    case Uncertainty::kJudgement: return "judgement";
    case Uncertainty::kCompliance: return "compliance";
    case Uncertainty::kWillingness: return "willingness";
    case Uncertainty::kUnparsed: return "unparsed";
    case Uncertainty::kEmpty: return "empty";
    case Uncertainty::kHeading: return "heading";
    case Uncertainty::kConditional: return "conditional";
    case Uncertainty::kExemption: return "exemption";
    case Uncertainty::kPermission: return "permission";
    case Uncertainty::kPlan: return "plan";
    case Uncertainty::kHypothetical: return "hypothetical";
    case Uncertainty::kSubgroup: return "subgroup";
    case Uncertainty::kNegationScope: return "negation_scope";
    case Uncertainty::kQualified: return "qualified";
    case Uncertainty::kOtherRelative: return "other_relative";
    case Uncertainty::kOtherPerson: return "other_person";
    case Uncertainty::kTimeUnclear: return "time_unclear";
    case Uncertainty::kAlternative: return "alternative";
    case Uncertainty::kConjunction: return "conjunction";
    case Uncertainty::kUnit: return "unit";
    case Uncertainty::kRecord: return "record";
    case Uncertainty::kFormGated: return "form_gated";
  }
  return "?";
}

bool StudyTeamDecides(Uncertainty u) {
  return u == Uncertainty::kConsent || u == Uncertainty::kJudgement || u == Uncertainty::kCompliance ||
         u == Uncertainty::kWillingness;
}

std::string_view ComparatorSymbol(Comparator c) {
  switch (c) {
    case Comparator::kLt: return "<";
    case Comparator::kLe: return "<=";
    case Comparator::kGt: return ">";
    case Comparator::kGe: return ">=";
    case Comparator::kEq: return "=";
    case Comparator::kRange: return "..";
  }
  return "?";
}

Rule Rule::Age(Comparator cmp, double years, double high_years) {
  Rule r;
  r.kind = RuleKind::kAge;
  r.cmp = cmp;
  r.value = years;
  r.value_high = high_years;
  r.unit = "a";
  return r;
}

Rule Rule::Lab(std::string analyte, Comparator cmp, double value, std::string unit) {
  Rule r;
  r.kind = RuleKind::kLab;
  r.concept_id = std::move(analyte);
  r.cmp = cmp;
  r.value = value;
  r.unit = std::move(unit);
  return r;
}

Rule Rule::LabMultiple(std::string analyte, Comparator cmp, double multiple, LimitBase base) {
  Rule r = Lab(std::move(analyte), cmp, multiple, "");
  r.base = base;
  return r;
}

Rule Rule::Score(std::string score, Comparator cmp, double value, double high) {
  Rule r;
  r.kind = RuleKind::kScore;
  r.concept_id = std::move(score);
  r.cmp = cmp;
  r.value = value;
  r.value_high = high;
  return r;
}

Rule Rule::Concept(RuleKind kind, std::string id, TimeScope scope, std::optional<Duration> window) {
  Rule r;
  r.kind = kind;
  r.concept_id = std::move(id);
  r.scope = scope;
  r.window = std::move(window);
  return r;
}

Rule Rule::Simple(RuleKind kind) {
  Rule r;
  r.kind = kind;
  return r;
}

Rule Rule::NotComputable(std::string reason, Uncertainty why) {
  Rule r;
  r.kind = RuleKind::kNotComputable;
  r.text = std::move(reason);
  r.why = why;
  return r;
}

Rule Rule::Not(Rule inner) {
  Rule r;
  r.kind = RuleKind::kNot;
  r.children.push_back(std::move(inner));
  return r;
}

namespace {
Rule Combine(RuleKind kind, std::vector<Rule> parts) {
  if (parts.size() == 1) return std::move(parts[0]);
  Rule r;
  r.kind = kind;
  for (Rule& p : parts) {
    // Flatten (A AND (B AND C)) into (A AND B AND C).
    std::vector<Rule> items;
    if (p.kind == kind) {
      items = std::move(p.children);
    } else {
      items.push_back(std::move(p));
    }
    for (Rule& c : items) {
      // The same fact twice ("... contraception ...; ... contraception ...") is stated once.
      if (std::find(r.children.begin(), r.children.end(), c) == r.children.end()) r.children.push_back(std::move(c));
    }
  }
  if (r.children.size() == 1) return std::move(r.children[0]);
  return r;
}
}  // namespace

Rule Rule::All(std::vector<Rule> parts) { return Combine(RuleKind::kAnd, std::move(parts)); }
Rule Rule::Any(std::vector<Rule> parts) { return Combine(RuleKind::kOr, std::move(parts)); }

bool Rule::IsComputable() const {
  if (kind == RuleKind::kNotComputable) return false;
  for (const Rule& c : children) {
    if (!c.IsComputable()) return false;
  }
  return true;
}

bool Rule::HasTypedPart() const {
  if (children.empty()) return kind != RuleKind::kNotComputable;
  for (const Rule& c : children) {
    if (c.HasTypedPart()) return true;
  }
  return false;
}

namespace {

std::string ConceptName(const ConceptTable& concepts, const std::string& id, bool with_code) {
  const ts::Concept* c = concepts.Find(id);
  if (c == nullptr) return id;
  std::string out = c->label;
  std::string code = c->PrimaryCode();
  if (with_code && !code.empty()) out += " [" + code + "]";
  return out;
}

std::string Comparison(const Rule& r, const std::string& unit) {
  std::string suffix = unit.empty() ? "" : " " + unit;
  if (r.cmp == Comparator::kRange) return FormatNumber(r.value) + ".." + FormatNumber(r.value_high) + suffix;
  return std::string(ComparatorSymbol(r.cmp)) + " " + FormatNumber(r.value) + suffix;
}

std::string Scope(const Rule& r) {
  std::string s;
  switch (r.scope) {
    case TimeScope::kEver: s = "ever"; break;
    case TimeScope::kCurrent: s = "current"; break;
    case TimeScope::kWithin: s = "within " + (r.window ? r.window->ToString() : std::string("?")); break;
  }
  if (r.min_duration) s += ", for > " + r.min_duration->ToString();
  return " (" + s + ")";
}

}  // namespace

std::string Rule::ToString(const ConceptTable& concepts) const {
  auto child = [&](const Rule& c) {
    std::string s = c.ToString(concepts);
    return (c.kind == RuleKind::kAnd || c.kind == RuleKind::kOr) ? "(" + s + ")" : s;
  };
  switch (kind) {
    case RuleKind::kAge: return "age " + Comparison(*this, "a");
    case RuleKind::kSex: return "sex = " + text;
    case RuleKind::kPregnant: return "pregnant";
    case RuleKind::kBreastfeeding: return "breastfeeding";
    case RuleKind::kContraception:
      return std::string("uses effective contraception") + (childbearing_only ? " (if of childbearing potential)" : "") +
             (fertile_only ? " (if fertile)" : "");
    case RuleKind::kLab: {
      std::string s = ConceptName(concepts, concept_id, true) + " ";
      if (base == LimitBase::kAbsolute) s += Comparison(*this, unit);
      else s += std::string(ComparatorSymbol(cmp)) + " " + FormatNumber(value) + (base == LimitBase::kUln ? " x ULN" : " x LLN");
      if (window) s += " (within " + window->ToString() + ")";
      return s;
    }
    case RuleKind::kScore: return ConceptName(concepts, concept_id, true) + " " + Comparison(*this, "");
    case RuleKind::kLifeExpectancy: return "life expectancy " + Comparison(*this, unit);
    case RuleKind::kCondition: return "condition: " + ConceptName(concepts, concept_id, false) + Scope(*this);
    case RuleKind::kTherapy: return "therapy: " + ConceptName(concepts, concept_id, false) + Scope(*this);
    case RuleKind::kProcedure: return "procedure: " + ConceptName(concepts, concept_id, false) + Scope(*this);
    case RuleKind::kAllergy: return "allergy: " + ConceptName(concepts, concept_id, false);
    case RuleKind::kTrialParticipation: return "other clinical trial" + Scope(*this);
    case RuleKind::kAnd:
    case RuleKind::kOr: {
      std::string s;
      for (const Rule& c : children) {
        if (!s.empty()) s += kind == RuleKind::kAnd ? " AND " : " OR ";
        s += child(c);
      }
      return s;
    }
    case RuleKind::kNot: return children.empty() ? "NOT ?" : "NOT " + child(children[0]);
    case RuleKind::kNotComputable: return "not computable: " + text;
  }
  return "?";
}

}  // namespace ts
