// Replays the kept inputs of the snapshot and query fuzz targets (fuzz/corpus/{snapshot,query}/ and
// fuzz/regressions/{snapshot,query}-*) through the same checks, so they gate every test run, sanitizers
// included.
#include <gtest/gtest.h>

#include "fuzz_query.h"
#include "fuzz_replay.h"
#include "fuzz_snapshot.h"

namespace ts {
namespace {

using testing::ReplayFuzzInputs;

TEST(FuzzReplay, Snapshots) { EXPECT_GE(ReplayFuzzInputs("snapshot", testing::FuzzSnapshot), 5); }

TEST(FuzzReplay, Queries) {
  EXPECT_GE(ReplayFuzzInputs("query", testing::FuzzQuery), 6);
  // A long hostile text is refused or answered in every area.
  EXPECT_TRUE(testing::FuzzQuery(std::string(5000, '(') + "a"));
}

// The intact snapshot loads and finds what was indexed (so the damaged cases start from a good one).
TEST(FuzzReplay, BaseSnapshotLoads) {
  auto keep = std::make_shared<std::string>(testing::FuzzSnapshotBase());
  BinaryReader r(*keep);
  SearchIndex index;
  ASSERT_TRUE(index.Load(&r, keep).ok());
  EXPECT_EQ(index.doc_count(), 300u);
  SearchRequest req;
  req.queries = {{"query.cond", "hetrombopag"}};
  auto res = Searcher(index).Search(req);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->total, 108);  // 60 by condition, 60 by title, 12 by both
}

}  // namespace
}  // namespace ts
