#include "ingest/ctgov_json.h"

#include <gtest/gtest.h>

#include "test_paths.h"

namespace ts {
namespace {

using ::ts::testing::ReadFileOrDie;
using ::ts::testing::SeedFixtureFiles;

TEST(CtgovJsonTest, SeedFixturesParseAndRoundTrip) {
  StudyJsonReader reader;
  auto files = SeedFixtureFiles();
  ASSERT_EQ(files.size(), 5u);
  for (const auto& f : files) {
    auto s = reader.Parse(ReadFileOrDie(f));
    ASSERT_TRUE(s.ok()) << f << ": " << s.status().ToString();
    std::string json = WriteStudyJson(*s);
    auto again = reader.Parse(json);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(*again, *s) << f;
    EXPECT_EQ(WriteStudyJson(*again), json);
  }
}

TEST(CtgovJsonTest, ReadsTheFieldsOfASeed) {
  StudyJsonReader reader;
  auto s = reader.Parse(ReadFileOrDie(testing::FixturePath("studies/nct06964971_luspatercept_td_nsaa.json")));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->identification.nct_id, "NCT06964971");
  EXPECT_EQ(s->identification.org_study_id, "2025-KLS-046-02");
  EXPECT_EQ(s->status.overall_status, OverallStatus::kNotYetRecruiting);
  EXPECT_EQ(s->status.start_date.date.ToString(), "2025-05-20");
  EXPECT_EQ(s->design.phases, std::vector<Phase>{Phase::kNa});
  EXPECT_EQ(s->design.allocation, Allocation::kNonRandomized);
  EXPECT_EQ(s->design.enrollment_count, 90);
  EXPECT_EQ(s->eligibility.maximum_age->ToString(), "80 Years");
  ASSERT_EQ(s->locations.size(), 1u);
  EXPECT_EQ(s->locations[0].city, "Hangzhou");
  EXPECT_EQ(s->locations[0].contacts[0].phone, "+86 13738092542");
  ASSERT_EQ(s->interventions.size(), 2u);
  EXPECT_NE(s->interventions[1].description.find("20 mg/kg/day"), std::string::npos);
}

TEST(CtgovJsonTest, BadInputNamesThePathAndProblem) {
  struct Case {
    const char* json;
    const char* error;
  } cases[] = {
      {R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000001"},"statusModule":{"overallStatus":"DONE"}}})",
       "protocolSection.statusModule.overallStatus: unknown overallStatus value \"DONE\""},
      {R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000001"},"designModule":{"enrollmentInfo":{"count":"many"}}}})",
       "protocolSection.designModule.enrollmentInfo.count: expected an integer"},
      {R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000001"},"statusModule":{"startDateStruct":{"date":"2023-02-30"}}}})",
       "protocolSection.statusModule.startDateStruct.date: not a date: \"2023-02-30\""},
      {R"({"protocolSection":{"identificationModule":{"nctId":"NCT1"}}})",
       "protocolSection.identificationModule.nctId: not an NCT ID: \"NCT1\""},
      {R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000001"},"designModule":{"phases":["PHASE9"]}}})",
       "protocolSection.designModule.phases: unknown phase value \"PHASE9\""},
      {R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000001"},"eligibilityModule":{"minimumAge":"eighteen"}}})",
       "protocolSection.eligibilityModule.minimumAge: not an age: \"eighteen\""},
      {R"({"protocolSection":{"identificationModule":{}}})",
       "protocolSection.identificationModule: no nctId, orgStudyIdInfo or title"},
      {R"({"studies":[]})", "not a ClinicalTrials.gov study: no protocolSection"},
      {R"([1,2])", "expected a study object"},
      {R"({"protocolSection":)", "invalid JSON"},
  };
  StudyJsonReader reader;
  for (const auto& c : cases) {
    auto s = reader.Parse(c.json);
    ASSERT_FALSE(s.ok()) << c.json;
    EXPECT_NE(s.status().message().find(c.error), std::string::npos) << s.status().message();
  }
}

TEST(CtgovJsonTest, UnknownFieldsAreIgnoredNotFatal) {
  StudyJsonReader reader;
  auto s = reader.Parse(R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000001","newField":1},
      "futureModule":{"x":[1]}},"annotationSection":{}})");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->identification.nct_id, "NCT00000001");
}

}  // namespace
}  // namespace ts
