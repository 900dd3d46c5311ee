// Accumulates positional posting lists while documents are added in DocId order, the way Lucene's
// indexing chain does: every list writes into its own chain of growing slices carved from one
// shared pool, so adding a token touches the list's small state and the tail of its current slice
// only — no per-list vectors to grow, copy and chase through cold memory. Finalising turns each
// chain into the PostingList arrays the iterators read.
//   PostingsBuilder b;
//   uint32_t l = b.NewList();
//   b.Add(l, /*doc=*/0, /*pos=*/3, /*counts=*/true);
//   PostingList out = b.Extract(l);
// Not thread-safe; one builder per index being built.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "search/search_index.h"

namespace ts {

class PostingsBuilder {
 public:
  PostingsBuilder() = default;
  PostingsBuilder(const PostingsBuilder&) = delete;
  PostingsBuilder& operator=(const PostingsBuilder&) = delete;

  // A new empty list; ids are dense from 0.
  uint32_t NewList();
  size_t list_count() const { return lists_.size(); }

  // Records that the list's term occurs at `pos` of `doc`. Per list, docs must not decrease and
  // positions within a doc must not decrease; a repeated position is stored once. `counts` is
  // false for a variant form (a part of "il-11"): it adds the position, not the frequency.
  void Add(uint32_t list, DocId doc, uint32_t pos, bool counts) {
    ListState& s = lists_[list];
    if (s.head == nullptr || s.last_doc != doc) {
      StartDoc(s, doc);
    } else if (s.last_pos == pos) {
      if (counts) ++s.header[1];
      return;
    }
    if (counts) ++s.header[1];
    if (s.left == 0) NextSlice(s);
    *s.write++ = pos;
    --s.left;
    ++s.header[2];
    ++s.npositions;
    s.last_pos = pos;
  }

  // The list's postings: docs ascending, frequencies, position ends and positions.
  PostingList Extract(uint32_t list) const;

  // Bytes held by the pool and the list states.
  uint64_t MemoryBytes() const;

 private:
  // Slices hold uint32 words; the last kLinkWords of a full slice point to the next slice. A doc
  // entry is a header [doc, freq, position count] (never split across slices) and its positions.
  static constexpr uint32_t kLinkWords = 2;
  static constexpr uint32_t kHeaderWords = 3;
  static constexpr size_t kChunkWords = size_t{1} << 22;  // 16 MB pool chunks
  static uint32_t SliceWords(uint32_t level) { return level < 9 ? 8u << level : 4096u; }

  struct ListState {
    uint32_t* head = nullptr;    // first slice
    uint32_t* write = nullptr;   // next free word of the current slice
    uint32_t* header = nullptr;  // the current doc's header
    uint32_t left = 0;           // words left in the current slice before its link
    uint32_t level = 0;          // the current slice's size class
    DocId last_doc = 0;
    uint32_t last_pos = 0;
    uint32_t ndocs = 0;
    uint32_t npositions = 0;
  };

  void StartDoc(ListState& s, DocId doc);
  void NextSlice(ListState& s);
  uint32_t* Allocate(uint32_t words);

  std::vector<ListState> lists_;
  std::vector<std::unique_ptr<uint32_t[]>> chunks_;
  uint32_t* free_ = nullptr;  // bump pointer in the last chunk
  size_t free_words_ = 0;
};

}  // namespace ts
