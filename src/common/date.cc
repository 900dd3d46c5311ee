#include "common/date.h"

#include <array>
#include <cstdio>

#include "common/strings.h"

namespace ts {

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"january", "february", "march",     "april",
                                                      "may",     "june",     "july",      "august",
                                                      "september", "october", "november", "december"};

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

bool Valid(const PartialDate& d) {
  if (d.year < 1000 || d.year > 9999) return false;
  if (d.month < 0 || d.month > 12) return false;
  if (d.month == 0 && d.day != 0) return false;
  if (d.day < 0 || (d.month > 0 && d.day > DaysInMonth(d.year, d.month))) return false;
  return true;
}

int MonthFromName(std::string_view name) {
  std::string lower = ToLowerAscii(name);
  if (!lower.empty() && lower.back() == '.') lower.pop_back();  // "Sept."
  for (size_t i = 0; i < kMonths.size(); ++i) {
    // The full name or an abbreviation of at least three letters ("Sep", "Sept").
    if (lower.size() >= 3 && kMonths[i].substr(0, lower.size()) == lower) {
      return static_cast<int>(i + 1);
    }
  }
  return 0;
}

bool ParseIso(std::string_view s, PartialDate* d) {
  auto parts = Split(s, '-');
  if (parts.empty() || parts.size() > 3) return false;
  int64_t v;
  if (parts[0].size() != 4 || !ParseInt64(parts[0], &v)) return false;
  d->year = static_cast<int>(v);
  if (parts.size() >= 2) {
    if (parts[1].size() != 2 || !ParseInt64(parts[1], &v)) return false;
    d->month = static_cast<int>(v);
  }
  if (parts.size() == 3) {
    if (parts[2].size() != 2 || !ParseInt64(parts[2], &v)) return false;
    d->day = static_cast<int>(v);
  }
  return true;
}

// "January 2005" or "January 15, 2005".
bool ParseLegacy(std::string_view s, PartialDate* d) {
  size_t sp = s.find(' ');
  if (sp == std::string_view::npos) return false;
  d->month = MonthFromName(s.substr(0, sp));
  if (d->month == 0) return false;
  std::string_view rest = Trim(s.substr(sp + 1));
  int64_t v;
  size_t comma = rest.find(',');
  if (comma != std::string_view::npos) {
    if (!ParseInt64(rest.substr(0, comma), &v)) return false;
    d->day = static_cast<int>(v);
    rest = Trim(rest.substr(comma + 1));
  }
  if (rest.size() != 4 || !ParseInt64(rest, &v)) return false;
  d->year = static_cast<int>(v);
  return true;
}

// Howard Hinnant's days_from_civil.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

}  // namespace

std::string PartialDate::ToString() const {
  if (empty()) return "";
  char buf[16];
  if (month == 0) {
    std::snprintf(buf, sizeof(buf), "%04d", year);
  } else if (day == 0) {
    std::snprintf(buf, sizeof(buf), "%04d-%02d", year, month);
  } else {
    std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", year, month, day);
  }
  return buf;
}

int64_t PartialDate::ToDays() const {
  return DaysFromCivil(year, static_cast<unsigned>(month == 0 ? 1 : month), static_cast<unsigned>(day == 0 ? 1 : day));
}

PartialDate PartialDate::FromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return PartialDate{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

Result<PartialDate> PartialDate::Parse(std::string_view text) {
  std::string_view s = Trim(text);
  PartialDate d;
  bool parsed = !s.empty() && (s[0] >= '0' && s[0] <= '9' ? ParseIso(s, &d) : ParseLegacy(s, &d));
  if (!parsed || !Valid(d)) {
    return Status::InvalidArgument("not a date: \"" + std::string(s.substr(0, 64)) + "\"");
  }
  return d;
}

}  // namespace ts
