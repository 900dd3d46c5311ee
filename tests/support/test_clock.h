// The clock tests give the store and the server: always 2026-11-20 (midnight UTC), so stored
// timestamps and HTTP Date headers are reproducible.
//   auto store = OpenSqliteStore(path, ts::testing::TestClock());
#pragma once

#include "common/clock.h"

namespace ts::testing {

inline const Clock& TestClock() {
  static const FixedClock clock(PartialDate{2026, 11, 20});  // test-only: immutable, shared by a test binary
  return clock;
}

}  // namespace ts::testing
