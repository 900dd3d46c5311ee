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

// Without reseal every overwrite, truncation or insertion is refused by the checksum; with it the damage
// reaches the index reader, which refuses it or loads something searchable.
TEST(FuzzReplay, ChecksummedSnapshotsRefuseDamage) {
  const size_t size = testing::FuzzSnapshotBase().size();
  std::string damaged = testing::FuzzSnapshotBase();
  damaged[size / 2] = static_cast<char>(damaged[size / 2] ^ 1);
  std::string_view section;
  EXPECT_FALSE(BinaryReader(damaged).GetSection(&section));
  testing::FuzzResealSection(&damaged);
  EXPECT_TRUE(BinaryReader(damaged).GetSection(&section)) << "resealed damage reaches the index reader";
  for (uint32_t at = 0; at < size; at += 97) {
    for (int how : {0, 1, 2, 4, 5, 6}) {
      std::string input(reinterpret_cast<const char*>(&at), 4);
      input += static_cast<char>(how);
      input += "\x5A\xA5\xFF";
      EXPECT_TRUE(testing::FuzzSnapshot(input)) << "offset " << at << " how " << how;
    }
  }
}

TEST(FuzzReplay, Queries) {
  EXPECT_GE(ReplayFuzzInputs("query", testing::FuzzQuery), 6);
  // A long hostile text is refused or answered in every area.
  EXPECT_TRUE(testing::FuzzQuery(std::string(5000, '(') + "a"));
}

// The intact snapshot loads and finds what was indexed (so the damaged cases start from a good one).
TEST(FuzzReplay, BaseSnapshotLoads) {
  auto keep = std::make_shared<std::string>(testing::FuzzSnapshotBase());
  BinaryReader file(*keep);
  std::string_view section;
  ASSERT_TRUE(file.GetSection(&section) && file.done()) << file.status().ToString();
  BinaryReader r(section);
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
