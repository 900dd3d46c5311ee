#include "search/doc_iterator.h"

#include <algorithm>

#include "search/bm25_weight.h"

namespace ts {

namespace {

class EmptyIterator final : public DocIterator {
 public:
  DocId doc() const override { return kEnd; }
  void Next() override {}
  void SkipTo(DocId) override {}
  double Score() override { return 0; }
  void Explain(std::vector<MatchExplanation>*) override {}
  size_t Cost() const override { return 0; }
};

class AllIterator final : public DocIterator {
 public:
  explicit AllIterator(size_t n) : n_(static_cast<DocId>(n)), d_(n == 0 ? kEnd : 0) {}
  DocId doc() const override { return d_; }
  void Next() override { d_ = (d_ + 1 >= n_) ? kEnd : d_ + 1; }
  void SkipTo(DocId t) override {
    if (d_ != kEnd && t > d_) d_ = t >= n_ ? kEnd : t;
  }
  double Score() override { return 0; }
  void Explain(std::vector<MatchExplanation>*) override {}
  size_t Cost() const override { return n_; }

 private:
  DocId n_;
  DocId d_;
};

// A cursor over one posting list (its arrays cached: the list's PodArrays sit elsewhere).
struct Cursor {
  Cursor(const PostingList* l)
      : list(l), docs(l->docs.data()), n(l->docs.size()), skip(l->skip.data()), nskip(l->skip.size()) {
    // The first reads of every list of a query then overlap instead of missing one after another.
    __builtin_prefetch(docs);
    __builtin_prefetch(l->tf.data());
    if (nskip > 0) __builtin_prefetch(skip);
  }
  const PostingList* list;
  const DocId* docs;
  size_t n;
  const DocId* skip;
  size_t nskip;
  size_t i = 0;
  DocId doc() const { return i < n ? docs[i] : DocIterator::kEnd; }
  void SkipTo(DocId t) {
    if (i >= n || docs[i] >= t) return;
    // Intersecting lists of similar length mostly moves a few entries: look there first.
    for (size_t k = i + 1; k < std::min(n, i + 4); ++k) {
      if (docs[k] >= t) {
        i = k;
        return;
      }
    }
    constexpr size_t kBlock = PostingList::kSkipBlock;
    if (nskip > 0) {
      size_t b = i / kBlock;  // the block of i; blocks >= nskip are the partial tail
      if (b < nskip && skip[b] < t) {
        // Past this block: gallop over the skip entries to the first block ending at or after t.
        size_t lo = b + 1, hi = b + 1, step = 1;
        while (hi < nskip && skip[hi] < t) {
          lo = hi + 1;
          hi += step;
          step *= 2;
        }
        b = static_cast<size_t>(std::lower_bound(skip + lo, skip + std::min(hi, nskip), t) - skip);
        i = b * kBlock;
      }
      // t is within block b (or past the list's end, in the tail).
      const size_t end = b < nskip ? (b + 1) * kBlock : n;
      i = static_cast<size_t>(std::lower_bound(docs + i, docs + end, t) - docs);
      return;
    }
    // Gallop, then binary search.
    size_t step = 1, lo = i, hi = i + 1;
    while (hi < n && docs[hi] < t) {
      lo = hi;
      step *= 2;
      hi = std::min(n, hi + step);
    }
    i = static_cast<size_t>(std::lower_bound(docs + lo, docs + std::min(hi, n), t) - docs);
  }
  float tf() const { return list->tf[i]; }
  // Appends the positions of the current doc to `out`.
  void Positions(std::vector<uint32_t>* out) const {
    const uint8_t* p = list->positions.data();
    DecodePositions(p + (i == 0 ? 0 : list->pos_end[i - 1]), p + list->pos_end[i], out);
  }
};

// Leapfrogs `items` (each moved by skip(item, target), read by doc(item)) to the first doc >= target
// that all of them are on; kEnd when one runs out.
template <typename Items, typename Skip, typename Doc>
DocId Leapfrog(Items& items, DocId target, Skip skip, Doc doc) {
  while (true) {
    bool agree = true;
    for (auto& item : items) {
      skip(item, target);
      const DocId d = doc(item);
      if (d == DocIterator::kEnd) return DocIterator::kEnd;
      if (d != target) {
        target = d;
        agree = false;
        break;
      }
    }
    if (agree) return target;
  }
}

// Does the phrase occur in one field of the current doc? cursors[k] are positioned on that doc.
// `positions` is scratch (one vector per cursor).
uint32_t PhraseFrequency(const std::vector<Cursor>& cursors, const std::vector<uint32_t>& offsets,
                         std::vector<std::vector<uint32_t>>* positions) {
  positions->resize(cursors.size());
  for (size_t k = 0; k < cursors.size(); ++k) {
    (*positions)[k].clear();
    cursors[k].Positions(&(*positions)[k]);
  }
  uint32_t freq = 0;
  for (uint32_t p : (*positions)[0]) {
    bool all = true;
    for (size_t k = 1; k < cursors.size() && all; ++k) {
      const std::vector<uint32_t>& at = (*positions)[k];
      all = std::binary_search(at.begin(), at.end(), p + offsets[k]);
    }
    if (all) ++freq;
  }
  return freq;
}

// One alternative (a term or a phrase) searched in the weighted fields of an area. Its sources are
// either the term's merged list for the area (one cursor for all fields, tf already weighted) or,
// for a phrase or an area without merged lists, one source per field with that field's cursors.
// The leaf's doc is the smallest doc at which the alternative occurs in some source (for a phrase:
// with its words in order).
class AlternativeIterator final : public DocIterator {
 public:
  AlternativeIterator(const Alternative& alt, const AreaSpec& area, const SearchIndex& index, std::string source)
      : alt_(alt), area_(area), index_(index), source_(std::move(source)) {
    std::vector<const TermListIds*> term_lists;  // per word of the alternative
    for (const auto& term : alt.terms) {
      term_lists.push_back(index.TermLists(term));
      if (!term_lists.back()) return;  // a word that occurs nowhere: no field can match
    }
    // Document frequency (BM25F): the documents with the alternative in any field the area weighs.
    // That is the merged list's length; without one, the largest field list's (exact for one
    // field, a lower bound for a phrase in several).
    size_t df = 0;
    const int32_t merged = area.merged >= 0 && alt.terms.size() == 1
                               ? (*term_lists[0])[static_cast<size_t>(kFieldCount + area.merged)]
                               : -1;
    if (merged >= 0) {
      term_ids_ = term_lists[0];
      Source src;
      src.field = -1;
      src.weight = 1;
      src.cursors.emplace_back(&index.List(merged));
      cost_ = df = src.cursors[0].n;
      sources_.push_back(std::move(src));
    } else {
      for (int f = 0; f < kFieldCount; ++f) {
        float w = area.weight[static_cast<size_t>(f)];
        if (w <= 0) continue;
        Source src;
        src.field = f;
        src.weight = w;
        bool all = true;
        for (const auto* ids : term_lists) {
          const int32_t li = (*ids)[static_cast<size_t>(f)];
          if (li < 0) {
            all = false;
            break;
          }
          src.cursors.emplace_back(&index.List(li));
        }
        if (!all) continue;
        cost_ += src.cursors[0].n;
        df = std::max(df, src.cursors[0].n);
        sources_.push_back(std::move(src));
      }
    }
    weight_ = Bm25Weight(index.doc_count(), df, alt.terms.size());
    for (auto& src : sources_) Align(src, 0);
    Settle();
  }

  DocId doc() const override { return doc_; }
  void Next() override {
    if (doc_ == kEnd) return;
    if (Cursor* c = SingleCursor()) {
      ++c->i;
      Sync();
      return;
    }
    SkipTo(doc_ + 1);
  }
  void SkipTo(DocId t) override {
    if (doc_ != kEnd && t <= doc_) return;
    if (Cursor* c = SingleCursor()) {
      c->SkipTo(t);
      Sync();
      return;
    }
    for (auto& src : sources_)
      if (src.doc < t) Align(src, t);
    Settle();
  }
  double Score() override {
    double tf = 0;
    for (const auto& src : sources_)
      if (src.doc == doc_) tf += static_cast<double>(src.weight) * static_cast<double>(src.tf);
    return weight_.Score(tf);
  }
  void Explain(std::vector<MatchExplanation>* out) override {
    MatchExplanation e{source_, alt_.label, alt_.is_alias, {}};
    if (term_ids_) {
      // A merged list does not say which fields: look the doc up in the term's field lists.
      for (size_t f = 0; f < kFieldCount; ++f) {
        const int32_t li = (*term_ids_)[f];
        if (area_.weight[f] <= 0 || li < 0) continue;
        const auto& docs = index_.List(li).docs;
        if (std::binary_search(docs.begin(), docs.end(), doc_)) e.fields.emplace_back(FieldName(static_cast<Field>(f)));
      }
    } else {
      for (const auto& src : sources_)
        if (src.doc == doc_) e.fields.emplace_back(FieldName(static_cast<Field>(src.field)));
    }
    out->push_back(std::move(e));
  }
  size_t Cost() const override { return cost_; }

  size_t NextBatch(DocId* docs, double* scores, size_t max) override {
    if (!SingleCursor()) return DocIterator::NextBatch(docs, scores, max);
    // One list: read it straight through.
    Source& src = sources_[0];
    Cursor& c = src.cursors[0];
    const size_t n = std::min(max, c.n - std::min(c.n, c.i));
    const float* tf = c.list->tf.data() + c.i;
    const double w = static_cast<double>(src.weight);
    for (size_t k = 0; k < n; ++k) {
      docs[k] = c.docs[c.i + k];
      scores[k] = weight_.Score(w * static_cast<double>(tf[k]));
    }
    c.i += n;
    Sync();
    return n;
  }

  // With one list (a word with a merged list, or in one field), its cursor, which an AND may move
  // directly, calling Sync() after; else nullptr.
  Cursor* SingleCursor() {
    return sources_.size() == 1 && sources_[0].cursors.size() == 1 ? &sources_[0].cursors[0] : nullptr;
  }
  // Takes the doc and tf of the single cursor.
  void Sync() {
    Source& src = sources_[0];
    const Cursor& c = src.cursors[0];
    doc_ = src.doc = c.doc();
    if (doc_ != kEnd) src.tf = c.tf();
  }

 private:
  struct Source {
    int field = -1;  // -1: a merged list
    float weight = 1;
    std::vector<Cursor> cursors;  // one per word
    DocId doc = 0;
    float tf = 0;  // at doc: normalised tf (weighted, for a merged list)
  };

  // Moves a source to its first doc >= t where every word occurs (in order, for a phrase).
  void Align(Source& src, DocId t) {
    while (true) {
      const DocId target =
          Leapfrog(src.cursors, t, [](Cursor& c, DocId x) { c.SkipTo(x); }, [](const Cursor& c) { return c.doc(); });
      if (target == kEnd) {
        src.doc = kEnd;
        return;
      }
      if (src.cursors.size() == 1) {
        src.doc = target;
        src.tf = src.cursors[0].tf();
        return;
      }
      uint32_t f = PhraseFrequency(src.cursors, alt_.offsets, &positions_);
      if (f > 0) {
        src.doc = target;
        src.tf = static_cast<float>(f) * index_.InverseNorm(static_cast<Field>(src.field), target);
        return;
      }
      t = target + 1;
    }
  }

  void Settle() {
    doc_ = kEnd;
    for (const auto& src : sources_) doc_ = std::min(doc_, src.doc);
  }

  Alternative alt_;
  std::vector<std::vector<uint32_t>> positions_;  // PhraseFrequency scratch
  const AreaSpec& area_;
  const SearchIndex& index_;
  std::string source_;
  std::vector<Source> sources_;
  const TermListIds* term_ids_ = nullptr;  // with a merged source: the term's lists, for Explain
  Bm25Weight weight_;  // scores 0 when a word of the alternative occurs nowhere
  size_t cost_ = 0;
  DocId doc_ = kEnd;
};

// Union: the doc is the smallest child doc; the score sums the children on it.
class OrIterator final : public DocIterator {
 public:
  explicit OrIterator(std::vector<std::unique_ptr<DocIterator>> kids) : kids_(std::move(kids)) { Settle(); }
  DocId doc() const override { return doc_; }
  void Next() override {
    if (doc_ == kEnd) return;
    DocId cur = doc_;
    for (auto& k : kids_)
      if (k->doc() == cur) k->Next();
    Settle();
  }
  void SkipTo(DocId t) override {
    if (doc_ != kEnd && t <= doc_) return;
    for (auto& k : kids_) k->SkipTo(t);
    Settle();
  }
  double Score() override {
    double s = 0;
    for (auto& k : kids_)
      if (k->doc() == doc_) s += k->Score();
    return s;
  }
  void Explain(std::vector<MatchExplanation>* out) override {
    for (auto& k : kids_)
      if (k->doc() == doc_) k->Explain(out);
  }
  size_t Cost() const override {
    size_t c = 0;
    for (const auto& k : kids_) c += k->Cost();
    return c;
  }

 private:
  void Settle() {
    doc_ = kEnd;
    for (const auto& k : kids_) doc_ = std::min(doc_, k->doc());
  }
  std::vector<std::unique_ptr<DocIterator>> kids_;
  DocId doc_ = kEnd;
};

// Intersection by leapfrogging, cheapest child first.
class AndIterator final : public DocIterator {
 public:
  explicit AndIterator(std::vector<std::unique_ptr<DocIterator>> kids) : kids_(std::move(kids)) {
    std::sort(kids_.begin(), kids_.end(), [](const auto& a, const auto& b) { return a->Cost() < b->Cost(); });
    // When every child is one list (words without aliases), leapfrog their cursors directly.
    for (auto& k : kids_) {
      auto* alt = dynamic_cast<AlternativeIterator*>(k.get());
      Cursor* c = alt ? alt->SingleCursor() : nullptr;
      if (!c) {
        lists_.clear();
        cursors_.clear();
        break;
      }
      lists_.push_back(alt);
      cursors_.push_back(c);
    }
    Align(0);
  }
  DocId doc() const override { return doc_; }
  void Next() override {
    if (doc_ == kEnd) return;
    Align(doc_ + 1);
  }
  void SkipTo(DocId t) override {
    if (doc_ != kEnd && t <= doc_) return;
    Align(t);
  }
  double Score() override {
    double s = 0;
    for (auto& k : kids_) s += k->Score();
    return s;
  }
  void Explain(std::vector<MatchExplanation>* out) override {
    for (auto& k : kids_) k->Explain(out);
  }
  size_t Cost() const override { return kids_.front()->Cost(); }

 private:
  void Align(DocId t) {
    if (!cursors_.empty()) {
      // Single-list children: move their cursors directly, then let each child take its position.
      doc_ = Leapfrog(cursors_, t, [](Cursor* c, DocId x) { c->SkipTo(x); }, [](const Cursor* c) { return c->doc(); });
      for (auto* l : lists_) l->Sync();
      return;
    }
    doc_ = Leapfrog(kids_, t, [](auto& k, DocId x) { k->SkipTo(x); }, [](const auto& k) { return k->doc(); });
  }
  std::vector<std::unique_ptr<DocIterator>> kids_;
  std::vector<AlternativeIterator*> lists_;  // all kids, when each is one list; else empty
  std::vector<Cursor*> cursors_;             // their cursors
  DocId doc_ = kEnd;
};

// Docs of `pos` that `neg` does not have.
class AndNotIterator final : public DocIterator {
 public:
  AndNotIterator(std::unique_ptr<DocIterator> pos, std::unique_ptr<DocIterator> neg)
      : pos_(std::move(pos)), neg_(std::move(neg)) {
    Skip();
  }
  DocId doc() const override { return pos_->doc(); }
  void Next() override {
    pos_->Next();
    Skip();
  }
  void SkipTo(DocId t) override {
    pos_->SkipTo(t);
    Skip();
  }
  double Score() override { return pos_->Score(); }
  void Explain(std::vector<MatchExplanation>* out) override { pos_->Explain(out); }
  size_t Cost() const override { return pos_->Cost(); }

 private:
  void Skip() {
    while (pos_->doc() != kEnd) {
      neg_->SkipTo(pos_->doc());
      if (neg_->doc() != pos_->doc()) return;
      pos_->Next();
    }
  }
  std::unique_ptr<DocIterator> pos_, neg_;
};

// The set bits of a bitset, in order.
class BitsetIterator final : public DocIterator {
 public:
  explicit BitsetIterator(const std::vector<uint64_t>& bits) : bits_(bits) {
    for (uint64_t w : bits_) count_ += static_cast<size_t>(__builtin_popcountll(w));
    Seek(0);
  }
  DocId doc() const override { return doc_; }
  void Next() override {
    if (doc_ != kEnd) Seek(doc_ + 1);
  }
  void SkipTo(DocId t) override {
    if (doc_ != kEnd && t > doc_) Seek(t);
  }
  double Score() override { return 0; }
  void Explain(std::vector<MatchExplanation>*) override {}
  size_t Cost() const override { return count_; }

 private:
  void Seek(DocId t) {
    size_t w = t >> 6;
    if (w >= bits_.size()) {
      doc_ = kEnd;
      return;
    }
    uint64_t word = bits_[w] & (~0ull << (t & 63));
    while (word == 0) {
      if (++w >= bits_.size()) {
        doc_ = kEnd;
        return;
      }
      word = bits_[w];
    }
    doc_ = static_cast<DocId>((w << 6) + static_cast<size_t>(__builtin_ctzll(word)));
  }
  const std::vector<uint64_t>& bits_;
  size_t count_ = 0;
  DocId doc_ = kEnd;
};

}  // namespace

std::unique_ptr<DocIterator> RestrictTo(std::unique_ptr<DocIterator> it, const std::vector<uint64_t>& bits) {
  std::vector<std::unique_ptr<DocIterator>> kids;
  kids.push_back(std::move(it));
  kids.push_back(std::make_unique<BitsetIterator>(bits));
  return std::make_unique<AndIterator>(std::move(kids));
}

std::unique_ptr<DocIterator> BuildIterator(const QueryNode& node, const SearchIndex& index) {
  switch (node.kind) {
    case QueryNode::Kind::kAll:
      return std::make_unique<AllIterator>(index.doc_count());
    case QueryNode::Kind::kMatch: {
      std::vector<std::unique_ptr<DocIterator>> alts;
      for (const auto& a : node.alternatives) {
        auto it = std::make_unique<AlternativeIterator>(a, *node.area, index, node.source);
        if (it->doc() != DocIterator::kEnd) alts.push_back(std::move(it));
      }
      if (alts.empty()) return std::make_unique<EmptyIterator>();
      if (alts.size() == 1) return std::move(alts[0]);
      return std::make_unique<OrIterator>(std::move(alts));
    }
    case QueryNode::Kind::kNot:
      return std::make_unique<AndNotIterator>(std::make_unique<AllIterator>(index.doc_count()),
                                              BuildIterator(node.children[0], index));
    case QueryNode::Kind::kOr: {
      std::vector<std::unique_ptr<DocIterator>> kids;
      for (const auto& c : node.children) kids.push_back(BuildIterator(c, index));
      return std::make_unique<OrIterator>(std::move(kids));
    }
    case QueryNode::Kind::kAnd: {
      // NOT children subtract from the conjunction of the others.
      std::vector<std::unique_ptr<DocIterator>> pos;
      std::vector<std::unique_ptr<DocIterator>> neg;
      for (const auto& c : node.children) {
        if (c.kind == QueryNode::Kind::kNot) {
          neg.push_back(BuildIterator(c.children[0], index));
        } else {
          pos.push_back(BuildIterator(c, index));
        }
      }
      std::unique_ptr<DocIterator> it;
      if (pos.empty()) {
        it = std::make_unique<AllIterator>(index.doc_count());
      } else if (pos.size() == 1) {
        it = std::move(pos[0]);
      } else {
        it = std::make_unique<AndIterator>(std::move(pos));
      }
      for (auto& n : neg) it = std::make_unique<AndNotIterator>(std::move(it), std::move(n));
      return it;
    }
  }
  return std::make_unique<EmptyIterator>();
}

}  // namespace ts
