#include "search/doc_iterator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "common/binary_io.h"

namespace ts {
namespace {

// Studies whose words land in many fields, so terms have merged lists for every area.
SearchIndex RandomIndex(size_t n) {
  const std::vector<std::string> words = {"thrombocytopenia", "platelet", "aplastic", "anemia", "hetrombopag",
                                          "ciclosporin", "romiplostim", "marrow", "transfusion", "eltrombopag"};
  std::mt19937 gen(7);
  auto pick = [&](size_t count) {
    std::string s;
    const size_t len = 1 + gen() % count;
    for (size_t i = 0; i < len; ++i) s += words[gen() % words.size()] + " ";
    return s;
  };
  SearchIndex index;
  for (size_t d = 0; d < n; ++d) {
    Study s;
    s.identification.nct_id = "NCT" + std::to_string(20000000 + d);
    s.identification.brief_title = pick(4);
    if (gen() % 2) s.conditions.push_back(pick(2));
    if (gen() % 3) s.keywords.push_back(pick(2));
    Intervention iv;
    iv.name = pick(2);
    iv.description = pick(6);
    s.interventions.push_back(iv);
    s.brief_summary = pick(40);
    s.eligibility.criteria = pick(d % 50 == 0 ? 200 : 20);
    index.Add(s.identification.nct_id, s);
  }
  index.Finalize();
  return index;
}

struct Match {
  DocId doc;
  double score;
  std::vector<MatchExplanation> why;
};

std::vector<Match> Run(const SearchIndex& index, const AreaSpec& area, const std::string& term) {
  QueryNode node;
  node.kind = QueryNode::Kind::kMatch;
  node.area = &area;
  node.source = term;
  node.alternatives.push_back({{term}, {0}, term, false});
  std::vector<Match> out;
  auto it = BuildIterator(node, index);
  for (; it->doc() != DocIterator::kEnd; it->Next()) {
    Match m{it->doc(), it->Score(), {}};
    it->Explain(&m.why);
    out.push_back(std::move(m));
  }
  return out;
}

// A merged list must find, score and explain exactly what the area's per-field lists do.
void ExpectMergedMatchesFields(const SearchIndex& index) {
  for (int a = 0; a < kMergedAreaCount; ++a) {
    const AreaSpec& merged = MergedArea(a);
    AreaSpec fields = merged;
    fields.merged = -1;
    for (const std::string term : {"thrombocytopenia", "platelet", "anemia", "hetrombopag", "eltrombopag"}) {
      const TermListIds* ids = index.TermLists(term);
      ASSERT_NE(ids, nullptr) << term;
      ASSERT_GE((*ids)[static_cast<size_t>(kFieldCount + a)], 0) << term << " has no merged list in " << merged.param;
      std::vector<Match> want = Run(index, fields, term), got = Run(index, merged, term);
      ASSERT_EQ(got.size(), want.size()) << term << " in " << merged.param;
      ASSERT_GT(got.size(), 10u);
      // Per field, df is the largest field list; merged, the union (every doc found). Scores
      // differ by that idf only.
      size_t df_fields = 0;
      for (size_t f = 0; f < kFieldCount; ++f)
        if (merged.weight[f] > 0 && (*ids)[f] >= 0) df_fields = std::max(df_fields, index.List((*ids)[f]).docs.size());
      auto idf = [&](size_t df) {
        const double n = static_cast<double>(index.doc_count()), d = static_cast<double>(df);
        return std::log(1.0 + (n - d + 0.5) / (d + 0.5));
      };
      const double ratio = idf(got.size()) / idf(df_fields);
      for (size_t i = 0; i < got.size(); ++i) {
        ASSERT_EQ(got[i].doc, want[i].doc);
        EXPECT_NEAR(got[i].score, want[i].score * ratio, 1e-5 * got[i].score) << term << " doc " << got[i].doc;
        EXPECT_EQ(got[i].why, want[i].why);
      }
    }
  }
}

TEST(DocIteratorTest, MergedAreaListsScoreAsTheirFields) {
  SearchIndex index = RandomIndex(3000);
  ExpectMergedMatchesFields(index);

  // The same after a snapshot round trip, with the lists used in place.
  BinaryWriter w;
  index.Save(&w);
  auto bytes = std::make_shared<std::string>(w.data());
  BinaryReader r(*bytes);
  SearchIndex loaded;
  ASSERT_TRUE(loaded.Load(&r, bytes).ok());
  ExpectMergedMatchesFields(loaded);
}

TEST(DocIteratorTest, SkipToLandsOnTheSameDocsWithAndWithoutMergedLists) {
  SearchIndex index = RandomIndex(2000);
  const AreaSpec& merged = *FindArea("query.term");
  AreaSpec fields = merged;
  fields.merged = -1;
  QueryNode node;
  node.kind = QueryNode::Kind::kMatch;
  node.source = "marrow";
  node.alternatives.push_back({{"marrow"}, {0}, "marrow", false});
  node.area = &merged;
  auto a = BuildIterator(node, index);
  node.area = &fields;
  auto b = BuildIterator(node, index);
  for (DocId t = 0; t < 2100 && a->doc() != DocIterator::kEnd; t += 37) {
    a->SkipTo(t);
    b->SkipTo(t);
    ASSERT_EQ(a->doc(), b->doc()) << "SkipTo(" << t << ")";
  }
}

// A leaf for `text` (a word or a phrase), analysed as the query parser does.
QueryNode Leaf(const AreaSpec& area, const std::string& text) {
  Analyzer analyzer;
  QueryNode node;
  node.kind = QueryNode::Kind::kMatch;
  node.area = &area;
  node.source = text;
  node.alternatives.push_back(AnalyzeAlternative(text, analyzer));
  return node;
}

// An AND finds the documents every child finds, scored as the sum of the children's scores,
// whether it leapfrogs the children's lists directly (single words) or through the children (a
// phrase among them).
TEST(DocIteratorTest, AndIsTheIntersectionWithSummedScores) {
  SearchIndex index = RandomIndex(4000);
  const AreaSpec& area = *FindArea("query.term");
  std::vector<std::vector<QueryNode>> cases = {
      {Leaf(area, "marrow"), Leaf(area, "hetrombopag")},
      {Leaf(area, "transfusion"), Leaf(area, "platelet"), Leaf(area, "ciclosporin")},
      {Leaf(area, "romiplostim"), Leaf(area, "aplastic anemia")},
  };
  for (const auto& kids : cases) {
    std::map<DocId, double> want;  // doc -> summed score, over docs every child has
    std::map<DocId, size_t> seen;
    for (const QueryNode& kid : kids) {
      for (auto it = BuildIterator(kid, index); it->doc() != DocIterator::kEnd; it->Next()) {
        want[it->doc()] += it->Score();
        ++seen[it->doc()];
      }
    }
    std::erase_if(want, [&](const auto& kv) { return seen[kv.first] != kids.size(); });
    ASSERT_GT(want.size(), 5u);
    QueryNode node;
    node.kind = QueryNode::Kind::kAnd;
    node.children = kids;
    std::map<DocId, double> got;
    for (auto it = BuildIterator(node, index); it->doc() != DocIterator::kEnd; it->Next()) got[it->doc()] = it->Score();
    ASSERT_EQ(got.size(), want.size());
    for (const auto& [doc, score] : want) EXPECT_NEAR(got[doc], score, 1e-9) << doc;
  }
}

// NextBatch gives what doc(), Score(), Next() give, for one list, several fields and an AND, also
// after a SkipTo.
TEST(DocIteratorTest, NextBatchMatchesTheOneByOneLoop) {
  SearchIndex index = RandomIndex(3000);
  AreaSpec fields = *FindArea("query.term");
  fields.merged = -1;
  QueryNode both;
  both.kind = QueryNode::Kind::kAnd;
  both.children = {Leaf(*FindArea("query.term"), "marrow"), Leaf(*FindArea("query.term"), "platelet")};
  for (const QueryNode& node : {Leaf(*FindArea("query.term"), "anemia"), Leaf(*FindArea("query.titles"), "anemia"),
                                Leaf(fields, "anemia"), both}) {
    for (DocId start : {0u, 1234u}) {
      std::vector<std::pair<DocId, double>> want, got;
      auto a = BuildIterator(node, index);
      for (a->SkipTo(start); a->doc() != DocIterator::kEnd; a->Next()) want.emplace_back(a->doc(), a->Score());
      auto b = BuildIterator(node, index);
      b->SkipTo(start);
      DocId docs[7];
      double scores[7];
      for (size_t n; (n = b->NextBatch(docs, scores, 7)) > 0;)
        for (size_t k = 0; k < n; ++k) got.emplace_back(docs[k], scores[k]);
      ASSERT_GT(want.size(), 20u) << node.source;
      EXPECT_EQ(got, want) << node.source << " from " << start;
    }
  }
}

// SkipTo through skip entries lands where a binary search of the whole list does, for short and
// long jumps, inside a block, onto block boundaries and past the end.
TEST(DocIteratorTest, SkipToMatchesABinarySearchOfTheList) {
  SearchIndex index = RandomIndex(6000);
  for (const char* area_name : {"query.titles", "query.term"}) {
    const AreaSpec& area = *FindArea(area_name);
    const std::string term = "platelet";
    const TermListIds& ids = *index.TermLists(term);
    const int32_t li = area.merged >= 0 ? ids[static_cast<size_t>(kFieldCount + area.merged)] : ids[0];
    ASSERT_GE(li, 0);
    const PostingList& pl = index.List(li);
    ASSERT_GE(pl.skip.size(), 4u) << area_name;  // several blocks, so skips are used
    std::mt19937 gen(3);
    for (int round = 0; round < 20; ++round) {
      QueryNode node;
      node.kind = QueryNode::Kind::kMatch;
      node.area = &area;
      node.source = term;
      node.alternatives.push_back({{term}, {0}, term, false});
      auto it = BuildIterator(node, index);
      DocId t = 0;
      while (true) {
        const uint32_t r = gen() % 4;
        t += static_cast<DocId>(r == 0 ? 1 : r == 1 ? gen() % 8 : r == 2 ? gen() % 200 : gen() % 2000);
        it->SkipTo(t);
        auto want = std::lower_bound(pl.docs.begin(), pl.docs.end(), t);
        if (want == pl.docs.end()) {
          ASSERT_EQ(it->doc(), DocIterator::kEnd) << area_name << " SkipTo(" << t << ")";
          break;
        }
        ASSERT_EQ(it->doc(), *want) << area_name << " SkipTo(" << t << ")";
        t = it->doc();
      }
    }
  }
}

}  // namespace
}  // namespace ts
