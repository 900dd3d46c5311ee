// ClinicalTrials.gov API v2 search parameters (and ours) -> SearchRequest. Shared by the CLI and HTTP.
//   Result<SearchRequest> r = ParseSearchParams({{"query.cond", "aplastic anemia"}, {"pageSize", "20"}});
// Unknown parameters and malformed values are InvalidArgument errors naming the parameter.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/params.h"
#include "common/status.h"
#include "search/searcher.h"

namespace ts {

// The parameter names ParseSearchParams accepts (for --help and validation).
const std::vector<std::string>& SearchParamNames();

Result<SearchRequest> ParseSearchParams(const Params& params);

// "distance(39.1,117.2,50km)" (km, mi) -> GeoFilter.
Result<GeoFilter> ParseGeoDistance(std::string_view text);

}  // namespace ts
