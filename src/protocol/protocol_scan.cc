#include "protocol/protocol_scan.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "common/strings.h"
#include "eligibility/units.h"

namespace ts::protocol_scan {
namespace {

constexpr double kMaxCount = 10000;  // days, doses, cycles: larger numbers in a schedule are not read

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsAlnum(char c) { return IsDigit(c) || IsAlpha(c); }

bool HasAt(std::string_view s, size_t pos, std::string_view what) {
  return pos <= s.size() && s.substr(pos, what.size()) == what;
}

// "-", "–" (en dash) or " to " at `pos` (after spaces): the end of the separator, or npos.
size_t RangeSeparator(std::string_view lower, size_t pos) {
  size_t j = SkipSpaces(lower, pos);
  if (HasAt(lower, j, "-")) return j + 1;
  if (HasAt(lower, j, "\xE2\x80\x93")) return j + 3;
  if (HasAt(lower, j, "to ") && j > pos) return j + 3;
  return std::string_view::npos;
}

Comparator ToComparator(std::string_view c) {
  if (c == ">=") return Comparator::kGe;
  if (c == "<=") return Comparator::kLe;
  if (c == ">") return Comparator::kGt;
  return Comparator::kLt;
}

// The lab unit right after a number: "×10⁹/L", " 10*9/L", " μg/L". Returns the UCUM code and the end.
std::optional<std::pair<std::string, size_t>> LabUnitAt(const Sentence& s, size_t pos) {
  auto token_end = [&](size_t from) {
    size_t k = from;
    while (k < s.text.size() && s.text[k] != ' ' && s.text[k] != ',' && s.text[k] != ')' && s.text[k] != ';' &&
           s.text[k] != ':' && s.text[k] != '(')
      ++k;
    while (k > from && s.text[k - 1] == '.') --k;
    return k;
  };
  size_t from = pos;
  size_t end = token_end(from);
  if (end == from) {
    from = SkipSpaces(s.text, pos);
    end = token_end(from);
  }
  if (end == from) return std::nullopt;
  if (auto u = ParseUnit(std::string_view(s.text).substr(from, end - from))) return std::make_pair(u->code, end);
  // "× 10⁹/L": the multiplier and the unit written apart.
  size_t next = SkipSpaces(s.text, end);
  size_t end2 = token_end(next);
  if (end2 > next) {
    if (auto u = ParseUnit(std::string_view(s.text).substr(from, end2 - from))) return std::make_pair(u->code, end2);
  }
  return std::nullopt;
}

}  // namespace

Sentence::Sentence(std::string t) : text(std::move(t)), lower(ToLowerAscii(text)) {}

size_t SkipSpaces(std::string_view s, size_t pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
  return pos;
}

std::pair<size_t, size_t> WordAt(std::string_view lower, size_t pos) {
  size_t b = SkipSpaces(lower, pos);
  size_t e = b;
  while (e < lower.size() && IsAlpha(lower[e])) ++e;
  return {b, e};
}

std::optional<Number> NumberAt(std::string_view lower, size_t pos) {
  if (pos >= lower.size() || !IsDigit(lower[pos])) return std::nullopt;
  if (pos > 0 && (IsDigit(lower[pos - 1]) || lower[pos - 1] == '.' || lower[pos - 1] == ',')) return std::nullopt;
  std::string digits;
  size_t i = pos;
  while (i < lower.size() && IsDigit(lower[i])) digits += lower[i++];
  // Thousands groups: "15,000".
  while (i + 3 < lower.size() + 0 && lower[i] == ',' && IsDigit(lower[i + 1]) && IsDigit(lower[i + 2]) &&
         IsDigit(lower[i + 3]) && (i + 4 >= lower.size() || !IsDigit(lower[i + 4]))) {
    digits += lower.substr(i + 1, 3);
    i += 4;
  }
  if (i + 1 < lower.size() && lower[i] == '.' && IsDigit(lower[i + 1])) {
    digits += '.';
    ++i;
    while (i < lower.size() && IsDigit(lower[i])) digits += lower[i++];
  }
  if (digits.size() > 15) return std::nullopt;
  double v = 0;
  if (!ParseDouble(digits, &v)) return std::nullopt;
  return Number{v, pos, i};
}

std::optional<DoseHit> DoseAt(const Sentence& s, size_t pos, const ProtocolLexicon& lex) {
  const std::string& l = s.lower;
  auto first = NumberAt(l, pos);
  if (!first) return std::nullopt;
  DoseHit hit;
  hit.begin = pos;
  hit.amount.low = hit.amount.high = first->value;
  size_t j = first->end;
  size_t sep = RangeSeparator(l, j);
  if (sep != std::string_view::npos) {
    auto second = NumberAt(l, SkipSpaces(l, sep));
    if (second && second->value >= first->value) {
      hit.amount.high = second->value;
      j = second->end;
    }
  }
  j = SkipSpaces(l, j);
  auto unit = lex.At(LexKind::kDoseUnit, l, j, false);
  if (!unit) return std::nullopt;
  j = unit->end;
  if (HasAt(l, j, "/l") || HasAt(l, j, "/ml") || HasAt(l, j, "/dl")) return std::nullopt;  // a concentration
  hit.amount.unit = unit->entry->canonical;
  for (int round = 0; round < 3; ++round) {
    size_t k = SkipSpaces(l, j);
    size_t after;
    if (HasAt(l, k, "/")) after = SkipSpaces(l, k + 1);
    else if (HasAt(l, k, "per ")) after = k + 4;
    else break;
    auto [wb, we] = WordAt(l, after);
    std::string_view w = std::string_view(l).substr(wb, we - wb);
    if (w == "kg" && hit.amount.basis == DoseBasis::kFixed) {
      hit.amount.basis = DoseBasis::kPerKg;
      j = we;
    } else if (w == "m" && (HasAt(l, we, "2") || HasAt(l, we, "\xC2\xB2"))) {
      hit.amount.basis = DoseBasis::kPerM2;
      j = we + (HasAt(l, we, "2") ? 1 : 2);
    } else if ((w == "day" || w == "d") && !hit.amount.per_day) {
      hit.amount.per_day = true;
      j = we;
    } else {
      break;
    }
  }
  if (j < l.size() && IsAlnum(l[j])) return std::nullopt;
  hit.end = j;
  // "-5 mg/kg/d" with nothing before the dash: the first number of a range lost.
  if (pos > 0 && l[pos - 1] == '-' && (pos == 1 || !IsAlnum(l[pos - 2]))) hit.dangling = true;
  if (hit.amount.basis == DoseBasis::kPerM2) {
    for (const LexMatch& m : lex.FindAll(LexKind::kBsa, l)) hit.amount.bsa_formula = m.entry->canonical;
  }
  return hit;
}

std::vector<DoseHit> FindDoses(const Sentence& s, size_t begin, size_t end, const ProtocolLexicon& lex) {
  std::vector<DoseHit> out;
  for (size_t i = begin; i < end && i < s.lower.size(); ++i) {
    auto d = DoseAt(s, i, lex);
    if (d && d->end <= end) {
      out.push_back(*d);
      i = d->end - 1;
    }
  }
  return out;
}

namespace {

// The parts of a condition as they are read, grouped: an "or" starts a new group, "and" / "with" joins the current.
class ConditionParts {
 public:
  // Adds a part after `gap`, the words since the previous part. False when the gap holds other words (between two
  // parts), or both "and" and "or".
  bool Join(Condition c, std::string_view gap) {
    bool is_or = false, is_and = false;
    const std::string words = CollapseSpace(gap);  // Split's views point into it
    for (std::string_view w : Split(words, ' ')) {
      std::string word(Trim(w));
      while (!word.empty() && !IsAlnum(word.back())) word.pop_back();
      while (!word.empty() && !IsAlnum(word.front())) word.erase(0, 1);
      if (word.empty() || word == "an" || word == "a" || word == "the" || word == "is" || word == "of") continue;
      if (word == "or") is_or = true;
      else if (word == "and" || word == "with") is_and = true;
      else if (!groups_.empty()) return false;
    }
    if (is_or && is_and) return false;
    if (groups_.empty() || is_or) groups_.emplace_back();
    else if (!is_and) return false;
    groups_.back().push_back(std::move(c));
    return true;
  }
  bool empty() const { return groups_.empty(); }
  Condition Build() {
    std::vector<Condition> ors;
    for (auto& g : groups_) {
      if (g.size() == 1) {
        ors.push_back(std::move(g[0]));
        continue;
      }
      Condition all;
      all.kind = Condition::Kind::kAll;
      all.parts = std::move(g);
      ors.push_back(std::move(all));
    }
    if (ors.size() == 1) return std::move(ors[0]);
    Condition any;
    any.kind = Condition::Kind::kAny;
    any.parts = std::move(ors);
    return any;
  }

 private:
  std::vector<std::vector<Condition>> groups_;
};

// "≥100×10⁹/L" (a comparator, a number, a unit) at `i`, with "from baseline" after it making a change from baseline.
// nullopt when `i` holds no comparator and number; `problem` says why a comparator and number are not a threshold.
std::optional<std::pair<Condition, size_t>> ThresholdAt(const Sentence& s, size_t i, const ProtocolLexicon& lex,
                                                        const std::string& analyte, bool rise, std::string* problem) {
  auto cmp = lex.At(LexKind::kCmp, s.lower, i);
  if (!cmp) return std::nullopt;
  auto num = NumberAt(s.lower, SkipSpaces(s.lower, cmp->end));
  if (!num) return std::nullopt;
  if (analyte.empty()) *problem = "a threshold without the lab it is about";
  auto unit = analyte.empty() ? std::nullopt : LabUnitAt(s, num->end);
  if (!analyte.empty() && !unit) *problem = "a threshold without a unit";
  if (!problem->empty()) return std::nullopt;
  Condition c;
  c.analyte = analyte;
  c.cmp = ToComparator(cmp->entry->canonical);
  c.value = num->value;
  c.unit = unit->first;
  size_t after = unit->second;
  size_t k = SkipSpaces(s.lower, after);
  if (HasAt(s.lower, k, "from baseline")) {
    c.kind = Condition::Kind::kRise;
    after = k + 13;
  } else if (rise) {
    *problem = "a rise without its reference";
    return std::nullopt;
  }
  return std::make_pair(std::move(c), after);
}

}  // namespace

ConditionRead ReadCondition(const Sentence& s, size_t begin, size_t end, const ProtocolLexicon& lex,
                            const ConceptTable& concepts) {
  std::vector<ConceptMention> mentions = concepts.FindMentions(s.text, {ConceptKind::kAnalyte});
  ConditionParts parts;
  std::string analyte, gap;
  bool rise = false;
  const std::string between = "words between the parts of the condition";
  size_t i = begin;
  while (i < end) {
    auto m = std::find_if(mentions.begin(), mentions.end(), [&](const ConceptMention& c) { return c.begin == i && c.end <= end; });
    if (m != mentions.end()) {
      analyte = m->concept_ref->id;
      i = m->end;
      continue;
    }
    if (auto r = lex.At(LexKind::kRise, s.lower, i)) {
      rise = true;
      i = r->end;
      continue;
    }
    if (auto ev = lex.At(LexKind::kEvent, s.lower, i); ev && ev->end <= end) {
      Condition c;
      c.kind = Condition::Kind::kEvent;
      c.event = ev->entry->canonical;
      if (!parts.Join(std::move(c), gap)) return {std::nullopt, i, between};
      gap.clear();
      i = ev->end;
      continue;
    }
    std::string problem;
    if (auto t = ThresholdAt(s, i, lex, analyte, rise, &problem)) {
      rise = false;
      if (!parts.Join(std::move(t->first), gap)) return {std::nullopt, i, between};
      gap.clear();
      i = t->second;
      continue;
    }
    if (!problem.empty()) return {std::nullopt, i, problem};
    gap += s.text[i];
    ++i;
  }
  if (parts.empty()) return {std::nullopt, end, "no lab value, change or event"};
  std::string rest(Trim(gap));
  while (!rest.empty() && !IsAlnum(rest.back())) rest.pop_back();
  if (!rest.empty()) return {std::nullopt, end, "words after the condition: '" + rest + "'"};
  return {parts.Build(), end, ""};
}

void ReadTimes(const Sentence& s, size_t begin, size_t end, const ProtocolLexicon& lex, TimeRead* out) {
  const std::string& l = s.lower;
  auto before = [&](size_t pos, std::string_view w) {
    size_t k = pos;
    while (k > begin && l[k - 1] == ' ') --k;
    return k >= begin + w.size() && l.compare(k - w.size(), w.size(), w) == 0 &&
           (k - w.size() == 0 || !IsAlnum(l[k - w.size() - 1]));
  };
  // "days 1-7 of each 28-day cycle"
  for (size_t i = begin; i < end; ++i) {
    if (!HasAt(l, i, "days ") || (i > 0 && IsAlnum(l[i - 1]))) continue;
    auto a = NumberAt(l, SkipSpaces(l, i + 5));
    if (!a) continue;
    size_t sep = RangeSeparator(l, a->end);
    if (sep == std::string_view::npos) continue;
    auto b = NumberAt(l, SkipSpaces(l, sep));
    if (!b) continue;
    size_t k = SkipSpaces(l, b->end);
    if (!HasAt(l, k, "of each ") && !HasAt(l, k, "of every ")) continue;
    k = SkipSpaces(l, k + (HasAt(l, k, "of each ") ? 8 : 9));
    auto n = NumberAt(l, k);
    if (!n || a->value > kMaxCount || b->value > kMaxCount || n->value > kMaxCount) continue;
    size_t m = n->end;
    if (HasAt(l, m, "-day")) m += 4;
    else if (HasAt(l, m, " day")) m += 4;
    else continue;
    auto cyc = lex.At(LexKind::kCycle, l, SkipSpaces(l, m));
    if (!cyc) continue;
    out->cycle_first = static_cast<int>(a->value);
    out->cycle_last = static_cast<int>(b->value);
    out->cycle_length = static_cast<int>(n->value);
    i = cyc->end;
  }
  for (size_t i = begin; i < end; ++i) {
    auto num = NumberAt(l, i);
    if (!num || num->end > end) continue;
    if (num->value > kMaxCount) {  // no schedule counts that high: not read
      i = num->end;
      continue;
    }
    auto [wb, we] = WordAt(l, num->end);
    std::string_view word = std::string_view(l).substr(wb, we - wb);
    bool every = false;
    for (const LexMatch& m : lex.FindAll(LexKind::kEvery, std::string_view(l).substr(begin, num->begin - begin)))
      every = every || begin + m.end + 1 >= num->begin;
    bool max_cue = false;
    for (const LexMatch& m : lex.FindAll(LexKind::kMaxDoses, std::string_view(l).substr(begin, num->begin - begin)))
      max_cue = max_cue || begin + m.end + 1 >= num->begin;
    if ((word == "doses" || word == "dose" || word == "injections" || word == "administrations") && max_cue) {
      out->max_doses = static_cast<int>(num->value);
    } else if (lex.At(LexKind::kCycle, l, wb) && !before(num->begin, "after")) {
      out->cycles = static_cast<int>(num->value);
    } else if (auto unit = ParseDurationUnit(word); unit && num->value > 0 && num->value < 10000) {
      Duration d{num->value, *unit};
      if (every) {
        out->every_days = static_cast<int>(d.Days() + 0.5);
      } else if (before(num->begin, "at least")) {
        out->min_duration = d;
      } else if (before(num->begin, "for") || before(num->begin, "up to")) {
        out->duration = d;
        ++out->durations_seen;
      }
    }
    i = num->end;
  }
}

}  // namespace ts::protocol_scan
