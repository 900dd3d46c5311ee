// Replays the kept inputs of the snapshot and query fuzz targets (fuzz/corpus/{snapshot,query}/ and
// fuzz/regressions/{snapshot,query}-*) through the same checks, so they gate every test run, sanitizers
// included.
#include <gtest/gtest.h>

#include <filesystem>

#include "fuzz_query.h"
#include "fuzz_snapshot.h"
#include "test_paths.h"

namespace ts {
namespace {

// Runs `check` on every kept input of fuzz target `target`; returns how many there were.
template <typename Check>
int Replay(const std::string& target, Check check) {
  int n = 0;
  auto run = [&](const std::filesystem::path& file) {
    EXPECT_TRUE(check(testing::ReadFileOrDie(file.string()))) << file;
    ++n;
  };
  for (const auto& e : std::filesystem::directory_iterator(testing::SourcePath("fuzz/corpus/" + target))) run(e.path());
  for (const auto& e : std::filesystem::directory_iterator(testing::SourcePath("fuzz/regressions"))) {
    if (e.path().filename().string().rfind(target + "-", 0) == 0) run(e.path());
  }
  return n;
}

TEST(FuzzReplay, Snapshots) { EXPECT_GE(Replay("snapshot", testing::FuzzSnapshot), 5); }

TEST(FuzzReplay, Queries) {
  EXPECT_GE(Replay("query", testing::FuzzQuery), 6);
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
