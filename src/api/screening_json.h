// JSON for the eligibility use cases (ScreeningService): a study's criteria beside their rules, one
// patient checked against one study, a patient matched against the registry, and a review sample.
// `concepts` names the concepts in rules (ScreeningService::concepts()).
//   auto check = screening.Check("NCT07334093", patient, as_of);
//   std::string body = CheckJson(*check, screening.concepts());
#pragma once

#include <string>
#include <vector>

#include "eligibility/concepts.h"
#include "eligibility/patient.h"
#include "service/screening_service.h"

namespace ts {

std::string CriteriaJson(const CompiledStudy& study, const ConceptTable& concepts, bool pretty = false);
std::string CheckJson(const StudyCheckResult& result, const ConceptTable& concepts, bool pretty = false);
// Hits with their verdict, open questions and (for the first `explain` hits) the reasons.
std::string MatchJson(const MatchResult& result, const Patient& patient, const ConceptTable& concepts,
                      bool pretty = false);
std::string SampleJson(const std::vector<SampledCriterion>& sample, const ConceptTable& concepts, bool pretty = false);

}  // namespace ts
