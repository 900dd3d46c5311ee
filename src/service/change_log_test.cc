#include "service/change_log.h"

#include <gtest/gtest.h>

#include "ingest/ctgov_json.h"
#include "test_clock.h"
#include "test_paths.h"

namespace ts {
namespace {

using ::ts::testing::TempDir;

Study MakeStudy(const std::string& nct, const std::string& last_update, OverallStatus status) {
  Study s;
  s.identification.nct_id = nct;
  s.identification.brief_title = "Study " + nct;
  s.status.overall_status = status;
  s.status.last_update_post_date.date = *PartialDate::Parse(last_update);
  s.eligibility.criteria =
      "Inclusion Criteria:\n\n1. Age >= 18 years\n2. Platelets < 30\n\nExclusion Criteria:\n\n1. Pregnancy\n2. HIV";
  Location a;
  a.city = "Tianjin";
  a.country = "China";
  s.locations = {a};
  return s;
}

StudyVersionInput In(Study s) { return {std::move(s), "ctgov-json", "test", "{}"}; }

class ChangeLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.Path("c.db"), ts::testing::TestClock());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void Put(const Study& s) { ASSERT_TRUE(store_->Put(In(s)).ok()); }
  TempDir dir_;
  std::unique_ptr<StudyStore> store_;
};

TEST_F(ChangeLogTest, DescribesStatusCriteriaAndSitesInWords) {
  Study v1 = MakeStudy("NCT00000001", "2020-01-01", OverallStatus::kNotYetRecruiting);
  Study v2 = v1;
  v2.status.overall_status = OverallStatus::kRecruiting;
  v2.eligibility.criteria =
      "Inclusion Criteria:\n\n1. Age >= 16 years\n2. Platelets < 30\n\nExclusion Criteria:\n\n1. Pregnancy\n2. HIV\n3. HBV";
  Location h;
  h.city = "Hangzhou";
  h.country = "China";
  v2.locations.push_back(h);
  v2.status.last_update_post_date.date = *PartialDate::Parse("2020-02-01");
  Put(v1);
  Put(v2);
  ChangeLog log(*store_);
  auto changes = log.StudyChangesOf("nct00000001");
  ASSERT_TRUE(changes.ok()) << changes.status().ToString();
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_TRUE((*changes)[0].changes.is_new);
  const StudyChanges& c = (*changes)[1].changes;
  EXPECT_TRUE(c.status && c.criteria && c.sites);
  std::vector<std::string> want = {"Status: Not yet recruiting → Recruiting", "Inclusion 1 changed", "Exclusion 3 added",
                                   "Site added: Hangzhou", "1 other field changed (statusModule)"};
  EXPECT_EQ(c.words, want);
  EXPECT_EQ(c.modules, (std::vector<std::string>{"statusModule", "eligibilityModule", "contactsLocationsModule"}));
  auto diff = log.Diff("NCT00000001", 1, 2);
  ASSERT_TRUE(diff.ok());
  EXPECT_FALSE(diff->empty());
  EXPECT_TRUE(log.Diff("NCT00000001", 1, 7).status().IsNotFound());
}

TEST(StudyChangesTest, EveryChangeIsSaidInWordsOrCounted) {
  Study a;
  a.identification.nct_id = "NCT00000009";
  a.eligibility.criteria = "Inclusion Criteria:\n\n1. Age >= 18 years\n2. HIV";
  a.eligibility.study_population = "Adults";
  Study b = a;
  b.eligibility.criteria = "Inclusion Criteria:\n\n1.  Age >= 18 years\n2. HIV";  // spacing only
  b.eligibility.study_population = "Adults and children";
  Location l;
  l.city = "Tianjin";
  b.locations = {l};
  auto diff = DiffStudyJson(WriteStudyJson(a), WriteStudyJson(b));
  ASSERT_TRUE(diff.ok());
  StudyChanges c = DescribeChanges(&a, b, *diff);
  EXPECT_TRUE(c.criteria);
  EXPECT_TRUE(c.sites);
  EXPECT_EQ(c.words, (std::vector<std::string>{"Criteria text changed (layout only)", "Site added: Tianjin",
                                               "1 other field changed (eligibilityModule)"}));
  EXPECT_EQ(ModuleOfPath("protocolSection.armsInterventionsModule.interventions[2].name"), "armsInterventionsModule");
  EXPECT_EQ(ModuleOfPath("hasResults"), "hasResults");
  EXPECT_EQ(ModuleOfPath("resultsSection.outcomeMeasuresModule"), "outcomeMeasuresModule");
}

TEST_F(ChangeLogTest, FeedPagesAreExactAcrossImports) {
  ChangeLog log(*store_);
  Put(MakeStudy("NCT00000001", "2020-01-01", OverallStatus::kRecruiting));
  Put(MakeStudy("NCT00000002", "2020-01-01", OverallStatus::kRecruiting));
  Put(MakeStudy("NCT00000003", "2020-01-01", OverallStatus::kRecruiting));
  auto p1 = log.Changes("", 2);
  ASSERT_TRUE(p1.ok()) << p1.status().ToString();
  ASSERT_EQ(p1->entries.size(), 2u);
  EXPECT_EQ(p1->entries[0].key, "NCT00000001");
  EXPECT_EQ(p1->next_token, "c2");
  // An import between two pages: the next page has what came after the token, nothing twice.
  Put(MakeStudy("NCT00000001", "2020-05-01", OverallStatus::kCompleted));
  auto p2 = log.Changes(p1->next_token, 10);
  ASSERT_TRUE(p2.ok());
  ASSERT_EQ(p2->entries.size(), 2u);
  EXPECT_EQ(p2->entries[0].key, "NCT00000003");
  EXPECT_EQ(p2->entries[1].key, "NCT00000001");
  EXPECT_EQ(p2->entries[1].info.version, 2);
  EXPECT_EQ(p2->entries[1].changes.modules, std::vector<std::string>{"statusModule"});
  auto p3 = log.Changes(p2->next_token, 10);
  ASSERT_TRUE(p3.ok());
  EXPECT_TRUE(p3->entries.empty());
  EXPECT_EQ(p3->next_token, p2->next_token);  // an empty page keeps the token
  EXPECT_EQ(*log.LatestToken(), "c4");
  for (const char* bad : {"x", "c", "c-1", "12", "c1x", "c99999999999999999999"}) {
    auto r = log.Changes(bad, 10);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(r.status().message().find("since"), std::string::npos) << r.status().message();
  }
  EXPECT_NE(log.Changes("c5", 10).status().message().find("ahead of"), std::string::npos);
}

// The server's history connection lives as long as the server: what another process imports must show
// after any earlier read (a cached statement left on a row would keep the connection's old snapshot).
TEST_F(ChangeLogTest, SeesWhatAnotherConnectionCommitsAfterReads) {
  Put(MakeStudy("NCT00000001", "2020-01-01", OverallStatus::kRecruiting));
  ChangeLog log(*store_);
  ASSERT_TRUE(log.History("NCT00000001").ok());
  ASSERT_TRUE(log.StudyChangesOf("NCT00000001").ok());
  ASSERT_TRUE(log.Changes("", 10).ok());
  auto other = OpenSqliteStore(dir_.Path("c.db"), ts::testing::TestClock());
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  ASSERT_TRUE((*other)->Put(In(MakeStudy("NCT00000002", "2020-01-01", OverallStatus::kRecruiting))).ok());
  auto page = log.Changes("c1", 10);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].key, "NCT00000002");
  EXPECT_TRUE(log.History("NCT00000002").ok());
}

TEST_F(ChangeLogTest, ChangedSinceComparesWithTheVersionAtTheToken) {
  ChangeLog log(*store_);
  Put(MakeStudy("NCT00000001", "2020-01-01", OverallStatus::kRecruiting));
  Put(MakeStudy("NCT00000002", "2020-01-01", OverallStatus::kRecruiting));
  const std::string token = *log.LatestToken();
  Study status_changed = MakeStudy("NCT00000001", "2020-02-01", OverallStatus::kCompleted);
  Put(status_changed);
  Study title_only = MakeStudy("NCT00000002", "2020-02-01", OverallStatus::kRecruiting);
  title_only.identification.brief_title = "Renamed";
  Put(title_only);  // not a change re-screening follows
  Put(MakeStudy("NCT00000003", "2020-01-01", OverallStatus::kRecruiting));
  auto r = log.ChangedSince(token, 100);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->studies.size(), 2u);
  EXPECT_EQ(r->studies[0].key, "NCT00000001");
  EXPECT_EQ(r->studies[0].before_version, 1);
  EXPECT_EQ(r->studies[0].after_version, 2);
  EXPECT_TRUE(r->studies[0].changes.status);
  EXPECT_EQ(r->studies[1].key, "NCT00000003");
  EXPECT_FALSE(r->studies[1].before.has_value());
  EXPECT_EQ(r->next_token, "c5");
  EXPECT_TRUE(log.ChangedSince(r->next_token, 100)->studies.empty());
  EXPECT_EQ(log.ChangedSince("", 1).status().code(), StatusCode::kInvalidArgument);  // 3 studies > 1
  auto recent = log.RecentRelevant(10, 100);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 4u);  // all but the title change, newest first
  EXPECT_EQ((*recent)[0].key, "NCT00000003");
  EXPECT_EQ((*recent)[1].key, "NCT00000001");
}

}  // namespace
}  // namespace ts
