// Terminal text for `trialscope criteria`, `check` and `criteria --sample`: each criterion beside the
// rule it became (and, for a check, its truth, evidence and questions).
//   std::cout << CheckText(*check, screening.concepts());
#pragma once

#include <string>
#include <vector>

#include "eligibility/concepts.h"
#include "service/screening_service.h"

namespace ts {

std::string SampleText(const std::vector<SampledCriterion>& sample, const ConceptTable& concepts);
std::string CriteriaText(const CompiledStudy& study, const ConceptTable& concepts);
std::string CheckText(const StudyCheckResult& result, const ConceptTable& concepts);

}  // namespace ts
