// Executes a search over a SearchIndex: the text query, filters, facets, sorting and paging.
//   Searcher searcher(index);
//   SearchRequest req;  req.queries = {{"query.cond", "aplastic anemia"}};  req.page_size = 20;
//   Result<SearchResult> r = searcher.Search(req);   // r->total, r->hits, r->next_page_token, r->facets
// Paging is "search after": the token holds the sort values and key of the last hit, so pages stay
// consistent (no repeats, no gaps for unchanged studies) while the index is rebuilt. A token is
// only returned when more hits exist, so a page after a token is never empty.
// Thread-safe: Search() is const and allocates its own analyzer.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "search/alias_graph.h"
#include "search/doc_iterator.h"
#include "search/facets.h"
#include "search/search_index.h"

namespace ts {

struct DateRange {
  PartialDate from;  // empty: open
  PartialDate to;    // empty: open
  bool operator==(const DateRange&) const = default;
};

struct GeoFilter {
  double lat = 0;
  double lon = 0;
  double radius_km = 50;
  bool operator==(const GeoFilter&) const = default;
};

struct SearchFilters {
  std::vector<OverallStatus> statuses;
  std::vector<std::string> ids;  // NCT IDs or study keys
  std::vector<Phase> phases;
  std::vector<StudyType> study_types;
  std::optional<Sex> sex;  // FEMALE: studies open to women (FEMALE or ALL); ALL: studies open to both
  std::optional<bool> healthy_volunteers;
  std::optional<bool> has_results;
  std::vector<AgencyClass> funder_types;
  std::vector<InterventionType> intervention_types;
  std::vector<std::string> countries;  // any site in one of them (exact, case-insensitive)
  std::vector<std::string> states;
  std::vector<std::string> cities;
  std::optional<DateRange> start_date;
  std::optional<DateRange> last_update;
  std::optional<int64_t> enrollment_min;
  std::optional<int64_t> enrollment_max;
  // Studies that accept a patient of this age; a study without a minimum or maximum is open on that side.
  std::optional<double> accepts_age_years;
  std::optional<GeoFilter> geo;
  bool operator==(const SearchFilters&) const = default;
};

enum class SortField { kRelevance, kLastUpdate, kStartDate, kEnrollment, kDistance };
struct SortKey {
  SortField field = SortField::kRelevance;
  bool descending = true;
  bool operator==(const SortKey&) const = default;
};

struct SearchRequest {
  std::vector<std::pair<std::string, std::string>> queries;  // (area param, query text), ANDed
  SearchFilters filters;
  std::vector<SortKey> sort;  // up to 2; default relevance
  int page_size = 10;         // 1 .. 1000
  std::string page_token;
  std::vector<std::string> facets;  // facet names; empty: none
  bool explain = true;              // report what matched on each hit
  bool expand_aliases = true;       // also match aliases of each word (needs an AliasGraph)
};

struct Hit {
  std::string key;
  std::string brief_title;
  double score = 0;
  std::vector<MatchExplanation> matches;
  std::optional<double> distance_km;  // with a geo filter or distance sort: the nearest site
  std::optional<size_t> nearest_site;  // index into the study's locations
};

struct SearchResult {
  int64_t total = 0;
  std::vector<Hit> hits;
  std::string next_page_token;  // empty on the last page
  std::map<std::string, std::vector<FacetCount>> facets;
  std::vector<std::string> warnings;
  std::string query;  // the parsed query, printed
};

class Searcher {
 public:
  // `aliases` may be null (no expansion).
  explicit Searcher(const SearchIndex& index, const AliasGraph* aliases = nullptr) : index_(index), aliases_(aliases) {}
  // InvalidArgument for a malformed query, a bad token, a page size out of range, an unknown facet.
  Result<SearchResult> Search(const SearchRequest& request) const;

  // Whether request.page_token can continue `request` on this index, without searching: a caller that
  // speaks to users words the refusal in its own terms. Search refuses the same tokens.
  enum class TokenCheck { kNone, kValid, kMalformed, kStale };  // kNone: no token; kStale: ranks changed
  TokenCheck CheckPageToken(const SearchRequest& request) const;

 private:
  const SearchIndex& index_;
  const AliasGraph* aliases_;
};

// Great-circle distance in km.
double HaversineKm(double lat1, double lon1, double lat2, double lon2);

}  // namespace ts
