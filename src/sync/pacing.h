// Politeness arithmetic of the registry client: a request clock, a rate limit, and the retry backoff.
//   SteadyPacer pacer;                                   // main(): the real monotonic clock and sleep
//   RequestRateLimit limit(50);                                // at most 50 requests a minute
//   limit.Wait(pacer);                                    // sleeps until the next request may start
//   Backoff backoff({.base_ms = 1000, .max_ms = 60000}, /*seed=*/42);
//   int64_t ms = backoff.DelayMs(attempt, ParseRetryAfter("120", now_unix));
// Nothing here reads a clock or a random source of its own: the Pacer and the seed are passed in, so
// tests run a fake clock that records its sleeps instead of waiting.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

namespace ts {

// Monotonic time and sleeping, in milliseconds.
class Pacer {
 public:
  virtual ~Pacer() = default;
  virtual int64_t NowMs() = 0;
  virtual void SleepMs(int64_t ms) = 0;  // ms <= 0: returns at once
};

// std::chrono::steady_clock and std::this_thread::sleep_for.
class SteadyPacer final : public Pacer {
 public:
  int64_t NowMs() override;
  void SleepMs(int64_t ms) override;
};

// At most `per_minute` request starts in any minute: consecutive starts are at least 60000 / per_minute ms
// apart (so a burst never happens, even at the start). per_minute <= 0 turns the limit off.
class RequestRateLimit {
 public:
  explicit RequestRateLimit(double per_minute) : interval_ms_(per_minute > 0 ? 60000.0 / per_minute : 0) {}
  // Sleeps on `pacer` until the next request may start, and books that start.
  void Wait(Pacer& pacer);
  double interval_ms() const { return interval_ms_; }

 private:
  double interval_ms_;
  std::optional<double> last_start_ms_;
};

struct BackoffOptions {
  int64_t base_ms = 1000;        // the first retry waits about this long
  int64_t max_ms = 5 * 60000;    // no computed wait is longer
  int64_t max_retry_after_ms = 60 * 60000;  // a longer Retry-After is cut to this
  int max_attempts = 8;          // tries of one request, the first included
};

// Exponential backoff with "equal jitter": attempt n (1 for the first retry) waits
// d/2 + U[0, d/2] with d = min(max_ms, base_ms * 2^(n-1)), U drawn from the seeded generator.
// A server's Retry-After, when given, is honoured: the wait is at least that long.
class Backoff {
 public:
  Backoff(BackoffOptions options, uint64_t seed) : options_(options), rng_(seed) {}
  int64_t DelayMs(int attempt, std::optional<int64_t> retry_after_ms);
  const BackoffOptions& options() const { return options_; }

 private:
  BackoffOptions options_;
  std::mt19937_64 rng_;
};

// A Retry-After header value in milliseconds: delta-seconds ("120") or an HTTP-date
// ("Wed, 21 Oct 2026 07:28:00 GMT", relative to `now_unix_seconds`; a past date is 0).
// nullopt when the value is neither.
std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_unix_seconds);

}  // namespace ts
