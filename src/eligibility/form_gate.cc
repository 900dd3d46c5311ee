#include "eligibility/form_gate.h"

#include <algorithm>

#include "common/strings.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

extern const std::string_view kEligibilityFormGate;

std::string_view PolarityName(Polarity p) { return p == Polarity::kRequired ? "required" : "excluding"; }

namespace {

constexpr RuleKind kLeafKinds[] = {
    RuleKind::kAge,       RuleKind::kSex,       RuleKind::kPregnant,  RuleKind::kBreastfeeding,
    RuleKind::kContraception, RuleKind::kLab,   RuleKind::kScore,     RuleKind::kLifeExpectancy,
    RuleKind::kCondition, RuleKind::kTherapy,   RuleKind::kProcedure, RuleKind::kAllergy,
    RuleKind::kTrialParticipation,
};

// The table names pregnancy "pregnancy" as RuleKindName does; every leaf kind by its RuleKindName.
bool LeafKindByName(std::string_view name, RuleKind* out) {
  for (RuleKind k : kLeafKinds) {
    if (RuleKindName(k) == name) {
      *out = k;
      return true;
    }
  }
  return false;
}

// A review count: a whole number from 0 to 1,000,000.
bool ParseCount(std::string_view s, int* out) {
  int64_t v = 0;
  if (!ParseInt64(s, &v) || v < 0 || v > 1000000) return false;
  *out = static_cast<int>(v);
  return true;
}

}  // namespace

bool FormGate::DecisionFor(int right, int wrong) {
  int n = right + wrong;
  return n >= kMinReviewed && wrong <= kMaxWrongShare * n;
}

Result<FormGate> FormGate::Parse(std::string_view tsv, std::string_view source) {
  FormGate gate;
  int line_no = 0;
  for (std::string_view line : Split(tsv, '\n')) {
    ++line_no;
    if (Trim(line).empty() || line[0] == '#') continue;
    std::string where = std::string(source) + ":" + std::to_string(line_no) + ": ";
    std::vector<std::string_view> f = Split(line, '\t');
    if (f.size() != 6) return Status::InvalidArgument(where + "expected 6 tab-separated fields, got " + std::to_string(f.size()));
    FormReview r;
    if (f[0] == "inclusion") r.form.section = CriterionKind::kInclusion;
    else if (f[0] == "exclusion") r.form.section = CriterionKind::kExclusion;
    else return Status::InvalidArgument(where + "unknown section '" + std::string(f[0]) + "'");
    if (!LeafKindByName(f[1], &r.form.kind)) return Status::InvalidArgument(where + "unknown leaf kind '" + std::string(f[1]) + "'");
    if (f[2] == "required") r.form.polarity = Polarity::kRequired;
    else if (f[2] == "excluding") r.form.polarity = Polarity::kExcluding;
    else return Status::InvalidArgument(where + "unknown polarity '" + std::string(f[2]) + "'");
    if (!ParseCount(f[3], &r.reviewed_right) || !ParseCount(f[4], &r.reviewed_wrong)) {
      return Status::InvalidArgument(where + "reviewed counts must be whole numbers");
    }
    std::string_view decision = Trim(f[5]);
    if (decision != "type" && decision != "gate") {
      return Status::InvalidArgument(where + "decision must be 'type' or 'gate', got '" + std::string(decision) + "'");
    }
    r.typed = decision == "type";
    if (r.typed != DecisionFor(r.reviewed_right, r.reviewed_wrong)) {
      return Status::InvalidArgument(where + "decision '" + std::string(decision) + "' does not follow from " +
                                     std::string(f[3]) + " right and " + std::string(f[4]) + " wrong");
    }
    for (const FormReview& seen : gate.reviews_) {
      if (seen.form == r.form) return Status::InvalidArgument(where + "form listed twice");
    }
    gate.reviews_.push_back(r);
  }
  return gate;
}

Result<FormGate> FormGate::Builtin() { return Parse(kEligibilityFormGate, "eligibility_form_gate.tsv"); }

FormGate FormGate::Open() {
  FormGate gate;
  gate.open_ = true;
  return gate;
}

bool FormGate::Types(const RuleForm& form) const {
  if (open_) return true;
  auto it = std::find_if(reviews_.begin(), reviews_.end(), [&](const FormReview& r) { return r.form == form; });
  return it != reviews_.end() && it->typed;
}

namespace {

struct Gater {
  const FormGate& gate;
  CriterionKind section;
  const ConceptTable& concepts;

  // Gates `r`'s leaves in place; `nots` is the number of NOTs above `r`.
  void Walk(Rule& r, int nots) const {
    if (r.kind == RuleKind::kNotComputable) return;
    if (r.kind == RuleKind::kAnd || r.kind == RuleKind::kOr || r.kind == RuleKind::kNot) {
      for (Rule& c : r.children) Walk(c, nots + (r.kind == RuleKind::kNot ? 1 : 0));
      return;
    }
    bool even = nots % 2 == 0;
    Polarity p = even == (section == CriterionKind::kInclusion) ? Polarity::kRequired : Polarity::kExcluding;
    if (gate.Types({section, r.kind, p})) return;
    std::string label = std::string(CriterionKindName(section)) + " " + std::string(RuleKindName(r.kind)) + ", " +
                        std::string(PolarityName(p));
    Rule gated = Rule::NotComputable("form_gated (" + label + "): \"" + r.ToString(concepts) + "\"", Uncertainty::kFormGated);
    gated.reading.push_back(std::move(r));
    r = std::move(gated);
  }
};

}  // namespace

Rule FormGate::Apply(Rule rule, CriterionKind section, const ConceptTable& concepts) const {
  if (!open_) Gater{*this, section, concepts}.Walk(rule, 0);
  return rule;
}

}  // namespace ts
