// Legacy XML <clinical_results> -> StudyResults (model/results.h), for the legacy reader (internal to
// ingest/). The mapping is in docs/LEGACY_XML.md ("Results").
#pragma once

#include <pugixml.hpp>

#include "common/status.h"
#include "model/results.h"

namespace ts::ingest_internal {

// Fills `out` from a <clinical_results> element. An unknown enumerated value (a <param>, <type>,
// <dispersion>, ...) is InvalidArgument naming its element path, as elsewhere in the legacy reader.
Status ReadXmlResults(pugi::xml_node clinical_results, StudyResults* out);

}  // namespace ts::ingest_internal
