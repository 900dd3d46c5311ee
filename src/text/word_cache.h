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
#include <cstring>
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

  // A 64-bit hash of the bytes of `word` (the same on every machine and run): wyhash's scheme of
  // 128-bit multiplies, with the loads of a short word done without a loop or a memcpy call.
  static uint64_t Hash(std::string_view word) {
    const char* p = word.data();
    size_t n = word.size();
    uint64_t h = kP0 ^ n;
    while (n > 16) {
      h = Mix(Load(p, 8) ^ kP1, Load(p + 8, 8) ^ h);
      p += 16;
      n -= 16;
    }
    uint64_t a = 0, b = 0;
    if (n >= 8) {
      a = Load(p, 8);
      b = Load(p + n - 8, 8);  // overlaps a when n < 16
    } else if (n >= 4) {
      a = Load(p, 4) << 32 | Load(p + n - 4, 4);
    } else if (n > 0) {
      a = uint64_t{static_cast<unsigned char>(p[0])} << 16 | uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
          static_cast<unsigned char>(p[n - 1]);
    }
    return Mix(a ^ kP1, b ^ h) ^ h;
  }

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
  static constexpr uint64_t kP0 = 0xa0761d6478bd642full, kP1 = 0xe7037ed1a0b428dbull;
  // Bytes p[0 .. n) (n = 4 or 8) as a little-endian number.
  static uint64_t Load(const char* p, size_t n) {
    if (n == 8) {
      uint64_t v;
      std::memcpy(&v, p, 8);
      return v;
    }
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  // The 128-bit product of a and b folded to 64 bits (wyhash's mixing step).
  static uint64_t Mix(uint64_t a, uint64_t b) {
    __extension__ using U128 = unsigned __int128;  // GCC and Clang
    const U128 m = static_cast<U128>(a) * b;
    return static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64);
  }
  static constexpr uint16_t kUsed = 0x8000, kStop = 0x4000, kLenMask = 0x3FFF;
  static_assert(kMaxWordBytes <= kLenMask);
  void Grow();
  bool SameWord(const Entry& e, std::string_view word) const;

  std::vector<Entry> slots_;  // open addressing, linear probing, at most 3/4 full
  size_t size_ = 0;
  std::string chars_;         // terms, and words longer than kInlineBytes
};

}  // namespace ts
