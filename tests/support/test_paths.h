// Paths for tests: the source tree's fixtures and the optional ../shared data.
//   std::string text = ReadFileOrDie(FixturePath("studies/x.json"));
//   if (!SharedDataAvailable()) GTEST_SKIP() << kSharedSkipMessage;
#pragma once

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace ts::testing {

inline std::string SourcePath(const std::string& rel) { return std::string(TS_SOURCE_DIR) + "/" + rel; }
inline std::string FixturePath(const std::string& rel) { return SourcePath("tests/fixtures/" + rel); }
inline std::string SharedPath(const std::string& rel) { return std::string(TS_SHARED_DIR) + "/" + rel; }

inline bool SharedDataAvailable() { return std::filesystem::exists(SharedPath("data/ctgov/AllPublicXML-sample.zip")); }
inline constexpr const char* kSharedSkipMessage = "../shared/data is absent: skipping the test on real data";

inline std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> SeedFixtureFiles() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(FixturePath("studies"))) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// A fresh directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "trialscope-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string Path(const std::string& rel = "") const { return rel.empty() ? path_ : path_ + "/" + rel; }
  void Write(const std::string& rel, const std::string& content) const {
    std::filesystem::create_directories(std::filesystem::path(Path(rel)).parent_path());
    std::ofstream(Path(rel), std::ios::binary) << content;
  }

 private:
  std::string path_;
};

}  // namespace ts::testing
