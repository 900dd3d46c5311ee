// Replays the kept inputs of the eligibility and HTML fuzz targets (fuzz/corpus/<target>/ and
// fuzz/regressions/<target>-*) through the same checks, so they gate every test run, sanitizers included.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "fuzz_harness.h"
#include "test_paths.h"

namespace ts {
namespace {

int Replay(const std::string& target, const std::function<bool(std::string_view)>& check) {
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

TEST(FuzzReplay, Criteria) { EXPECT_GE(Replay("criteria", testing::FuzzCriteria), 5); }
TEST(FuzzReplay, Patients) { EXPECT_GE(Replay("patient", testing::FuzzPatient), 5); }
TEST(FuzzReplay, Html) { EXPECT_GE(Replay("html", testing::FuzzHtml), 5); }

}  // namespace
}  // namespace ts
