#include "serving/live_index.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "service/importer.h"
#include "test_clock.h"
#include "test_paths.h"

namespace ts {
namespace {

using ::ts::testing::TempDir;

const std::string kLate = "nct06964971_luspatercept_td_nsaa.json";  // imported while serving

std::string TokenOf(const std::string& body) {
  size_t t = body.find(R"("nextPageToken":")");
  if (t == std::string::npos) return "";
  return body.substr(t + 17, body.find('"', t + 17) - t - 17);
}

class LiveIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.Path("live.db");
    auto s = OpenSqliteStore(path_, ts::testing::TestClock());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    std::vector<std::string> early;
    for (const std::string& f : ts::testing::SeedFixtureFiles())
      if (f.find(kLate) == std::string::npos) early.push_back(f);
    ASSERT_EQ(early.size(), 4u);
    ASSERT_TRUE(Importer(*store_, {}).Run(early).ok());
    live_ = std::make_unique<LiveIndex>([this] { return store_->DataGeneration(); },
                                        [this](int64_t) { return Build(); });
    ASSERT_TRUE(live_->Start().ok());
  }

  Result<std::unique_ptr<ServedSnapshot>> Build() {
    auto snap = std::make_unique<ServedSnapshot>();
    auto search = SearchService::Build(*store_);
    if (!search.ok()) return search.status();
    snap->search = std::move(*search);
    // No screening: its concept tables take a while to load, and the swap does not depend on them.
    snap->api = std::make_unique<ApiHandler>(*snap->search, "2026-11-21", clock_, snap->screening.get());
    snap->site = std::make_unique<WebSite>(*snap->search, snap->screening.get(), clock_, SiteOptions{"2026-11-21"});
    ++builds_;
    return snap;
  }

  // Another process importing into the database the server reads: a connection of its own.
  void ImportLate() {
    auto other = OpenSqliteStore(path_, ts::testing::TestClock());
    ASSERT_TRUE(other.ok());
    auto sum = Importer(**other, {}).Run({ts::testing::FixturePath("studies/" + kLate)});
    ASSERT_TRUE(sum.ok());
    ASSERT_EQ(sum->added, 1);
  }

  HttpResponse Get(const std::string& path, Params params = {}) {
    return live_->api().Handle({"GET", path, std::move(params), ""});
  }

  TempDir dir_;
  std::string path_;
  FixedClock clock_{PartialDate{2026, 11, 21}};
  std::unique_ptr<StudyStore> store_;
  std::unique_ptr<LiveIndex> live_;
  int builds_ = 0;
};

// One test (two index builds) on purpose: a build is the slow part, and under the sanitizers doubly so.
TEST_F(LiveIndexTest, AnImportIsServedWithoutRestartWhileRequestsRunOnTheirSnapshot) {
  EXPECT_EQ(Get("/api/v2/studies/NCT06964971").http_status, 404);
  EXPECT_FALSE(*live_->Refresh());  // nothing changed: nothing rebuilt
  EXPECT_EQ(builds_, 1);
  std::shared_ptr<const ServedSnapshot> in_flight = live_->current();
  HttpResponse by_date = Get("/api/v2/studies", {{"sort", "LastUpdatePostDate:desc"}, {"pageSize", "1"}});
  HttpResponse by_rank = Get("/api/v2/studies", {{"query.term", "thrombocytopenia OR anemia"}, {"pageSize", "1"}});
  const std::string date_token = TokenOf(by_date.body), rank_token = TokenOf(by_rank.body);
  ASSERT_FALSE(date_token.empty()) << by_date.body;
  ASSERT_FALSE(rank_token.empty()) << by_rank.body;

  // Requests on other threads while the new snapshot is built and swapped in: each is answered.
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0}, answered{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      do {
        HttpResponse r = Get("/api/v2/studies", {{"query.term", "anemia"}});
        if (r.http_status != 200) ++bad;
        ++answered;
      } while (!stop);
    });
  }
  ImportLate();
  auto swapped = live_->Refresh();
  stop = true;
  for (auto& t : readers) t.join();
  ASSERT_TRUE(swapped.ok()) << swapped.status().ToString();
  EXPECT_TRUE(*swapped);
  EXPECT_EQ(builds_, 2);
  EXPECT_EQ(bad, 0);
  EXPECT_GT(answered, 0);

  HttpResponse found = Get("/api/v2/studies", {{"query.intr", "luspatercept"}});
  ASSERT_EQ(found.http_status, 200) << found.body;
  EXPECT_NE(found.body.find("NCT06964971"), std::string::npos);
  EXPECT_EQ(Get("/api/v2/studies/NCT06964971").http_status, 200);
  EXPECT_EQ(live_->site().Handle({"GET", "/study/NCT06964971", {}, ""}).http_status, 200);
  // A request that began before the swap finishes on the snapshot it started with.
  EXPECT_EQ(in_flight->api->Handle({"GET", "/api/v2/studies/NCT06964971", {}, ""}).http_status, 404);
  EXPECT_EQ(in_flight->search->studies().size() + 1, live_->current()->search->studies().size());

  // Page tokens across the swap (docs/API.md): a date sort continues; a relevance token is refused, saying why.
  HttpResponse next = Get("/api/v2/studies", {{"sort", "LastUpdatePostDate:desc"}, {"pageSize", "1"}, {"pageToken", date_token}});
  EXPECT_EQ(next.http_status, 200) << next.body;
  HttpResponse stale = Get("/api/v2/studies", {{"query.term", "thrombocytopenia OR anemia"}, {"pageSize", "1"}, {"pageToken", rank_token}});
  EXPECT_EQ(stale.http_status, 400) << stale.body;
  EXPECT_NE(stale.body.find("changed"), std::string::npos) << stale.body;
}

TEST(LiveIndexFailureTest, AFailedRebuildKeepsServingTheCurrentSnapshot) {
  int64_t generation = 1;
  int calls = 0;
  LiveIndex live([&]() -> Result<int64_t> { return generation; },
                 [&](int64_t) -> Result<std::unique_ptr<ServedSnapshot>> {
                   if (++calls > 1) return Status::IoError("disk full");
                   auto snap = std::make_unique<ServedSnapshot>();
                   snap->search = std::make_unique<SearchService>();
                   return snap;
                 });
  ASSERT_TRUE(live.Start().ok());
  auto first = live.current();
  generation = 2;
  auto r = live.Refresh();
  EXPECT_EQ(r.status().code(), StatusCode::kIoError);
  EXPECT_EQ(live.current(), first);
  EXPECT_EQ(live.current()->generation, 1);
}

TEST(LiveIndexPollTest, PollRefreshesAtEachLookItsClockGivesAndStopsWhenTold) {
  int64_t generation = 1;
  int builds = 0;
  std::vector<std::string> logged;
  LiveIndex live([&]() -> Result<int64_t> { return generation; },
                 [&](int64_t) -> Result<std::unique_ptr<ServedSnapshot>> {
                   if (++builds == 3) return Status::IoError("disk full");
                   auto snap = std::make_unique<ServedSnapshot>();
                   snap->search = std::make_unique<SearchService>();
                   return snap;
                 },
                 [&](const std::string& line) { logged.push_back(line); });
  ASSERT_TRUE(live.Start().ok());
  int looks = 0;
  // The injected clock: look 1 finds a new generation, look 2 a rebuild that fails, look 3 nothing new; then stop.
  live.Poll([&] {
    ++looks;
    if (looks == 1) generation = 2;
    if (looks == 2) generation = 3;
    return looks <= 3;
  });
  EXPECT_EQ(looks, 4);
  EXPECT_EQ(builds, 4);  // Start, look 1, look 2 (failed), look 3 (generation 3 again, since the failure left 2 serving)
  EXPECT_EQ(live.current()->generation, 3);
  ASSERT_EQ(logged.size(), 3u);
  EXPECT_EQ(logged[0], "search index: now 0 studies (data generation 2)");
  EXPECT_EQ(logged[1], "search index: not refreshed: disk full");
  // Every() returns false at once after StopPolling.
  auto wait = live.Every(std::chrono::hours(1));
  live.StopPolling();
  EXPECT_FALSE(wait());
}

}  // namespace
}  // namespace ts
