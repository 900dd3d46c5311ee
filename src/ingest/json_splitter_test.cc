#include "ingest/json_splitter.h"

#include <gtest/gtest.h>

namespace ts {
namespace {

struct Collected {
  std::vector<std::string> records;
  std::vector<std::string> errors;  // "index: message"
};

// Feeds `text` in pieces of `chunk` bytes (1 = byte by byte) to exercise every boundary.
Collected Split(const std::string& text, size_t chunk, size_t max_bytes = 1 << 20) {
  Collected c;
  JsonSplitter sp([&](size_t i, std::string_view t) { c.records.push_back(std::to_string(i) + ":" + std::string(t)); },
                  [&](size_t i, const Status& s) { c.errors.push_back(std::to_string(i) + ": " + s.message()); },
                  max_bytes);
  for (size_t i = 0; i < text.size(); i += chunk) sp.Feed(std::string_view(text).substr(i, chunk));
  sp.Finish();
  return c;
}

TEST(JsonSplitterTest, SplitsEveryLayout) {
  struct Case {
    std::string in;
    std::vector<std::string> records;
  } cases[] = {
      {R"([{"a":1}, {"b":"x]}"}])", {R"(0:{"a":1})", R"(1:{"b":"x]}"})"}},
      {R"({"a":{"b":[1,2]}})", {R"(0:{"a":{"b":[1,2]}})"}},
      {"{\"a\":1}\n{\"a\":2}\n", {R"(0:{"a":1})", R"(1:{"a":2})"}},
      {R"({"totalCount":2,"studies":[{"x":"\"}"},{"y":[]}],"nextPageToken":"abc"})", {R"(0:{"x":"\"}"})", R"(1:{"y":[]})"}},
      {R"({"protocolSection":{"studies":[1]}})", {R"(0:{"protocolSection":{"studies":[1]}})"}},
      {"[]", {}},
      {"", {}},
  };
  for (const auto& c : cases) {
    for (size_t chunk : {1, 3, 1000}) {
      Collected got = Split(c.in, chunk);
      EXPECT_EQ(got.records, c.records) << c.in << " chunk " << chunk;
      EXPECT_TRUE(got.errors.empty()) << c.in << ": " << got.errors[0];
    }
  }
}

TEST(JsonSplitterTest, ReportsBadRecordsAndKeepsTheGoodOnes) {
  Collected c = Split(R"([{"a":1}, 7, {"b":2}, "s", {"c":3)", 2);
  EXPECT_EQ(c.records, (std::vector<std::string>{R"(0:{"a":1})", R"(2:{"b":2})"}));
  ASSERT_EQ(c.errors.size(), 3u);
  EXPECT_EQ(c.errors[0], "1: array element is not a study object");
  EXPECT_EQ(c.errors[1], "3: array element is not a study object");
  EXPECT_EQ(c.errors[2], "4: truncated: the input ends inside this record");
}

TEST(JsonSplitterTest, SkipsOversizedRecords) {
  std::string big = "[{\"a\":\"" + std::string(100, 'x') + "\"},{\"b\":1}]";
  Collected c = Split(big, 7, 50);
  EXPECT_EQ(c.records, std::vector<std::string>{R"(1:{"b":1})"});
  ASSERT_EQ(c.errors.size(), 1u);
  EXPECT_NE(c.errors[0].find("0: record larger than"), std::string::npos);
}

TEST(JsonSplitterTest, NdjsonJunkLineIsOneError) {
  Collected c = Split("{\"a\":1}\nnot json\n{\"a\":2}\n", 4);
  EXPECT_EQ(c.records, (std::vector<std::string>{R"(0:{"a":1})", R"(2:{"a":2})"}));
  EXPECT_EQ(c.errors, std::vector<std::string>{"1: not JSON: expected '{' or '['"});
}

}  // namespace
}  // namespace ts
