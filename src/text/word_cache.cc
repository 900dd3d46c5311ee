#include "text/word_cache.h"

#include <cstring>

namespace ts {

namespace {

uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// The 128-bit product of a and b folded to 64 bits (the mixing step of wyhash).
uint64_t Mix(uint64_t a, uint64_t b) {
  __extension__ using U128 = unsigned __int128;  // GCC and Clang
  const U128 m = static_cast<U128>(a) * b;
  return static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64);
}

constexpr uint64_t kP0 = 0xa0761d6478bd642full;
constexpr uint64_t kP1 = 0xe7037ed1a0b428dbull;

}  // namespace

uint64_t WordCache::Hash(std::string_view word) {
  const char* p = word.data();
  size_t n = word.size();
  uint64_t h = kP0 ^ n;
  while (n >= 16) {
    h = Mix(Load64(p) ^ kP1, Load64(p + 8) ^ h);
    p += 16;
    n -= 16;
  }
  uint64_t a = 0, b = 0;
  if (n >= 8) {
    a = Load64(p);
    b = Load64(p + n - 8);  // overlaps a when n < 16: fine for a hash
  } else if (n > 0) {
    std::memcpy(&a, p, n);
  }
  return Mix(a ^ kP1, b ^ h) ^ h;
}

WordCache::Entry* WordCache::Find(std::string_view word, uint64_t hash) {
  if (slots_.empty()) return nullptr;
  const size_t mask = slots_.size() - 1;
  const uint32_t tag = static_cast<uint32_t>(hash);
  for (size_t i = tag & mask;; i = (i + 1) & mask) {
    const uint64_t s = slots_[i];
    if (s == 0) return nullptr;
    if (static_cast<uint32_t>(s >> 32) != tag) continue;
    Entry& e = entries_[static_cast<uint32_t>(s) - 1];
    if (e.word_len == word.size() && std::memcmp(chars_.data() + e.word_off, word.data(), word.size()) == 0)
      return &e;
  }
}

WordCache::Entry* WordCache::Insert(std::string_view word, std::string_view term, bool stop, uint32_t memo,
                                    uint64_t hash) {
  if (word.size() > kMaxWordBytes || term.size() > kMaxWordBytes ||
      chars_.size() + word.size() + term.size() > UINT32_MAX) {
    return nullptr;
  }
  if ((entries_.size() + 1) * 2 > slots_.size()) Grow();
  Entry e;
  e.word_off = static_cast<uint32_t>(chars_.size());
  e.word_len = static_cast<uint16_t>(word.size());
  chars_.append(word);
  if (term == word) {
    e.term_off = e.word_off;
  } else {
    e.term_off = static_cast<uint32_t>(chars_.size());
    chars_.append(term);
  }
  e.term_len = static_cast<uint16_t>(term.size());
  e.stop = stop;
  e.memo = memo;
  entries_.push_back(e);
  const size_t mask = slots_.size() - 1;
  const uint32_t tag = static_cast<uint32_t>(hash);
  size_t i = tag & mask;
  while (slots_[i] != 0) i = (i + 1) & mask;
  slots_[i] = (uint64_t{tag} << 32) | entries_.size();
  return &entries_.back();
}

void WordCache::Grow() {
  std::vector<uint64_t> old;
  old.swap(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
  const size_t mask = slots_.size() - 1;
  for (uint64_t s : old) {
    if (s == 0) continue;
    size_t i = static_cast<uint32_t>(s >> 32) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

size_t WordCache::MemoryBytes() const {
  return slots_.capacity() * sizeof(uint64_t) + entries_.capacity() * sizeof(Entry) + chars_.capacity();
}

void WordCache::Clear() {
  slots_.clear();
  entries_.clear();
  chars_.clear();
}

}  // namespace ts
