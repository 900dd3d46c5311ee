// An age limit as registries write it: a number and a unit ("18 Years", "6 Months", "28 Days"), and
// whether an age meets limits.
//   Result<Age> a = Age::Parse("6 Months");  // a->ToDays() == 182.625, a->ToString() == "6 Months"
//   AgeAccepts(75.9, 18, 75);                 // true: a maximum of 75 years lasts until the 76th birthday
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/date.h"
#include "common/status.h"

namespace ts {

// Days in a year of age or of a duration (a month is a twelfth of it). Every conversion between days
// and years or months uses it.
inline constexpr double kDaysPerYear = 365.25;

enum class AgeUnit { kMinutes, kHours, kDays, kWeeks, kMonths, kYears };

struct Age {
  double value = 0;
  AgeUnit unit = AgeUnit::kYears;

  // "18 Years", "1 Year", "6 Months" (integers print without decimals).
  std::string ToString() const;
  // The age in days (a year is kDaysPerYear days, a month 1/12 of that), for comparisons.
  double ToDays() const;
  double ToYears() const { return ToDays() / kDaysPerYear; }

  // Accepts "<number> <unit>" with singular or plural units, any case, up to 200 years;
  // InvalidArgument otherwise.
  // "N/A" and "" are not ages: callers treat them as "no limit".
  static Result<Age> Parse(std::string_view text);

  bool operator==(const Age&) const = default;
};

// The age a person `age_years` old counts as against the limit `limit_years`, as people count ages: against
// a whole number of years, the completed years (75.9 counts as 75); against a whole number of months
// (59 months = 4.9167 years), the completed months; against any other fraction of a year (1.66 years), the
// exact age.
double CountedAge(double age_years, double limit_years);

// Whether a person `age_years` old meets an age range, each bound counted on its own (CountedAge): a
// minimum of 18 years starts on the 18th birthday, a maximum of 75 years lasts until the 76th birthday,
// and "1.66 to 60 years" admits 60 years and 6 months. A bound that is nullopt does not limit.
// Screening, the check form and the search filter `filter.age` use it.
bool AgeAccepts(double age_years, std::optional<double> min_years, std::optional<double> max_years);

// A person's age in years on `as_of`, counted as people count it: the completed calendar years, plus the share of
// the current year of age that has passed (so a person born on 2008-12-01 is exactly 18 on 2026-12-01, whatever
// leap days lie between). A birth date without its month or day counts from its first possible day, in days
// over kDaysPerYear. Both dates must be non-empty.
double AgeInYears(const PartialDate& birth, const PartialDate& as_of);

}  // namespace ts
