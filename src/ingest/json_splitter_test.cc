#include "ingest/json_splitter.h"

#include <gtest/gtest.h>

#include <sstream>

namespace ts {
namespace {

struct Collected {
  std::vector<std::string> records;
  std::vector<std::string> errors;  // "index: message"
};

// Feeds `text` in pieces of `chunk` bytes (1 = byte by byte) to exercise every boundary.
// In line mode a record or error is "index:line:offset:..." instead of "index:..."; an API v1 record is
// "v1 [index]:..." or, in a page, "v1 FullStudies[index]:...".
Collected Split(const std::string& text, size_t chunk, size_t max_bytes = 1 << 20,
                JsonLayout layout = JsonLayout::kAuto) {
  Collected c;
  auto place = [](const RecordPlace& at) {
    std::ostringstream out;
    if (at.shape == JsonShape::kApiV1) out << "v1 " << at.list << "[" << at.index << "]";
    if (at.shape == JsonShape::kApiV1) return out.str();
    out << at.index;
    if (at.line > 0) out << ":" << at.line << ":" << at.offset;
    return out.str();
  };
  JsonSplitter sp([&](const RecordPlace& at, std::string_view t) { c.records.push_back(place(at) + ":" + std::string(t)); },
                  [&](const RecordPlace& at, const Status& s) { c.errors.push_back(place(at) + ": " + s.message()); },
                  max_bytes, layout);
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
      {R"({"a":{"b":[1,2]}})", {R"(0:1:0:{"a":{"b":[1,2]}})"}},  // one line: NDJSON of one record
      {"{\"a\":1}\n{\"a\":2}\n", {R"(0:1:0:{"a":1})", R"(1:2:8:{"a":2})"}},
      {"{\n \"a\": 1\n}\n{\"a\":2}", {"0:{\n \"a\": 1\n}", R"(1:{"a":2})"}},  // pretty: not NDJSON
      {R"({"totalCount":2,"studies":[{"x":"\"}"},{"y":[]}],"nextPageToken":"abc"})", {R"(0:{"x":"\"}"})", R"(1:{"y":[]})"}},
      {R"({"protocolSection":{"studies":[1]}})", {R"(0:1:0:{"protocolSection":{"studies":[1]}})"}},
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
  EXPECT_EQ(c.records, (std::vector<std::string>{R"(0:1:0:{"a":1})", R"(2:3:17:{"a":2})"}));
  EXPECT_EQ(c.errors, std::vector<std::string>{"1:2:8: not JSON: expected '{' at the start of the line"});
}

// Every broken line is exactly one error, at its line; the good line after it is kept.
TEST(JsonSplitterTest, NdjsonResynchronisesAtTheNextLine) {
  struct Case {
    std::string line;
    std::string error;
  } cases[] = {
      {R"({"a":2)", "truncated: the line ends inside this record"},
      {R"({"a":"unterminated)", "truncated: the line ends inside this record"},
      {R"({"a":[1,2})", "truncated: the line ends inside this record"},
      {R"({"a":2}})", "unexpected text after the object on this line"},
      {std::string(5000, '}'), "not JSON: expected '{' at the start of the line"},
      {R"({"a":2} {"b":3})", "unexpected text after the object on this line"},
      {R"({"a":2} trailing)", "unexpected text after the object on this line"},
      {"[1,2,3]", "not JSON: expected '{' at the start of the line"},
      {"1,1,1,1,1", "not JSON: expected '{' at the start of the line"},
  };
  for (const auto& c : cases) {
    const std::string text = "{\"a\":1}\n" + c.line + "\n{\"a\":3}\n";
    for (JsonLayout layout : {JsonLayout::kAuto, JsonLayout::kLines}) {
      for (size_t chunk : {1, 3, 1000}) {
        Collected got = Split(text, chunk, 1 << 20, layout);
        const std::string third_at = std::to_string(9 + c.line.size());
        EXPECT_EQ(got.records, (std::vector<std::string>{R"(0:1:0:{"a":1})", "2:3:" + third_at + R"(:{"a":3})"}))
            << c.line.substr(0, 40) << " chunk " << chunk;
        ASSERT_EQ(got.errors.size(), 1u) << c.line.substr(0, 40) << " chunk " << chunk;
        EXPECT_EQ(got.errors[0].substr(got.errors[0].find(' ') + 1), c.error) << c.line.substr(0, 40);
        EXPECT_EQ(got.errors[0].substr(0, 4), "1:2:") << c.line.substr(0, 40);
      }
    }
  }
}

// A .ndjson file (line mode from the start) resynchronises even when its first line is broken.
TEST(JsonSplitterTest, LineModeFromTheFirstLine) {
  Collected c = Split("{\"a\":\n{\"a\":2}\n\n{\"a\":3}", 5, 1 << 20, JsonLayout::kLines);
  EXPECT_EQ(c.records, (std::vector<std::string>{R"(1:2:6:{"a":2})", R"(2:4:15:{"a":3})"}));
  EXPECT_EQ(c.errors, std::vector<std::string>{"0:1:0: truncated: the line ends inside this record"});
  Collected cut = Split("{\"a\":1}\n{\"a\":", 5, 1 << 20, JsonLayout::kLines);
  EXPECT_EQ(cut.records, std::vector<std::string>{R"(0:1:0:{"a":1})"});
  EXPECT_EQ(cut.errors, std::vector<std::string>{"1:2:8: truncated: the input ends inside this record"});
}

// A huge broken line is one error (not one per byte or per element), in bounded memory.
TEST(JsonSplitterTest, HugeBrokenLineIsOneError) {
  std::string huge = "{\"a\":1}\n{\"protocolSection\":{\"x\":[" ;
  for (int i = 0; i < 200000; ++i) huge += "{\"k\":\"v\"}},";  // unbalanced all along
  huge += "\n{\"a\":3}\n";
  for (size_t max_bytes : {size_t{1} << 20, size_t{1000}}) {
    Collected c = Split(huge, 65536, max_bytes, JsonLayout::kLines);
    EXPECT_EQ(c.records.size(), 2u);
    ASSERT_EQ(c.errors.size(), 1u);
    EXPECT_EQ(c.errors[0].substr(0, 4), "1:2:");
  }
}

// Concatenated API pages, one per line, still give their studies.
TEST(JsonSplitterTest, PagesOnePerLine) {
  Collected c = Split("{\"studies\":[{\"a\":1},{\"a\":2}]}\n{\"studies\":[{\"a\":3}]}\n", 7, 1 << 20, JsonLayout::kLines);
  EXPECT_EQ(c.records, (std::vector<std::string>{R"(0:1:12:{"a":1})", R"(1:1:20:{"a":2})", R"(2:2:42:{"a":3})"}));
  EXPECT_TRUE(c.errors.empty()) << c.errors[0];
}

// An API v1 page's records are the elements of FullStudiesResponse.FullStudies, whatever else the page holds;
// single-study v1 files are one record each, known by their top-level keys.
TEST(JsonSplitterTest, FindsApiV1Studies) {
  struct Case {
    std::string in;
    std::vector<std::string> records;
    std::vector<std::string> errors = {};
  } cases[] = {
      {R"({"FullStudiesResponse":{"APIVrs":"1.01.05","Expression":"a [b] {c}","NStudiesFound":2,)"
       R"("FullStudies":[{"Rank":1,"Study":{"x":[1]}},{"Rank":2,"Study":{}}],"After":{"Deep":{"x":1}}}})",
       {R"(v1 FullStudies[0]:{"Rank":1,"Study":{"x":[1]}})", R"(v1 FullStudies[1]:{"Rank":2,"Study":{}})"}},
      {"{\n  \"FullStudiesResponse\": {\n    \"FullStudies\": [\n      {\"Rank\": 1, \"Study\": {}},\n      7\n    ]\n  }\n}\n",
       {R"(v1 FullStudies[0]:{"Rank": 1, "Study": {}})"}, {"v1 FullStudies[1]: array element is not a study object"}},
      {R"({"FullStudiesResponse":{"FullStudies":[]}})", {}},
      {R"({"FullStudiesResponse":{"NStudiesFound":0}})", {R"(v1 [0]:{"FullStudiesResponse":{"NStudiesFound":0}})"}},
      {"{\"FullStudy\":{\"Rank\":1,\"Study\":{}}}\n", {"v1 [0]:{\"FullStudy\":{\"Rank\":1,\"Study\":{}}}"}},
      {"{\n\"Study\": {\"ProtocolSection\": {}}\n}", {"v1 [0]:{\n\"Study\": {\"ProtocolSection\": {}}\n}"}},
      {R"([{"Rank":1,"Study":{}},{"protocolSection":{"Study":1}}])",
       {R"(v1 [0]:{"Rank":1,"Study":{}})", R"(1:{"protocolSection":{"Study":1}})"}},
      {R"({"studies":[{"a":1}],"after":{"deep":{"x":1}}})", {R"(0:{"a":1})"}},
      {"{\"x\":{\"FullStudies\":[{\"a\":1}]}}\n", {R"(0:1:0:{"x":{"FullStudies":[{"a":1}]}})"}},
  };
  for (const auto& c : cases) {
    for (size_t chunk : {1, 3, 1000}) {
      Collected got = Split(c.in, chunk);
      EXPECT_EQ(got.records, c.records) << c.in << " chunk " << chunk;
      EXPECT_EQ(got.errors, c.errors) << c.in << " chunk " << chunk;
    }
  }
}

}  // namespace
}  // namespace ts
