#include "store/study_store.h"

#include <gtest/gtest.h>

#include "test_paths.h"
#include "test_clock.h"

namespace ts {
namespace {

using ::ts::testing::TempDir;

Study MakeStudy(const std::string& nct, const std::string& last_update, OverallStatus status) {
  Study s;
  s.identification.nct_id = nct;
  s.identification.org_study_id = "ORG-" + nct;
  s.identification.brief_title = "Study " + nct;
  s.status.overall_status = status;
  s.status.last_update_post_date.date = *PartialDate::Parse(last_update);
  s.design.phases = {Phase::kPhase1, Phase::kPhase2};
  s.design.study_type = StudyType::kInterventional;
  Location a, b;
  a.country = "China";
  b.country = "China";
  s.locations = {a, b};
  return s;
}

StudyVersionInput In(Study s, const std::string& origin = "test") { return {std::move(s), "ctgov-json", origin, "{raw}"}; }

TEST(SqliteStoreTest, VersionsOnlyChangedContent) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.Path("t.db"), ts::testing::TestClock());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  StudyStore& st = **store;
  ASSERT_TRUE(st.BeginBatch().ok());
  EXPECT_EQ(*st.Put(In(MakeStudy("NCT00000001", "2020-01-01", OverallStatus::kRecruiting))), PutOutcome::kNew);
  EXPECT_EQ(*st.Put(In(MakeStudy("NCT00000001", "2020-01-01", OverallStatus::kRecruiting))), PutOutcome::kUnchanged);
  EXPECT_EQ(*st.Put(In(MakeStudy("NCT00000001", "2021-06-01", OverallStatus::kCompleted), "v2")), PutOutcome::kUpdated);
  // An older record arriving later is kept as history but does not become current.
  EXPECT_EQ(*st.Put(In(MakeStudy("NCT00000001", "2019-01-01", OverallStatus::kNotYetRecruiting), "old")),
            PutOutcome::kHistorical);
  // Content equal to any stored version is unchanged.
  EXPECT_EQ(*st.Put(In(MakeStudy("NCT00000001", "2020-01-01", OverallStatus::kRecruiting))), PutOutcome::kUnchanged);
  ASSERT_TRUE(st.CommitBatch().ok());

  auto cur = st.Get("nct00000001");
  ASSERT_TRUE(cur.ok()) << cur.status().ToString();
  EXPECT_EQ(cur->version, 2);
  EXPECT_EQ(cur->study.status.overall_status, OverallStatus::kCompleted);

  auto h = st.History("NCT00000001");
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 3u);
  EXPECT_FALSE((*h)[0].current);
  EXPECT_TRUE((*h)[1].current);
  EXPECT_EQ((*h)[2].origin, "old");
  EXPECT_EQ((*h)[2].last_update, "2019-01-01");
  EXPECT_EQ((*h)[2].imported_at, "2026-11-20T00:00:00Z");  // from the clock the store was given

  auto v = st.GetVersion("NCT00000001", 1);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->raw, "{raw}");
  EXPECT_NE(v->study_json.find("RECRUITING"), std::string::npos);
  EXPECT_TRUE(st.GetVersion("NCT00000001", 9).status().IsNotFound());
}

TEST(SqliteStoreTest, ResolvesOtherIdentifiersAndStudiesWithoutNctId) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.Path("t.db"), ts::testing::TestClock());
  ASSERT_TRUE(store.ok());
  StudyStore& st = **store;
  Study no_nct;
  no_nct.identification.brief_title = "A study registered elsewhere";
  no_nct.identification.organization.full_name = "Some Hospital";
  ASSERT_EQ(*st.Put(In(no_nct)), PutOutcome::kNew);
  ASSERT_EQ(*st.Put(In(MakeStudy("NCT00000002", "2020-01-01", OverallStatus::kRecruiting))), PutOutcome::kNew);
  EXPECT_EQ(*st.ResolveKey(StudyKey(no_nct)), StudyKey(no_nct));
  EXPECT_EQ(*st.ResolveKey("org-nct00000002"), "NCT00000002");
  EXPECT_EQ(*st.ResolveKey("ORG:ORG-NCT00000002"), "NCT00000002");
  EXPECT_TRUE(st.Get("NCT99999999").status().IsNotFound());
}

TEST(SqliteStoreTest, StatsAndReopen) {
  TempDir dir;
  {
    auto store = OpenSqliteStore(dir.Path("t.db"), ts::testing::TestClock());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Put(In(MakeStudy("NCT00000001", "2020-01-01", OverallStatus::kRecruiting))).ok());
    ASSERT_TRUE((*store)->Put(In(MakeStudy("NCT00000002", "2020-01-01", OverallStatus::kCompleted))).ok());
  }
  auto store = OpenSqliteStore(dir.Path("t.db"), ts::testing::TestClock());  // reopening keeps data and schema
  ASSERT_TRUE(store.ok());
  auto st = (*store)->Stats();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->studies, 2);
  EXPECT_EQ(st->by_status["RECRUITING"], 1);
  EXPECT_EQ(st->by_phase["PHASE1"], 2);
  EXPECT_EQ(st->by_phase["PHASE2"], 2);
  EXPECT_EQ(st->by_country["China"], 2);  // once per study, not per site
  EXPECT_EQ(st->by_study_type["INTERVENTIONAL"], 2);
  int n = 0;
  ASSERT_TRUE((*store)->ForEach([&](const StoredStudy&) { ++n; return Status::Ok(); }).ok());
  EXPECT_EQ(n, 2);
}

TEST(SqliteStoreTest, UnwritablePathIsAnError) {
  auto store = OpenSqliteStore("/nonexistent-dir/x/t.db", ts::testing::TestClock());
  EXPECT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("/nonexistent-dir/x/t.db"), std::string::npos);
}

}  // namespace
}  // namespace ts
