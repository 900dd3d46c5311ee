// A compact map from a word to what the analyzer made of it (its indexed term, whether it is a stop
// word) plus a caller's memo slot, built for the tokeniser's hot path.
//   WordCache cache;
//   uint64_t h = WordCache::Hash("platelets");
//   WordCache::Entry* e = cache.Find("platelets", h);
//   if (!e) e = cache.Insert("platelets", "platelet", /*stop=*/false, /*memo=*/0, h);
//   std::string_view term = cache.Term(*e);
//
// Why not a general hash map: a lookup reads one 32-byte slot. The slot holds the hash's low bits,
// the lengths, the memo and, for a word of up to 16 bytes (nearly all), the word itself, compared
// with two loads; only longer words and the terms live in a separate character array.
// Not thread-safe. Entry pointers and views are valid until the next Insert or Clear.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ts {

class WordCache {
 public:
  static constexpr size_t kInlineBytes = 16;
  struct alignas(32) Entry {
    uint32_t tag = 0;        // the low 32 bits of the word's hash
    uint16_t word_len = 0;
    uint16_t bits = 0;       // kUsed | kStop | term length
    uint32_t memo = 0;       // the caller's slot (set by Insert)
    uint32_t term_off = 0;   // in chars_
    union {
      char bytes[kInlineBytes];  // the word, when it has at most kInlineBytes bytes
      uint32_t off;              // else its offset in chars_
    } word{};
    bool stop() const { return (bits & kStop) != 0; }  // a stop word: not indexed
  };
  // Words or terms longer than this are not cached (Insert refuses them).
  static constexpr size_t kMaxWordBytes = 1024;

  // A 64-bit hash of the bytes of `word` (the same on every machine and run).
  static uint64_t Hash(std::string_view word);

  // The entry of `word`, or nullptr. `hash` must be Hash(word).
  Entry* Find(std::string_view word, uint64_t hash);

  // Adds `word` (which must not be present) with its term; the memo starts as `memo`. Returns the
  // new entry, or nullptr when the cache cannot hold it (a word or term longer than kMaxWordBytes,
  // or 4 GiB of characters already held).
  Entry* Insert(std::string_view word, std::string_view term, bool stop, uint32_t memo, uint64_t hash);

  std::string_view Word(const Entry& e) const {
    return e.word_len <= kInlineBytes ? std::string_view(e.word.bytes, e.word_len)
                                      : std::string_view(chars_.data() + e.word.off, e.word_len);
  }
  std::string_view Term(const Entry& e) const {
    return {chars_.data() + e.term_off, static_cast<size_t>(e.bits & kLenMask)};
  }

  size_t size() const { return size_; }
  // Calls f(entry) for every entry, in no particular order.
  template <typename F>
  void ForEach(F f) const {
    for (const Entry& e : slots_)
      if (e.bits & kUsed) f(e);
  }
  // Bytes held (slots and characters).
  size_t MemoryBytes() const;
  void Clear();

 private:
  static constexpr uint16_t kUsed = 0x8000, kStop = 0x4000, kLenMask = 0x3FFF;
  static_assert(kMaxWordBytes <= kLenMask);
  void Grow();
  bool SameWord(const Entry& e, std::string_view word) const;

  std::vector<Entry> slots_;  // open addressing, linear probing, at most 3/4 full
  size_t size_ = 0;
  std::string chars_;         // terms, and words longer than kInlineBytes
};

}  // namespace ts
