// Runs every input in fuzz/regressions (past crashers) and fuzz/corpus through every reader (API v2, API v1,
// legacy XML), the splitter and the JSON round trip, so that a fixed crash stays fixed under the sanitizer build.
#include <gtest/gtest.h>

#include <filesystem>

#include "ingest/ctgov_json.h"
#include "ingest/ctgov_v1.h"
#include "ingest/ctgov_xml.h"
#include "ingest/json_splitter.h"
#include "test_paths.h"

namespace ts {
namespace {

void ExerciseReaders(std::string_view input, const std::string& name) {
  StudyJsonReader reader;
  StudyV1JsonReader v1_reader;
  auto round_trip = [&](const Result<Study>& study) {
    if (!study.ok()) {
      EXPECT_FALSE(study.status().message().empty()) << name;  // an error always says why
      return;
    }
    auto again = reader.Parse(WriteStudyJson(*study));
    ASSERT_TRUE(again.ok()) << name << ": " << again.status().ToString();
    EXPECT_EQ(*again, *study) << name;
  };
  round_trip(reader.Parse(input));
  round_trip(v1_reader.Parse(input));
  round_trip(ParseStudyXml(input));
  JsonSplitter splitter(
      [&](const RecordPlace& at, std::string_view text) {
        round_trip(at.shape == JsonShape::kApiV1 ? v1_reader.Parse(text) : reader.Parse(text));
      },
      [](const RecordPlace&, const Status& s) { EXPECT_FALSE(s.message().empty()); }, 1 << 16);
  splitter.Feed(input.substr(0, input.size() / 2));
  splitter.Feed(input.substr(input.size() / 2));
  splitter.Finish();
}

TEST(FuzzRegressionTest, EveryKeptInputIsHandled) {
  int n = 0;
  for (const char* dir : {"fuzz/regressions", "fuzz/corpus/json_reader", "fuzz/corpus/xml_reader"}) {
    for (const auto& e : std::filesystem::directory_iterator(testing::SourcePath(dir))) {
      if (!e.is_regular_file() || e.path().filename() == "README.md") continue;
      ExerciseReaders(testing::ReadFileOrDie(e.path().string()), e.path().string());
      ++n;
    }
  }
  EXPECT_GT(n, 5);
}

}  // namespace
}  // namespace ts
