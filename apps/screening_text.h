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
// The facts read from a note, one a line with the sentence number, kind, context and words, then its warnings.
std::string NoteFactsText(const NoteReading& reading);
// A note's check: the verdict (and the verdict with silence read as absence), the facts read, then per
// criterion the result, the expert label with its basis and the sentences that decide it.
std::string NoteCheckText(const NoteCheckResult& result, const NoteReading& reading, const ConceptTable& concepts);

}  // namespace ts
