// The search use case: an index of every current study in the store, searched with API v2
// parameters. The studies themselves are served from its catalog (StudyCatalog), the one place the
// layers above find a study by ID; hits and listings come back as view structs, and rendering them
// (JSON in api/, tables in apps/, HTML in web/) is left to the caller.
//   PosixFileSystem fs;
//   auto svc = SearchService::Open(store, "search.snapshot", gazetteer, fs, &note);
//   auto req = ParseSearchParams({{"query.cond", "aplastic anemia"}});
//   auto res = (*svc)->Search(*req);   auto rows = (*svc)->Listings(*res);
// Search and the lookups are thread-safe; Build is not.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/file_system.h"
#include "geo/gazetteer.h"
#include "search/alias_graph.h"
#include "search/related.h"
#include "search/searcher.h"
#include "service/search_params.h"
#include "service/study_catalog.h"
#include "store/study_store.h"

namespace ts {

// A site as the index placed it: the record's coordinates, or its city's from the gazetteer.
struct SiteView {
  std::string_view city, state, country;  // "" when the record has none
  std::optional<GeoPoint> geo;
  bool geocoded = false;  // geo comes from the gazetteer (city level), not the record
};

// What a listing shows of a study, read from the index (no JSON parsed). Views: valid while the
// service lives.
struct StudyListing {
  StudyView study;
  std::string_view brief_title;
  std::optional<OverallStatus> status;
  std::vector<Phase> phases;
  std::optional<SiteView> nearest_site;  // a hit's site nearest the geo filter (Listings only)
};

// Trials by location: how many distinct studies have a site in a country, and in each city of it.
struct CityCount {
  std::string name;
  int64_t studies = 0;
};
struct CountryCount {
  std::string name;
  int64_t studies = 0;
  std::vector<CityCount> cities;  // by name
};

class SearchService {
 public:
  // Indexes every current study of `store`; builds the alias graph from the curated list
  // (resources/aliases.tsv, built in), the store's loaded vocabularies and the records themselves.
  // With a gazetteer, sites without coordinates are placed at their city (for distance search
  // only; records are not changed) and `near=` place names are resolved.
  static Result<std::unique_ptr<SearchService>> Build(StudyStore& store, const Gazetteer* gazetteer = nullptr);

  // Writes the whole search state to `path` through `fs` (atomically: FileSystem::WriteAtomically), stamped
  // with the store's data generation and whether a gazetteer placed the sites. Each part (header, index,
  // aliases, catalog) is a section with a CRC-32C.
  Status SaveSnapshot(const FileSystem& fs, const std::string& path, int64_t generation) const;
  // Loads a snapshot written by SaveSnapshot; NotFound if absent, InvalidArgument if it is stale
  // (another generation or gazetteer use, or another snapshot format), Corruption if damaged: any changed byte fails a checksum (or the
  // magic and version), verified before anything is read. The caller then rebuilds.
  // The snapshot's bytes are used in place (Map) and kept as long as the service.
  static Result<std::unique_ptr<SearchService>> LoadSnapshot(const FileSystem& fs, const std::string& path,
                                                             int64_t generation, const Gazetteer* gazetteer);
  // LoadSnapshot, else Build and SaveSnapshot. *note says why it rebuilt ("warning: the search snapshot is
  // damaged (...); rebuilding it from the store", or stale) and a failure to save, which is not fatal.
  static Result<std::unique_ptr<SearchService>> Open(StudyStore& store, const std::string& snapshot_path,
                                                     const Gazetteer* gazetteer, const FileSystem& fs,
                                                     std::string* note);

  // Resolves a place name with the gazetteer (a warning says what it became), then searches. Errors name
  // the API parameter at fault ("pageToken is not valid for this query ...", "near: ...").
  Result<SearchResult> Search(const SearchQuery& query) const;
  // The engine and the alias graph, for benchmarks and tests; layers above use the calls around them.
  const SearchIndex& index() const { return index_; }
  const AliasGraph& aliases() const { return aliases_; }

  // Every served study, found by key or ID.
  const StudyCatalog& studies() const { return catalog_; }
  // The listing of a served study.
  StudyListing Listing(const StudyView& study) const;
  // One listing per hit of `result`, in its order, with the hit's nearest site.
  std::vector<StudyListing> Listings(const SearchResult& result) const;
  // A served study's sites as the index placed them, in the record's order.
  std::vector<SiteView> Sites(const StudyView& study) const;
  // Countries (by name) with their cities, counted over every served study.
  std::vector<CountryCount> StudiesByPlace() const;

  // Studies most like the one with this ID (see FindRelated); NotFound for an unknown ID.
  Result<std::vector<RelatedStudy>> Related(const std::string& id, size_t k) const;
  // The same for a served study the caller has already parsed.
  std::vector<RelatedStudy> Related(const StudyView& view, const Study& study, size_t k) const;

  // A place name resolved with the gazetteer ("Tianjin, China"); Unsupported without a gazetteer.
  Result<Place> ResolvePlace(std::string_view text) const;
  // The places an ambiguous name may mean, each with a name that resolves to it alone (see
  // Gazetteer::Candidates); empty without a gazetteer or when the name is not ambiguous.
  std::vector<Gazetteer::Candidate> PlaceCandidates(std::string_view text) const;

 private:
  SearchIndex index_;
  AliasGraph aliases_;
  const Gazetteer* gazetteer_ = nullptr;
  SiteView Site(const SiteAttrs& site) const;

  StudyCatalog catalog_;  // in DocId order: catalog ordinal == DocId (an implementation detail of this class)
};

}  // namespace ts
