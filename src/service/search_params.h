// ClinicalTrials.gov API v2 search parameters (and ours) -> SearchQuery. Shared by the CLI and HTTP.
//   Result<SearchQuery> q = ParseSearchParams({{"query.cond", "aplastic anemia"}, {"pageSize", "20"}});
// Unknown parameters and malformed values are InvalidArgument errors naming the parameter. The parameter
// names live here and in SearchService, never in the search engine (search/).
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

// A search as a user states it: the engine's request, and a place name (`near`, `radius`) that
// SearchService resolves into the request's geo filter with the gazetteer.
struct SearchQuery {
  SearchRequest request;
  std::string near_place;  // "Hangzhou, China"; "" for none (filter.geo, when given, wins)
  double near_radius_km = 100;
};

// Checks what needs no index: names, values, pageSize, and that a distance sort has a place to measure from.
Result<SearchQuery> ParseSearchParams(const Params& params);

// "distance(39.1,117.2,50km)" (km, mi) -> GeoFilter.
Result<GeoFilter> ParseGeoDistance(std::string_view text);

}  // namespace ts
