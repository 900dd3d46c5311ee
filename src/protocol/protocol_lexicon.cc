#include "protocol/protocol_lexicon.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "common/strings.h"

namespace ts {

extern const std::string_view kProtocolLexicon;

namespace {

const std::map<std::string, LexKind, std::less<>>& KindNames() {
  static const std::map<std::string, LexKind, std::less<>> kNames = {
      {"agent", LexKind::kAgent},       {"route", LexKind::kRoute},     {"dose_unit", LexKind::kDoseUnit},
      {"schedule", LexKind::kSchedule}, {"cmp", LexKind::kCmp},         {"action", LexKind::kAction},
      {"cond", LexKind::kCond},         {"cap_dose", LexKind::kCapDose}, {"cap_day", LexKind::kCapDay},
      {"max_doses", LexKind::kMaxDoses}, {"event", LexKind::kEvent},    {"rise", LexKind::kRise},
      {"endpoint", LexKind::kEndpoint}, {"unsafe", LexKind::kUnsafe}, {"unsafe_after", LexKind::kUnsafeAfter}, {"caveat", LexKind::kCaveat},   {"bsa", LexKind::kBsa},
      {"round", LexKind::kRound},       {"every", LexKind::kEvery},     {"cycle", LexKind::kCycle},
  };
  return kNames;
}

bool IsWordByte(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

}  // namespace

Result<ProtocolLexicon> ProtocolLexicon::Parse(std::string_view tsv, std::string_view source) {
  ProtocolLexicon lex;
  size_t line_no = 0;
  for (std::string_view line : Split(tsv, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty() || line[0] == '#') continue;
    std::vector<std::string_view> cols = Split(line, '\t');
    std::string where = std::string(source) + ":" + std::to_string(line_no);
    if (cols.size() != 4) return Status::InvalidArgument(where + ": expected 4 tab-separated columns");
    auto kind = KindNames().find(cols[0]);
    if (kind == KindNames().end()) return Status::InvalidArgument(where + ": unknown kind '" + std::string(cols[0]) + "'");
    LexEntry e{kind->second, std::string(cols[1]), std::string(cols[2]), {}};
    for (std::string_view p : Split(cols[3], '|')) {
      if (Trim(p).empty()) return Status::InvalidArgument(where + ": empty phrase");
      e.phrases.push_back(ToLowerAscii(Trim(p)));
    }
    lex.entries_.push_back(std::move(e));
  }
  return lex;
}

Result<ProtocolLexicon> ProtocolLexicon::Builtin() { return Parse(kProtocolLexicon, "protocol_lexicon.tsv"); }

std::optional<LexMatch> ProtocolLexicon::At(LexKind kind, std::string_view lower, size_t pos, bool boundary_before) const {
  std::optional<LexMatch> best;
  for (const LexEntry& e : entries_) {
    if (e.kind != kind) continue;
    for (const std::string& p : e.phrases) {
      if (pos + p.size() > lower.size() || lower.compare(pos, p.size(), p) != 0) continue;
      if (boundary_before && IsWordByte(p.front()) && pos > 0 && IsWordByte(lower[pos - 1])) continue;
      size_t end = pos + p.size();
      if (IsWordByte(p.back()) && end < lower.size() && IsWordByte(lower[end])) continue;
      if (!best || end > best->end) best = LexMatch{pos, end, &e};
    }
  }
  return best;
}

std::vector<LexMatch> ProtocolLexicon::FindAll(LexKind kind, std::string_view lower) const {
  std::vector<LexMatch> out;
  for (size_t i = 0; i < lower.size();) {
    auto m = At(kind, lower, i);
    if (m) {
      out.push_back(*m);
      i = m->end;
    } else {
      ++i;
    }
  }
  return out;
}

const LexEntry* ProtocolLexicon::Entry(LexKind kind, std::string_view canonical) const {
  for (const LexEntry& e : entries_)
    if (e.kind == kind && e.canonical == canonical) return &e;
  return nullptr;
}

}  // namespace ts
