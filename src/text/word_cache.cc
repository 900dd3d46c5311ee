#include "text/word_cache.h"

#include <cstring>

namespace ts {

namespace {

uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

}  // namespace

namespace {
// Equal bytes of a and b, both `n` long, read with at most four loads and never past either end.
bool SameBytes(const char* a, const char* b, size_t n) {
  if (n >= 8) {
    if (Load64(a) != Load64(b)) return false;
    if (n > 16) return std::memcmp(a, b, n) == 0;
    return Load64(a + n - 8) == Load64(b + n - 8);
  }
  if (n >= 4) {
    uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, a, 4);
    std::memcpy(&y0, b, 4);
    std::memcpy(&x1, a + n - 4, 4);
    std::memcpy(&y1, b + n - 4, 4);
    return x0 == y0 && x1 == y1;
  }
  if (n == 0) return true;
  return a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1];
}
}  // namespace

bool WordCache::SameWord(const Entry& e, std::string_view word) const {
  const char* held = e.word_len <= kInlineBytes ? e.word.bytes : chars_.data() + e.word.off;
  return SameBytes(held, word.data(), word.size());
}

WordCache::Entry* WordCache::Find(std::string_view word, uint64_t hash) {
  if (slots_.empty()) return nullptr;
  const size_t mask = slots_.size() - 1;
  const uint32_t tag = static_cast<uint32_t>(hash);
  for (size_t i = tag & mask;; i = (i + 1) & mask) {
    Entry& e = slots_[i];
    if (!(e.bits & kUsed)) return nullptr;
    if (e.tag == tag && e.word_len == word.size() && SameWord(e, word)) return &e;
  }
}

WordCache::Entry* WordCache::Insert(std::string_view word, std::string_view term, bool stop, uint32_t memo,
                                    uint64_t hash) {
  const size_t extra = (word.size() > kInlineBytes ? word.size() : 0) + term.size();  // at most
  if (word.size() > kMaxWordBytes || term.size() > kMaxWordBytes || chars_.size() + extra > UINT32_MAX) {
    return nullptr;
  }
  if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
  Entry e;
  e.tag = static_cast<uint32_t>(hash);
  e.word_len = static_cast<uint16_t>(word.size());
  if (word.size() <= kInlineBytes) {
    std::memcpy(e.word.bytes, word.data(), word.size());
  } else {
    e.word.off = static_cast<uint32_t>(chars_.size());
    chars_.append(word);
  }
  if (word.size() > kInlineBytes && term == word) {
    e.term_off = e.word.off;  // a long word that is its own term is held once
  } else {
    e.term_off = static_cast<uint32_t>(chars_.size());
    chars_.append(term);
  }
  e.bits = static_cast<uint16_t>(kUsed | (stop ? kStop : 0) | term.size());
  e.memo = memo;
  const size_t mask = slots_.size() - 1;
  size_t i = e.tag & mask;
  while (slots_[i].bits & kUsed) i = (i + 1) & mask;
  slots_[i] = e;
  ++size_;
  return &slots_[i];
}

void WordCache::Grow() {
  std::vector<Entry> old;
  old.swap(slots_);
  slots_.assign(old.empty() ? 16 : old.size() * 2, Entry());  // small first: a query analyses a few words
  const size_t mask = slots_.size() - 1;
  for (const Entry& e : old) {
    if (!(e.bits & kUsed)) continue;
    size_t i = e.tag & mask;
    while (slots_[i].bits & kUsed) i = (i + 1) & mask;
    slots_[i] = e;
  }
}

size_t WordCache::MemoryBytes() const { return slots_.capacity() * sizeof(Entry) + chars_.capacity(); }

void WordCache::Clear() {
  slots_.clear();
  size_ = 0;
  chars_.clear();
}

}  // namespace ts
