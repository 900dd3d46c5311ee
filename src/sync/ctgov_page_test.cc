#include "sync/ctgov_page.h"

#include <gtest/gtest.h>

namespace ts {
namespace {

const char* kStudy1 =
    R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000001"},)"
    R"("statusModule":{"lastUpdatePostDateStruct":{"date":"2026-11-02"}}}})";
const char* kStudy2 =
    R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000002"},)"
    R"("statusModule":{"lastUpdatePostDateStruct":{"date":"2026-11-05"}}}})";

TEST(ReadStudiesPage, ReadsCountTokenAndNewestDate) {
  std::string body = std::string(R"({"studies":[)") + kStudy1 + "," + kStudy2 + R"(],"nextPageToken":"abc"})";
  Result<StudiesPage> p = ReadStudiesPage(body);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->studies, 2);
  EXPECT_EQ(p->next_page_token, "abc");
  EXPECT_EQ(p->newest_update, "2026-11-05");
  Result<StudiesPage> last = ReadStudiesPage(R"({"studies":[]})");
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->studies, 0);
  EXPECT_EQ(last->next_page_token, "");
}

TEST(ReadStudiesPage, RefusesTruncatedOrMalformedPages) {
  std::string whole = std::string(R"({"studies":[)") + kStudy1 + "," + kStudy2 + R"(],"nextPageToken":"abc"})";
  struct Case {
    std::string body;
    const char* says;
  } cases[] = {
      {whole.substr(0, whole.size() / 2), "not valid JSON"},
      {whole.substr(0, whole.size() - 1), "not valid JSON"},
      {"", "not valid JSON"},
      {"<html>busy</html>", "not valid JSON"},
      {R"([{"protocolSection":{}}])", "not a JSON object"},
      {R"({"totalCount":3})", "no \"studies\" array"},
      {R"({"studies":{"a":1}})", "no \"studies\" array"},
      {R"({"studies":[{}, 3]})", "studies[1] is not an object"},
      {R"({"studies":[],"nextPageToken":""})", "nextPageToken"},
      {R"({"studies":[],"nextPageToken":7})", "nextPageToken"},
      {whole + "x", "not valid JSON"},
  };
  for (const Case& c : cases) {
    Result<StudiesPage> p = ReadStudiesPage(c.body);
    ASSERT_FALSE(p.ok()) << c.body;
    EXPECT_TRUE(p.status().IsInvalidArgument());
    EXPECT_NE(p.status().message().find(c.says), std::string::npos) << c.body << " -> " << p.status().message();
  }
}

TEST(ReadDataTimestamp, ReadsItOrSaysItIsMissing) {
  Result<std::string> t = ReadDataTimestamp(R"({"apiVersion":"2.0.3","dataTimestamp":"2026-11-20T09:00:05"})");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, "2026-11-20T09:00:05");
  EXPECT_FALSE(ReadDataTimestamp(R"({"apiVersion":"2.0.3"})").ok());
  EXPECT_FALSE(ReadDataTimestamp(R"({"dataTimestamp":)").ok());
}

TEST(StudiesPageUrl, EncodesTheFilterAndToken) {
  EXPECT_EQ(StudiesPageUrl("http://127.0.0.1:9", "2026-11-01", 50, ""),
            "http://127.0.0.1:9/api/v2/studies?format=json&filter.advanced="
            "AREA%5BLastUpdatePostDate%5DRANGE%5B2026-11-01%2CMAX%5D&sort=LastUpdatePostDate%3Aasc&pageSize=50");
  EXPECT_EQ(StudiesPageUrl("https://x", "2026-11-01", 1000, "a+b/c="),
            "https://x/api/v2/studies?format=json&filter.advanced="
            "AREA%5BLastUpdatePostDate%5DRANGE%5B2026-11-01%2CMAX%5D&sort=LastUpdatePostDate%3Aasc&pageSize=1000"
            "&pageToken=a%2Bb%2Fc%3D");
  EXPECT_EQ(VersionUrl("https://x"), "https://x/api/v2/version");
}

}  // namespace
}  // namespace ts
