#include "study_text.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "common/strings.h"
#include "ingest/ctgov_json.h"
#include "test_paths.h"

namespace ts {
namespace {

// tests/cases/show/<fixture>.facts: every fact of the seed page appears in `trialscope show`.
TEST(StudyTextTest, ShowsEveryFactOfEachSeedPage) {
  StudyJsonReader reader;
  int cases = 0;
  for (const auto& fixture : testing::SeedFixtureFiles()) {
    std::string stem = std::filesystem::path(fixture).stem().string();
    std::string facts_path = testing::SourcePath("tests/cases/show/" + stem + ".facts");
    ASSERT_TRUE(std::filesystem::exists(facts_path)) << "no case file for " << fixture;
    auto study = reader.Parse(testing::ReadFileOrDie(fixture));
    ASSERT_TRUE(study.ok()) << study.status().ToString();
    std::string page = CollapseSpace(RenderStudyText(*study));
    std::istringstream lines(testing::ReadFileOrDie(facts_path));
    int facts = 0;
    for (std::string line; std::getline(lines, line);) {
      std::string fact = CollapseSpace(line);
      if (fact.empty() || fact[0] == '#') continue;
      ++facts;
      EXPECT_NE(page.find(fact), std::string::npos) << stem << ": missing \"" << fact << "\"";
    }
    EXPECT_GT(facts, 20) << stem;
    ++cases;
  }
  EXPECT_EQ(cases, 5);
}

TEST(StudyTextTest, ShowsPostedResults) {
  StudyJsonReader reader;
  auto study = reader.Parse(testing::ReadFileOrDie(testing::FixturePath("results/nct09999991_fictional_results.json")));
  ASSERT_TRUE(study.ok()) << study.status().ToString();
  std::string page = RenderStudyText(*study);
  for (const char* want : {"Results (posted 2025-03-01)", "Primary: Platelet response (PLT >= 100 x 10^9/L) [Day 14]",
                           "Drug A <5 mg>: 12 of 20 participants (60%)", "Placebo: 5 of 21 participants (24%)",
                           "p = 0.03 (Fisher Exact)", "Flow, Overall Study, STARTED: Drug A <5 mg> 20; Placebo 21",
                           "Serious adverse events (affected/at risk): Drug A <5 mg> 1/20; Placebo 2/21",
                           "Limitations and caveats: Small sample."}) {
    EXPECT_NE(page.find(want), std::string::npos) << "missing \"" << want << "\" in\n" << page;
  }
}

TEST(StudyTextTest, ResultsAsTables) {
  StudyJsonReader reader;
  auto study = reader.Parse(testing::ReadFileOrDie(testing::FixturePath("results/nct09999991_fictional_results.json")));
  ASSERT_TRUE(study.ok()) << study.status().ToString();
  std::string text = RenderResultsText(*study);
  for (const char* want : {"Results posted 2025-03-01", "Participant flow", "left: Adverse Event",
                           "Primary outcome: Platelet response (PLT >= 100 x 10^9/L)",
                           "Analysis: Drug A <5 mg> vs Placebo, Fisher Exact, p = 0.03", "S: Thrombosis",
                           "Not posted yet (expected 2026-09)", "Limitations and caveats: Small sample."}) {
    EXPECT_NE(text.find(want), std::string::npos) << "missing \"" << want << "\" in\n" << text;
  }
  Study none;
  none.identification.nct_id = "NCT09999993";
  EXPECT_EQ(RenderResultsText(none), "NCT09999993: no posted results\n");
}

TEST(StudyTextTest, UnescapesMarkdown) {
  EXPECT_EQ(UnescapeMarkdown(R"(PLT \<50, \>= 18, \[NYHA\], a\\b, 1\. x)"), R"(PLT <50, >= 18, [NYHA], a\b, 1. x)");
}

TEST(StudyTextTest, HistoryAndDiffRender) {
  std::vector<VersionInfo> v = {{1, "h1", "2015-08-04", "ctgov-xml", "a.zip!x.xml", "2026-01-01T00:00:00Z", false},
                                {2, "h2", "2015-08-04", "ctgov-json", "b.json[3]", "2026-01-01T00:00:00Z", true}};
  std::string h = RenderHistoryText("NCT00000410", v);
  EXPECT_NE(h.find("NCT00000410: 2 versions"), std::string::npos);
  EXPECT_NE(h.find("b.json[3]"), std::string::npos);
  std::string d = RenderDiffText("NCT1", 1, 2, {{"a.b", "X", "Y", true, true}, {"c", "", "Z", false, true}});
  EXPECT_NE(d.find("~ a.b: X -> Y"), std::string::npos);
  EXPECT_NE(d.find("+ c: Z"), std::string::npos);
}

}  // namespace
}  // namespace ts
