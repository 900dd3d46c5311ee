#include "search/text_inverter.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "text/analyzer.h"

namespace ts {
namespace {

// The lists a naive one-token-at-a-time builder makes (the PostingList contract).
struct Reference {
  std::vector<uint32_t> docs, pos_end, positions;
  std::vector<float> freqs;
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

template <typename T>
std::vector<T> Vec(const PodArray<T>& a) {
  return {a.begin(), a.end()};
}

// A list's positions decoded, and pos_end counting positions instead of bytes.
std::pair<std::vector<uint32_t>, std::vector<uint32_t>> Decoded(const PostingList& pl) {
  std::vector<uint32_t> positions, pos_end;
  for (size_t i = 0; i < pl.docs.size(); ++i) {
    const uint8_t* p = pl.positions.data();
    DecodePositions(p + (i == 0 ? 0 : pl.pos_end[i - 1]), p + pl.pos_end[i], &positions);
    pos_end.push_back(static_cast<uint32_t>(positions.size()));
  }
  return {positions, pos_end};
}

using Doc = std::vector<std::pair<Field, std::string>>;

std::vector<Doc> RandomDocs(size_t n) {
  const std::vector<std::string> words = {"thrombocytopenia", "IL-11", "CD34+", "platelets", "the", "rhTPO",
                                          "PLT<30", "aplastic", "anemia", "10⁹/L", "non-severe", "ALT/AST",
                                          "hetrombopag", "ciclosporin", "2-year"};
  std::mt19937 gen(11);
  auto rng = [&] { return static_cast<uint32_t>(gen()); };
  std::vector<Doc> docs(n);
  for (size_t d = 0; d < n; ++d) {
    // Some docs are empty; some have a word many times; fields repeat (multi-valued).
    const uint32_t values = rng() % 6;
    for (uint32_t v = 0; v < values; ++v) {
      std::string text;
      const uint32_t len = 1 + rng() % (d % 97 == 0 ? 300 : 8);
      for (uint32_t w = 0; w < len; ++w) text += words[rng() % (1 + (d + w) % words.size())] + " ";
      docs[d].emplace_back(static_cast<Field>(rng() % kFieldCount), text);
    }
    // A unique word per doc: many one-doc lists, as NCT IDs make.
    docs[d].emplace_back(Field::kId, "NCT" + std::to_string(10000000 + d));
  }
  return docs;
}

TEST(TextInverterTest, SameListsAsANaiveBuilderForAnyThreadCount) {
  const size_t n = 3 * TextInverter::kChunkDocs + 41;  // chunks dealt to every shard, a partial last one
  std::vector<Doc> docs = RandomDocs(n);
  // The reference: tokens one at a time, positions continuing across a field's values with a gap of 8.
  Analyzer analyzer;
  std::map<std::pair<std::string, size_t>, Reference> ref;
  std::array<std::vector<uint32_t>, kFieldCount> ref_len;
  for (auto& v : ref_len) v.assign(n, 0);
  for (DocId d = 0; d < n; ++d) {
    std::array<uint32_t, kFieldCount> next{};
    for (const auto& [field, text] : docs[d]) {
      const size_t f = static_cast<size_t>(field);
      uint32_t last = next[f];
      const uint32_t base = next[f];
      for (const Token& t : analyzer.Analyze(text)) {
        ref[{t.term, f}].Add(d, base + t.position, !t.variant);
        last = std::max(last, base + t.position + 1);
        if (!t.variant) ++ref_len[f][d];
      }
      next[f] = last + 8;
    }
  }
  for (size_t threads : {1, 2, 3}) {
    TextInverter inv(threads);
    for (DocId d = 0; d < n; ++d) {
      std::vector<std::pair<Field, std::string_view>> texts;
      for (const auto& [field, text] : docs[d]) texts.emplace_back(field, text);
      inv.AddDoc(d, texts);
    }
    TextInverter::Output out = inv.Finish(n);
    size_t lists = 0;
    for (const auto& [term, ids] : out.terms) {
      for (size_t f = 0; f < kFieldCount; ++f) {
        if (ids[f] < 0) continue;
        ++lists;
        auto it = ref.find({term, f});
        ASSERT_NE(it, ref.end()) << term;
        const PostingList& pl = out.lists[static_cast<size_t>(ids[f])];
        ASSERT_EQ(Vec(pl.docs), it->second.docs) << term << " threads " << threads;
        ASSERT_EQ(Vec(pl.tf), it->second.freqs) << term;
        auto [positions, pos_end] = Decoded(pl);
        ASSERT_EQ(pos_end, it->second.pos_end) << term;
        ASSERT_EQ(positions, it->second.positions) << term;
      }
    }
    EXPECT_EQ(lists, ref.size());
    EXPECT_EQ(out.lists.size(), ref.size());
    EXPECT_EQ(out.field_len, ref_len);
  }
}

// A list longer than the largest slice (65,536 words) and a doc with many positions.
TEST(TextInverterTest, ListsLongerThanTheLargestSlice) {
  TextInverter inv(2);
  std::string many;
  for (int i = 0; i < 70000; ++i) many += "anemia ";
  const DocId n = 30000;
  for (DocId d = 0; d < n; ++d) {
    if (d == 5) {
      inv.AddDoc(d, {{Field::kCondition, many}});
    } else {
      inv.AddDoc(d, {{Field::kCondition, "aplastic anemia"}});
    }
  }
  TextInverter::Output out = inv.Finish(n);
  const PostingList& pl = out.lists[static_cast<size_t>(out.terms.at("anemia")[static_cast<size_t>(Field::kCondition)])];
  ASSERT_EQ(pl.docs.size(), n);
  auto [positions, pos_end] = Decoded(pl);
  for (DocId d = 0; d < n; ++d) {
    ASSERT_EQ(pl.docs[d], d);
    const uint32_t from = d == 0 ? 0 : pos_end[d - 1];
    const uint32_t count = pos_end[d] - from;
    ASSERT_EQ(count, d == 5 ? 70000u : 1u) << d;
    ASSERT_EQ(pl.tf[d], static_cast<float>(count));
    ASSERT_EQ(positions[pos_end[d] - 1], d == 5 ? 69999u : 1u);
  }
  EXPECT_EQ(positions.size(), n - 1 + 70000u);
}

// A term too long for the dictionary's word cache still gets one list, across shards.
TEST(TextInverterTest, VeryLongTermsKeepOneList) {
  std::string code;
  for (int i = 0; i < 1500; ++i) code += "a1";
  TextInverter inv(2);
  const DocId n = 3 * TextInverter::kChunkDocs;
  for (DocId d = 0; d < n; ++d) inv.AddDoc(d, {{Field::kId, d % 100 == 0 ? code + " " + code : "nct"}});
  TextInverter::Output out = inv.Finish(n);
  ASSERT_EQ(out.terms.count(code), 1u);
  const PostingList& pl = out.lists[static_cast<size_t>(out.terms.at(code)[static_cast<size_t>(Field::kId)])];
  EXPECT_EQ(Vec(pl.docs), (std::vector<uint32_t>{0, 100, 200, 300, 400, 500, 600, 700}));
  EXPECT_EQ(pl.tf[0], 2.0f);
}

TEST(TextInverterTest, PositionsDecodeFromVarints) {
  // 0, 5, 200 (distance 195: two bytes), 70000 (three bytes); then a varint cut off by the end.
  const uint8_t bytes[] = {0x00, 0x05, 0xC3, 0x01, 0xA8, 0xA1, 0x04, 0x85};
  std::vector<uint32_t> out;
  DecodePositions(bytes, bytes + sizeof bytes, &out);
  EXPECT_EQ(out, (std::vector<uint32_t>{0, 5, 200, 70000}));
  out.clear();
  DecodePositions(bytes, bytes, &out);
  EXPECT_TRUE(out.empty());
  // Hostile input: a run of continuation bytes longer than any varint does not read past the end.
  const std::vector<uint8_t> junk(40, 0xFF);
  DecodePositions(junk.data(), junk.data() + junk.size(), &out);
  EXPECT_TRUE(out.empty());
}

TEST(TextInverterTest, DestroyedWithoutFinishStopsItsThreads) {
  TextInverter inv(2);
  inv.AddDoc(0, {{Field::kTitle, "aplastic anemia"}});
}

}  // namespace
}  // namespace ts
