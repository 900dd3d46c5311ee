#include "store/study_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "ingest/derive_study.h"

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

namespace ts {
namespace {

// A database written by an older reading (derivation_version 1, no results read) is upgraded from
// the raw bytes it kept, API v2 and API v1 alike: the new fields appear, re-importing the same record is
// unchanged, a record the newer reading refuses keeps its old derivation, and the database records what it did.
TEST(SqliteStoreTest, OlderDerivationsAreRederivedFromRawOnOpen) {
  TempDir dir;
  const std::string path = dir.Path("old.db");
  const std::string raw =
      R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000101","briefTitle":"T"}},)"
      R"("resultsSection":{"moreInfoModule":{"limitationsAndCaveats":{"description":"Small."}}},"hasResults":true})";
  Study full = MakeStudy("NCT00000101", "2020-01-01", OverallStatus::kCompleted);
  full.identification.org_study_id.clear();
  full.identification.brief_title = "T";
  full.design = {};
  full.locations.clear();
  full.status = {};
  full.has_results = true;
  full.results = StudyResults{};
  full.results->more_info = MoreInfo{"Small.", std::nullopt, std::nullopt};
  Study old_reading = full;
  old_reading.results.reset();
  const std::string raw_v1 =
      R"({"Rank":1,"Study":{"ProtocolSection":{"IdentificationModule":{"NCTId":"NCT00000103","BriefTitle":"T"}},)"
      R"("ResultsSection":{"MoreInfoModule":{"LimitationsAndCaveats":"Small."}}}})";
  Study old_v1 = old_reading;
  old_v1.identification.nct_id = "NCT00000103";
  {
    auto store = OpenSqliteStore(path, ts::testing::TestClock());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->Migrations()->empty());  // a new database is derived by this reading
    ASSERT_EQ(*(*store)->Put({old_reading, "ctgov-json", "a.json", raw}), PutOutcome::kNew);
    ASSERT_EQ(*(*store)->Put({old_v1, "ctgov-json-v1", "v1.json#FullStudies[0]", raw_v1}), PutOutcome::kNew);
    ASSERT_EQ(*(*store)->Put(In(MakeStudy("NCT00000102", "2020-01-01", OverallStatus::kCompleted))), PutOutcome::kNew);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value='1' WHERE key='derivation_version'", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);

  auto store = OpenSqliteStore(path, ts::testing::TestClock());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto migrations = (*store)->Migrations();
  ASSERT_TRUE(migrations.ok());
  ASSERT_EQ(migrations->size(), 1u);
  EXPECT_EQ((*migrations)[0].from_reading, 1);
  EXPECT_EQ((*migrations)[0].to_reading, kDerivationVersion);
  EXPECT_EQ((*migrations)[0].versions, 2);
  EXPECT_EQ((*migrations)[0].failed, 1);  // NCT00000102's raw bytes ("{raw}") are not a study
  EXPECT_NE((*migrations)[0].note.find("NCT00000102 version 1"), std::string::npos) << (*migrations)[0].note;
  auto got = (*store)->Get("NCT00000101");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->study.results.has_value());
  EXPECT_EQ(got->study.results->more_info->limitations_and_caveats, "Small.");
  EXPECT_EQ(*(*store)->Put({full, "ctgov-json", "b.json", raw}), PutOutcome::kUnchanged);
  auto v1 = (*store)->Get("NCT00000103");
  ASSERT_TRUE(v1.ok());
  ASSERT_TRUE(v1->study.results.has_value());
  EXPECT_EQ(v1->study.results->more_info->limitations_and_caveats, "Small.");
  EXPECT_TRUE((*store)->Get("NCT00000102").ok());  // kept with its earlier derivation
  // Opening again does nothing more.
  store->reset();
  store = OpenSqliteStore(path, ts::testing::TestClock());
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->Migrations()->size(), 1u);
}

TEST(SqliteStoreTest, ChangeSequenceNumbersEveryVersionInCommitOrder) {
  TempDir dir;
  const std::string path = dir.Path("seq.db");
  {
    auto store = OpenSqliteStore(path, ts::testing::TestClock());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    StudyStore& st = **store;
    EXPECT_EQ(*st.LastSequence(), 0);
    ASSERT_EQ(*st.Put(In(MakeStudy("NCT00000001", "2020-01-01", OverallStatus::kRecruiting))), PutOutcome::kNew);
    ASSERT_EQ(*st.Put(In(MakeStudy("NCT00000002", "2020-01-01", OverallStatus::kRecruiting))), PutOutcome::kNew);
    ASSERT_EQ(*st.Put(In(MakeStudy("NCT00000001", "2020-01-01", OverallStatus::kRecruiting))), PutOutcome::kUnchanged);
    ASSERT_EQ(*st.Put(In(MakeStudy("NCT00000001", "2021-01-01", OverallStatus::kCompleted))), PutOutcome::kUpdated);
    EXPECT_EQ(*st.LastSequence(), 3);
    auto all = st.ChangesAfter(0, 10);
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].key, "NCT00000001");
    EXPECT_EQ((*all)[1].key, "NCT00000002");
    EXPECT_EQ((*all)[2].info.version, 2);
    EXPECT_EQ((*all)[2].info.seq, 3);
    EXPECT_TRUE((*all)[2].info.current);
    EXPECT_FALSE((*all)[0].info.current);
    auto page = st.ChangesAfter(1, 1);
    ASSERT_EQ(page->size(), 1u);
    EXPECT_EQ((*page)[0].info.seq, 2);
    auto back = st.ChangesBefore(3, 10);
    ASSERT_EQ(back->size(), 2u);
    EXPECT_EQ((*back)[0].info.seq, 2);  // newest first
    EXPECT_EQ((*st.History("NCT00000001"))[1].seq, 3);
    EXPECT_EQ(st.GetVersion("NCT00000001", 2)->info.seq, 3);
  }
  // A database from before the sequence: the column is added on open, versions numbered in insertion order.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP INDEX versions_by_seq; ALTER TABLE versions DROP COLUMN seq", nullptr, nullptr, nullptr),
            SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_close(db);
  auto store = OpenSqliteStore(path, ts::testing::TestClock());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto all = (*store)->ChangesAfter(0, 10);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].key, "NCT00000001");
  EXPECT_EQ((*all)[0].info.version, 1);
  EXPECT_EQ((*all)[1].key, "NCT00000002");
  EXPECT_EQ((*all)[2].info.version, 2);
  EXPECT_LT((*all)[0].info.seq, (*all)[1].info.seq);
  EXPECT_LT((*all)[1].info.seq, (*all)[2].info.seq);
  ASSERT_EQ(*(*store)->Put(In(MakeStudy("NCT00000003", "2020-01-01", OverallStatus::kRecruiting))), PutOutcome::kNew);
  auto after = (*store)->ChangesAfter((*all)[2].info.seq, 10);
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].key, "NCT00000003");
}

}  // namespace
}  // namespace ts

namespace ts {
namespace {

TEST(SqliteStoreTest, SyncCheckpointsAreKeptPerEndpointAndCommittedWithTheBatch) {
  ::ts::testing::TempDir dir;
  {
    auto store = OpenSqliteStore(dir.Path("t.db"), ts::testing::TestClock());
    ASSERT_TRUE(store.ok());
    EXPECT_TRUE((*store)->GetSyncCheckpoint("https://a").status().IsNotFound());
    SyncCheckpoint cp{.api = "https://a", .completed_through = "2026-11-01", .run_since = "2026-10-01",
                      .page_token = "tok", .pages_done = 3, .studies_done = 3000, .run_newest = "2026-11-05",
                      .data_timestamp = "2026-11-20T09:00:05"};
    ASSERT_TRUE((*store)->BeginBatch().ok());
    ASSERT_TRUE((*store)->Put(In(MakeStudy("NCT00000001", "2026-11-05", OverallStatus::kRecruiting))).ok());
    ASSERT_TRUE((*store)->PutSyncCheckpoint(cp).ok());
    ASSERT_TRUE((*store)->CommitBatch().ok());
    ASSERT_TRUE((*store)->PutSyncCheckpoint({.api = "https://b", .completed_through = "2026-01-01"}).ok());
  }
  auto store = OpenSqliteStore(dir.Path("t.db"), ts::testing::TestClock());
  ASSERT_TRUE(store.ok());
  Result<SyncCheckpoint> a = (*store)->GetSyncCheckpoint("https://a");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->page_token, "tok");
  EXPECT_EQ(a->pages_done, 3);
  EXPECT_EQ(a->studies_done, 3000);
  EXPECT_EQ(a->run_newest, "2026-11-05");
  EXPECT_EQ(a->updated_at, "2026-11-20T00:00:00Z");
  EXPECT_TRUE(a->InRun());
  Result<SyncCheckpoint> b = (*store)->GetSyncCheckpoint("https://b");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->completed_through, "2026-01-01");
  EXPECT_FALSE(b->InRun());
}

}  // namespace
}  // namespace ts
