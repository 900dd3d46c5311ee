// Request targets, dates and the rate limiter, without sockets.
#include "http/http_message.h"

#include <gtest/gtest.h>

#include "http/rate_limiter.h"

namespace ts {
namespace {

TEST(HttpMessageTest, RequestTargetsAreDecoded) {
  auto t = ParseRequestTarget("/api/v2/studies?query.cond=aplastic+anemia&filter.phase=PHASE2%2CPHASE3&flag&=x&b=%zz");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->path, "/api/v2/studies");
  Params want = {{"query.cond", "aplastic anemia"}, {"filter.phase", "PHASE2,PHASE3"}, {"flag", ""}, {"", "x"}, {"b", "%zz"}};
  EXPECT_EQ(t->params, want);
  EXPECT_EQ(ParseRequestTarget("/study/a%20b+c")->path, "/study/a b+c");
  EXPECT_EQ(ParseRequestTarget("http://example.org/api/v2/version?x=1")->path, "/api/v2/version");
  EXPECT_EQ(ParseRequestTarget("http://example.org")->path, "/");
  EXPECT_FALSE(ParseRequestTarget("*").ok());
  EXPECT_FALSE(ParseRequestTarget("example.org:443").ok());
  EXPECT_FALSE(ParseRequestTarget("").ok());
}

TEST(HttpMessageTest, DatesAreImfFixdates) { EXPECT_EQ(HttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT"); }

TEST(RateLimiterTest, AllowsABurstThenRefillsAtTheRate) {
  RateLimiter limiter(60);  // one a second
  auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 60; ++i) EXPECT_TRUE(limiter.Take("a", t0).allowed) << i;
  RateDecision refused = limiter.Take("a", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_TRUE(limiter.Take("b", t0).allowed) << "budgets are per client";
  EXPECT_TRUE(limiter.Take("a", t0 + std::chrono::milliseconds(1001)).allowed);
  EXPECT_FALSE(limiter.Take("a", t0 + std::chrono::milliseconds(1002)).allowed);
}

TEST(RateLimiterTest, ForgetsClientsWhoseBudgetIsFullAgain) {
  RateLimiter limiter(10, 2);
  auto t0 = RateLimiter::Clock::now();
  (void)limiter.Take("a", t0);
  (void)limiter.Take("b", t0);
  (void)limiter.Take("c", t0 + std::chrono::minutes(2));
  EXPECT_EQ(limiter.tracked_clients(), 1u);
}

}  // namespace
}  // namespace ts
