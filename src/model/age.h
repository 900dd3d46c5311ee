// An age limit as registries write it: a number and a unit ("18 Years", "6 Months", "28 Days").
//   Result<Age> a = Age::Parse("6 Months");  // a->ToDays() == 182.625, a->ToString() == "6 Months"
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace ts {

enum class AgeUnit { kMinutes, kHours, kDays, kWeeks, kMonths, kYears };

struct Age {
  double value = 0;
  AgeUnit unit = AgeUnit::kYears;

  // "18 Years", "1 Year", "6 Months" (integers print without decimals).
  std::string ToString() const;
  // The age in days (a year is 365.25 days, a month 1/12 of that), for comparisons.
  double ToDays() const;
  double ToYears() const { return ToDays() / 365.25; }

  // Accepts "<number> <unit>" with singular or plural units, any case, up to 200 years;
  // InvalidArgument otherwise.
  // "N/A" and "" are not ages: callers treat them as "no limit".
  static Result<Age> Parse(std::string_view text);

  bool operator==(const Age&) const = default;
};

}  // namespace ts
