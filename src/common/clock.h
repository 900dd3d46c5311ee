// Today's date, from whoever owns the clock: main() builds a SystemClock and passes it down; tests pass
// a FixedClock. Library code takes a `const Clock&` and never reads the system clock itself.
//   SystemClock clock;                                  // in main()
//   FixedClock fixed(PartialDate{2026, 11, 20});        // in a test
//   PartialDate today = clock.Today();
#pragma once

#include "common/date.h"

namespace ts {

class Clock {
 public:
  virtual ~Clock() = default;
  // Today's date in UTC, to the day. Thread-safe.
  virtual PartialDate Today() const = 0;
};

// The system clock's date in UTC.
class SystemClock final : public Clock {
 public:
  PartialDate Today() const override;
};

// Always the same date: for tests and reproducible runs.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(PartialDate today) : today_(today) {}
  PartialDate Today() const override { return today_; }

 private:
  PartialDate today_;
};

}  // namespace ts
