// Replays the kept inputs of the snapshot fuzz target (fuzz/corpus/snapshot/ and
// fuzz/regressions/snapshot-*) through the same check, so they gate every test run, sanitizers included.
#include <gtest/gtest.h>

#include <filesystem>

#include "fuzz_snapshot.h"
#include "test_paths.h"

namespace ts {
namespace {

TEST(FuzzReplay, Snapshots) {
  int n = 0;
  auto run = [&](const std::filesystem::path& file) {
    EXPECT_TRUE(testing::FuzzSnapshot(testing::ReadFileOrDie(file.string()))) << file;
    ++n;
  };
  for (const auto& e : std::filesystem::directory_iterator(testing::SourcePath("fuzz/corpus/snapshot"))) run(e.path());
  for (const auto& e : std::filesystem::directory_iterator(testing::SourcePath("fuzz/regressions"))) {
    if (e.path().filename().string().rfind("snapshot-", 0) == 0) run(e.path());
  }
  EXPECT_GE(n, 5);
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
