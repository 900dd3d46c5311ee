// The in-memory search index: per-field positional postings for BM25F, plus per-study attributes
// for filters, facets and sorting. Built once from a StudyStore, then read-only (thread-safe reads).
//   SearchIndex index;
//   index.Add(stored_study); ... index.Finalize();
//   const PostingList* p = index.Postings(Field::kCondition, "thrombocytopenia");
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "common/binary_io.h"
#include "common/pod_array.h"
#include "model/study.h"
#include "search/fields.h"

namespace ts {

using DocId = uint32_t;

// Owned while the index is built; views into the mapped snapshot after LoadMapped.
struct PostingList {
  PodArray<DocId> docs;        // ascending
  PodArray<uint32_t> freqs;    // term frequency in the field, per doc
  PodArray<uint32_t> pos_end;  // positions of docs[i] are positions[pos_end[i-1] .. pos_end[i])
  PodArray<uint32_t> positions;
};

// Interned strings for facet and filter values (countries, cities, conditions ...).
class StringTable {
 public:
  void Save(BinaryWriter* w) const;
  bool Load(BinaryReader* r);
  uint32_t Intern(const std::string& s);
  // kNone if absent.
  uint32_t Find(const std::string& s) const;
  const std::string& Get(uint32_t id) const { return values_[id]; }
  size_t size() const { return values_.size(); }
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::string> values_;
};

struct SiteAttrs {
  uint32_t country = StringTable::kNone;
  uint32_t state = StringTable::kNone;
  uint32_t city = StringTable::kNone;
  std::optional<GeoPoint> geo;
  bool geocoded = false;  // geo comes from the gazetteer (city level), not the record
  std::optional<OverallStatus> status;
};

// What filters, facets and sorting need of one study, without parsing it.
struct DocAttrs {
  std::string key;
  std::string brief_title;
  std::optional<OverallStatus> status;
  uint32_t phase_mask = 0;  // bit i: Phase with underlying value i
  std::optional<StudyType> study_type;
  std::optional<Sex> sex;
  std::optional<bool> healthy_volunteers;
  bool has_results = false;
  std::optional<AgencyClass> funder;
  uint32_t intervention_type_mask = 0;
  int64_t start_days = kNoDate;
  int64_t last_update_days = kNoDate;
  int64_t enrollment = -1;
  double min_age_days = -1;  // -1: no lower limit
  double max_age_days = -1;  // -1: no upper limit
  std::vector<SiteAttrs> sites;
  std::vector<uint32_t> conditions;     // facet value ids (display forms)
  std::vector<uint32_t> interventions;
  static constexpr int64_t kNoDate = std::numeric_limits<int64_t>::min();
};

// The attributes most filters and facets read, packed in 8 bytes per study so that scanning many
// matches stays in cache. 255 means "not given".
struct HotAttrs {
  uint8_t status = 255;
  uint8_t phase_mask = 0;
  uint8_t study_type = 255;
  uint8_t sex = 255;
  uint8_t funder = 255;
  uint8_t healthy = 255;  // 0 / 1 / 255
  uint16_t intervention_type_mask = 0;
};
static_assert(sizeof(HotAttrs) == 8);

class SearchIndex {
 public:
  SearchIndex();
  ~SearchIndex();
  SearchIndex(SearchIndex&&) noexcept;
  SearchIndex& operator=(SearchIndex&&) noexcept;

  // Adds a study as the next document. Call Finalize() once all are added (an index is built once:
  // no Add after Finalize or Load). `site_geo`, if given, holds coordinates for sites that have
  // none in the record (same order as study.locations).
  void Add(const std::string& key, const Study& study, const std::vector<std::optional<GeoPoint>>* site_geo = nullptr);
  void Finalize();

  // Snapshot: Save writes everything; Load replaces this index (and finalises it). Load returns
  // Corruption on a truncated or inconsistent snapshot and leaves the index empty.
  void Save(BinaryWriter* w) const;
  // With `backing` (the memory `r` reads, kept alive by the index) the posting lists are used in
  // place instead of copied: a restart maps the snapshot rather than rebuilding millions of arrays.
  Status Load(BinaryReader* r, std::shared_ptr<const void> backing = nullptr);

  size_t doc_count() const { return docs_.size(); }
  const DocAttrs& doc(DocId d) const { return docs_[d]; }
  const HotAttrs& hot(DocId d) const { return hot_[d]; }
  // nullptr if the term does not occur in the field.
  const PostingList* Postings(Field f, const std::string& term) const;
  // The term's list per field (-1: none), or nullptr if the term occurs nowhere: one lookup for
  // a term searched in many fields. Lists by id with List().
  const std::array<int32_t, kFieldCount>* TermLists(const std::string& term) const;
  const PostingList& List(int32_t id) const { return lists_[static_cast<size_t>(id)]; }
  // BM25 length normalisation of a field in a document, inverted: 1 / ((1-b) + b * len / avg_len).
  float InverseNorm(Field f, DocId d) const { return inv_norm_[static_cast<size_t>(f)][d]; }
  // Studies with a site in the 1-degree cells that cover [lat0, lat1] x [lon0, lon1] (lon may wrap),
  // as a bitset over DocIds (a superset of those within any circle inside the box).
  std::vector<uint64_t> StudiesInBox(double lat0, double lat1, double lon0, double lon1) const;

  // A fingerprint of the statistics relevance scores depend on (document count, field lengths):
  // two indexes with the same fingerprint score every document the same.
  uint64_t stats_fingerprint() const { return stats_fingerprint_; }
  // Approximate heap bytes held by the index (postings, positions, attributes).
  uint64_t MemoryBytes() const;
  // The document of a study key, if indexed.
  std::optional<DocId> FindKey(const std::string& key) const;

  const StringTable& places() const { return places_; }
  const StringTable& facet_values() const { return facet_values_; }

 private:
  struct Builder;  // the text inverter (worker threads), while documents are added
  std::unique_ptr<Builder> build_;
  std::shared_ptr<const void> backing_;  // the mapped snapshot the posting lists view, if loaded so
  std::vector<DocAttrs> docs_;
  std::vector<HotAttrs> hot_;  // built by Finalize from docs_
  std::unordered_map<int32_t, std::vector<DocId>> geo_cells_;  // 1-degree cell -> studies with a site there
  std::unordered_map<std::string, DocId> by_key_;
  // term -> index into lists_ per field (-1 when absent)
  absl::flat_hash_map<std::string, std::array<int32_t, kFieldCount>> terms_;
  std::vector<PostingList> lists_;
  std::array<std::vector<uint32_t>, kFieldCount> field_len_;
  std::array<std::vector<float>, kFieldCount> inv_norm_;
  uint64_t stats_fingerprint_ = 0;
  StringTable places_;
  StringTable facet_values_;
};

}  // namespace ts
