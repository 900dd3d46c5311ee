// Pre-screening: a study's criteria compiled once into rules, then evaluated for a patient as of a
// date. Every criterion gets true / false / unknown with the evidence used or the question that
// would decide it; the study gets exactly one verdict.
//   CompiledStudy cs = CompileStudy(study, parser);
//   RuleEvaluator ev(concepts, patient, as_of);
//   StudyCheck c = CheckStudy(cs, ev);  // c.verdict == Verdict::kPossiblyEligible, c.questions = {...}
// Verdicts: eligible only when every computable criterion is decided in the patient's favour
// (inclusion true, exclusion false); not_eligible when one is decided against; else possibly_eligible.
// Criteria that only the study team can settle (consent, the investigator's judgement, compliance)
// never decide a verdict; untyped medical criteria leave the study possibly_eligible with a question.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/date.h"
#include "eligibility/patient.h"
#include "eligibility/rule_parser.h"
#include "model/study.h"

namespace ts {

enum class Truth { kTrue, kFalse, kUnknown };
std::string_view TruthName(Truth t);  // "true", "false", "unknown"

struct Finding {
  Truth truth = Truth::kUnknown;
  std::vector<std::string> evidence;   // the facts used, each naming its record
  std::vector<std::string> questions;  // when unknown: what would decide it
};

// Evaluates rules for one patient. Labs count when measured on or before `as_of` and within the
// rule's window, else within kDefaultLabWindowDays; the latest such result counts.
class RuleEvaluator {
 public:
  static constexpr double kDefaultLabWindowDays = 90;

  // `concepts` and `patient` must outlive the evaluator.
  RuleEvaluator(const ConceptTable& concepts, const Patient& patient, PartialDate as_of);

  // With `explain` false only `truth` is filled (the fast path used to rank many studies).
  Finding Evaluate(const Rule& rule, bool explain = true) const;

  const Patient& patient() const { return patient_; }
  PartialDate as_of() const { return as_of_; }

 private:
  Finding Leaf(const Rule& rule, bool explain) const;
  Finding Lab(const Rule& rule, bool explain) const;
  Finding Record(const Rule& rule, bool explain) const;
  // For a vocabulary disease: a listed condition under one of the curated classes above it (which may be a
  // form of it the vocabulary does not link), or null. Curated concepts have none.
  const PatientRecord* Kin(const std::string& id) const;
  // The first entry of the patient's `list` ("conditions", ...) that the concept table could not
  // classify (neither its code nor its name is known), if any: a complete list holding one cannot
  // show that a concept is absent, since the unknown entry may be it.
  const PatientRecord* Unclassified(const std::string& list) const;
  // The patient's list of that name ("conditions", "medications", "procedures", "allergies"), or null.
  const std::vector<PatientRecord>* List(const std::string& list) const;
  // The first present entry of `list` whose code or name has several readings, some of them `id` or under it.
  const PatientRecord* PossiblyIs(const std::string& list, const std::string& id) const;
  const std::vector<const PatientRecord*>* RecordsUnder(RuleKind kind, const std::string& concept_id) const;

  const ConceptTable& concepts_;
  const Patient& patient_;
  PartialDate as_of_;
  int64_t as_of_days_;
  // Concept id (and each of its ancestors) -> the patient's records / observations under it.
  std::unordered_map<std::string, std::vector<const PatientRecord*>> conditions_, medications_, procedures_, allergies_;
  std::unordered_map<std::string, std::vector<const PatientObservation*>> observations_;  // latest first
};

struct CompiledCriterion {
  CriterionKind kind = CriterionKind::kInclusion;
  std::string label;   // "3", "3.1"; "age" / "sex" for the structured fields
  std::string text;    // clean text
  std::string source;  // exact source text
  int parent = -1;     // index into CompiledStudy::criteria
  Rule rule;
  bool computable = true;  // false when no part of the rule is typed
  // Whether an unknown result keeps the study from "eligible". True for every criterion except those
  // that only the study team can settle at the visit (consent, the investigator's judgement,
  // compliance, willingness): an untyped medical criterion must still be checked, so it is a question.
  bool blocks_eligible = true;
};

struct CompiledStudy {
  std::string key;
  std::string title;
  std::vector<CompiledCriterion> criteria;  // structured age and sex first, then the text's criteria
};

CompiledStudy CompileStudy(const Study& study, const CriteriaParser& parser);

enum class Verdict { kEligible, kNotEligible, kPossiblyEligible };
std::string_view VerdictName(Verdict v);  // "eligible", "not_eligible", "possibly_eligible"

struct CriterionCheck {
  size_t index = 0;  // into CompiledStudy::criteria
  Finding finding;
};

struct StudyCheck {
  Verdict verdict = Verdict::kPossiblyEligible;
  std::vector<CriterionCheck> criteria;  // top-level criteria only (children are inside their parent)
  std::vector<size_t> failing;           // indexes of criteria decided against the patient
  std::vector<std::string> questions;    // distinct open questions of computable criteria
};

StudyCheck CheckStudy(const CompiledStudy& study, const RuleEvaluator& evaluator);

// Whether the patient carries screener answers for the study (then MatchPlan cannot be used for it).
bool HasAnswersFor(const Patient& patient, std::string_view study_key);

// The verdict and the number of open questions, without explanations; stops at the first failure.
// A criterion the rules leave unknown is decided by the patient's answer for it (Patient::answers), if any.
Verdict QuickVerdict(const CompiledStudy& study, const RuleEvaluator& evaluator, int* open_questions);

}  // namespace ts
