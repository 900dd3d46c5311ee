#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace ts {

RateLimiter::RateLimiter(int per_minute, size_t max_clients)
    : capacity_(std::max(1, per_minute)), per_second_(std::max(1, per_minute) / 60.0), max_clients_(max_clients) {}

void RateLimiter::Refill(Bucket& b, Clock::time_point now) const {
  double elapsed = std::chrono::duration<double>(now - b.updated).count();
  if (elapsed > 0) {
    b.tokens = std::min(capacity_, b.tokens + elapsed * per_second_);
    b.updated = now;
  }
}

void RateLimiter::Forget(Clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    Refill(it->second, now);
    it = it->second.tokens >= capacity_ ? buckets_.erase(it) : std::next(it);
  }
}

RateDecision RateLimiter::Take(const std::string& client, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(client);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_clients_) Forget(now);
    it = buckets_.emplace(client, Bucket{capacity_, now}).first;
  }
  Bucket& b = it->second;
  Refill(b, now);
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return {};
  }
  double wait = (1.0 - b.tokens) / per_second_;
  return {false, std::max(1, static_cast<int>(std::ceil(wait)))};
}

size_t RateLimiter::tracked_clients() const {
  std::lock_guard<std::mutex> lock(mu_);
  return buckets_.size();
}

}  // namespace ts
