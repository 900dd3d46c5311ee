// Matching is a tree of iterators over ascending DocIds (after Xapian's PostList): one class per
// operator, each with Next() and SkipTo(); scoring (BM25F) is asked of the tree only for docs that
// pass the filters.
//   std::unique_ptr<DocIterator> it = BuildIterator(query.root, index);
//   for (; it->doc() != DocIterator::kEnd; it->Next()) { double s = it->Score(); ... }
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "search/query.h"
#include "search/search_index.h"

namespace ts {

// Which leaf of the query matched a document, through which alternative (alias), in which fields.
struct MatchExplanation {
  std::string source;       // the word or phrase as typed
  std::string matched;      // the alternative that matched (the word itself, or an alias)
  bool via_alias = false;
  std::vector<std::string> fields;  // field names
  bool operator==(const MatchExplanation&) const = default;
};

class DocIterator {
 public:
  static constexpr DocId kEnd = std::numeric_limits<DocId>::max();
  virtual ~DocIterator() = default;
  // The current document, or kEnd. Iterators start on their first document.
  virtual DocId doc() const = 0;
  virtual void Next() = 0;
  // Moves to the first document >= target (no-op if already there).
  virtual void SkipTo(DocId target) = 0;
  // BM25F score of the current document.
  virtual double Score() = 0;
  // Appends what matched at the current document.
  virtual void Explain(std::vector<MatchExplanation>* out) = 0;
  // An upper bound of the number of documents, to order AND children cheapest first.
  virtual size_t Cost() const = 0;
  // Takes up to `max` documents from the current one on, with their scores, and moves past them:
  // what a loop of doc(), Score(), Next() gives. Returns how many (0 at the end).
  virtual size_t NextBatch(DocId* docs, double* scores, size_t max) {
    size_t n = 0;
    for (; n < max && doc() != kEnd; Next(), ++n) {
      docs[n] = doc();
      scores[n] = Score();
    }
    return n;
  }
};

// The iterator tree for `node`. Never null: a query that cannot match yields an empty iterator.
std::unique_ptr<DocIterator> BuildIterator(const QueryNode& node, const SearchIndex& index);

// Restricts `it` to the documents set in `bits` (a bitset over DocIds), leapfrogging so that the
// sparser side drives. Scores and explanations come from `it`.
std::unique_ptr<DocIterator> RestrictTo(std::unique_ptr<DocIterator> it, const std::vector<uint64_t>& bits);

}  // namespace ts
