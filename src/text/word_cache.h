// A compact map from a word to what the analyzer made of it (its indexed term, whether it is a stop
// word) plus a caller's memo slot, built for the tokeniser's hot path.
//   WordCache cache;
//   uint64_t h = WordCache::Hash("platelets");
//   WordCache::Entry* e = cache.Find("platelets", h);
//   if (!e) e = cache.Insert("platelets", "platelet", /*stop=*/false, /*memo=*/0, h);
//   std::string_view term = cache.Term(*e);
//
// Why not a general hash map: a token costs one probe in an array of 8-byte slots (tag + entry
// number) and one compare of the word's bytes; entries and characters sit in arrays in the order
// words were first seen, so the frequent words of a corpus, seen early, stay together in cache.
// Not thread-safe. Entry pointers and views are valid until the next Insert or Clear.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ts {

class WordCache {
 public:
  struct Entry {
    uint32_t word_off = 0;  // in chars_
    uint32_t term_off = 0;
    uint16_t word_len = 0;
    uint16_t term_len = 0;
    bool stop = false;      // a stop word: not indexed
    uint32_t memo = 0;      // the caller's slot (set by Insert)
  };
  // Words longer than this are not cached (Insert refuses them; see CanHold).
  static constexpr size_t kMaxWordBytes = 1024;

  // A 64-bit hash of the bytes of `word` (the same on every machine and run).
  static uint64_t Hash(std::string_view word);

  // The entry of `word`, or nullptr. `hash` must be Hash(word).
  Entry* Find(std::string_view word, uint64_t hash);

  // Adds `word` (which must not be present) with its term; the memo starts as `memo`. Returns the
  // new entry, or nullptr when the cache cannot hold it (a word or term longer than kMaxWordBytes,
  // or 4 GiB of characters already held).
  Entry* Insert(std::string_view word, std::string_view term, bool stop, uint32_t memo, uint64_t hash);

  std::string_view Word(const Entry& e) const { return {chars_.data() + e.word_off, e.word_len}; }
  std::string_view Term(const Entry& e) const { return {chars_.data() + e.term_off, e.term_len}; }

  size_t size() const { return entries_.size(); }
  // The entries in the order they were inserted (i < size()).
  const Entry& entry(size_t i) const { return entries_[i]; }
  // Bytes held (slots, entries, characters).
  size_t MemoryBytes() const;
  void Clear();

 private:
  void Grow();

  // 0: empty; else (low 32 bits of the hash) << 32 | (entry index + 1).
  std::vector<uint64_t> slots_;
  std::vector<Entry> entries_;
  std::string chars_;
};

}  // namespace ts
