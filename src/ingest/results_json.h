// The API v2 resultsSection <-> StudyResults (model/results.h), for the study reader and writer
// (internal to ingest/).
#pragma once

#include <string>

#include "ingest/json_fields.h"
#include "model/results.h"

namespace ts::ingest_internal {

// Reads a resultsSection object; errors go to `r` with their path under `path` ("resultsSection").
StudyResults ReadResults(JsonFieldReader& r, object section, const std::string& path);

// Writes the members of a resultsSection object (the caller opens and closes it).
void WriteResults(JsonFieldWriter& w, const StudyResults& results);

}  // namespace ts::ingest_internal
