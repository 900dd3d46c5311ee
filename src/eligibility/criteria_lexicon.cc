#include "eligibility/criteria_lexicon.h"

#include <algorithm>

#include "common/ascii.h"
#include "common/strings.h"

namespace ts {

extern const std::string_view kCriteriaLexicon;

namespace {

constexpr std::string_view kNames[kTriggerCount] = {
    "filler",       "consent",       "judgement",       "compliance",  "willingness", "conditional",
    "exemption",    "permission",    "plan",            "hypothetical", "subgroup",   "qualifier",
    "negation",     "post_negation", "pseudo_negation", "termination", "other",       "history",
    "current",      "unsure_time",   "washout_lead",    "since",       "group_both",  "unwilling",
    "head_noun",    "count",         "suspected",       "not_permission",
    "treatment_word", "requirement",   "clause_negation",
    "unsure_negation", "other_person",   "age_at",      "dose_change", "study_time",
    "study_subgroup", "heading_scope", "heading_negation", "heading_inclusions", "heading_time",
    "subgroup_lead", "contraception_subgroup", "paren_subgroup", "paren_qualifier", "lab_past",
    "allergy_severity", "age_subgroup", "cross_reference", "definition_lead",
    "pregnancy_kind", "withdrawn", "washout_anchor", "heading_general", "lab_specimen", "amended", "lab_target", "filler_acronym", "score_alternative",
    "fertility_state",
};

bool IsWordByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return ascii::IsAlnum(u) || u >= 0x80;
}

// A phrase matches at a word start; a phrase ending in a letter or digit must also end at a word end
// unless it is a stem (the file's phrases are stems where they are meant as prefixes, so we accept
// both: "complian" matches "compliance", "no " needs the space).
bool MatchesAt(std::string_view lower, size_t pos, std::string_view phrase) {
  if (lower.substr(pos, phrase.size()) != phrase) return false;
  return pos == 0 || !IsWordByte(lower[pos - 1]) || !IsWordByte(phrase[0]);
}

}  // namespace

std::string_view TriggerName(Trigger t) { return kNames[static_cast<size_t>(t)]; }

Result<CriteriaLexicon> CriteriaLexicon::Builtin() { return Parse(kCriteriaLexicon, "criteria_lexicon.tsv"); }

Result<CriteriaLexicon> CriteriaLexicon::Parse(std::string_view tsv, std::string_view source) {
  CriteriaLexicon lex;
  int line_no = 0;
  for (std::string_view line : Split(tsv, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty() || line[0] == '#') continue;
    std::vector<std::string_view> f = Split(line, '\t');
    auto where = [&] { return std::string(source) + ":" + std::to_string(line_no); };
    if (f.size() != 2 || f[1].empty()) return Status::InvalidArgument(where() + ": expected CATEGORY<TAB>PHRASE");
    const auto* it = std::find(std::begin(kNames), std::end(kNames), f[0]);
    if (it == std::end(kNames)) return Status::InvalidArgument(where() + ": unknown category '" + std::string(f[0]) + "'");
    std::string phrase(f[1]);
    std::replace(phrase.begin(), phrase.end(), '_', ' ');
    if (ToLowerAscii(phrase) != phrase) return Status::InvalidArgument(where() + ": phrase must be lower case");
    size_t cat = static_cast<size_t>(it - std::begin(kNames));
    if (cat == static_cast<size_t>(Trigger::kFiller)) lex.fillers_.insert(phrase);
    lex.phrases_[cat].push_back(std::move(phrase));
  }
  for (size_t t = 0; t < kTriggerCount; ++t) {
    auto& v = lex.phrases_[t];
    std::stable_sort(v.begin(), v.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    if (v.size() > UINT16_MAX) return Status::InvalidArgument(std::string(source) + ": too many phrases in a category");
    for (size_t i = 0; i < v.size(); ++i) {
      lex.by_first_[t][static_cast<unsigned char>(v[i][0])].push_back(static_cast<uint16_t>(i));
      lex.has_first_[t].set(static_cast<unsigned char>(v[i][0]));
    }
  }
  return lex;
}

const std::string* CriteriaLexicon::MatchAt(Trigger t, std::string_view lower, size_t pos, size_t to) const {
  const std::vector<std::string>& v = phrases_[static_cast<size_t>(t)];
  for (uint16_t i : by_first_[static_cast<size_t>(t)][static_cast<unsigned char>(lower[pos])]) {  // longest first
    const std::string& p = v[i];
    if (pos + p.size() > to || (p.size() > 1 && lower[pos + 1] != p[1])) continue;  // cheap second-byte test first
    if (MatchesAt(lower, pos, p)) return &p;
  }
  return nullptr;
}

std::optional<TriggerHit> CriteriaLexicon::Find(Trigger t, std::string_view lower, size_t from, size_t to) const {
  if (to > lower.size()) to = lower.size();
  const std::bitset<256>& firsts = has_first_[static_cast<size_t>(t)];
  for (size_t pos = from; pos < to; ++pos) {
    if (!firsts[static_cast<unsigned char>(lower[pos])]) continue;
    if (pos > 0 && IsWordByte(lower[pos - 1]) && IsWordByte(lower[pos])) continue;
    if (const std::string* p = MatchAt(t, lower, pos, to)) return TriggerHit{pos, pos + p->size(), *p};
  }
  return std::nullopt;
}

std::optional<TriggerHit> CriteriaLexicon::FindAt(Trigger t, std::string_view lower, size_t pos, size_t to) const {
  if (to > lower.size()) to = lower.size();
  if (pos >= to || !has_first_[static_cast<size_t>(t)][static_cast<unsigned char>(lower[pos])]) return std::nullopt;
  if (pos > 0 && IsWordByte(lower[pos - 1]) && IsWordByte(lower[pos])) return std::nullopt;
  if (const std::string* p = MatchAt(t, lower, pos, to)) return TriggerHit{pos, pos + p->size(), *p};
  return std::nullopt;
}

std::optional<TriggerHit> CriteriaLexicon::FindLast(Trigger t, std::string_view lower, size_t from, size_t to) const {
  if (to > lower.size()) to = lower.size();
  const std::bitset<256>& firsts = has_first_[static_cast<size_t>(t)];
  for (size_t pos = to; pos-- > from;) {
    if (!firsts[static_cast<unsigned char>(lower[pos])]) continue;
    if (pos > 0 && IsWordByte(lower[pos - 1]) && IsWordByte(lower[pos])) continue;
    if (const std::string* p = MatchAt(t, lower, pos, to)) return TriggerHit{pos, pos + p->size(), *p};
  }
  return std::nullopt;
}

std::vector<TriggerHit> CriteriaLexicon::FindAll(Trigger t, std::string_view lower) const {
  std::vector<TriggerHit> out;
  size_t from = 0;
  while (auto h = Find(t, lower, from)) {
    out.push_back(*h);
    from = h->end > h->begin ? h->end : h->begin + 1;
  }
  return out;
}

}  // namespace ts
