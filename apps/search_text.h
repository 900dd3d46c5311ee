// Terminal text for `trialscope search`: a table of hits (key, status, phase, title, what matched),
// the facet counts and the next page's token.
//   std::cout << SearchResultTable(*res, service.Listings(*res));
#pragma once

#include <string>
#include <vector>

#include "search/searcher.h"
#include "service/search_service.h"

namespace ts {

// `listings` has one entry per hit (SearchService::Listings).
std::string SearchResultTable(const SearchResult& result, const std::vector<StudyListing>& listings);

}  // namespace ts
