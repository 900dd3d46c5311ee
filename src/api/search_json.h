// API v2 JSON for search results and related studies.
//   auto res = service.Search(req);
//   Result<std::string> body = SearchResultJson(*res, service.Listings(*res), fields);
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "search/related.h"
#include "search/searcher.h"
#include "service/search_service.h"

namespace ts {

// {"studies": [...], "nextPageToken": "...", "totalCount": N, "hits": [{id, score, matches, distanceKm,
//  nearestSite}], "facets": {...}, "query": "...", "warnings": [...]}: "studies" as ClinicalTrials.gov
// returns them. `listings` has one entry per hit (SearchService::Listings). `fields` projects each study
// (see ProjectStudyJson); InvalidArgument for an unknown field.
Result<std::string> SearchResultJson(const SearchResult& result, const std::vector<StudyListing>& listings,
                                     const std::vector<std::string>& fields = {}, bool pretty = false);

// {"id": key, "related": [{"id", "briefTitle", "score", "shared": [...]}]}.
std::string RelatedJson(std::string_view key, const std::vector<RelatedStudy>& related, bool pretty = false);

}  // namespace ts
