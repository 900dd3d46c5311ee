// Today's date and the time, from whoever owns the clock: main() builds a SystemClock and passes it
// down; tests pass a FixedClock. Library code takes a `const Clock&` and never reads the system clock
// itself (durations it measures for progress and benchmarks use std::chrono::steady_clock).
//   SystemClock clock;                                  // in main()
//   FixedClock fixed(PartialDate{2026, 11, 20});        // in a test
//   PartialDate today = clock.Today();
//   std::string stamp = IsoTimestampUtc(clock.NowUnixSeconds());   // "2026-11-20T00:00:00Z"
#pragma once

#include <cstdint>
#include <string>

#include "common/date.h"

namespace ts {

class Clock {
 public:
  virtual ~Clock() = default;
  // Today's date in UTC, to the day. Thread-safe.
  virtual PartialDate Today() const = 0;
  // Seconds since 1970-01-01T00:00:00Z. Thread-safe.
  virtual int64_t NowUnixSeconds() const = 0;
};

// "2026-11-20T08:30:00Z" (ISO 8601, UTC, to the second).
std::string IsoTimestampUtc(int64_t unix_seconds);

// The system clock's date in UTC.
class SystemClock final : public Clock {
 public:
  PartialDate Today() const override;
  int64_t NowUnixSeconds() const override;
};

// Always the same date (and time: midnight UTC of that date): for tests and reproducible runs.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(PartialDate today) : today_(today) {}
  PartialDate Today() const override { return today_; }
  int64_t NowUnixSeconds() const override { return today_.ToDays() * 86400; }

 private:
  PartialDate today_;
};

}  // namespace ts
