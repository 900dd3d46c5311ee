#include "search/postings_builder.h"

#include <gtest/gtest.h>

#include <random>

namespace ts {
namespace {

// The lists a naive builder makes from the same calls (the PostingList contract).
struct Reference {
  std::vector<uint32_t> docs, freqs, pos_end, positions;
  void Add(DocId d, uint32_t pos, bool counts) {
    if (docs.empty() || docs.back() != d) {
      docs.push_back(d);
      freqs.push_back(0);
      pos_end.push_back(static_cast<uint32_t>(positions.size()));
    }
    if (counts) ++freqs.back();
    const size_t start = pos_end.size() > 1 ? pos_end[pos_end.size() - 2] : 0;
    if (positions.size() == start || positions.back() != pos) {
      positions.push_back(pos);
      pos_end.back() = static_cast<uint32_t>(positions.size());
    }
  }
};

std::vector<uint32_t> Vec(const PodArray<uint32_t>& a) { return {a.begin(), a.end()}; }

TEST(PostingsBuilderTest, MatchesANaiveBuilderAcrossSliceBoundaries) {
  std::mt19937 gen(7);
  auto rng = [&] { return static_cast<uint32_t>(gen()); };
  PostingsBuilder b;
  std::vector<Reference> ref(300);
  for (size_t i = 0; i < ref.size(); ++i) EXPECT_EQ(b.NewList(), i);
  for (DocId d = 0; d < 2000; ++d) {
    // Lists of very different lengths: list l is in a doc with probability ~1/(l+1).
    for (uint32_t l = 0; l < ref.size(); ++l) {
      if (rng() % (l + 1) != 0) continue;
      uint32_t pos = rng() % 5;
      const uint32_t n = 1 + rng() % (l < 3 ? 40 : 4);  // some docs with many positions
      for (uint32_t k = 0; k < n; ++k) {
        const bool counts = rng() % 4 != 0;
        b.Add(l, d, pos, counts);
        ref[l].Add(d, pos, counts);
        pos += rng() % 3;  // 0: a repeated position (a variant of the same word)
      }
    }
  }
  for (uint32_t l = 0; l < ref.size(); ++l) {
    PostingList pl = b.Extract(l);
    ASSERT_EQ(Vec(pl.docs), ref[l].docs) << "list " << l;
    ASSERT_EQ(Vec(pl.freqs), ref[l].freqs) << "list " << l;
    ASSERT_EQ(Vec(pl.pos_end), ref[l].pos_end) << "list " << l;
    ASSERT_EQ(Vec(pl.positions), ref[l].positions) << "list " << l;
  }
  EXPECT_GT(b.MemoryBytes(), 0u);
}

TEST(PostingsBuilderTest, EmptyListAndDocZero) {
  PostingsBuilder b;
  uint32_t empty = b.NewList(), one = b.NewList();
  b.Add(one, 0, 0, true);
  EXPECT_TRUE(b.Extract(empty).docs.empty());
  PostingList pl = b.Extract(one);
  ASSERT_EQ(pl.docs.size(), 1u);
  EXPECT_EQ(pl.docs[0], 0u);
  EXPECT_EQ(pl.freqs[0], 1u);
  EXPECT_EQ(Vec(pl.positions), std::vector<uint32_t>{0});
}

}  // namespace
}  // namespace ts
