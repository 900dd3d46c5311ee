// Legacy ClinicalTrials.gov XML (<clinical_study>, the AllPublicXML format) -> Study.
//   Result<Study> s = ParseStudyXml(file_text);
// The field mapping is written down in docs/LEGACY_XML.md.
#pragma once

#include <string_view>

#include "common/status.h"
#include "model/study.h"

namespace ts {

// Returns the study, or InvalidArgument naming the element and the problem
// ("overall_status: unknown value \"Done\""). Elements we do not model are ignored
// (the importer keeps the raw record). Invalid UTF-8 sequences are read as U+FFFD.
Result<Study> ParseStudyXml(std::string_view xml);

// Strips the common indentation and the blank lines around a legacy <textblock>, and joins the
// hard-wrapped lines of each paragraph, keeping blank lines and list items as breaks.
std::string NormalizeTextblock(std::string_view text);

}  // namespace ts
