// Turns the field texts of documents into positional posting lists on worker threads.
//
// Documents are dealt to shards in chunks of kChunkDocs consecutive DocIds; each shard has its own
// thread, analyzer and term dictionary, so the threads share nothing while they work. A shard
// appends one small record (list, doc, position) per token to a block buffer — sequential writes
// only — and, when the block is full, sorts it by list (a stable radix sort, so docs and positions
// stay ascending) and appends each list's run to that list: every list is touched once per block
// instead of once per token. A list grows as a chain of slices in the shard's huge-page arena, so
// growing never copies. Finish() merges the shards' dictionaries, then writes each final list once,
// exactly sized, into an arena of the Output (a merge by DocId where a term occurs in several
// shards), on all threads.
//   TextInverter inv(/*threads=*/2);
//   inv.AddDoc(0, {{Field::kTitle, "Hetrombopag in ITP"}});  ...
//   TextInverter::Output out = inv.Finish();
// AddDoc and Finish are called from one thread; the texts are copied, so they need not outlive AddDoc.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "common/huge_arena.h"
#include "search/search_index.h"

namespace ts {

class TextInverter {
 public:
  static constexpr DocId kChunkDocs = 256;

  // `threads` shards (at least 1).
  explicit TextInverter(size_t threads);
  ~TextInverter();
  TextInverter(const TextInverter&) = delete;
  TextInverter& operator=(const TextInverter&) = delete;

  // Queues document `doc`'s texts, in field order of the caller (values of one field in order;
  // positions continue across a field's values with a gap, so a phrase cannot span two values).
  // Docs must be added in DocId order starting at 0.
  void AddDoc(DocId doc, const std::vector<std::pair<Field, std::string_view>>& texts);

  struct Output {
    // term -> list per field, -1: none (merged slots are -1: SearchIndex::Finalize makes those lists)
    absl::flat_hash_map<std::string, TermListIds> terms;
    std::vector<PostingList> lists;  // borrowed views into `arenas`
    std::vector<HugeArena> arenas;
    // The shards' used arenas: blocks already faulted in, for the caller's next arrays (Adopt).
    std::vector<HugeArena> spare;
    std::array<std::vector<uint32_t>, kFieldCount> field_len;  // indexed terms per field per doc
  };
  // Waits for the workers and merges their shards. Call once, after the last AddDoc.
  Output Finish(size_t doc_count);

 private:
  struct Batch;
  struct Shard;
  void Dispatch();
  // Lets each worker finish its queue and its last block, then joins it.
  void StopWorkers();

  std::vector<std::unique_ptr<Shard>> shards_;
  std::unique_ptr<Batch> pending_;  // the chunk being filled
};

}  // namespace ts
