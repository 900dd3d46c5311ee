#include "sync/pacing.h"

#include <gtest/gtest.h>

#include <vector>

namespace ts {
namespace {

// Time moves only when someone sleeps; every sleep is recorded.
class FakePacer final : public Pacer {
 public:
  int64_t NowMs() override { return now_; }
  void SleepMs(int64_t ms) override {
    sleeps.push_back(ms);
    if (ms > 0) now_ += ms;
  }
  void Advance(int64_t ms) { now_ += ms; }
  std::vector<int64_t> sleeps;

 private:
  int64_t now_ = 1000000;
};

TEST(RequestRateLimit, SpacesRequestStartsByTheInterval) {
  FakePacer pacer;
  RequestRateLimit limit(50);  // 1200 ms apart
  std::vector<int64_t> starts;
  for (int i = 0; i < 5; ++i) {
    limit.Wait(pacer);
    starts.push_back(pacer.NowMs());
    pacer.Advance(100);  // the request itself takes 100 ms
  }
  for (size_t i = 1; i < starts.size(); ++i) EXPECT_GE(starts[i] - starts[i - 1], 1200) << i;
  EXPECT_EQ(pacer.sleeps.size(), 4u);
  EXPECT_EQ(pacer.sleeps[0], 1100);
}

TEST(RequestRateLimit, NoSleepWhenRequestsAreSlowerThanTheLimitOrTheLimitIsOff) {
  FakePacer pacer;
  RequestRateLimit limit(60);
  limit.Wait(pacer);
  pacer.Advance(5000);
  limit.Wait(pacer);
  EXPECT_TRUE(pacer.sleeps.empty());
  RequestRateLimit off(0);
  for (int i = 0; i < 3; ++i) off.Wait(pacer);
  EXPECT_TRUE(pacer.sleeps.empty());
}

TEST(Backoff, GrowsExponentiallyWithJitterInTheUpperHalfAndIsCapped) {
  Backoff b({.base_ms = 100, .max_ms = 1000}, 7);
  const int64_t full[] = {100, 200, 400, 800, 1000, 1000};
  for (int attempt = 1; attempt <= 6; ++attempt) {
    int64_t d = b.DelayMs(attempt, std::nullopt);
    EXPECT_GE(d, full[attempt - 1] / 2) << attempt;
    EXPECT_LE(d, full[attempt - 1]) << attempt;
  }
}

TEST(Backoff, SameSeedSameDelaysOtherSeedOtherDelays) {
  Backoff a({.base_ms = 1000, .max_ms = 60000}, 1), b({.base_ms = 1000, .max_ms = 60000}, 1),
      c({.base_ms = 1000, .max_ms = 60000}, 2);
  std::vector<int64_t> da, db, dc;
  for (int i = 1; i <= 5; ++i) {
    da.push_back(a.DelayMs(i, std::nullopt));
    db.push_back(b.DelayMs(i, std::nullopt));
    dc.push_back(c.DelayMs(i, std::nullopt));
  }
  EXPECT_EQ(da, db);
  EXPECT_NE(da, dc);
}

TEST(Backoff, RetryAfterIsAFloorAndIsCapped) {
  Backoff b({.base_ms = 10, .max_ms = 100, .max_retry_after_ms = 5000}, 3);
  EXPECT_EQ(b.DelayMs(1, 2000), 2000);
  EXPECT_EQ(b.DelayMs(1, 999999), 5000);
  EXPECT_LE(b.DelayMs(1, 0), 10);
}

TEST(ParseRetryAfter, SecondsAndHttpDates) {
  const int64_t now = 1792567680;  // 2026-10-21T07:28:00Z
  struct Case {
    const char* value;
    std::optional<int64_t> ms;
  } cases[] = {
      {"120", 120000},
      {" 0 ", 0},
      {"Wed, 21 Oct 2026 07:28:30 GMT", 30000},
      {"Wed, 21 Oct 2026 07:00:00 GMT", 0},  // in the past
      {"", std::nullopt},
      {"soon", std::nullopt},
      {"-5", std::nullopt},
      {"Wed, 21 Oct 2026 07:28:30 PST", std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(ParseRetryAfter(c.value, now), c.ms) << c.value;
}

}  // namespace
}  // namespace ts
