#include "sync/pacing.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <string>
#include <thread>

#include "common/strings.h"

namespace ts {

int64_t SteadyPacer::NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void SteadyPacer::SleepMs(int64_t ms) {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

void RequestRateLimit::Wait(Pacer& pacer) {
  if (interval_ms_ <= 0) return;
  double now = static_cast<double>(pacer.NowMs());
  if (last_start_ms_) {
    double due = *last_start_ms_ + interval_ms_;
    if (now < due) {
      pacer.SleepMs(static_cast<int64_t>(due - now + 0.999));
      now = std::max(static_cast<double>(pacer.NowMs()), due);
    }
  }
  last_start_ms_ = now;
}

int64_t Backoff::DelayMs(int attempt, std::optional<int64_t> retry_after_ms) {
  int shift = std::clamp(attempt - 1, 0, 40);
  double d = std::min(static_cast<double>(options_.max_ms), static_cast<double>(options_.base_ms) * static_cast<double>(int64_t{1} << shift));
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto wait = static_cast<int64_t>(d / 2 + unit(rng_) * d / 2);
  if (retry_after_ms) wait = std::max(wait, std::min(*retry_after_ms, options_.max_retry_after_ms));
  return wait;
}

namespace {

// "Wed, 21 Oct 2026 07:28:00 GMT" (IMF-fixdate) to Unix seconds.
std::optional<int64_t> ParseHttpDate(std::string_view v) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string s(v);
  char wday[4] = {}, mon[4] = {}, zone[4] = {};
  int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
  if (std::sscanf(s.c_str(), "%3s, %d %3s %d %d:%d:%d %3s", wday, &day, mon, &year, &hh, &mm, &ss, zone) != 8) {
    return std::nullopt;
  }
  if (std::string(zone) != "GMT") return std::nullopt;
  int month = -1;
  for (int i = 0; i < 12; ++i) {
    if (std::string(mon) == kMonths[i]) month = i;
  }
  if (month < 0 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month;
  tm.tm_mday = day;
  tm.tm_hour = hh;
  tm.tm_min = mm;
  tm.tm_sec = ss;
  return static_cast<int64_t>(timegm(&tm));
}

}  // namespace

std::optional<int64_t> ParseRetryAfter(std::string_view value, int64_t now_unix_seconds) {
  std::string_view v = Trim(value);
  if (v.empty()) return std::nullopt;
  if (std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (v.size() > 9) return int64_t{999999999} * 1000;
    return std::stoll(std::string(v)) * 1000;
  }
  std::optional<int64_t> at = ParseHttpDate(v);
  if (!at) return std::nullopt;
  return std::max<int64_t>(0, *at - now_unix_seconds) * 1000;
}

}  // namespace ts
