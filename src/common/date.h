// Calendar dates that may be partial, as registries publish them ("2026", "2026-01", "2026-01-31",
// legacy "January 2005" / "January 15, 2005"). Partial dates compare as their first day.
//   Result<PartialDate> d = PartialDate::Parse("March 15, 2005");  // d->ToString() == "2005-03-15"
#pragma once

#include <compare>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ts {

struct PartialDate {
  int year = 0;   // 0 means "no date"
  int month = 0;  // 1..12, or 0 when only the year is known
  int day = 0;    // 1..31, or 0 when unknown

  bool empty() const { return year == 0; }
  // ISO 8601 with as much precision as is known: "2026", "2026-01" or "2026-01-31"; "" when empty.
  std::string ToString() const;
  // Days since 1970-01-01 of the first day the date can mean (for comparison and ranges).
  int64_t ToDays() const;
  static PartialDate FromDays(int64_t days);

  // Accepts ISO forms and the legacy English forms; InvalidArgument names the text otherwise.
  static Result<PartialDate> Parse(std::string_view text);

  friend bool operator==(const PartialDate&, const PartialDate&) = default;
  friend auto operator<=>(const PartialDate&, const PartialDate&) = default;
};

}  // namespace ts
