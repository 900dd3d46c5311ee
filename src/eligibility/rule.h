// A computable eligibility rule: a typed, printable statement about a patient.
//   Rule r = Rule::Lab("platelets", Comparator::kLt, 30, "10*9/L");
//   r.ToString(concepts) == "platelets [LOINC 777-3] < 30 10*9/L"
// Leaves state one fact; kAnd / kOr / kNot combine them; kNotComputable keeps what we cannot decide
// (consent, the investigator's judgement, text we do not understand) with the reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "eligibility/concepts.h"
#include "eligibility/units.h"

namespace ts {

enum class RuleKind {
  kAge,             // age in years compared with value / range
  kSex,             // text holds "female" or "male"
  kPregnant,        // the patient is pregnant
  kBreastfeeding,   // the patient is breastfeeding
  kContraception,   // the patient uses (agrees to use) effective contraception
  kLab,             // concept = analyte; value with unit, or a multiple of ULN / LLN
  kScore,           // concept = ECOG / Karnofsky / NYHA; value or range
  kLifeExpectancy,  // duration compared
  kCondition,       // concept = condition (current, or within a window)
  kTherapy,         // concept = therapy; current, within a window, ever, or for a minimum duration
  kProcedure,       // concept = procedure; ever or within a window
  kAllergy,         // concept = therapy the patient is allergic to
  kTrialParticipation,  // took part in another interventional trial within a window
  kAnd,
  kOr,
  kNot,
  kNotComputable,   // text holds the reason
};
std::string_view RuleKindName(RuleKind kind);

enum class Comparator { kLt, kLe, kGt, kGe, kEq, kRange };
std::string_view ComparatorSymbol(Comparator c);  // "<", "<=", ">", ">=", "=", ".."

enum class LimitBase { kAbsolute, kUln, kLln };  // a value, or a multiple of a reference limit

// When a therapy / procedure / condition counts.
enum class TimeScope {
  kEver,        // at any time before the evaluation date
  kCurrent,     // ongoing at the evaluation date
  kWithin,      // during `window` before the evaluation date
};

// Why a part of a criterion stays not computable. The study team settles the first four at the visit
// (they never decide a verdict); the others are medical facts the parser could not type safely.
enum class Uncertainty {
  kConsent,          // informed consent
  kJudgement,        // the investigator's judgement
  kCompliance,       // compliance with the protocol
  kWillingness,      // willingness or ability (also "unwilling to use contraception")
  kUnparsed,         // words the parser does not understand
  kEmpty,            // no text
  kHeading,          // a heading whose list (or record section) defines it
  kConditional,      // "if", "in case of": the clause applies only sometimes
  kExemption,        // "except", "unless", "other than": an exception the parser does not type
  kPermission,       // "is allowed", "are eligible": permits rather than requires
  kPlan,             // planned, expected, amenable to, candidate for: about the future or a decision
  kHypothetical,     // suspected, possible, at risk of: not a fact in a record
  kSubgroup,         // a threshold for a subgroup only ("for patients with liver metastases")
  kNegationScope,    // a negation whose reach the parser cannot tell
  kQualified,        // a qualifier that narrows a concept beyond what a record shows ("systemic", "uncontrolled")
  kOtherRelative,    // "other malignancy": relative to the study's own disease
  kOtherPerson,      // about someone else: a mother, a partner, a donor, family history
  kTimeUnclear,      // a time or duration the parser cannot place, or a therapy with no time at all
  kAlternative,      // an "or" joins a typed part to an untyped one (in an inclusion)
  kConjunction,      // an "and" joins a typed part to an untyped one (in an exclusion)
  kUnit,             // a threshold with a missing or wrong unit
  kRecord,           // the study record could not be read
  kFormGated,        // a reading of a form whose reviewed precision is too low to decide a verdict (form_gate.h)
};
std::string_view UncertaintyName(Uncertainty u);  // "consent", "time_unclear", ...
// True for the reasons only the study team can settle (consent, judgement, compliance, willingness).
bool StudyTeamDecides(Uncertainty u);

struct Rule {
  RuleKind kind = RuleKind::kNotComputable;
  std::string concept_id;  // analyte, score, condition, therapy or procedure
  Comparator cmp = Comparator::kEq;
  double value = 0;
  double value_high = 0;   // kRange: inclusive [value, value_high]
  std::string unit;        // UCUM code ("" for scores and ULN multiples)
  LimitBase base = LimitBase::kAbsolute;
  TimeScope scope = TimeScope::kEver;
  std::optional<Duration> window;        // kWithin; labs: how recent the observation must be
  std::optional<Duration> min_duration;  // therapies: "for more than 2 weeks"
  bool childbearing_only = false;        // applies only to women who can become pregnant (contraception: not to men)
  bool fertile_only = false;             // contraception: applies to anyone who can conceive or father a child
                                         // ("fertile patients"), which a record rarely shows
  std::string text;                      // sex / not-computable reason
  Uncertainty why = Uncertainty::kUnparsed;  // kNotComputable: the reason as a value
  std::vector<Rule> children;            // kAnd / kOr / kNot
  // kNotComputable with why == kFormGated: the gated leaf (one element). The evaluator reports what the
  // record says about it as a hint beside the question; it never decides the verdict.
  std::vector<Rule> reading;

  static Rule Age(Comparator cmp, double years, double high_years = 0);
  static Rule Lab(std::string analyte, Comparator cmp, double value, std::string unit);
  static Rule LabMultiple(std::string analyte, Comparator cmp, double multiple, LimitBase base);
  static Rule Score(std::string score, Comparator cmp, double value, double high = 0);
  static Rule Concept(RuleKind kind, std::string id, TimeScope scope = TimeScope::kEver,
                      std::optional<Duration> window = std::nullopt);
  static Rule Simple(RuleKind kind);
  static Rule NotComputable(std::string reason, Uncertainty why = Uncertainty::kUnparsed);
  static Rule Not(Rule r);
  // And / Or of the parts; a single part is returned as it is.
  static Rule All(std::vector<Rule> parts);
  static Rule Any(std::vector<Rule> parts);

  bool IsComputable() const;  // false if any leaf is kNotComputable
  bool HasTypedPart() const;  // true if any leaf is not kNotComputable
  // A stable, human-readable form; tests compare it. Uses the concepts' labels and codes.
  std::string ToString(const ConceptTable& concepts) const;

  bool operator==(const Rule&) const = default;
};

}  // namespace ts
