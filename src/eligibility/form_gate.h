// Which rule forms the parser may type, from the precision reviewers measured for each form on fresh
// trials (resources/eligibility_form_gate.tsv). A form is a leaf's section, kind and polarity:
//   FormGate gate = *FormGate::Builtin();
//   gate.Types({CriterionKind::kExclusion, RuleKind::kCondition, Polarity::kExcluding}) == false
//   Rule r = gate.Apply(rule, CriterionKind::kExclusion, concepts);
// Apply turns every leaf of a gated form into a not-computable part (Uncertainty::kFormGated) whose text
// keeps the reading ("exclusion condition: \"condition: stroke (within 6 mo)\""). A not-computable leaf
// evaluates to unknown, so gating can change a verdict only from a definite answer to a question.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "eligibility/concepts.h"
#include "eligibility/criteria_text.h"
#include "eligibility/rule.h"

namespace ts {

// Whether the patient must meet a leaf ("required": an inclusion leaf under an even number of NOTs,
// an exclusion leaf under an odd number) or a leaf that holds turns the patient away ("excluding").
enum class Polarity { kRequired, kExcluding };
std::string_view PolarityName(Polarity p);  // "required", "excluding"

struct RuleForm {
  CriterionKind section = CriterionKind::kInclusion;
  RuleKind kind = RuleKind::kCondition;  // a leaf kind
  Polarity polarity = Polarity::kRequired;
  bool operator==(const RuleForm&) const = default;
};

// One line of the table: the form, what review found, and the decision.
struct FormReview {
  RuleForm form;
  int reviewed_right = 0;
  int reviewed_wrong = 0;
  bool typed = false;  // decision "type"
};

class FormGate {
 public:
  // The decision rule the table follows: type a form reviewed at least kMinReviewed times with at most
  // kMaxWrongShare of its outputs wrong.
  static constexpr int kMinReviewed = 10;
  static constexpr double kMaxWrongShare = 0.10;
  static bool DecisionFor(int right, int wrong);

  // Parses the table format (see the file's header); errors name `source` and the line. A decision
  // that does not follow from its counts is an error.
  static Result<FormGate> Parse(std::string_view tsv, std::string_view source);
  // The table compiled into the binary.
  static Result<FormGate> Builtin();
  // A gate that types every form (the parser's reading, as the reviewed case files pin it).
  static FormGate Open();

  // True when leaves of `form` may stay typed. A form the table does not list is gated.
  bool Types(const RuleForm& form) const;
  // `rule` (a criterion's rule in `section`) with every leaf of a gated form made not computable.
  Rule Apply(Rule rule, CriterionKind section, const ConceptTable& concepts) const;

  const std::vector<FormReview>& reviews() const { return reviews_; }

 private:
  std::vector<FormReview> reviews_;
  bool open_ = false;
};

}  // namespace ts
