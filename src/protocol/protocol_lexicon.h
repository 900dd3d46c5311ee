// The words the protocol reader knows (resources/protocol_lexicon.tsv): agents, routes, dose units, schedule
// words, comparators, rule actions, events, caps and the phrases that leave a clause to judgement.
//   Result<ProtocolLexicon> lex = ProtocolLexicon::Builtin();
//   std::vector<LexMatch> m = lex->FindAll(LexKind::kAgent, ToLowerAscii(text));  // non-overlapping, in order
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ts {

enum class LexKind {
  kAgent, kRoute, kDoseUnit, kSchedule, kCmp, kAction, kCond, kCapDose, kCapDay, kMaxDoses, kEvent, kRise,
  kEndpoint, kUnsafe, kUnsafeAfter, kCaveat, kBsa, kRound, kEvery, kCycle,
};

struct LexEntry {
  LexKind kind = LexKind::kAgent;
  std::string canonical;
  std::string value;
  std::vector<std::string> phrases;  // lower-case
};

struct LexMatch {
  size_t begin = 0, end = 0;
  const LexEntry* entry = nullptr;
};

class ProtocolLexicon {
 public:
  // Parses the TSV; InvalidArgument names `source`, the line and the problem.
  static Result<ProtocolLexicon> Parse(std::string_view tsv, std::string_view source);
  // The lexicon built into the binary.
  static Result<ProtocolLexicon> Builtin();

  // Every phrase of `kind` in `lower` (ASCII lower-cased text), longest first at each place, at word boundaries
  // (a phrase edge that is a letter or digit needs a non-alphanumeric neighbour), not overlapping.
  std::vector<LexMatch> FindAll(LexKind kind, std::string_view lower) const;
  // The longest phrase of `kind` starting exactly at `pos`. `boundary_before` = false lets it follow a digit ("15000U").
  std::optional<LexMatch> At(LexKind kind, std::string_view lower, size_t pos, bool boundary_before = true) const;
  const LexEntry* Entry(LexKind kind, std::string_view canonical) const;

 private:
  std::vector<LexEntry> entries_;
};

}  // namespace ts
