// Scanning helpers shared by the atom recognisers: words, numbers, comparators, durations.
#include <cctype>
#include <cmath>

#include "common/strings.h"
#include "common/ascii.h"
#include "eligibility/atoms.h"

namespace ts::atoms {
namespace {
bool IsWordByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return ascii::IsAlnum(u) || u >= 0x80;
}
}  // namespace

size_t SkipSpaces(std::string_view s, size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

std::string Lower(std::string_view s) { return ToLowerAscii(s); }

size_t FindWord(std::string_view lower, std::string_view needle, size_t from) {
  size_t pos = from;
  while ((pos = lower.find(needle, pos)) != std::string_view::npos) {
    if (pos == 0 || !IsWordByte(lower[pos - 1]) || !IsWordByte(needle[0])) return pos;
    ++pos;
  }
  return std::string_view::npos;
}

bool HasWord(std::string_view lower, std::string_view needle) {
  return FindWord(lower, needle) != std::string_view::npos;
}

std::optional<NumberAt> ParseNumberAt(std::string_view t, size_t i) {
  i = SkipSpaces(t, i);
  size_t j = i;
  std::string digits;
  while (j < t.size() && ascii::IsDigit(static_cast<unsigned char>(t[j]))) digits += t[j++];
  if (digits.empty()) return std::nullopt;
  // Thousands separators: "100,000" (exactly three digits after each comma, at most three before the
  // first: "1000,000" is a typo whose value nobody can tell).
  if (j < t.size() && t[j] == ',' && digits.size() > 3 && j + 3 < t.size() && ascii::IsDigit(static_cast<unsigned char>(t[j + 1])) &&
      ascii::IsDigit(static_cast<unsigned char>(t[j + 2])) && ascii::IsDigit(static_cast<unsigned char>(t[j + 3]))) {
    return std::nullopt;
  }
  while (j + 3 < t.size() + 0 && t[j] == ',' && ascii::IsDigit(static_cast<unsigned char>(t[j + 1])) &&
         ascii::IsDigit(static_cast<unsigned char>(t[j + 2])) && ascii::IsDigit(static_cast<unsigned char>(t[j + 3])) &&
         (j + 4 >= t.size() || !ascii::IsDigit(static_cast<unsigned char>(t[j + 4])))) {
    digits.append(t.substr(j + 1, 3));
    j += 4;
  }
  if (j + 1 < t.size() && t[j] == '.' && ascii::IsDigit(static_cast<unsigned char>(t[j + 1]))) {
    digits += '.';
    ++j;
    while (j < t.size() && ascii::IsDigit(static_cast<unsigned char>(t[j]))) digits += t[j++];
  }
  double v = 0;
  if (!ParseDouble(digits, &v)) return std::nullopt;
  return NumberAt{v, j};
}

std::optional<ComparatorAt> ParseComparatorAt(std::string_view lower, size_t i) {
  i = SkipSpaces(lower, i);
  struct Form {
    std::string_view text;
    Comparator cmp;
  };
  // Longest forms first.
  static constexpr Form kForms[] = {
      {"greater than or equal to", Comparator::kGe}, {"more than or equal to", Comparator::kGe},
      {"higher than or equal to", Comparator::kGe},  {"less than or equal to", Comparator::kLe},
      {"lower than or equal to", Comparator::kLe},   {"equal to or greater than", Comparator::kGe},
      {"equal to or more than", Comparator::kGe},    {"equal to or higher than", Comparator::kGe},
      {"equal to or less than", Comparator::kLe},    {"equal to or lower than", Comparator::kLe},
      {"equal or greater than", Comparator::kGe},    {"equal or less than", Comparator::kLe},
      {"no greater than", Comparator::kLe},          {"not greater than", Comparator::kLe},
      {"no more than", Comparator::kLe},             {"not more than", Comparator::kLe},
      {"not exceeding", Comparator::kLe},            {"no higher than", Comparator::kLe},
      {"not higher than", Comparator::kLe},          {"no less than", Comparator::kGe},
      {"not less than", Comparator::kGe},            {"no lower than", Comparator::kGe},
      {"not lower than", Comparator::kGe},           {"greater than", Comparator::kGt},
      {"more than", Comparator::kGt},                {"higher than", Comparator::kGt},
      {"less than", Comparator::kLt},                {"lower than", Comparator::kLt},
      {"fewer than", Comparator::kLt},               {"at least", Comparator::kGe},
      {"at most", Comparator::kLe},                  {"exceeding", Comparator::kGt},
      {"exceeds", Comparator::kGt},                  {"above", Comparator::kGt},
      {"below", Comparator::kLt},                    {"over", Comparator::kGt},
      {"under", Comparator::kLt},                    {"up to", Comparator::kLe},
      {"minimum of", Comparator::kGe},               {"maximum of", Comparator::kLe},
      {"≥", Comparator::kGe},                        {"≤", Comparator::kLe},
      {"≧", Comparator::kGe},                        {"≦", Comparator::kLe},
      {"⩾", Comparator::kGe},                        {"⩽", Comparator::kLe},
      {">/=", Comparator::kGe},                      {"</=", Comparator::kLe},  // ">/= 18 years" (round 28)
      {">=", Comparator::kGe},                       {"=>", Comparator::kGe},
      {"<=", Comparator::kLe},                       {"=<", Comparator::kLe},
      {"> =", Comparator::kGe},                      {"< =", Comparator::kLe},
      {">", Comparator::kGt},                        {"<", Comparator::kLt},
      {"=", Comparator::kEq},
  };
  for (const Form& f : kForms) {
    if (lower.substr(i, f.text.size()) == f.text) {
      size_t end = i + f.text.size();
      if (ascii::IsAlpha(static_cast<unsigned char>(f.text.back())) && end < lower.size() && IsWordByte(lower[end])) continue;
      return ComparatorAt{f.cmp, end};
    }
  }
  return std::nullopt;
}

std::optional<DurationAt> ParseDurationAt(std::string_view lower, size_t i) {
  i = SkipSpaces(lower, i);
  double value = 0;
  size_t j = i;
  if (auto n = ParseNumberAt(lower, i)) {
    value = n->value;
    j = n->end;
  } else {
    static constexpr std::string_view kWords[] = {"one", "two", "three", "four", "five", "six",
                                                  "seven", "eight", "nine", "ten", "eleven", "twelve"};
    bool found = false;
    for (size_t w = 0; w < std::size(kWords); ++w) {
      if (lower.substr(i, kWords[w].size()) == kWords[w] &&
          (i + kWords[w].size() >= lower.size() || !IsWordByte(lower[i + kWords[w].size()]))) {
        value = static_cast<double>(w + 1);
        j = i + kWords[w].size();
        found = true;
        break;
      }
    }
    if (!found) return std::nullopt;
  }
  j = SkipSpaces(lower, j);
  if (j < lower.size() && lower[j] == '-') ++j;  // "6-month"
  size_t k = j;
  while (k < lower.size() && ascii::IsAlpha(static_cast<unsigned char>(lower[k]))) ++k;
  std::optional<std::string> unit = ParseDurationUnit(lower.substr(j, k - j));
  if (!unit || (*unit == "a" && lower.substr(j, k - j) == "a")) return std::nullopt;
  return DurationAt{Duration{value, *unit}, i, k};
}

std::optional<DurationAt> FindWindow(std::string_view lower, size_t from, size_t to) {
  std::string_view s = lower.substr(0, to);
  for (std::string_view lead : {"within", "in the last", "in the past", "during the last", "during the past",
                                "in the previous", "during the previous", "in the preceding"}) {
    size_t p = FindWord(s, lead, from);
    if (p == std::string_view::npos) continue;
    size_t q = p + lead.size();
    q = SkipSpaces(s, q);
    for (std::string_view fill : {"the last", "the past", "the previous", "the preceding", "last", "past", "the"}) {
      if (s.substr(q, fill.size()) == fill && q + fill.size() < s.size() && s[q + fill.size()] == ' ') {
        q += fill.size();
        break;
      }
    }
    if (auto d = ParseDurationAt(s, q)) return DurationAt{d->duration, p, d->end};
    // "within the past month", "in the last year": one unit.
    size_t k = SkipSpaces(s, q);
    size_t e = k;
    while (e < s.size() && ascii::IsAlpha(static_cast<unsigned char>(s[e]))) ++e;
    std::string_view word = s.substr(k, e - k);
    if (word == "day" || word == "week" || word == "month" || word == "year") {
      if (auto unit = ParseDurationUnit(word)) return DurationAt{Duration{1, *unit}, p, e};
    }
  }
  // "N units before / prior to".
  for (size_t p = from; p < s.size(); ++p) {
    if (!ascii::IsDigit(static_cast<unsigned char>(s[p])) || (p > 0 && IsWordByte(s[p - 1]))) continue;
    auto d = ParseDurationAt(s, p);
    if (!d) continue;
    size_t q = SkipSpaces(s, d->end);
    if (StartsWith(s.substr(q), "before") || StartsWith(s.substr(q), "prior") || StartsWith(s.substr(q), "preceding")) {
      return d;
    }
  }
  return std::nullopt;
}

std::optional<DurationAt> FindMinDuration(std::string_view lower, size_t from, size_t to) {
  std::string_view s = lower.substr(0, to);
  for (size_t p = from; p < s.size(); ++p) {
    if (p > 0 && IsWordByte(s[p - 1]) && IsWordByte(s[p])) continue;
    auto c = ParseComparatorAt(s, p);
    if (!c || (c->cmp != Comparator::kGt && c->cmp != Comparator::kGe)) continue;
    if (auto d = ParseDurationAt(s, c->end)) return DurationAt{d->duration, p, d->end};
  }
  return std::nullopt;
}

}  // namespace ts::atoms
