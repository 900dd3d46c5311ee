#include "search/postings_builder.h"

#include <cstring>

namespace ts {

uint32_t PostingsBuilder::NewList() {
  lists_.emplace_back();
  return static_cast<uint32_t>(lists_.size() - 1);
}

uint32_t* PostingsBuilder::Allocate(uint32_t words) {
  if (free_words_ < words) {
    chunks_.push_back(std::make_unique_for_overwrite<uint32_t[]>(kChunkWords));
    free_ = chunks_.back().get();
    free_words_ = kChunkWords;
  }
  uint32_t* p = free_;
  free_ += words;
  free_words_ -= words;
  return p;
}

void PostingsBuilder::NextSlice(ListState& s) {
  const uint32_t level = s.level + 1;
  uint32_t* next = Allocate(SliceWords(level));
  std::memcpy(s.write + s.left, &next, sizeof(next));  // the link sits at the end of the slice
  s.write = next;
  s.left = SliceWords(level) - kLinkWords;
  s.level = level;
}

void PostingsBuilder::StartDoc(ListState& s, DocId doc) {
  if (s.head == nullptr) {
    s.head = s.write = Allocate(SliceWords(0));
    s.left = SliceWords(0) - kLinkWords;
  } else if (s.left < kHeaderWords) {
    NextSlice(s);
  }
  s.header = s.write;
  s.header[0] = doc;
  s.header[1] = 0;
  s.header[2] = 0;
  s.write += kHeaderWords;
  s.left -= kHeaderWords;
  s.last_doc = doc;
  ++s.ndocs;
}

PostingList PostingsBuilder::Extract(uint32_t list) const {
  const ListState& s = lists_[list];
  PostingList out;
  if (s.head == nullptr) return out;
  std::vector<uint32_t> docs(s.ndocs), freqs(s.ndocs), pos_end(s.ndocs), positions;
  positions.reserve(s.npositions);
  // Walk the chain with the writer's rules: a header never straddles slices.
  const uint32_t* p = s.head;
  uint32_t left = SliceWords(0) - kLinkWords;
  uint32_t level = 0;
  auto follow = [&] {
    const uint32_t* next;
    std::memcpy(&next, p + left, sizeof(next));
    p = next;
    ++level;
    left = SliceWords(level) - kLinkWords;
  };
  for (uint32_t i = 0; i < s.ndocs; ++i) {
    if (left < kHeaderWords) follow();
    docs[i] = p[0];
    freqs[i] = p[1];
    uint32_t npos = p[2];
    p += kHeaderWords;
    left -= kHeaderWords;
    while (npos > 0) {
      if (left == 0) follow();
      uint32_t n = npos < left ? npos : left;
      positions.insert(positions.end(), p, p + n);
      p += n;
      left -= n;
      npos -= n;
    }
    pos_end[i] = static_cast<uint32_t>(positions.size());
  }
  out.docs = PodArray<DocId>::Adopt(std::move(docs));
  out.freqs = PodArray<uint32_t>::Adopt(std::move(freqs));
  out.pos_end = PodArray<uint32_t>::Adopt(std::move(pos_end));
  out.positions = PodArray<uint32_t>::Adopt(std::move(positions));
  return out;
}

uint64_t PostingsBuilder::MemoryBytes() const {
  return chunks_.size() * kChunkWords * sizeof(uint32_t) + lists_.capacity() * sizeof(ListState);
}

}  // namespace ts
