// A per-client request budget: at most N requests per minute per client address (a token bucket of N
// tokens refilled at N per minute, so a burst of N is allowed after a quiet minute).
//   RateLimiter limiter(120);
//   RateDecision d = limiter.Take("192.0.2.7", std::chrono::steady_clock::now());
//   if (!d.allowed) { /* answer 429 with Retry-After: d.retry_after_seconds */ }
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ts {

struct RateDecision {
  bool allowed = true;
  int retry_after_seconds = 0;  // when refused: whole seconds until one request is allowed again (>= 1)
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // `per_minute` > 0. `max_clients` bounds the memory: past it, clients whose bucket is full again are forgotten.
  explicit RateLimiter(int per_minute, size_t max_clients = 100000);

  // Spends one request of `client`'s budget at time `now` if there is one. Thread-safe.
  RateDecision Take(const std::string& client, Clock::time_point now);

  size_t tracked_clients() const;

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  void Refill(Bucket& b, Clock::time_point now) const;
  void Forget(Clock::time_point now);

  const double capacity_;
  const double per_second_;
  const size_t max_clients_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace ts
