// Private to the protocol reader: scanners over one sentence (numbers, doses, durations, conditions).
// Positions index both `text` and `lower` (ASCII lower-casing keeps byte offsets).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eligibility/concepts.h"
#include "protocol/protocol.h"
#include "protocol/protocol_lexicon.h"

namespace ts::protocol_scan {

struct Sentence {
  std::string text;
  std::string lower;
  explicit Sentence(std::string t);
};

struct Number {
  double value = 0;
  size_t begin = 0, end = 0;
};
// A number starting at `pos` ("15,000", "1.5", "7"); nullopt when `pos` holds no digit or a digit continues one.
std::optional<Number> NumberAt(std::string_view lower, size_t pos);
size_t SkipSpaces(std::string_view s, size_t pos);
// The next word (letters only) from `pos` after spaces: [begin, end); begin == end when none.
std::pair<size_t, size_t> WordAt(std::string_view lower, size_t pos);

struct DoseHit {
  DoseAmount amount;
  size_t begin = 0, end = 0;
  bool dangling = false;  // "-5 mg": a range without its first number (garbled text)
};
// "5 µg/kg", "8-10 mg/kg/day", "15,000 IU/day", "1500 U", "10mg/ day" at the number starting at `pos`.
std::optional<DoseHit> DoseAt(const Sentence& s, size_t pos, const ProtocolLexicon& lex);
// Every dose in [begin, end).
std::vector<DoseHit> FindDoses(const Sentence& s, size_t begin, size_t end, const ProtocolLexicon& lex);

struct ConditionRead {
  std::optional<Condition> condition;
  size_t end = 0;
  std::string problem;  // why nothing was read
};
// A condition in [begin, end): lab comparisons ("PLT ≥100×10⁹/L"), changes from baseline ("rises ≥50×10⁹/L from
// baseline"), events ("bleeding risk"), joined by "or" / "and" / "with". Words before the first part are allowed
// (they name the analyte or the subject); words between or after the parts make it unread.
ConditionRead ReadCondition(const Sentence& s, size_t begin, size_t end, const ProtocolLexicon& lex,
                            const ConceptTable& concepts);

// What one clause of a dose statement says about time.
struct TimeRead {
  std::optional<Duration> duration, min_duration;
  std::optional<int> cycles, max_doses, every_days;
  std::optional<int> cycle_first, cycle_last, cycle_length;
  int durations_seen = 0;
};
void ReadTimes(const Sentence& s, size_t begin, size_t end, const ProtocolLexicon& lex, TimeRead* out);

}  // namespace ts::protocol_scan
