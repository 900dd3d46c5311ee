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
// A check of a clinical note: CheckJson's fields, "presumedVerdict" (silence read as absence), "note" (the
// sentences, the facts read with their kind, context, sentence and byte span, and the reader's warnings), and per
// criterion "expertLabel", "labelBasis" and "sentences" (docs/PATIENT.md, Clinical notes).
std::string NoteCheckJson(const NoteCheckResult& result, const NoteReading& reading, const ConceptTable& concepts,
                          bool pretty = false);
// {"note": {sentences, facts, warnings}, "match": MatchJson of the note's patient}.
std::string NoteMatchJson(const MatchResult& result, const NoteReading& reading, const ConceptTable& concepts,
                          bool pretty = false);
// The "sentences", "facts" and "warnings" members of a note object (for pages and tools that show them).
class JsonWriter;
void NoteFactsJson(JsonWriter& w, const NoteReading& reading);
std::string SampleJson(const std::vector<SampledCriterion>& sample, const ConceptTable& concepts, bool pretty = false);

}  // namespace ts
