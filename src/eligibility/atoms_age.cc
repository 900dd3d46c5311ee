// Recognisers for ages ("aged 18-75 years", "18 years of age or older") and life expectancy inside a clause.
#include "eligibility/atoms.h"

#include <algorithm>
#include <cmath>

#include "common/ascii.h"
#include "common/strings.h"
#include "eligibility/units.h"

namespace ts::atoms {

namespace {

// "Over 18" and "> 18 years" are read as "18 or older": ages are compared in whole years, and a
// strict reading would turn away every 18-year-old, the error this parser must not make.
Comparator AgeComparator(Comparator c) { return c == Comparator::kGt ? Comparator::kGe : c; }

// A unit of age at `i` (after spaces): years (`*scale` = 1) or months (1/12), with `*end` past it;
// false, leaving both unchanged, when there is none.
bool ReadYearsUnit(std::string_view lower, size_t i, size_t* end, double* scale) {
  size_t k = SkipSpaces(lower, i);
  for (std::string_view u : {"years", "year", "yrs", "yr", "y.o.", "y"}) {
    if (lower.substr(k, u.size()) == u && (k + u.size() >= lower.size() || !ascii::IsAlpha(static_cast<unsigned char>(lower[k + u.size()])))) {
      *end = k + u.size();
      *scale = 1;
      return true;
    }
  }
  for (std::string_view u : {"months", "month"}) {
    if (lower.substr(k, u.size()) == u) {
      *end = k + u.size();
      *scale = 1.0 / 12;
      return true;
    }
  }
  return false;
}

// After the word "age" at `age`, a comparator at `i`: "age ≥ 18 years", "age ≥ 18 and ≤ 75 years".
std::optional<Atom> AgeByComparator(std::string_view lower, size_t age, size_t i) {
  auto c = ParseComparatorAt(lower, i);
  // "Age = 18": a "≥" or "≤" whose first character was lost; no trial enrols only 18-year-olds.
  if (!c || c->cmp == Comparator::kEq) return std::nullopt;
  auto n = ParseNumberAt(lower, c->end);
  if (!(n && n->value > 0 && n->value < 130)) return std::nullopt;
  double scale = 1;
  size_t end = n->end;
  const bool low_unit = ReadYearsUnit(lower, n->end, &end, &scale);
  const double low_scale = scale;
  Rule r = Rule::Age(AgeComparator(c->cmp), n->value * scale);
  // "≥ 18 and ≤ 75 years"
  size_t k = SkipSpaces(lower, end);
  if (StartsWith(lower.substr(k), "and")) {
    auto c2 = ParseComparatorAt(lower, k + 3);
    auto n2 = c2 ? ParseNumberAt(lower, c2->end) : std::nullopt;
    if (n2 && (c2->cmp == Comparator::kLe || c2->cmp == Comparator::kLt) && (c->cmp == Comparator::kGe || c->cmp == Comparator::kGt)) {
      end = n2->end;
      // "≥ 18 and ≤ 75 years": the upper bound's unit counts for both; "at least 6 months and less than 6
      // years": each its own.
      ReadYearsUnit(lower, n2->end, &end, &scale);
      const double low = n->value * (low_unit ? low_scale : scale), high = n2->value * scale;
      if (high <= low) return std::nullopt;
      // "> 18 and < 60 years": under 60 is not 60 (the lower bound is read as 18 or older, as everywhere).
      r = c2->cmp == Comparator::kLt ? Rule::All({Rule::Age(AgeComparator(c->cmp), low), Rule::Age(Comparator::kLt, high)})
                                     : Rule::Age(Comparator::kRange, low, high);
    }
  }
  return Atom{r, age, end};
}

// After the word "age" at `age`, the number `n`: "aged 18-75 years", "aged 18 or over",
// "age 18 years or older", "age 17 years or younger".
std::optional<Atom> AgeByNumber(std::string_view lower, size_t age, const NumberAt& n) {
  size_t k = SkipSpaces(lower, n.end);
  size_t unit_end = k;
  double s1 = 1;
  const bool low_unit = ReadYearsUnit(lower, k, &unit_end, &s1);
  if (low_unit) k = SkipSpaces(lower, unit_end);
  std::optional<NumberAt> hi;
  for (std::string_view sep : {"-", "–", "to", "and"}) {
    if (lower.substr(k, sep.size()) == sep && (hi = ParseNumberAt(lower, k + sep.size()))) break;
  }
  if (hi && hi->value < 130) {
    size_t end = hi->end;
    double scale = 1;
    ReadYearsUnit(lower, hi->end, &end, &scale);
    // "6 months to 49 years": each end in its own unit; "2-17 years": the low end in the high end's.
    const double low = n.value * (low_unit ? s1 : scale), high = hi->value * scale;
    if (high > low) return Atom{Rule::Age(Comparator::kRange, low, high), age, end};
  }
  // "aged 18 or over": no unit.
  std::string_view after = lower.substr(SkipSpaces(lower, n.end));
  const size_t after_at = static_cast<size_t>(after.data() - lower.data());
  // "Age 18+".
  if (StartsWith(after, "+") && (after.size() == 1 || !ascii::IsDigit(static_cast<unsigned char>(after[1])))) {
    return Atom{Rule::Age(Comparator::kGe, n.value), age, after_at + 1};
  }
  for (std::string_view tail : {"or older", "and older", "or above", "and above", "or over", "and over", "or more"}) {
    // "below the age of 3 or over 25": "or over" starts a second bound, not this one's tail.
    size_t past = SkipSpaces(lower, after_at + tail.size());
    if (StartsWith(after, tail) && past < lower.size() && ascii::IsDigit(static_cast<unsigned char>(lower[past]))) break;
    if (StartsWith(after, tail) && n.value < 130) return Atom{Rule::Age(Comparator::kGe, n.value), age, after_at + tail.size()};
  }
  size_t e2 = 0;
  double s2 = 1;
  if (!ReadYearsUnit(lower, n.end, &e2, &s2)) return std::nullopt;
  size_t q = SkipSpaces(lower, e2);
  std::string_view rest = lower.substr(q);
  for (std::string_view old : {"old ", "of age "}) {
    if (StartsWith(rest, old)) { q += old.size(); rest = lower.substr(q); }
  }
  if (size_t len = TailLength(rest, {"or older", "and older", "or above", "and above", "or over", "or more"})) {
    return Atom{Rule::Age(Comparator::kGe, n.value * s2), age, q + len};
  }
  if (size_t len = TailLength(rest, {"or younger", "and younger", "or under", "and under", "or less"})) {
    return Atom{Rule::Age(Comparator::kLe, n.value * s2), age, q + len};
  }
  return std::nullopt;
}

// An age introduced by the word "age" (or "aged", "ages").
std::optional<Atom> AgeAfterWord(std::string_view lower) {
  size_t age = FindWord(lower, "age");
  if (age == std::string::npos) age = FindWord(lower, "aged");
  if (age == std::string::npos) return std::nullopt;
  // "ages 18 and older": the plural as the singular.
  size_t after_age = age + 3 + (age + 3 < lower.size() && lower[age + 3] == 's' ? 1 : 0);
  size_t i = SkipFiller(lower, after_age, {"d", "between", "from", "of", "is", "must", "be", "range", "at", "screening", "enrollment", "-", ":"}, 30);
  if (auto atom = AgeByComparator(lower, age, i)) return atom;
  if (auto n = ParseNumberAt(lower, i)) return AgeByNumber(lower, age, *n);
  return std::nullopt;
}

// The number `n` at `p` begins "between 18 and 65 years of age", "2-17 years old" (both ends included).
std::optional<Atom> AgeRangeOfAge(std::string_view lower, size_t p, const NumberAt& n) {
  size_t k = SkipSpaces(lower, n.end);
  std::optional<NumberAt> hi;
  for (std::string_view sep : {"-", "–", "to", "and"}) {
    if (lower.substr(k, sep.size()) == sep && (hi = ParseNumberAt(lower, SkipSpaces(lower, k + sep.size())))) break;
  }
  size_t e = 0;
  double s = 1;
  if (!(hi && hi->value > n.value && hi->value < 130 && ReadYearsUnit(lower, hi->end, &e, &s) && s == 1)) return std::nullopt;
  size_t q = SkipSpaces(lower, e);
  std::string_view after = lower.substr(q);
  if (!StartsWith(after, "of age") && !StartsWith(after, "old")) return std::nullopt;
  // "Between 18 and 65 years of age" includes both ends; "... (inclusive)" says so too.
  size_t begin = p;
  std::string_view lead = Trim(lower.substr(0, p));
  if (lead.ends_with("between")) begin = lead.size() - 7;
  return Atom{Rule::Age(Comparator::kRange, n.value, hi->value), begin, q + (StartsWith(after, "old") ? 3 : 6)};
}

// The number `n` at `p` is a bound: "≥ 18 years old", "18 years of age or older", "17 years of age or younger".
std::optional<Atom> AgeBoundOfAge(std::string_view lower, size_t p, const NumberAt& n) {
  if (n.value <= 0) return std::nullopt;
  size_t e = 0;
  double s = 1;
  if (!ReadYearsUnit(lower, n.end, &e, &s) || s != 1) return std::nullopt;
  size_t q = SkipSpaces(lower, e);
  std::string_view after = lower.substr(q);
  bool aged = StartsWith(after, "of age") || StartsWith(after, "old");
  // "18 years or older": only an age is older.
  if (!aged) {
    if (size_t len = TailLength(after, {"or older", "and older"})) return Atom{Rule::Age(Comparator::kGe, n.value), p, q + len};
    return std::nullopt;
  }
  size_t q2 = SkipSpaces(lower, q + (StartsWith(after, "old") ? 3 : 6));
  std::string_view tail = lower.substr(q2);
  // Comparator before the number: "≥ 18 years old".
  size_t back = p;
  while (back > 0 && lower[back - 1] == ' ') --back;
  for (size_t len = std::min<size_t>(24, back); len >= 1; --len) {  // longest first: ">=" before "=", "at least"
    if (auto c = ParseComparatorAt(lower, back - len); c && c->end == back) {
      if (c->cmp == Comparator::kEq) return std::nullopt;  // a lost "≥" or "≤", as above
      return Atom{Rule::Age(AgeComparator(c->cmp), n.value), back - len, q2};
    }
  }
  if (size_t len = TailLength(tail, {"or older", "and older", "or above", "and above", "or over"})) {
    return Atom{Rule::Age(Comparator::kGe, n.value), p, q2 + len};
  }
  // "17 years of age or younger": up to the 18th birthday, as "<= 17" is.
  if (size_t len = TailLength(tail, {"or younger", "and younger", "or under", "and under", "or less"})) {
    return Atom{Rule::Age(Comparator::kLe, n.value), p, q2 + len};
  }
  return std::nullopt;
}

}  // namespace

std::vector<Atom> ExtractAge(std::string_view clause) {
  std::string lower = Lower(clause);
  if (auto atom = AgeAfterWord(lower)) return {*atom};
  // "18 years of age or older", "≥ 18 years old", "between 18 and 65 years of age", "2-17 years old".
  for (size_t p = 0; p < lower.size(); ++p) {
    if (!ascii::IsDigit(static_cast<unsigned char>(lower[p])) || (p > 0 && ascii::IsAlnum(static_cast<unsigned char>(lower[p - 1])))) continue;
    auto n = ParseNumberAt(lower, p);
    if (!n || n->value < 0 || n->value >= 130) continue;
    if (auto atom = AgeRangeOfAge(lower, p, *n)) return {*atom};
    if (auto atom = AgeBoundOfAge(lower, p, *n)) return {*atom};
  }
  return {};
}

std::vector<Atom> ExtractLifeExpectancy(std::string_view clause) {
  std::string lower = Lower(clause);
  std::vector<Atom> out;
  for (std::string_view phrase : {"life expectancy", "life-expectancy", "survival period", "expected survival",
                                  "estimated survival", "survival time", "expected to survive", "anticipated survival"}) {
    size_t p = FindWord(lower, phrase);
    if (p == std::string::npos) continue;
    // (Not "at": "life expectancy at least 3 months".)
    size_t i = SkipFiller(lower, p + phrase.size(), {"of", "is", "must", "be", "estimated", "expected", "should", "period", "time"}, 30);
    auto c = ParseComparatorAt(lower, i);
    if (!c || c->cmp == Comparator::kEq) continue;  // "survival time=3 months": a lost "≥", as for ages
    auto d = ParseDurationAt(lower, c->end);
    if (!d) continue;
    Rule r;
    r.kind = RuleKind::kLifeExpectancy;
    r.cmp = c->cmp;
    r.value = d->duration.value;
    r.unit = d->duration.unit;
    out.push_back({r, p, d->end});
    break;
  }
  return out;
}

}  // namespace ts::atoms
