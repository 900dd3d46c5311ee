// Posted study results as value types, laid out like the ClinicalTrials.gov API v2 resultsSection
// (ctg-oas-v2.yaml): participant flow, baseline characteristics, outcome measures with their
// analyses, adverse events and "more information".
//   StudyResults r;  r.outcome_measures.push_back({.type = OutcomeMeasureType::kPrimary, .title = "..."});
//   study.results = r;
// Counts and measured values are kept as the registry wrote them (strings: "12", "NA", "3.5"), since
// the registry mixes numbers, "NA" and footnote marks in the same fields; the numeric ones the
// registry types as integers (adverse-event counts) are integers here. No I/O here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/enums.h"

namespace ts {

enum class MeasureParam {
  kGeometricMean, kGeometricLeastSquaresMean, kLeastSquaresMean, kLogMean, kMean, kMedian, kNumber,
  kCountOfParticipants, kCountOfUnits,
};
TS_ENUM_TABLE(MeasureParam, "paramType", {MeasureParam::kGeometricMean, "GEOMETRIC_MEAN", "Geometric Mean"},
              {MeasureParam::kGeometricLeastSquaresMean, "GEOMETRIC_LEAST_SQUARES_MEAN", "Geometric Least Squares Mean"},
              {MeasureParam::kLeastSquaresMean, "LEAST_SQUARES_MEAN", "Least Squares Mean"},
              {MeasureParam::kLogMean, "LOG_MEAN", "Log Mean"}, {MeasureParam::kMean, "MEAN", "Mean"},
              {MeasureParam::kMedian, "MEDIAN", "Median"}, {MeasureParam::kNumber, "NUMBER", "Number"},
              {MeasureParam::kCountOfParticipants, "COUNT_OF_PARTICIPANTS", "Count of Participants"},
              {MeasureParam::kCountOfUnits, "COUNT_OF_UNITS", "Count of Units"})

enum class MeasureDispersion {
  kNa, kStandardDeviation, kStandardError, kInterQuartileRange, kFullRange, kConfidence80, kConfidence90,
  kConfidence95, kConfidence975, kConfidence99, kConfidenceOther, kGeometricCoefficient,
};
TS_ENUM_TABLE(MeasureDispersion, "dispersionType", {MeasureDispersion::kNa, "NA", "Not Applicable"},
              {MeasureDispersion::kStandardDeviation, "STANDARD_DEVIATION", "Standard Deviation"},
              {MeasureDispersion::kStandardError, "STANDARD_ERROR", "Standard Error"},
              {MeasureDispersion::kInterQuartileRange, "INTER_QUARTILE_RANGE", "Inter-Quartile Range"},
              {MeasureDispersion::kFullRange, "FULL_RANGE", "Full Range"},
              {MeasureDispersion::kConfidence80, "CONFIDENCE_80", "80% Confidence Interval"},
              {MeasureDispersion::kConfidence90, "CONFIDENCE_90", "90% Confidence Interval"},
              {MeasureDispersion::kConfidence95, "CONFIDENCE_95", "95% Confidence Interval"},
              {MeasureDispersion::kConfidence975, "CONFIDENCE_975", "97.5% Confidence Interval"},
              {MeasureDispersion::kConfidence99, "CONFIDENCE_99", "99% Confidence Interval"},
              {MeasureDispersion::kConfidenceOther, "CONFIDENCE_OTHER", "Other Confidence Interval"},
              {MeasureDispersion::kGeometricCoefficient, "GEOMETRIC_COEFFICIENT", "Geometric Coefficient of Variation"})

enum class OutcomeMeasureType { kPrimary, kSecondary, kOtherPreSpecified, kPostHoc };
TS_ENUM_TABLE(OutcomeMeasureType, "type", {OutcomeMeasureType::kPrimary, "PRIMARY", "Primary"},
              {OutcomeMeasureType::kSecondary, "SECONDARY", "Secondary"},
              {OutcomeMeasureType::kOtherPreSpecified, "OTHER_PRE_SPECIFIED", "Other Pre-specified"},
              {OutcomeMeasureType::kPostHoc, "POST_HOC", "Post-Hoc"})

enum class ReportingStatus { kNotPosted, kPosted };
TS_ENUM_TABLE(ReportingStatus, "reportingStatus", {ReportingStatus::kNotPosted, "NOT_POSTED", "Not posted"},
              {ReportingStatus::kPosted, "POSTED", "Posted"})

enum class AnalysisDispersion { kStandardDeviation, kStandardErrorOfMean };
TS_ENUM_TABLE(AnalysisDispersion, "dispersionType",
              {AnalysisDispersion::kStandardDeviation, "STANDARD_DEVIATION", "Standard Deviation"},
              {AnalysisDispersion::kStandardErrorOfMean, "STANDARD_ERROR_OF_MEAN", "Standard Error of the Mean"})

enum class CiNumSides { kOneSided, kTwoSided };
TS_ENUM_TABLE(CiNumSides, "ciNumSides", {CiNumSides::kOneSided, "ONE_SIDED", "1-Sided"},
              {CiNumSides::kTwoSided, "TWO_SIDED", "2-Sided"})

enum class NonInferiorityType {
  kSuperiority, kNonInferiority, kEquivalence, kOther, kNonInferiorityOrEquivalence, kSuperiorityOrOther,
  kNonInferiorityOrEquivalenceLegacy, kSuperiorityOrOtherLegacy,
};
TS_ENUM_TABLE(NonInferiorityType, "nonInferiorityType", {NonInferiorityType::kSuperiority, "SUPERIORITY", "Superiority"},
              {NonInferiorityType::kNonInferiority, "NON_INFERIORITY", "Non-Inferiority"},
              {NonInferiorityType::kEquivalence, "EQUIVALENCE", "Equivalence"},
              {NonInferiorityType::kOther, "OTHER", "Other"},
              {NonInferiorityType::kNonInferiorityOrEquivalence, "NON_INFERIORITY_OR_EQUIVALENCE",
               "Non-Inferiority or Equivalence"},
              {NonInferiorityType::kSuperiorityOrOther, "SUPERIORITY_OR_OTHER", "Superiority or Other"},
              {NonInferiorityType::kNonInferiorityOrEquivalenceLegacy, "NON_INFERIORITY_OR_EQUIVALENCE_LEGACY",
               "Non-Inferiority or Equivalence (legacy)"},
              {NonInferiorityType::kSuperiorityOrOtherLegacy, "SUPERIORITY_OR_OTHER_LEGACY",
               "Superiority or Other (legacy)"})

enum class EventAssessment { kNonSystematic, kSystematic };
TS_ENUM_TABLE(EventAssessment, "assessmentType",
              {EventAssessment::kNonSystematic, "NON_SYSTEMATIC_ASSESSMENT", "Non-systematic Assessment"},
              {EventAssessment::kSystematic, "SYSTEMATIC_ASSESSMENT", "Systematic Assessment"})

enum class AgreementRestriction { kLte60, kGt60, kOther };
TS_ENUM_TABLE(AgreementRestriction, "restrictionType",
              {AgreementRestriction::kLte60, "LTE60", "Embargo of 60 days or less"},
              {AgreementRestriction::kGt60, "GT60", "Embargo of more than 60 days"},
              {AgreementRestriction::kOther, "OTHER", "Other"})

// A reporting group (flow, baseline, outcome or adverse-event group); ids look like "FG000", "BG001".
struct ResultGroup {
  std::string id;
  std::string title;
  std::string description;
  bool operator==(const ResultGroup&) const = default;
};

// ---- Participant flow ----------------------------------------------------------------------

// One group's count at a milestone, or for a drop/withdraw reason.
struct FlowStats {
  std::string group_id;
  std::string comment;
  std::string num_subjects;  // as written: "20", "NA"
  std::string num_units;
  bool operator==(const FlowStats&) const = default;
};

struct FlowMilestone {
  std::string type;  // "STARTED", "COMPLETED", "NOT COMPLETED" or the study's own wording
  std::string comment;
  std::vector<FlowStats> achievements;
  bool operator==(const FlowMilestone&) const = default;
};

struct DropWithdraw {
  std::string type;  // "Adverse Event", "Withdrawal by Subject", ...
  std::string comment;
  std::vector<FlowStats> reasons;
  bool operator==(const DropWithdraw&) const = default;
};

struct FlowPeriod {
  std::string title;  // "Overall Study"
  std::vector<FlowMilestone> milestones;
  std::vector<DropWithdraw> drop_withdraws;
  bool operator==(const FlowPeriod&) const = default;
};

struct ParticipantFlow {
  std::string pre_assignment_details;
  std::string recruitment_details;
  std::string type_units_analyzed;
  std::vector<ResultGroup> groups;
  std::vector<FlowPeriod> periods;
  bool operator==(const ParticipantFlow&) const = default;
};

// ---- Measures (baseline and outcome) -------------------------------------------------------

struct DenomCount {
  std::string group_id;
  std::string value;
  bool operator==(const DenomCount&) const = default;
};

// The number analysed in each group, in `units` ("Participants", "Eyes").
struct Denom {
  std::string units;
  std::vector<DenomCount> counts;
  bool operator==(const Denom&) const = default;
};

struct Measurement {
  std::string group_id;
  std::string value;
  std::string spread;
  std::string lower_limit;
  std::string upper_limit;
  std::string comment;
  bool operator==(const Measurement&) const = default;
};

struct MeasureCategory {
  std::string title;  // "" when the measure has one unnamed category
  std::vector<Measurement> measurements;
  bool operator==(const MeasureCategory&) const = default;
};

struct MeasureClass {
  std::string title;
  std::vector<Denom> denoms;
  std::vector<MeasureCategory> categories;
  bool operator==(const MeasureClass&) const = default;
};

struct BaselineMeasure {
  std::string title;
  std::string description;
  std::string population_description;
  std::optional<MeasureParam> param_type;
  std::optional<MeasureDispersion> dispersion_type;
  std::string unit_of_measure;
  std::optional<bool> calculate_pct;
  std::string denom_units_selected;
  std::vector<Denom> denoms;
  std::vector<MeasureClass> classes;
  bool operator==(const BaselineMeasure&) const = default;
};

struct BaselineCharacteristics {
  std::string population_description;
  std::string type_units_analyzed;
  std::vector<ResultGroup> groups;
  std::vector<Denom> denoms;
  std::vector<BaselineMeasure> measures;
  bool operator==(const BaselineCharacteristics&) const = default;
};

// A statistical analysis of an outcome measure: the groups compared, the method, p-value and CI.
struct MeasureAnalysis {
  std::string param_type;  // free text in the registry ("Hazard Ratio (HR)", "Mean Difference (Final Values)")
  std::string param_value;
  std::optional<AnalysisDispersion> dispersion_type;
  std::string dispersion_value;
  std::string statistical_method;
  std::string statistical_comment;
  std::string p_value;  // as written: "0.003", "<0.001"
  std::string p_value_comment;
  std::optional<CiNumSides> ci_num_sides;
  std::string ci_pct_value;
  std::string ci_lower_limit;
  std::string ci_upper_limit;
  std::string ci_lower_limit_comment;
  std::string ci_upper_limit_comment;
  std::string estimate_comment;
  std::optional<bool> tested_non_inferiority;
  std::optional<NonInferiorityType> non_inferiority_type;
  std::string non_inferiority_comment;
  std::string other_analysis_description;
  std::string group_description;
  std::vector<std::string> group_ids;
  bool operator==(const MeasureAnalysis&) const = default;
};

struct OutcomeMeasure {
  std::optional<OutcomeMeasureType> type;
  std::string title;
  std::string description;
  std::string population_description;
  std::optional<ReportingStatus> reporting_status;
  std::string anticipated_posting_date;  // "2027-06" as written
  std::optional<MeasureParam> param_type;
  std::string dispersion_type;  // the registry's enum, but a free string in the API ("Standard Deviation")
  std::string unit_of_measure;
  std::optional<bool> calculate_pct;
  std::string time_frame;
  std::string type_units_analyzed;
  std::string denom_units_selected;
  std::vector<ResultGroup> groups;
  std::vector<Denom> denoms;
  std::vector<MeasureClass> classes;
  std::vector<MeasureAnalysis> analyses;
  bool operator==(const OutcomeMeasure&) const = default;
};

// ---- Adverse events ------------------------------------------------------------------------

struct EventGroup {
  std::string id;  // "EG000"
  std::string title;
  std::string description;
  std::optional<int64_t> deaths_num_affected, deaths_num_at_risk;
  std::optional<int64_t> serious_num_affected, serious_num_at_risk;
  std::optional<int64_t> other_num_affected, other_num_at_risk;
  bool operator==(const EventGroup&) const = default;
};

struct EventStats {
  std::string group_id;
  std::optional<int64_t> num_events, num_affected, num_at_risk;
  bool operator==(const EventStats&) const = default;
};

struct AdverseEvent {
  std::string term;          // "Thrombocytopenia"
  std::string organ_system;  // "Blood and lymphatic system disorders"
  std::string source_vocabulary;  // "MedDRA 23.0"
  std::optional<EventAssessment> assessment_type;
  std::string notes;
  std::vector<EventStats> stats;
  bool operator==(const AdverseEvent&) const = default;
};

struct AdverseEvents {
  std::string frequency_threshold;  // percent, as written: "5"
  std::string time_frame;
  std::string description;
  std::string all_cause_mortality_comment;
  std::vector<EventGroup> event_groups;
  std::vector<AdverseEvent> serious_events;
  std::vector<AdverseEvent> other_events;
  bool operator==(const AdverseEvents&) const = default;
};

// ---- More information ----------------------------------------------------------------------

struct CertainAgreement {
  std::optional<bool> pi_sponsor_employee;
  std::optional<AgreementRestriction> restriction_type;
  std::optional<bool> restrictive_agreement;
  std::string other_details;
  bool operator==(const CertainAgreement&) const = default;
};

struct PointOfContact {
  std::string title;
  std::string organization;
  std::string email;
  std::string phone;
  std::string phone_ext;
  bool operator==(const PointOfContact&) const = default;
};

struct MoreInfo {
  std::string limitations_and_caveats;  // limitationsAndCaveats.description
  std::optional<CertainAgreement> certain_agreement;
  std::optional<PointOfContact> point_of_contact;
  bool operator==(const MoreInfo&) const = default;
};

// The whole resultsSection; a module the record does not have is nullopt.
struct StudyResults {
  std::optional<ParticipantFlow> participant_flow;
  std::optional<BaselineCharacteristics> baseline;
  std::vector<OutcomeMeasure> outcome_measures;
  bool has_outcome_module = false;  // outcomeMeasuresModule present (possibly with no measures)
  std::optional<AdverseEvents> adverse_events;
  std::optional<MoreInfo> more_info;
  bool operator==(const StudyResults&) const = default;
};

}  // namespace ts
