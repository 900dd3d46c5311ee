// The trigger words of the criteria parser's passes, read from resources/criteria_lexicon.tsv (the
// file documents each category). Matching is on lower-cased text, at a word start.
//   Result<CriteriaLexicon> lex = CriteriaLexicon::Builtin();
//   lex->Find(Trigger::kPermission, "prior radiotherapy is allowed")  // -> {begin 19, end 26, "allowed"}
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/status.h"

namespace ts {

enum class Trigger {
  kFiller,
  kConsent,
  kJudgement,
  kCompliance,
  kWillingness,
  kConditional,
  kExemption,
  kPermission,
  kPlan,
  kHypothetical,
  kSubgroup,
  kQualifier,
  kNegation,
  kPostNegation,
  kPseudoNegation,
  kTermination,
  kOther,
  kHistory,
  kCurrent,
  kUnsureTime,
  kWashoutLead,
  kSince,
  kGroupBoth,
  kUnwilling,
  kHeadNoun,
  kCount,
  kSuspected,
  kNotPermission,
  kTreatmentWord,
  kRequirement,
  kClauseNegation,
  kUnsureNegation,
  kOtherPerson,
  kAgeAt,
  kDoseChange,
  kStudyTime,
  kStudySubgroup,
  kHeadingScope,
  kHeadingNegation,
  kHeadingInclusions,
  kHeadingTime,
  kSubgroupLead,
  kContraceptionSubgroup,
  kParenSubgroup,
  kParenQualifier,
  kLabPast,
  kAllergySeverity,
  kAgeSubgroup,
  kCrossReference,
  kDefinitionLead,
  kPregnancyKind,
  kWithdrawn,
  kWashoutAnchor,
  kHeadingGeneral,
  kLabSpecimen,
  kAmended,
  kLabTarget,
  kFillerAcronym,
  kScoreAlternative,
  kFertilityState,
};
inline constexpr size_t kTriggerCount = static_cast<size_t>(Trigger::kFertilityState) + 1;
std::string_view TriggerName(Trigger t);  // the category's name in the file: "permission", ...

struct TriggerHit {
  size_t begin = 0;  // byte span in the searched text
  size_t end = 0;
  std::string_view phrase;
};

class CriteriaLexicon {
 public:
  // Parses the file format above; errors name `source` and the line.
  static Result<CriteriaLexicon> Parse(std::string_view tsv, std::string_view source);
  // The lexicon built into the binary.
  static Result<CriteriaLexicon> Builtin();

  // The first (leftmost, then longest) phrase of `t` in lower[from, to), at a word start.
  std::optional<TriggerHit> Find(Trigger t, std::string_view lower, size_t from = 0,
                                 size_t to = std::string_view::npos) const;
  // The phrase of `t` that starts exactly at `pos` (a word start) and ends by `to`, longest first; the
  // same hit Find would return there, without scanning the rest of the text.
  std::optional<TriggerHit> FindAt(Trigger t, std::string_view lower, size_t pos, size_t to = std::string_view::npos) const;
  // The last such phrase that starts in [from, to) (used to look back from a concept mention).
  std::optional<TriggerHit> FindLast(Trigger t, std::string_view lower, size_t from, size_t to) const;
  // Every phrase of `t` in `lower`, in text order, non-overlapping (leftmost, longest).
  std::vector<TriggerHit> FindAll(Trigger t, std::string_view lower) const;
  bool Has(Trigger t, std::string_view lower) const { return Find(t, lower).has_value(); }
  // True if `word` (lower case, whole) is a filler word.
  bool IsFiller(std::string_view word) const { return fillers_.count(std::string(word)) > 0; }
  const std::vector<std::string>& phrases(Trigger t) const { return phrases_[static_cast<size_t>(t)]; }

 private:
  // Whether phrase `p` of category `t` matches at `pos` (the shared test of Find and FindLast).
  const std::string* MatchAt(Trigger t, std::string_view lower, size_t pos, size_t to) const;

  std::array<std::vector<std::string>, kTriggerCount> phrases_;  // longest first
  // Per category, the indexes into phrases_ of the phrases starting with each byte (longest first).
  std::array<std::array<std::vector<uint16_t>, 256>, kTriggerCount> by_first_;
  // Per category, the bytes some phrase starts with (a compact filter for the scan loops).
  std::array<std::bitset<256>, kTriggerCount> has_first_;
  std::unordered_set<std::string> fillers_;
};

}  // namespace ts
