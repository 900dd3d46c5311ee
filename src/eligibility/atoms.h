// Internal to the criteria parser: recognisers for the typed facts inside one clause of criterion
// text. Each returns atoms with the byte span they consumed, so the parser can tell what is left.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eligibility/concepts.h"
#include "eligibility/rule.h"

namespace ts::atoms {

struct Atom {
  Rule rule;
  size_t begin = 0;  // span in the clause
  size_t end = 0;
};

// ASCII lower-case copy with the same byte offsets.
std::string Lower(std::string_view s);
// True if `needle` occurs in `lower` starting at a word boundary.
bool HasWord(std::string_view lower, std::string_view needle);
size_t FindWord(std::string_view lower, std::string_view needle, size_t from = 0);
// `i` moved past spaces and tabs.
size_t SkipSpaces(std::string_view s, size_t i);
// `i` moved past punctuation and the given filler words; stops at anything else or after `limit` bytes.
size_t SkipFiller(std::string_view lower, size_t i, std::initializer_list<std::string_view> words, size_t limit);
// The length of the first of `tails` that `s` starts with, or 0.
size_t TailLength(std::string_view s, std::initializer_list<std::string_view> tails);

struct NumberAt {
  double value = 0;
  size_t end = 0;
};
// A number starting at `i` (after spaces): "30", "1.5", "100,000", "1,5" is not accepted.
std::optional<NumberAt> ParseNumberAt(std::string_view t, size_t i);

struct ComparatorAt {
  Comparator cmp;
  size_t end = 0;
};
// A comparator starting at `i` (after spaces): symbols (<, ≤, >=, =<, ≧ ...) or words ("less than",
// "at least", "no more than", "greater than or equal to" ...).
std::optional<ComparatorAt> ParseComparatorAt(std::string_view lower, size_t i);

struct DurationAt {
  Duration duration;
  size_t begin = 0;
  size_t end = 0;
};
// "within (the last|the past)? N unit(s)", "in the (last|past) N units", "N units (before|prior to)".
std::optional<DurationAt> FindWindow(std::string_view lower, size_t from, size_t to);
// "for (more than|at least|over|>|>=|≥) N units" / "course ... at least N units".
std::optional<DurationAt> FindMinDuration(std::string_view lower, size_t from, size_t to);
// "N unit" at i: "1 month", "12 weeks", "six months".
std::optional<DurationAt> ParseDurationAt(std::string_view lower, size_t i);

// Lab thresholds ("PLT <30×10⁹/L", "ALT/AST > 3 × ULN", "liver and kidney function (ALT, AST, Cr)
// less than 2 times the normal value"). Analytes sharing one threshold come back as one atom whose
// rule is `list_and ? All : Any` of the per-analyte rules. `problems` receives why a threshold
// found near an analyte was not typed (unit missing or of the wrong kind).
std::vector<Atom> ExtractLabs(std::string_view clause, const ConceptTable& concepts, bool list_and,
                              std::vector<std::string>* problems);

// ECOG / Karnofsky / NYHA: "ECOG 0-2", "ECOG performance status ≤ 2", "NYHA Class 3 or higher",
// "NYHA Grade III/IV".
std::vector<Atom> ExtractScores(std::string_view clause, const ConceptTable& concepts);

// "Age ≥18 years", "aged 18-75 years", "between 18 and 75 years", "18 years of age or older".
std::vector<Atom> ExtractAge(std::string_view clause);

// "life expectancy ≥ 12 weeks", "estimated survival period ≥ 6 months".
std::vector<Atom> ExtractLifeExpectancy(std::string_view clause);

}  // namespace ts::atoms
