// Field projection of API v2 study objects (the API's `fields` parameter).
//   Result<std::string> j = ProjectStudyJson(study_json, {"NCTId", "protocolSection.statusModule"});
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ts {

// Keeps only the requested fields of an API v2 study object. A field is a dotted path
// ("protocolSection.statusModule") or a ClinicalTrials.gov piece name ("NCTId", "BriefTitle",
// "OverallStatus", ...). No fields: the whole object. InvalidArgument names an unknown field.
Result<std::string> ProjectStudyJson(std::string_view study_json, const std::vector<std::string>& fields);

}  // namespace ts
