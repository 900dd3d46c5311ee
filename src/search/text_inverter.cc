#include "search/text_inverter.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <cstring>

#include "text/analyzer.h"
#include "text/word_cache.h"

namespace ts {

namespace {

// One token of a block: its list, its doc, its position; the high bit of `pos` says the token
// counts towards the term frequency (variant forms do not).
struct Record {
  uint32_t list;
  DocId doc;
  uint32_t pos;
};
constexpr uint32_t kCounts = 0x80000000u;
constexpr size_t kBlockRecords = size_t{1} << 23;  // ~96 MB per shard, plus as much to sort into
constexpr size_t kMaxQueuedBatches = 4;

// Stable LSD radix sort of `a` by list, 11 bits a pass; `tmp` is scratch.
void SortByList(std::vector<Record>* a, std::vector<Record>* tmp, uint32_t max_list) {
  const int bits = std::max(1, static_cast<int>(std::bit_width(max_list)));
  tmp->resize(a->size());
  for (int shift = 0; shift < bits; shift += 11) {
    std::array<size_t, 2048> start{};
    for (const Record& r : *a) ++start[(r.list >> shift) & 2047];
    size_t sum = 0;
    for (size_t& c : start) {
      const size_t n = c;
      c = sum;
      sum += n;
    }
    Record* out = tmp->data();
    for (const Record& r : *a) out[start[(r.list >> shift) & 2047]++] = r;
    a->swap(*tmp);
  }
}

// A list's postings while the index is built: a chain of slices in its shard's arena, each slice
// twice the size of the one before (up to 16 << kMaxLevel bytes), the pointer to the next one
// stored after its last byte. Appending never copies and never frees. Per doc, as varints: the
// doc's distance from the previous doc, tf, number of positions, the positions' distances from the
// previous position (the first from 0). Most are one byte: the streams stay small, and memory the
// build never touches is memory no one waits for.
struct Stream {
  uint8_t* cur = nullptr;   // the next byte to write
  uint8_t* end = nullptr;   // the end of the current slice (its link follows)
  uint8_t* head = nullptr;  // the first slice
  uint32_t level = 0;       // of the current slice
  uint32_t docs = 0;
  uint64_t position_bytes = 0;  // the positions' varints, which the final list keeps as they are
  DocId last_doc = 0;
};
constexpr size_t kFirstSliceBytes = 16;
constexpr uint32_t kMaxLevel = 14;  // 16 << 14 = 256 KiB
constexpr size_t SliceBytes(uint32_t level) { return kFirstSliceBytes << level; }

void NewSlice(Stream& s, HugeArena& arena) {
  const uint32_t level = s.head ? std::min(s.level + 1, kMaxLevel) : 0;
  const size_t bytes = SliceBytes(level);
  uint8_t* slice = arena.AllocateArray<uint8_t>(bytes + sizeof(uint8_t*));  // the slice, then its link
  if (s.head) {
    std::memcpy(s.end, &slice, sizeof slice);
  } else {
    s.head = slice;
  }
  s.level = level;
  s.cur = slice;
  s.end = slice + bytes;
}

// Writes `v` as a varint (7 bits a byte, low first); returns its length.
inline uint32_t PutVarint(Stream& s, uint32_t v, HugeArena& arena) {
  for (uint32_t len = 1;; ++len) {
    if (s.cur == s.end) NewSlice(s, arena);
    if (v < 0x80) {
      *s.cur++ = static_cast<uint8_t>(v);
      return len;
    }
    *s.cur++ = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
}

// Reads a Stream's docs in order.
class StreamReader {
 public:
  explicit StreamReader(const Stream& s) : cur_(s.head), end_(s.head + SliceBytes(0)), left_(s.docs) { Advance(); }
  bool done() const { return done_; }
  DocId doc() const { return doc_; }
  // Writes the current doc's tf, copies its positions' varints to `pos`, and moves to the next
  // doc. Returns the number of bytes copied.
  size_t Take(float* tf, uint8_t* pos) {
    *tf = static_cast<float>(Varint());
    const uint32_t n = Varint();
    uint8_t* out = pos;
    for (uint32_t k = 0; k < n;) {
      const uint8_t b = Byte();
      *out++ = b;
      k += b < 0x80;
    }
    Advance();
    return static_cast<size_t>(out - pos);
  }

 private:
  uint8_t Byte() {
    if (cur_ == end_) {
      const uint8_t* next;
      std::memcpy(&next, end_, sizeof next);
      level_ = std::min(level_ + 1, kMaxLevel);
      cur_ = next;
      end_ = next + SliceBytes(level_);
    }
    return *cur_++;
  }
  uint32_t Varint() {
    uint32_t v = 0;
    for (int shift = 0;; shift += 7) {
      const uint8_t b = Byte();
      v |= static_cast<uint32_t>(b & 0x7F) << shift;
      if (b < 0x80) return v;
    }
  }
  void Advance() {
    if (left_ == 0) {
      done_ = true;
      return;
    }
    --left_;
    doc_ += Varint();
  }
  const uint8_t* cur_;
  const uint8_t* end_;
  uint32_t level_ = 0;
  uint32_t left_;
  DocId doc_ = 0;
  bool done_ = false;
};

}  // namespace

struct TextInverter::Batch {
  struct Span {
    Field field;
    uint32_t doc;  // index in the batch
    size_t begin, end;
  };
  DocId first = 0;
  uint32_t docs = 0;
  std::string text;  // all the batch's texts, back to back
  std::vector<Span> spans;
};

struct TextInverter::Shard {
  // Shared with the dispatching thread.
  std::mutex mu;
  std::condition_variable has_work, has_space;
  std::deque<std::unique_ptr<Batch>> queue;
  bool closing = false;
  std::thread thread;

  // The worker's own.
  Analyzer analyzer;
  // term -> term id: the dictionary (memo = term id), and terms it cannot hold (too long).
  WordCache term_ids;
  absl::flat_hash_map<std::string, uint32_t> long_term_ids;
  std::vector<std::array<int32_t, kFieldCount>> term_lists;  // term id -> list per field
  HugeArena arena;
  std::vector<Stream> lists;
  std::vector<Record> records, scratch;
  std::vector<std::pair<DocId, std::array<uint32_t, kFieldCount>>> lens;

  void Run() {
    while (true) {
      std::unique_ptr<Batch> b;
      {
        std::unique_lock lock(mu);
        has_work.wait(lock, [&] { return closing || !queue.empty(); });
        if (queue.empty()) break;
        b = std::move(queue.front());
        queue.pop_front();
      }
      has_space.notify_one();
      Index(*b);
    }
    Flush();
    std::vector<Record>().swap(records);
    std::vector<Record>().swap(scratch);
  }

  void Index(const Batch& b) {
    size_t si = 0;
    for (uint32_t i = 0; i < b.docs; ++i) {
      const DocId d = b.first + i;
      std::array<uint32_t, kFieldCount> next_pos{}, len{};
      for (; si < b.spans.size() && b.spans[si].doc == i; ++si) {
        const Batch::Span& sp = b.spans[si];
        const size_t f = static_cast<size_t>(sp.field);
        const uint32_t base = next_pos[f];
        uint32_t last = base;
        std::string_view text(b.text.data() + sp.begin, sp.end - sp.begin);
        analyzer.Tokenize(text, true, [&](const Analyzer::TokenRef& t) {
          uint32_t tid;
          if (t.memo && *t.memo != Analyzer::kNoMemo) {
            tid = *t.memo;  // a word seen before: the analyzer kept its term id
          } else {
            tid = TermId(t.term);
            if (t.memo) *t.memo = tid;
          }
          int32_t& li = term_lists[tid][f];
          if (li < 0) {
            li = static_cast<int32_t>(lists.size());
            lists.emplace_back();
          }
          const uint32_t pos = base + t.position;
          records.push_back({static_cast<uint32_t>(li), d, pos | (t.variant ? 0 : kCounts)});
          last = std::max(last, pos + 1);
          if (!t.variant) ++len[f];
        });
        next_pos[f] = last + 8;  // a gap between the values of a multi-valued field
      }
      lens.emplace_back(d, len);
    }
    if (records.size() >= kBlockRecords) Flush();
  }

  // The id of `term`, a new one if it is new.
  uint32_t TermId(std::string_view term) {
    const uint64_t h = WordCache::Hash(term);
    if (const WordCache::Entry* e = term_ids.Find(term, h)) return e->memo;
    const uint32_t next = static_cast<uint32_t>(term_lists.size());
    if (!term_ids.Insert(term, term, false, next, h)) {
      auto [it, inserted] = long_term_ids.try_emplace(std::string(term), next);
      if (!inserted) return it->second;
    }
    term_lists.emplace_back().fill(-1);
    return next;
  }

  // Calls f(term, term id) for every term of the dictionary.
  template <typename F>
  void ForEachTerm(F f) const {
    term_ids.ForEach([&](const WordCache::Entry& e) { f(term_ids.Word(e), e.memo); });
    for (const auto& [term, tid] : long_term_ids) f(std::string_view(term), tid);
  }

  // Sorts the block by list and appends each list's run to it: per doc, its tf and its positions
  // (a position repeated by variant forms is stored once).
  void Flush() {
    if (records.empty()) return;
    SortByList(&records, &scratch, static_cast<uint32_t>(lists.size()));
    const Record* r = records.data();
    const Record* const end = r + records.size();
    while (r < end) {
      const uint32_t list = r->list;
      const DocId doc = r->doc;
      const Record* q = r;
      uint32_t tf = 0, npos = 0, last = 0;
      for (; q < end && q->list == list && q->doc == doc; ++q) {
        tf += (q->pos & kCounts) != 0;
        const uint32_t p = q->pos & ~kCounts;
        if (npos == 0 || p != last) ++npos;
        last = p;
      }
      Stream& st = lists[list];
      PutVarint(st, doc - st.last_doc, arena);  // docs ascend within a shard
      st.last_doc = doc;
      PutVarint(st, tf, arena);
      PutVarint(st, npos, arena);
      uint32_t prev = 0;
      for (uint32_t k = 0; r < q; ++r) {
        const uint32_t p = r->pos & ~kCounts;
        if (k == 0 || p != last) {
          st.position_bytes += PutVarint(st, p - prev, arena);  // distinct positions ascend within a doc
          prev = p;
          ++k;
        }
        last = p;
      }
      ++st.docs;
    }
    records.clear();
  }
};

TextInverter::TextInverter(size_t threads) {
  threads = std::max<size_t>(1, threads);
  for (size_t i = 0; i < threads; ++i) {
    shards_.push_back(std::make_unique<Shard>());
    Shard* s = shards_.back().get();
    s->thread = std::thread([s] { s->Run(); });
  }
}

TextInverter::~TextInverter() { StopWorkers(); }

void TextInverter::StopWorkers() {
  for (auto& s : shards_) {
    {
      std::lock_guard lock(s->mu);
      s->closing = true;
    }
    s->has_work.notify_one();
    if (s->thread.joinable()) s->thread.join();
  }
}

void TextInverter::AddDoc(DocId doc, const std::vector<std::pair<Field, std::string_view>>& texts) {
  if (pending_ && doc / kChunkDocs != pending_->first / kChunkDocs) Dispatch();
  if (!pending_) {
    pending_ = std::make_unique<Batch>();
    pending_->first = doc;
  }
  Batch& b = *pending_;
  const uint32_t i = doc - b.first;
  for (const auto& [field, text] : texts) {
    if (text.empty()) continue;
    const size_t begin = b.text.size();
    b.text.append(text);
    b.spans.push_back({field, i, begin, b.text.size()});
  }
  b.docs = i + 1;
}

void TextInverter::Dispatch() {
  if (!pending_) return;
  Shard& s = *shards_[(pending_->first / kChunkDocs) % shards_.size()];
  {
    std::unique_lock lock(s.mu);
    s.has_space.wait(lock, [&] { return s.queue.size() < kMaxQueuedBatches; });
    s.queue.push_back(std::move(pending_));
  }
  s.has_work.notify_one();
}

TextInverter::Output TextInverter::Finish(size_t doc_count) {
  Dispatch();
  StopWorkers();  // each worker sorts its last block before it ends
  Output out;
  for (auto& v : out.field_len) v.assign(doc_count, 0);
  // Number the final lists; parts[g * shards + k] is shard k's list for final list g (-1: none).
  const size_t shards = shards_.size();
  std::vector<int32_t> parts;
  for (size_t k = 0; k < shards; ++k) {
    Shard& s = *shards_[k];
    for (const auto& [d, len] : s.lens)
      for (size_t f = 0; f < kFieldCount; ++f) out.field_len[f][d] = len[f];
    s.ForEachTerm([&](std::string_view term, uint32_t tid) {
      auto [it, inserted] = out.terms.try_emplace(absl::string_view(term.data(), term.size()));
      if (inserted) it->second.fill(-1);
      for (size_t f = 0; f < kFieldCount; ++f) {
        const int32_t li = s.term_lists[tid][f];
        if (li < 0) continue;
        int32_t& g = it->second[f];
        if (g < 0) {
          g = static_cast<int32_t>(parts.size() / shards);
          parts.resize(parts.size() + shards, -1);
        }
        parts[static_cast<size_t>(g) * shards + k] = li;
      }
    });
  }
  // Each final list is written once, exactly sized, into its thread's arena: the parts merged by
  // DocId (shards hold alternate chunks of docs).
  const size_t list_count = parts.size() / std::max<size_t>(1, shards);
  out.lists.resize(list_count);
  out.arenas.resize(shards);
  std::atomic<size_t> next{0};
  constexpr size_t kListsPerGrab = 256;
  auto work = [&](HugeArena* arena) {
    std::vector<StreamReader> readers;
    for (size_t first; (first = next.fetch_add(kListsPerGrab)) < list_count;) {
      for (size_t g = first; g < std::min(list_count, first + kListsPerGrab); ++g) {
        readers.clear();
        size_t docs = 0, position_bytes = 0;
        for (size_t k = 0; k < shards; ++k) {
          const int32_t li = parts[g * shards + k];
          if (li < 0) continue;
          const Stream& st = shards_[k]->lists[static_cast<size_t>(li)];
          docs += st.docs;
          position_bytes += st.position_bytes;
          readers.emplace_back(st);
        }
        DocId* d = arena->AllocateArray<DocId>(docs);
        float* tf = arena->AllocateArray<float>(docs);
        uint32_t* pos_end = arena->AllocateArray<uint32_t>(docs);
        uint8_t* pos = arena->AllocateArray<uint8_t>(position_bytes);
        size_t written = 0;
        for (size_t i = 0; i < docs; ++i) {
          StreamReader* from = nullptr;
          for (StreamReader& rd : readers)
            if (!rd.done() && (!from || rd.doc() < from->doc())) from = &rd;
          d[i] = from->doc();
          written += from->Take(&tf[i], pos + written);
          pos_end[i] = static_cast<uint32_t>(written);
        }
        PostingList& pl = out.lists[g];
        pl.docs = PodArray<DocId>::Borrow(d, docs);
        pl.tf = PodArray<float>::Borrow(tf, docs);
        pl.pos_end = PodArray<uint32_t>::Borrow(pos_end, docs);
        pl.positions = PodArray<uint8_t>::Borrow(pos, position_bytes);
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < shards; ++t) pool.emplace_back(work, &out.arenas[t]);
  work(&out.arenas[0]);
  for (auto& th : pool) th.join();
  for (auto& sh : shards_) out.spare.push_back(std::move(sh->arena));
  shards_.clear();
  return out;
}

}  // namespace ts
