#include "model/age.h"

#include <cmath>
#include <cstdio>

#include "common/strings.h"

namespace ts {

namespace {
struct UnitName {
  AgeUnit unit;
  const char* singular;
  const char* plural;
  double days;
};
constexpr UnitName kUnits[] = {
    {AgeUnit::kMinutes, "Minute", "Minutes", 1.0 / 1440},
    {AgeUnit::kHours, "Hour", "Hours", 1.0 / 24},
    {AgeUnit::kDays, "Day", "Days", 1},
    {AgeUnit::kWeeks, "Week", "Weeks", 7},
    {AgeUnit::kMonths, "Month", "Months", kDaysPerYear / 12},
    {AgeUnit::kYears, "Year", "Years", kDaysPerYear},
};
const UnitName& Find(AgeUnit u) {
  for (const auto& n : kUnits)
    if (n.unit == u) return n;
  return kUnits[5];
}
}  // namespace

std::string Age::ToString() const {
  const UnitName& n = Find(unit);
  char buf[64];
  if (value == std::floor(value) && std::fabs(value) < 1e9) {
    std::snprintf(buf, sizeof(buf), "%lld %s", static_cast<long long>(value), value == 1 ? n.singular : n.plural);
  } else {
    std::snprintf(buf, sizeof(buf), "%.17g %s", value, n.plural);  // round-trips exactly
  }
  return buf;
}

double Age::ToDays() const { return value * Find(unit).days; }

double CountedAge(double age_years, double limit_years) {
  // 1e-9: an age that is a whole number of years up to rounding counts as that number.
  if (limit_years == std::floor(limit_years)) return std::floor(age_years + 1e-9);
  // A limit of whole months ("12-59 months" = 1 to 4.9167 years): completed months, so 59 months lasts
  // until the 60th month.
  double months = limit_years * 12;
  if (std::fabs(months - std::round(months)) < 1e-6) return std::floor(age_years * 12 + 1e-6) / 12;
  return age_years;
}

namespace {
// A limit in whole months is compared in completed months, and an age in days over 365.25 days a year
// misses a calendar month by up to a day and a half (30 days is 0.986 months): that much slack, always
// toward accepting. Limits in whole years need none.
double MonthSlackYears(double limit_years) {
  if (limit_years == std::floor(limit_years)) return 0;
  double months = limit_years * 12;
  return std::fabs(months - std::round(months)) < 1e-6 ? 1.5 / kDaysPerYear : 0;
}
// The limits are products like 59 * (1 / 12): compared with a rounding error's slack.
constexpr double kLimitEpsilon = 1e-9;
}  // namespace

double AgeInYears(const PartialDate& birth, const PartialDate& as_of) {
  if (birth.month == 0 || birth.day == 0 || as_of.month == 0 || as_of.day == 0) {
    return static_cast<double>(as_of.ToDays() - birth.ToDays()) / kDaysPerYear;
  }
  // The birthday in `year`: 29 February is 28 February in a common year.
  auto birthday = [&](int year) {
    PartialDate d{year, birth.month, birth.day};
    PartialDate next_month{birth.month == 12 ? year + 1 : year, birth.month == 12 ? 1 : birth.month + 1, 1};
    int64_t last_day = next_month.ToDays() - PartialDate{year, birth.month, 1}.ToDays();
    if (d.day > last_day) d.day = static_cast<int>(last_day);
    return d.ToDays();
  };
  int years = as_of.year - birth.year;
  if (as_of.ToDays() < birthday(as_of.year)) --years;
  int64_t last = birthday(birth.year + years), next = birthday(birth.year + years + 1);
  return years + static_cast<double>(as_of.ToDays() - last) / static_cast<double>(next - last);
}

bool AgeAccepts(double age_years, std::optional<double> min_years, std::optional<double> max_years) {
  if (min_years && CountedAge(age_years + MonthSlackYears(*min_years), *min_years) < *min_years - kLimitEpsilon) return false;
  if (max_years && CountedAge(age_years - MonthSlackYears(*max_years), *max_years) > *max_years + kLimitEpsilon) return false;
  return true;
}

Result<Age> Age::Parse(std::string_view text) {
  std::string_view s = Trim(text);
  size_t sp = s.find(' ');
  Age age;
  if (sp != std::string_view::npos && ParseDouble(s.substr(0, sp), &age.value) && age.value >= 0 &&
      std::isfinite(age.value)) {
    std::string_view unit = Trim(s.substr(sp + 1));
    for (const auto& n : kUnits) {
      if (EqualsIgnoreCase(unit, n.singular) || EqualsIgnoreCase(unit, n.plural)) {
        age.unit = n.unit;
        if (age.ToYears() > 200) {
          return Status::InvalidArgument("age out of range: \"" + std::string(s.substr(0, 64)) + "\"");
        }
        return age;
      }
    }
  }
  return Status::InvalidArgument("not an age: \"" + std::string(s.substr(0, 64)) + "\"");
}

}  // namespace ts
