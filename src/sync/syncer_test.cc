#include "sync/syncer.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <set>

#include "test_clock.h"
#include "test_paths.h"

namespace ts {
namespace {

class FakePacer final : public Pacer {
 public:
  int64_t NowMs() override { return now_; }
  void SleepMs(int64_t ms) override {
    sleeps.push_back(ms);
    if (ms > 0) now_ += ms;
  }
  std::vector<int64_t> sleeps;

 private:
  int64_t now_ = 0;
};

std::string StudyJson(int n, const std::string& date, const std::string& title = "A study") {
  char id[16];
  std::snprintf(id, sizeof(id), "NCT%08d", n);
  return std::string(R"({"protocolSection":{"identificationModule":{"nctId":")") + id + R"(","briefTitle":")" +
         title + R"("},"statusModule":{"overallStatus":"RECRUITING","lastUpdatePostDateStruct":{"date":")" + date +
         R"("}}}})";
}

// An in-memory registry: pages of `page_size` studies whose token is the next offset; `faults` are served,
// in order, instead of the next real responses.
class FakeRegistry final : public HttpGetter {
 public:
  Result<FetchResponse> Get(const std::string& url) override {
    urls.push_back(url);
    if (!faults.empty()) {
      Result<FetchResponse> f = faults.front();
      faults.pop_front();
      return f;
    }
    if (url.find("/api/v2/version") != std::string::npos) {
      if (change_stamp_after_pages >= 0 && pages_served >= change_stamp_after_pages) {
        stamp = "2026-11-21T09:00:00";
        change_stamp_after_pages = -1;
      }
      return FetchResponse{200, R"({"apiVersion":"2.0.3","dataTimestamp":")" + stamp + R"("})", ""};
    }
    size_t from = 0;
    size_t t = url.find("pageToken=");
    if (t != std::string::npos) from = std::stoul(url.substr(t + 10));
    std::string body = R"({"studies":[)";
    size_t to = std::min(studies.size(), from + page_size);
    for (size_t i = from; i < to; ++i) body += (i > from ? "," : "") + studies[i];
    body += "]";
    if (to < studies.size()) body += R"(,"nextPageToken":")" + std::to_string(to) + "\"";
    body += "}";
    ++pages_served;
    return FetchResponse{200, body, ""};
  }

  std::vector<std::string> studies;
  size_t page_size = 2;
  std::string stamp = "2026-11-20T09:00:00";
  int change_stamp_after_pages = -1;
  int pages_served = 0;
  std::deque<Result<FetchResponse>> faults;
  std::vector<std::string> urls;
};

class SyncerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.Path("t.db"), testing::TestClock());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    for (int i = 1; i <= 5; ++i) registry_.studies.push_back(StudyJson(i, "2026-11-0" + std::to_string(i)));
  }

  Result<SyncSummary> Sync(SyncOptions o) {
    o.api = "http://registry";
    o.page_size = 2;
    Importer importer(*store_, {});
    PoliteClient client(registry_, pacer_, testing::TestClock(),
                        {.per_minute = 0, .backoff = {.base_ms = 10, .max_ms = 100, .max_attempts = 5}}, 1);
    Syncer syncer(*store_, importer, client, o);
    return syncer.Run();
  }

  int64_t Versions() {
    auto st = store_->Stats();
    return st.ok() ? st->versions : -1;
  }

  testing::TempDir dir_;
  std::unique_ptr<StudyStore> store_;
  FakeRegistry registry_;
  FakePacer pacer_;
};

TEST_F(SyncerTest, FirstSyncNeedsSinceOrSeed) {
  Result<SyncSummary> r = Sync({});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsInvalidArgument());
  EXPECT_NE(r.status().message().find("--since DATE or --seed FILE"), std::string::npos);
  EXPECT_FALSE(Sync({.since = "yesterday"}).ok());
  EXPECT_TRUE(registry_.urls.empty());  // refused before any request
}

TEST_F(SyncerTest, PagesThroughAndCheckpointsTheNewestDate) {
  Result<SyncSummary> r = Sync({.since = "2026-11-01"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->pages, 3);
  EXPECT_EQ(r->import.added, 5);
  EXPECT_TRUE(r->complete);
  EXPECT_EQ(r->completed_through, "2026-11-05");
  EXPECT_NE(registry_.urls[1].find("RANGE%5B2026-11-01%2CMAX%5D"), std::string::npos);
  auto cp = store_->GetSyncCheckpoint("http://registry");
  ASSERT_TRUE(cp.ok());
  EXPECT_FALSE(cp->InRun());
  EXPECT_EQ(cp->completed_through, "2026-11-05");
  EXPECT_EQ(cp->data_timestamp, "2026-11-20T09:00:00");

  // The next run starts from the checkpoint; nothing changed, so nothing is added.
  registry_.urls.clear();
  Result<SyncSummary> again = Sync({});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_NE(registry_.urls[1].find("RANGE%5B2026-11-05%2CMAX%5D"), std::string::npos);
  EXPECT_EQ(again->import.added, 0);
  EXPECT_EQ(Versions(), 5);
}

TEST_F(SyncerTest, StoppedRunResumesAtTheNextPage) {
  Result<SyncSummary> r = Sync({.since = "2026-11-01", .max_pages = 1});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->complete);
  auto cp = store_->GetSyncCheckpoint("http://registry");
  ASSERT_TRUE(cp.ok());
  EXPECT_TRUE(cp->InRun());
  EXPECT_EQ(cp->page_token, "2");
  registry_.urls.clear();
  Result<SyncSummary> rest = Sync({});
  ASSERT_TRUE(rest.ok());
  EXPECT_TRUE(rest->resumed);
  EXPECT_EQ(rest->pages, 2);
  EXPECT_NE(registry_.urls[1].find("pageToken=2"), std::string::npos);
  EXPECT_EQ(rest->import.added, 3);
  EXPECT_EQ(Versions(), 5);
}

TEST_F(SyncerTest, RetriesThrottlingErrorsAndBadBodiesHonouringRetryAfter) {
  registry_.faults.push_back(FetchResponse{200, R"({"dataTimestamp":"2026-11-20T09:00:00"})", ""});  // version
  registry_.faults.push_back(FetchResponse{429, "slow down", "3"});
  registry_.faults.push_back(FetchResponse{503, "", ""});
  registry_.faults.push_back(Status::IoError("connection reset"));
  registry_.faults.push_back(FetchResponse{200, R"({"studies":[{"protocolSection":)", ""});
  Result<SyncSummary> r = Sync({.since = "2026-11-01"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->retries, 4);
  ASSERT_GE(pacer_.sleeps.size(), 4u);
  EXPECT_GE(pacer_.sleeps[0], 3000);  // Retry-After: 3
  EXPECT_LE(pacer_.sleeps[1], 20);    // backoff attempt 2 of base 10 ms
  EXPECT_EQ(r->import.added, 5);
  EXPECT_EQ(Versions(), 5);
}

TEST_F(SyncerTest, GivesUpAfterTheLastTryAndStopsAtOnceOnAClientError) {
  for (int i = 0; i < 5; ++i) registry_.faults.push_back(FetchResponse{500, "", ""});
  Result<SyncSummary> r = Sync({.since = "2026-11-01"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("gave up after 5 tries"), std::string::npos) << r.status().message();
  registry_.faults.push_back(FetchResponse{400, "bad filter", ""});
  r = Sync({.since = "2026-11-01"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("HTTP 400: bad filter"), std::string::npos);
  EXPECT_EQ(Versions(), 0);
}

TEST_F(SyncerTest, AChangedDataTimestampRestartsTheRun) {
  registry_.change_stamp_after_pages = 2;
  Result<SyncSummary> r = Sync({.since = "2026-11-01"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->restarts, 1);
  EXPECT_EQ(r->data_timestamp, "2026-11-21T09:00:00");
  EXPECT_EQ(r->import.added, 5);
  EXPECT_EQ(Versions(), 5);
  size_t first_pages = 0;
  for (const auto& u : registry_.urls) first_pages += u.find("/studies") != std::string::npos && u.find("pageToken") == std::string::npos;
  EXPECT_EQ(first_pages, 2u);
}

TEST_F(SyncerTest, ARefusedPageTokenRestartsTheRunOnce) {
  ASSERT_TRUE(Sync({.since = "2026-11-01", .max_pages = 1}).ok());
  registry_.faults.push_back(FetchResponse{200, R"({"dataTimestamp":"2026-11-20T09:00:00"})", ""});  // version
  registry_.faults.push_back(FetchResponse{400, "stale pageToken", ""});
  Result<SyncSummary> r = Sync({});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->restarts, 1);
  EXPECT_TRUE(r->complete);
  EXPECT_EQ(Versions(), 5);
}

TEST_F(SyncerTest, AChangedStudyBecomesANewVersion) {
  ASSERT_TRUE(Sync({.since = "2026-11-01"}).ok());
  registry_.studies = {StudyJson(5, "2026-11-05"), StudyJson(6, "2026-11-06"),
                       StudyJson(3, "2026-11-07", "A changed title")};
  Result<SyncSummary> r = Sync({});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->import.unchanged, 1);
  EXPECT_EQ(r->import.added, 1);
  EXPECT_EQ(r->import.updated, 1);
  EXPECT_EQ(r->completed_through, "2026-11-07");
  EXPECT_EQ(Versions(), 7);
}

TEST_F(SyncerTest, SeedCheckpointIsTheNewestStoredDate) {
  ASSERT_TRUE(Sync({.since = "2026-11-01"}).ok());
  Result<SyncCheckpoint> cp = CheckpointFromStore(*store_, "http://other");
  ASSERT_TRUE(cp.ok());
  EXPECT_EQ(cp->completed_through, "2026-11-05");
  EXPECT_FALSE(cp->InRun());
}

}  // namespace
}  // namespace ts
