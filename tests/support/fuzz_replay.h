// Replays the kept inputs of a fuzz target through its check inside a test, so they gate every
// test run, sanitizers included:
//   EXPECT_GE(ReplayFuzzInputs("html", FuzzHtml), 5);
// Reads fuzz/corpus/<target>/* and fuzz/regressions/<target>-*; each input that fails the check is
// a test failure naming the file. Returns how many inputs were run.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "test_paths.h"

namespace ts::testing {

inline int ReplayFuzzInputs(const std::string& target, const std::function<bool(std::string_view)>& check) {
  int n = 0;
  auto run = [&](const std::filesystem::path& file) {
    EXPECT_TRUE(check(ReadFileOrDie(file.string()))) << file;
    ++n;
  };
  for (const auto& e : std::filesystem::directory_iterator(SourcePath("fuzz/corpus/" + target))) run(e.path());
  for (const auto& e : std::filesystem::directory_iterator(SourcePath("fuzz/regressions"))) {
    if (e.path().filename().string().rfind(target + "-", 0) == 0) run(e.path());
  }
  return n;
}

}  // namespace ts::testing
