#include "search/text_inverter.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "text/analyzer.h"

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

// Appends one token to a list (the PostingList contract: a repeated position is stored once).
void Append(PostingList& pl, DocId doc, uint32_t pos, bool counts) {
  if (pl.docs.empty() || pl.docs.back() != doc) {
    pl.docs.push_back(doc);
    pl.tf.push_back(0);
    pl.pos_end.push_back(static_cast<uint32_t>(pl.positions.size()));
  }
  if (counts) pl.tf.back_mut() += 1;
  const size_t doc_start = pl.pos_end.size() > 1 ? pl.pos_end[pl.pos_end.size() - 2] : 0;
  if (pl.positions.size() == doc_start || pl.positions.back() != pos) {
    pl.positions.push_back(pos);
    pl.pos_end.back_mut() = static_cast<uint32_t>(pl.positions.size());
  }
}

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
  absl::flat_hash_map<std::string, uint32_t> term_ids;
  std::vector<std::array<int32_t, kFieldCount>> term_lists;  // term id -> list per field
  std::vector<PostingList> lists;
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
            auto it = term_ids.find(absl::string_view(t.term.data(), t.term.size()));
            if (it == term_ids.end()) {
              tid = static_cast<uint32_t>(term_lists.size());
              term_ids.emplace(std::string(t.term), tid);
              term_lists.emplace_back().fill(-1);
            } else {
              tid = it->second;
            }
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

  // Sorts the block by list and appends each list's run to it.
  void Flush() {
    if (records.empty()) return;
    SortByList(&records, &scratch, static_cast<uint32_t>(lists.size()));
    for (const Record& r : records) Append(lists[r.list], r.doc, r.pos & ~kCounts, (r.pos & kCounts) != 0);
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
  std::vector<std::pair<int32_t, PostingList*>> merges;  // (list in out, a later shard's part of it)
  for (auto& v : out.field_len) v.assign(doc_count, 0);
  for (size_t k = 0; k < shards_.size(); ++k) {
    Shard& s = *shards_[k];
    for (const auto& [d, len] : s.lens)
      for (size_t f = 0; f < kFieldCount; ++f) out.field_len[f][d] = len[f];
    if (k == 0) {
      out.lists = std::move(s.lists);
      out.terms.reserve(s.term_ids.size());
      for (const auto& [term, tid] : s.term_ids) {
        TermListIds ids;
        ids.fill(-1);
        std::copy(s.term_lists[tid].begin(), s.term_lists[tid].end(), ids.begin());
        out.terms.emplace(term, ids);
      }
      continue;
    }
    for (const auto& [term, tid] : s.term_ids) {
      auto [it, inserted] = out.terms.try_emplace(term);
      if (inserted) it->second.fill(-1);
      for (size_t f = 0; f < kFieldCount; ++f) {
        const int32_t li = s.term_lists[tid][f];
        if (li < 0) continue;
        int32_t& g = it->second[f];
        PostingList& part = s.lists[static_cast<size_t>(li)];
        if (g < 0) {
          g = static_cast<int32_t>(out.lists.size());
          out.lists.push_back(std::move(part));
        } else {
          merges.emplace_back(g, &part);
        }
      }
    }
  }
  // Lists found in several shards are merged on worker threads: a list's parts in shard order on
  // one thread, different lists on different threads.
  std::stable_sort(merges.begin(), merges.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<size_t> group_starts;
  for (size_t m = 0; m < merges.size(); ++m)
    if (m == 0 || merges[m].first != merges[m - 1].first) group_starts.push_back(m);
  group_starts.push_back(merges.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t grp; (grp = next.fetch_add(1)) + 1 < group_starts.size();) {
      for (size_t m = group_starts[grp]; m < group_starts[grp + 1]; ++m) {
        PostingList& into = out.lists[static_cast<size_t>(merges[m].first)];
        into = MergeLists(into, *merges[m].second);
        *merges[m].second = PostingList();
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < shards_.size(); ++t) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  shards_.clear();
  return out;
}

PostingList TextInverter::MergeLists(const PostingList& a, const PostingList& b) {
  std::vector<uint32_t> docs, pos_end, positions;
  std::vector<float> tf;
  docs.reserve(a.docs.size() + b.docs.size());
  tf.reserve(docs.capacity());
  pos_end.reserve(docs.capacity());
  positions.reserve(a.positions.size() + b.positions.size());
  size_t i = 0, j = 0;
  auto take = [&](const PostingList& l, size_t k) {
    docs.push_back(l.docs[k]);
    tf.push_back(l.tf[k]);
    const uint32_t from = k == 0 ? 0 : l.pos_end[k - 1];
    positions.insert(positions.end(), l.positions.begin() + from, l.positions.begin() + l.pos_end[k]);
    pos_end.push_back(static_cast<uint32_t>(positions.size()));
  };
  while (i < a.docs.size() || j < b.docs.size()) {
    if (j == b.docs.size() || (i < a.docs.size() && a.docs[i] < b.docs[j])) {
      take(a, i++);
    } else {
      take(b, j++);
    }
  }
  PostingList out;
  out.docs = PodArray<DocId>::Adopt(std::move(docs));
  out.tf = PodArray<float>::Adopt(std::move(tf));
  out.pos_end = PodArray<uint32_t>::Adopt(std::move(pos_end));
  out.positions = PodArray<uint32_t>::Adopt(std::move(positions));
  return out;
}

}  // namespace ts
