// Enumerations of the ClinicalTrials.gov API v2 (names and values from ctg-oas-v2.yaml), each with
// its API name ("NOT_YET_RECRUITING") and a human label ("Not yet recruiting").
//   std::optional<OverallStatus> s = ParseApiName<OverallStatus>("RECRUITING");
//   std::string_view label = Label(*s);  // "Recruiting"
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace ts {

template <typename E>
struct EnumEntry {
  E value;
  std::string_view api;    // the API v2 enum value
  std::string_view label;  // what a person reads; also the legacy XML spelling where one exists
};

// Specialised once per enum below with `static constexpr std::span<const EnumEntry<E>> kEntries` and kName.
template <typename E>
struct EnumTable;

#define TS_ENUM_TABLE(E, NAME, ...)                                          \
  inline constexpr EnumEntry<E> k##E##Entries[] = {__VA_ARGS__};             \
  template <>                                                                \
  struct EnumTable<E> {                                                      \
    static constexpr std::string_view kName = NAME;                          \
    static constexpr std::span<const EnumEntry<E>> kEntries{k##E##Entries}; \
  };

enum class OverallStatus {
  kActiveNotRecruiting, kCompleted, kEnrollingByInvitation, kNotYetRecruiting, kRecruiting, kSuspended,
  kTerminated, kWithdrawn, kAvailable, kNoLongerAvailable, kTemporarilyNotAvailable, kApprovedForMarketing,
  kWithheld, kUnknown,
};
TS_ENUM_TABLE(OverallStatus, "overallStatus",
              {OverallStatus::kActiveNotRecruiting, "ACTIVE_NOT_RECRUITING", "Active, not recruiting"},
              {OverallStatus::kCompleted, "COMPLETED", "Completed"},
              {OverallStatus::kEnrollingByInvitation, "ENROLLING_BY_INVITATION", "Enrolling by invitation"},
              {OverallStatus::kNotYetRecruiting, "NOT_YET_RECRUITING", "Not yet recruiting"},
              {OverallStatus::kRecruiting, "RECRUITING", "Recruiting"},
              {OverallStatus::kSuspended, "SUSPENDED", "Suspended"},
              {OverallStatus::kTerminated, "TERMINATED", "Terminated"},
              {OverallStatus::kWithdrawn, "WITHDRAWN", "Withdrawn"},
              {OverallStatus::kAvailable, "AVAILABLE", "Available"},
              {OverallStatus::kNoLongerAvailable, "NO_LONGER_AVAILABLE", "No longer available"},
              {OverallStatus::kTemporarilyNotAvailable, "TEMPORARILY_NOT_AVAILABLE", "Temporarily not available"},
              {OverallStatus::kApprovedForMarketing, "APPROVED_FOR_MARKETING", "Approved for marketing"},
              {OverallStatus::kWithheld, "WITHHELD", "Withheld"},
              {OverallStatus::kUnknown, "UNKNOWN", "Unknown status"})

enum class DateType { kActual, kEstimated };
TS_ENUM_TABLE(DateType, "dateType", {DateType::kActual, "ACTUAL", "Actual"},
              {DateType::kEstimated, "ESTIMATED", "Estimated"})

enum class StudyType { kExpandedAccess, kInterventional, kObservational };
TS_ENUM_TABLE(StudyType, "studyType", {StudyType::kExpandedAccess, "EXPANDED_ACCESS", "Expanded Access"},
              {StudyType::kInterventional, "INTERVENTIONAL", "Interventional"},
              {StudyType::kObservational, "OBSERVATIONAL", "Observational"})

enum class Phase { kNa, kEarlyPhase1, kPhase1, kPhase2, kPhase3, kPhase4 };
TS_ENUM_TABLE(Phase, "phase", {Phase::kNa, "NA", "N/A"}, {Phase::kEarlyPhase1, "EARLY_PHASE1", "Early Phase 1"},
              {Phase::kPhase1, "PHASE1", "Phase 1"}, {Phase::kPhase2, "PHASE2", "Phase 2"},
              {Phase::kPhase3, "PHASE3", "Phase 3"}, {Phase::kPhase4, "PHASE4", "Phase 4"})

enum class AgencyClass { kNih, kFed, kOtherGov, kIndiv, kIndustry, kNetwork, kAmbig, kOther, kUnknown };
TS_ENUM_TABLE(AgencyClass, "agencyClass", {AgencyClass::kNih, "NIH", "NIH"},
              {AgencyClass::kFed, "FED", "U.S. Fed"}, {AgencyClass::kOtherGov, "OTHER_GOV", "Other U.S. Gov"},
              {AgencyClass::kIndiv, "INDIV", "Individual"}, {AgencyClass::kIndustry, "INDUSTRY", "Industry"},
              {AgencyClass::kNetwork, "NETWORK", "Network"}, {AgencyClass::kAmbig, "AMBIG", "Ambiguous"},
              {AgencyClass::kOther, "OTHER", "Other"}, {AgencyClass::kUnknown, "UNKNOWN", "Unknown"})

enum class ResponsiblePartyType { kSponsor, kPrincipalInvestigator, kSponsorInvestigator };
TS_ENUM_TABLE(ResponsiblePartyType, "responsiblePartyType",
              {ResponsiblePartyType::kSponsor, "SPONSOR", "Sponsor"},
              {ResponsiblePartyType::kPrincipalInvestigator, "PRINCIPAL_INVESTIGATOR", "Principal Investigator"},
              {ResponsiblePartyType::kSponsorInvestigator, "SPONSOR_INVESTIGATOR", "Sponsor-Investigator"})

enum class Allocation { kRandomized, kNonRandomized, kNa };
TS_ENUM_TABLE(Allocation, "allocation", {Allocation::kRandomized, "RANDOMIZED", "Randomized"},
              {Allocation::kNonRandomized, "NON_RANDOMIZED", "Non-Randomized"}, {Allocation::kNa, "NA", "N/A"})

enum class InterventionModel { kSingleGroup, kParallel, kCrossover, kFactorial, kSequential };
TS_ENUM_TABLE(InterventionModel, "interventionModel",
              {InterventionModel::kSingleGroup, "SINGLE_GROUP", "Single Group Assignment"},
              {InterventionModel::kParallel, "PARALLEL", "Parallel Assignment"},
              {InterventionModel::kCrossover, "CROSSOVER", "Crossover Assignment"},
              {InterventionModel::kFactorial, "FACTORIAL", "Factorial Assignment"},
              {InterventionModel::kSequential, "SEQUENTIAL", "Sequential Assignment"})

enum class PrimaryPurpose {
  kTreatment, kPrevention, kDiagnostic, kEct, kSupportiveCare, kScreening, kHealthServicesResearch,
  kBasicScience, kDeviceFeasibility, kOther,
};
TS_ENUM_TABLE(PrimaryPurpose, "primaryPurpose", {PrimaryPurpose::kTreatment, "TREATMENT", "Treatment"},
              {PrimaryPurpose::kPrevention, "PREVENTION", "Prevention"},
              {PrimaryPurpose::kDiagnostic, "DIAGNOSTIC", "Diagnostic"},
              {PrimaryPurpose::kEct, "ECT", "Educational/Counseling/Training"},
              {PrimaryPurpose::kSupportiveCare, "SUPPORTIVE_CARE", "Supportive Care"},
              {PrimaryPurpose::kScreening, "SCREENING", "Screening"},
              {PrimaryPurpose::kHealthServicesResearch, "HEALTH_SERVICES_RESEARCH", "Health Services Research"},
              {PrimaryPurpose::kBasicScience, "BASIC_SCIENCE", "Basic Science"},
              {PrimaryPurpose::kDeviceFeasibility, "DEVICE_FEASIBILITY", "Device Feasibility"},
              {PrimaryPurpose::kOther, "OTHER", "Other"})

enum class ObservationalModel {
  kCohort, kCaseControl, kCaseOnly, kCaseCrossover, kEcologicOrCommunity, kFamilyBased, kDefinedPopulation,
  kNaturalHistory, kOther,
};
TS_ENUM_TABLE(ObservationalModel, "observationalModel", {ObservationalModel::kCohort, "COHORT", "Cohort"},
              {ObservationalModel::kCaseControl, "CASE_CONTROL", "Case-Control"},
              {ObservationalModel::kCaseOnly, "CASE_ONLY", "Case-Only"},
              {ObservationalModel::kCaseCrossover, "CASE_CROSSOVER", "Case-Crossover"},
              {ObservationalModel::kEcologicOrCommunity, "ECOLOGIC_OR_COMMUNITY", "Ecologic or Community"},
              {ObservationalModel::kFamilyBased, "FAMILY_BASED", "Family-Based"},
              {ObservationalModel::kDefinedPopulation, "DEFINED_POPULATION", "Defined Population"},
              {ObservationalModel::kNaturalHistory, "NATURAL_HISTORY", "Natural History"},
              {ObservationalModel::kOther, "OTHER", "Other"})

enum class TimePerspective { kRetrospective, kProspective, kCrossSectional, kOther };
TS_ENUM_TABLE(TimePerspective, "timePerspective",
              {TimePerspective::kRetrospective, "RETROSPECTIVE", "Retrospective"},
              {TimePerspective::kProspective, "PROSPECTIVE", "Prospective"},
              {TimePerspective::kCrossSectional, "CROSS_SECTIONAL", "Cross-Sectional"},
              {TimePerspective::kOther, "OTHER", "Other"})

enum class Masking { kNone, kSingle, kDouble, kTriple, kQuadruple };
TS_ENUM_TABLE(Masking, "masking", {Masking::kNone, "NONE", "None (Open Label)"}, {Masking::kSingle, "SINGLE", "Single"},
              {Masking::kDouble, "DOUBLE", "Double"}, {Masking::kTriple, "TRIPLE", "Triple"},
              {Masking::kQuadruple, "QUADRUPLE", "Quadruple"})

enum class WhoMasked { kParticipant, kCareProvider, kInvestigator, kOutcomesAssessor };
TS_ENUM_TABLE(WhoMasked, "whoMasked", {WhoMasked::kParticipant, "PARTICIPANT", "Participant"},
              {WhoMasked::kCareProvider, "CARE_PROVIDER", "Care Provider"},
              {WhoMasked::kInvestigator, "INVESTIGATOR", "Investigator"},
              {WhoMasked::kOutcomesAssessor, "OUTCOMES_ASSESSOR", "Outcomes Assessor"})

enum class EnrollmentType { kActual, kEstimated };
TS_ENUM_TABLE(EnrollmentType, "enrollmentType", {EnrollmentType::kActual, "ACTUAL", "Actual"},
              {EnrollmentType::kEstimated, "ESTIMATED", "Estimated"})

enum class ArmGroupType { kExperimental, kActiveComparator, kPlaceboComparator, kShamComparator, kNoIntervention, kOther };
TS_ENUM_TABLE(ArmGroupType, "armGroupType", {ArmGroupType::kExperimental, "EXPERIMENTAL", "Experimental"},
              {ArmGroupType::kActiveComparator, "ACTIVE_COMPARATOR", "Active Comparator"},
              {ArmGroupType::kPlaceboComparator, "PLACEBO_COMPARATOR", "Placebo Comparator"},
              {ArmGroupType::kShamComparator, "SHAM_COMPARATOR", "Sham Comparator"},
              {ArmGroupType::kNoIntervention, "NO_INTERVENTION", "No Intervention"},
              {ArmGroupType::kOther, "OTHER", "Other"})

enum class InterventionType {
  kBehavioral, kBiological, kCombinationProduct, kDevice, kDiagnosticTest, kDietarySupplement, kDrug, kGenetic,
  kProcedure, kRadiation, kOther,
};
TS_ENUM_TABLE(InterventionType, "interventionType", {InterventionType::kBehavioral, "BEHAVIORAL", "Behavioral"},
              {InterventionType::kBiological, "BIOLOGICAL", "Biological"},
              {InterventionType::kCombinationProduct, "COMBINATION_PRODUCT", "Combination Product"},
              {InterventionType::kDevice, "DEVICE", "Device"},
              {InterventionType::kDiagnosticTest, "DIAGNOSTIC_TEST", "Diagnostic Test"},
              {InterventionType::kDietarySupplement, "DIETARY_SUPPLEMENT", "Dietary Supplement"},
              {InterventionType::kDrug, "DRUG", "Drug"}, {InterventionType::kGenetic, "GENETIC", "Genetic"},
              {InterventionType::kProcedure, "PROCEDURE", "Procedure"},
              {InterventionType::kRadiation, "RADIATION", "Radiation"}, {InterventionType::kOther, "OTHER", "Other"})

enum class Sex { kFemale, kMale, kAll };
TS_ENUM_TABLE(Sex, "sex", {Sex::kFemale, "FEMALE", "Female"}, {Sex::kMale, "MALE", "Male"}, {Sex::kAll, "ALL", "All"})

enum class StandardAge { kChild, kAdult, kOlderAdult };
TS_ENUM_TABLE(StandardAge, "stdAge", {StandardAge::kChild, "CHILD", "Child"}, {StandardAge::kAdult, "ADULT", "Adult"},
              {StandardAge::kOlderAdult, "OLDER_ADULT", "Older Adult"})

enum class SamplingMethod { kProbability, kNonProbability };
TS_ENUM_TABLE(SamplingMethod, "samplingMethod",
              {SamplingMethod::kProbability, "PROBABILITY_SAMPLE", "Probability Sample"},
              {SamplingMethod::kNonProbability, "NON_PROBABILITY_SAMPLE", "Non-Probability Sample"})

enum class ContactRole { kStudyChair, kStudyDirector, kPrincipalInvestigator, kSubInvestigator, kContact };
TS_ENUM_TABLE(ContactRole, "role", {ContactRole::kStudyChair, "STUDY_CHAIR", "Study Chair"},
              {ContactRole::kStudyDirector, "STUDY_DIRECTOR", "Study Director"},
              {ContactRole::kPrincipalInvestigator, "PRINCIPAL_INVESTIGATOR", "Principal Investigator"},
              {ContactRole::kSubInvestigator, "SUB_INVESTIGATOR", "Sub-Investigator"},
              {ContactRole::kContact, "CONTACT", "Contact"})

enum class ReferenceType { kBackground, kResult, kDerived };
TS_ENUM_TABLE(ReferenceType, "referenceType", {ReferenceType::kBackground, "BACKGROUND", "Background"},
              {ReferenceType::kResult, "RESULT", "Result"}, {ReferenceType::kDerived, "DERIVED", "Derived"})

enum class SecondaryIdType {
  kNih, kFda, kVa, kCdc, kAhrq, kSamhsa, kOtherGrant, kEudractNumber, kCtis, kRegistry, kOther,
};
TS_ENUM_TABLE(SecondaryIdType, "secondaryIdType", {SecondaryIdType::kNih, "NIH", "U.S. NIH Grant/Contract"},
              {SecondaryIdType::kFda, "FDA", "U.S. FDA Grant/Contract"},
              {SecondaryIdType::kVa, "VA", "U.S. VA Grant/Contract"},
              {SecondaryIdType::kCdc, "CDC", "U.S. CDC Grant/Contract"},
              {SecondaryIdType::kAhrq, "AHRQ", "U.S. AHRQ Grant/Contract"},
              {SecondaryIdType::kSamhsa, "SAMHSA", "U.S. SAMHSA Grant/Contract"},
              {SecondaryIdType::kOtherGrant, "OTHER_GRANT", "Other Grant/Funding Number"},
              {SecondaryIdType::kEudractNumber, "EUDRACT_NUMBER", "EudraCT Number"},
              {SecondaryIdType::kCtis, "CTIS", "CTIS (EU)"},
              {SecondaryIdType::kRegistry, "REGISTRY", "Registry Identifier"},
              {SecondaryIdType::kOther, "OTHER", "Other Identifier"})

// TS_ENUM_TABLE stays defined: model/results.h declares the results enums with it.

// The API name of `v` ("RECRUITING").
template <typename E>
std::string_view ApiName(E v) {
  for (const auto& e : EnumTable<E>::kEntries)
    if (e.value == v) return e.api;
  return "";
}

// The human label of `v` ("Recruiting").
template <typename E>
std::string_view Label(E v) {
  for (const auto& e : EnumTable<E>::kEntries)
    if (e.value == v) return e.label;
  return "";
}

// Exact API name -> value; nullopt when unknown.
template <typename E>
std::optional<E> ParseApiName(std::string_view s) {
  for (const auto& e : EnumTable<E>::kEntries)
    if (e.api == s) return e.value;
  return std::nullopt;
}

// Label (case-insensitive) or API name -> value; nullopt when unknown.
std::optional<int> ParseLabelIndex(std::string_view s, const std::string_view* labels, const std::string_view* apis,
                                   size_t n);
template <typename E>
std::optional<E> ParseLabel(std::string_view s) {
  constexpr size_t n = EnumTable<E>::kEntries.size();
  std::string_view labels[n];
  std::string_view apis[n];
  for (size_t i = 0; i < n; ++i) {
    labels[i] = EnumTable<E>::kEntries[i].label;
    apis[i] = EnumTable<E>::kEntries[i].api;
  }
  auto i = ParseLabelIndex(s, labels, apis, n);
  if (!i) return std::nullopt;
  return EnumTable<E>::kEntries[static_cast<size_t>(*i)].value;
}

}  // namespace ts
