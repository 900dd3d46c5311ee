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
#include "common/huge_arena.h"
#include "common/pod_array.h"
#include "model/study.h"
#include "search/doc_attrs.h"
#include "search/fields.h"
#include "search/site_grid.h"

namespace ts {

// Owned while the index is built; views into the mapped snapshot after LoadMapped.
// A field list (a term in one field) has positions; a merged list (a term in any field of an
// area, see kMergedAreaCount) has none, and its tf is already weighted by the area's fields.
struct PostingList {
  PodArray<DocId> docs;        // ascending
  // Per doc: what BM25F sums. As the inverter hands it over, the term frequency in the field; once
  // the index is finalised, that frequency times the field's length normalisation in the doc
  // (SearchIndex::InverseNorm), or for a merged list the sum over the area's fields of weight x that.
  PodArray<float> tf;
  // The positions of docs[i] are the bytes positions[pos_end[i-1] .. pos_end[i]): varints (7 bits a
  // byte, low bits first) of each position's distance from the one before (the first from 0), so
  // ascending; DecodePositions reads them. Both empty for a merged list.
  PodArray<uint32_t> pos_end;
  PodArray<uint8_t> positions;
  // Skip entries: skip[k] = docs[k * kSkipBlock + kSkipBlock - 1], the last doc of each full block,
  // for lists of at least 2 blocks (else empty). SkipTo searches these, then one block: a jump far
  // ahead reads a few cache lines instead of galloping across the list.
  PodArray<DocId> skip;
  static constexpr size_t kSkipBlock = 64;
  // Fills `skip` from `docs`, owned, or borrowed from `arena`.
  void BuildSkips();
  void BuildSkips(HugeArena* arena);
};

// Appends the positions encoded in [p, end) (see PostingList::positions) to `out`. Reads nothing
// past `end`: a varint cut off by `end` is dropped.
inline void DecodePositions(const uint8_t* p, const uint8_t* end, std::vector<uint32_t>* out) {
  uint32_t pos = 0, v = 0;
  int shift = 0;
  for (; p < end; ++p) {
    v |= static_cast<uint32_t>(*p & 0x7F) << (shift & 31);
    if (*p < 0x80) {
      out->push_back(pos += v);
      v = 0;
      shift = 0;
    } else {
      shift += 7;
    }
  }
}

// A term's lists: [f] for field f (f < kFieldCount), [kFieldCount + a.merged] for area a's merged
// list (only when the term occurs in two or more of the area's fields); -1 where there is none.
using TermListIds = std::array<int32_t, kTermSlots>;


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
  // The term's lists (see TermListIds), or nullptr if the term occurs nowhere: one lookup for a
  // term searched in many fields. Lists by id with List().
  const TermListIds* TermLists(const std::string& term) const;
  const PostingList& List(int32_t id) const { return lists_[static_cast<size_t>(id)]; }
  // BM25 length normalisation of a field in a document, inverted (Bm25Weight::InverseLengthNorm).
  float InverseNorm(Field f, DocId d) const { return inv_norm_[static_cast<size_t>(f)][d]; }
  // The studies' site coordinates, for distance filters.
  const SiteGrid& sites() const { return sites_; }

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
  // After inversion: turns field lists' term frequencies into normalised ones and builds the
  // merged lists of the multi-field areas, on worker threads; their arrays reuse `spare` first.
  void WeighLists(std::vector<HugeArena> spare);
  // Snapshot sections. Load* return false on truncated or inconsistent input.
  void SaveDocs(BinaryWriter* w) const;
  void SaveLists(BinaryWriter* w) const;
  bool LoadDocs(BinaryReader* r, size_t doc_count);
  bool LoadLists(BinaryReader* r, bool in_place);
  std::unique_ptr<Builder> build_;
  std::shared_ptr<const void> backing_;  // the mapped snapshot the posting lists view, if loaded so
  std::vector<DocAttrs> docs_;
  std::vector<HotAttrs> hot_;  // built by Finalize from docs_
  SiteGrid sites_;  // built by Finalize from docs_
  absl::flat_hash_map<std::string, DocId> by_key_;
  // term -> index into lists_ per field (-1 when absent)
  absl::flat_hash_map<std::string, TermListIds> terms_;
  std::vector<PostingList> lists_;
  std::vector<HugeArena> arenas_;  // the built lists' arrays (empty for a loaded index)
  std::array<std::vector<uint32_t>, kFieldCount> field_len_;
  std::array<std::vector<float>, kFieldCount> inv_norm_;
  uint64_t stats_fingerprint_ = 0;
  StringTable places_;
  StringTable facet_values_;
};

}  // namespace ts
