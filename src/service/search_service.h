// The search use case: an index of every current study in the store, searched with API v2
// parameters and rendered as API v2 JSON or a table.
//   auto svc = SearchService::Build(store);
//   auto req = ParseSearchParams({{"query.cond", "aplastic anemia"}});
//   auto res = (*svc)->Search(*req);   std::cout << (*svc)->ToJson(*res);
// Search is thread-safe; Build is not.
#pragma once

#include <memory>
#include <optional>
#include <unordered_map>
#include <string>
#include <vector>

#include "geo/gazetteer.h"
#include "search/alias_graph.h"
#include "search/related.h"
#include "search/searcher.h"
#include "service/search_params.h"
#include "store/study_store.h"

namespace ts {

class SearchService {
 public:
  // Indexes every current study of `store`; builds the alias graph from the curated list
  // (resources/aliases.tsv, built in), the store's loaded vocabularies and the records themselves.
  // With a gazetteer, sites without coordinates are placed at their city (for distance search
  // only; records are not changed) and `near=` place names are resolved.
  static Result<std::unique_ptr<SearchService>> Build(StudyStore& store, const Gazetteer* gazetteer = nullptr);

  // Writes the whole search state to `path` (atomically: a temporary file of a name no other writer uses,
  // then rename; see WriteFileAtomically), stamped with the store's data generation and whether a gazetteer
  // placed the sites. Each part (header, index, aliases, studies, IDs) is a section with a CRC-32C.
  Status SaveSnapshot(const std::string& path, int64_t generation) const;
  // Loads a snapshot written by SaveSnapshot; NotFound if absent, InvalidArgument if it is stale
  // (another generation or gazetteer use, or another snapshot format), Corruption if damaged: any changed byte fails a checksum (or the
  // magic and version), verified before anything is read. The caller then rebuilds.
  static Result<std::unique_ptr<SearchService>> LoadSnapshot(const std::string& path, int64_t generation,
                                                             const Gazetteer* gazetteer);
  // LoadSnapshot, else Build and SaveSnapshot. *note says why it rebuilt ("warning: the search snapshot is
  // damaged (...); rebuilding it from the store", or stale) and a failure to save, which is not fatal.
  static Result<std::unique_ptr<SearchService>> Open(StudyStore& store, const std::string& snapshot_path,
                                                     const Gazetteer* gazetteer, std::string* note);

  Result<SearchResult> Search(const SearchRequest& request) const;
  const SearchIndex& index() const { return index_; }
  const AliasGraph& aliases() const { return aliases_; }
  // The API v2 JSON of an indexed study.
  const std::string& StudyJson(DocId d) const { return study_json_[d]; }

  // {"studies": [...], "totalCount": N, "nextPageToken": "...", "hits": [{key, score, matches, distanceKm,
  //  nearestSite}], "facets": {...}, "query": "...", "warnings": [...]} — "studies" as ClinicalTrials.gov returns them.
  // `fields` projects each study (see ProjectStudyJson); InvalidArgument for an unknown field.
  Result<std::string> ToJson(const SearchResult& result, const std::vector<std::string>& fields = {},
                             bool pretty = false) const;
  // Studies most like the one with this ID (see FindRelated); NotFound for an unknown ID.
  Result<std::vector<RelatedStudy>> Related(const std::string& id, size_t k) const;
  // The same for an indexed study the caller has already parsed.
  std::vector<RelatedStudy> Related(DocId d, const Study& study, size_t k) const;
  static std::string RelatedToJson(const std::string& key, const std::vector<RelatedStudy>& related, bool pretty = false);

  // A place name resolved with the gazetteer ("Tianjin, China"); Unsupported without a gazetteer.
  Result<Place> ResolvePlace(std::string_view text) const;
  // The document of a study by NCT ID (any case), key, org study ID or secondary ID.
  std::optional<DocId> FindStudy(const std::string& id) const;
  // A table for the terminal: key, status, phase, title, what matched.
  std::string ToTable(const SearchResult& result) const;

 private:
  SearchIndex index_;
  AliasGraph aliases_;
  const Gazetteer* gazetteer_ = nullptr;
  std::vector<std::string> study_json_;
  std::unordered_map<std::string, DocId> ids_;  // lower-cased key, NCT, org and secondary IDs
};

}  // namespace ts
