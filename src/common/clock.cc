#include "common/clock.h"

#include <chrono>

namespace ts {

PartialDate SystemClock::Today() const {
  auto now = std::chrono::system_clock::now();
  auto days = std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count() / 24;
  return PartialDate::FromDays(days);
}

}  // namespace ts
