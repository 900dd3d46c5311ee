// Recognisers for lab thresholds, performance scores, age and life expectancy inside a clause.
#include "eligibility/atoms.h"

#include <algorithm>
#include <cmath>
#include <cctype>

#include "common/ascii.h"
#include "common/strings.h"
#include "eligibility/units.h"

namespace ts::atoms {

size_t SkipFiller(std::string_view lower, size_t i, std::initializer_list<std::string_view> words, size_t limit) {
  size_t start = i;
  while (i < lower.size() && i - start < limit) {
    char c = lower[i];
    if (c == ' ' || c == '(' || c == ')' || c == ':' || c == ',') { ++i; continue; }
    bool skipped = false;
    // "at least" / "at most" is a comparator, not the filler "at".
    if (lower.substr(i, 8) == "at least" || lower.substr(i, 7) == "at most") break;
    for (std::string_view w : words) {
      if (lower.substr(i, w.size()) == w && (i + w.size() >= lower.size() || !ascii::IsAlnum(static_cast<unsigned char>(lower[i + w.size()])))) {
        i += w.size();
        skipped = true;
        break;
      }
    }
    if (!skipped) break;
  }
  return i;
}

size_t TailLength(std::string_view s, std::initializer_list<std::string_view> tails) {
  for (std::string_view t : tails) {
    if (StartsWith(s, t)) return t.size();
  }
  return 0;
}

namespace {


struct Group {
  std::vector<std::string> analytes;
  bool any_or = false;   // "ALT or AST < 2.5 x ULN": either, or both? (only an inclusion cares)
  bool any_and = false;  // "AST and ALT > 2 x ULN": both, or either? (only an exclusion cares)
  size_t begin = 0;
  size_t end = 0;
};

struct Panel {
  std::string_view phrase;
  std::vector<std::string> analytes;
  // The phrase names the analytes themselves ("transaminases"), so it counts beside explicit ones;
  // otherwise it heads them ("liver function (ALT, AST)") and stands in only when none is named.
  bool names_analytes = false;
};

const std::vector<Panel>& Panels() {
  static const std::vector<Panel> kPanels = {
      {"liver and kidney function", {"alt", "ast", "bilirubin", "creatinine"}},
      {"liver and renal function", {"alt", "ast", "bilirubin", "creatinine"}},
      {"hepatic and renal function", {"alt", "ast", "bilirubin", "creatinine"}},
      {"liver function", {"alt", "ast", "bilirubin"}},
      {"hepatic function", {"alt", "ast", "bilirubin"}},
      {"kidney function", {"creatinine"}},
      {"renal function", {"creatinine"}},
      {"transaminases", {"alt", "ast"}, true},
      {"aminotransferases", {"alt", "ast"}, true},
  };
  return kPanels;
}

// Analyte mentions and panel phrases, grouped where only separators lie between them
// ("ALT/AST", "ALT, AST, Cr", "liver and kidney function (ALT, AST, Cr)").
std::vector<Group> FindGroups(std::string_view clause, std::string_view lower, const ConceptTable& concepts) {
  struct M {
    size_t begin, end;
    std::vector<std::string> analytes;
    bool panel;
  };
  std::vector<M> ms;
  for (const ConceptMention& m : concepts.FindMentions(clause, {ConceptKind::kAnalyte})) {
    ms.push_back({m.begin, m.end, {m.concept_ref->id}, false});
  }
  for (const Panel& p : Panels()) {
    size_t pos = FindWord(lower, p.phrase);
    if (pos == std::string_view::npos) continue;
    bool overlaps = false;
    for (const M& m : ms) overlaps |= m.begin < pos + p.phrase.size() && pos < m.end;
    if (!overlaps) ms.push_back({pos, pos + p.phrase.size(), p.analytes, !p.names_analytes});
  }
  std::sort(ms.begin(), ms.end(), [](const M& a, const M& b) { return a.begin < b.begin; });
  std::vector<Group> groups;
  bool group_has_explicit = false, group_has_panel = false;
  std::vector<std::string> panel_analytes;
  auto flush = [&](Group& g) {
    if (!group_has_explicit && group_has_panel) g.analytes = panel_analytes;
    groups.push_back(g);
  };
  Group cur;
  for (size_t k = 0; k < ms.size(); ++k) {
    const M& m = ms[k];
    bool joins = false;
    if (k > 0) {
      std::string_view gap = lower.substr(ms[k - 1].end, m.begin - ms[k - 1].end);
      size_t i = SkipFiller(gap, 0, {"or", "and/or", "and", "serum", "total", "level", "levels", "count", "counts", "/", "the"}, 40);
      joins = i >= gap.size();
      if (joins && HasWord(gap, "or") && !HasWord(gap, "and/or")) cur.any_or = true;
      if (joins && HasWord(gap, "and") && !HasWord(gap, "and/or")) cur.any_and = true;
    }
    if (!joins && k > 0) {
      flush(cur);
      cur = Group();
      group_has_explicit = group_has_panel = false;
      panel_analytes.clear();
    }
    if (cur.analytes.empty() && !group_has_panel) cur.begin = m.begin;
    if (m.panel) {
      group_has_panel = true;
      panel_analytes.insert(panel_analytes.end(), m.analytes.begin(), m.analytes.end());
    } else {
      group_has_explicit = true;
      for (const std::string& a : m.analytes) {
        if (std::find(cur.analytes.begin(), cur.analytes.end(), a) == cur.analytes.end()) cur.analytes.push_back(a);
      }
    }
    cur.end = m.end;
  }
  if (!ms.empty()) flush(cur);
  return groups;
}

// Reads a unit from up to three space-separated tokens at `i`; the longest that parses wins.
std::optional<Unit> ReadUnit(std::string_view clause, size_t i, size_t* end) {
  i = SkipSpaces(clause, i);
  std::optional<Unit> best;
  std::string acc;
  size_t p = i;
  for (int tok = 0; tok < 3 && p < clause.size(); ++tok) {
    size_t q = p;
    while (q < clause.size() && clause[q] != ' ' && clause[q] != ',' && clause[q] != ';' && clause[q] != '(' &&
           clause[q] != ')') {
      ++q;
    }
    std::string piece(clause.substr(p, q - p));
    acc += piece;
    std::string attempt = acc;
    size_t attempt_end = q;
    while (!attempt.empty() && (attempt.back() == '.' || attempt.back() == ':')) {
      attempt.pop_back();
      --attempt_end;
    }
    if (auto u = ParseUnit(attempt)) {
      best = u;
      *end = attempt_end;
    }
    if (q >= clause.size() || clause[q] != ' ') break;
    p = q + 1;
  }
  return best;
}

// "x ULN", "× ULN", "times the upper limit of normal", "times the normal value", "ULN".
std::optional<LimitBase> ReadLimitMultiple(std::string_view lower, size_t i, size_t* end) {
  i = SkipSpaces(lower, i);
  bool multiplier = false;
  for (std::string_view m : {"×", "x", "*", "times", "fold", "-fold", "-times"}) {
    if (lower.substr(i, m.size()) == m) {
      i = SkipSpaces(lower, i + m.size());
      multiplier = true;
      break;
    }
  }
  if (StartsWith(lower.substr(i), "the ")) i += 4;
  if (StartsWith(lower.substr(i), "institutional ")) i += 14;
  struct Form {
    std::string_view text;
    LimitBase base;
    bool needs_multiplier;
  };
  static constexpr Form kForms[] = {
      {"upper limit of the normal range", LimitBase::kUln, false}, {"upper limit of normal range", LimitBase::kUln, false},
      {"upper limit of the normal", LimitBase::kUln, false},       {"upper limit of normal", LimitBase::kUln, false},
      {"upper normal limit", LimitBase::kUln, false},              {"upper limit of the reference range", LimitBase::kUln, false},
      {"uln", LimitBase::kUln, false},                             {"normal upper limit", LimitBase::kUln, false},
      {"upper limit", LimitBase::kUln, true},                      {"normal value", LimitBase::kUln, true},
      {"normal", LimitBase::kUln, true},                           {"lower limit of normal", LimitBase::kLln, false},
      {"lower limit of the normal", LimitBase::kLln, false},       {"lln", LimitBase::kLln, false},
  };
  for (const Form& f : kForms) {
    if (lower.substr(i, f.text.size()) == f.text && (multiplier || !f.needs_multiplier)) {
      *end = i + f.text.size();
      return f.base;
    }
  }
  return std::nullopt;
}

// A unit for a bare number where the magnitude leaves no doubt ("PLT < 30", "ANC > 1500", "Hb < 9").
std::string InferUnit(const std::string& analyte, double v) {
  if (analyte == "platelets" || analyte == "leukocytes" || analyte == "neutrophils" || analyte == "lymphocytes") {
    if (v >= 1000) return "/uL";
    if (analyte == "platelets" && v >= 5 && v < 1000) return "10*9/L";
    if ((analyte == "neutrophils" || analyte == "lymphocytes") && v > 0 && v <= 20) return "10*9/L";
    if (analyte == "leukocytes" && v > 0 && v <= 100) return "10*9/L";
    return "";
  }
  if (analyte == "hemoglobin") {
    if (v > 2 && v <= 25) return "g/dL";
    if (v >= 40 && v <= 250) return "g/L";
    return "";
  }
  if ((analyte == "qtc" || analyte == "qt") && v >= 300 && v <= 700) return "ms";
  if (analyte == "inr") return "{ratio}";
  // Quantities with one unit in practice, within a plausible range.
  if (analyte == "bmi" && v >= 10 && v <= 80) return "kg/m2";
  if ((analyte == "lvef" || analyte == "hematocrit") && v > 0 && v < 100) return "%";
  if (analyte == "hba1c" && v >= 3 && v <= 20) return "%";
  if (analyte == "cd4" && v >= 1) return "/uL";
  return "";
}

bool UnitFits(const Concept& analyte, const Unit& unit) {
  std::optional<Unit> want = UnitForCode(analyte.unit);
  if (!want) return false;
  if (want->dimension == unit.dimension) return true;
  bool mass_mol = (want->dimension == Dimension::kMassPerVolume && unit.dimension == Dimension::kMolPerVolume) ||
                  (want->dimension == Dimension::kMolPerVolume && unit.dimension == Dimension::kMassPerVolume);
  return mass_mol && analyte.molar_mass > 0;
}

// A threshold read after an analyte: `cmp` with `lo` (and `hi` for a range), ending at `after`.
struct Threshold {
  Comparator cmp;
  double lo = 0;
  double hi = 0;
  size_t after = 0;
};

// Why a threshold on the group `g` is not typed, or nullopt: it states a change in the value, an
// average of several values, or an exception for some patients (in parentheses).
std::optional<std::string_view> UntypedGroupReason(std::string_view lower, const Group& g) {
  // "change in weight of more than 5 kg" states a change, not a level.
  std::string_view before = lower.substr(g.begin >= 24 ? g.begin - 24 : 0, std::min<size_t>(g.begin, 24));
  bool change = false;
  for (std::string_view w : {"change in", "change of", "loss of", "gain of", "increase in", "decrease in", "reduction in",
                             "drop in", "rise in", "weight loss", "weight gain"}) {
    change |= before.find(w) != std::string_view::npos;
  }
  if (change) return "a change in a value is not a threshold on it";
  // "a mean CD4 count <= 300 (mean of Day-27 and Day-13 results)": an average of several
  // observations, not the latest one.
  bool aggregate = lower.find("mean of") != std::string::npos || lower.find("average of") != std::string::npos;
  for (std::string_view w : {"mean ", "average ", "median "}) aggregate |= FindWord(before, w) != std::string_view::npos;
  if (aggregate) return "an average of several values is not a threshold on one";
  // "(patients with Gilbert's syndrome total bilirubin <= 2.5 x ULN)": an exception for some patients.
  size_t open = lower.rfind('(', g.begin);
  if (open != std::string::npos && lower.find(')', open) > g.begin) {
    std::string_view inside = Trim(lower.substr(open + 1));
    bool exception = false;
    for (std::string_view w : {"patients with", "patients who", "for patients", "in patients", "in case of", "if ", "unless",
                               "except", "or if", "for subjects", "in subjects", "subjects with"}) {
      exception |= StartsWith(inside, w);
    }
    if (exception) return "a threshold for some patients only is not typed";
  }
  return std::nullopt;
}

// "< 30", "≥ 1,500", "> 100.000/µl" at `c`: nullopt (with a problem for a decimal comma or a
// bare "=") when it is not a threshold to type.
std::optional<Threshold> ComparatorThreshold(std::string_view clause, const ComparatorAt& c, std::vector<std::string>* problems) {
  auto n = ParseNumberAt(clause, c.end);
  if (!n) return std::nullopt;
  // A comma then one or two digits ("18,5") is a decimal comma; three ("1,500") a thousands separator.
  size_t after_comma = 0;
  if (n->end < clause.size() && clause[n->end] == ',') {
    while (n->end + 1 + after_comma < clause.size() && ascii::IsDigit(static_cast<unsigned char>(clause[n->end + 1 + after_comma]))) {
      ++after_comma;
    }
  }
  if (after_comma == 1 || after_comma == 2) {
    problems->push_back("a decimal comma (\"18,5\") is not read as a number");
    return std::nullopt;
  }
  if (c.cmp == Comparator::kEq) {
    // "PSA = 20 ng/ml": in registry text "=" is usually a "≥" or "≤" whose first character was
    // lost, so the direction of the threshold is unknown. Leave it to a person.
    problems->push_back("\"=\" before a threshold may be a lost \u2265 or \u2264");
    return std::nullopt;
  }
  Threshold t{c.cmp, n->value, 0, n->end};
  // "100.000/µl": a dot before exactly three digits in a cell count is a thousands separator.
  std::string_view literal = Trim(clause.substr(c.end, n->end - c.end));
  size_t dot = literal.find('.');
  if (dot != std::string_view::npos && literal.size() - dot - 1 == 3 && t.lo < 1000) {
    size_t unit_end = t.after;
    auto u = ReadUnit(clause, t.after, &unit_end);
    if (u && u->dimension == Dimension::kCountPerVolume && (u->code == "/uL" || u->code == "/mm3")) t.lo *= 1000;
  }
  return t;
}

// The index past the unit read at `k` and the spaces after it; `k` itself when no unit is there.
size_t SkipUnit(std::string_view clause, std::string_view lower, size_t k) {
  size_t unit_end = 0;
  (void)ReadUnit(clause, k, &unit_end);
  return unit_end > k ? SkipSpaces(lower, unit_end) : k;
}

// "BMI 25-35 kg/m2", "weight 50 to 100 kg": a range without "between", from the number `from`.
std::optional<Threshold> DashRange(std::string_view clause, std::string_view lower, const NumberAt& from) {
  size_t k = SkipUnit(clause, lower, SkipSpaces(lower, from.end));
  size_t dash = k;
  if (StartsWith(lower.substr(k), "-") || StartsWith(lower.substr(k), "\xE2\x80\x93")) dash = k + (lower[k] == '-' ? 1 : 3);
  else if (StartsWith(lower.substr(k), "to ")) dash = k + 2;
  if (dash == k) return std::nullopt;
  auto to = ParseNumberAt(clause, SkipSpaces(lower, dash));
  if (!to || to->value < from.value) return std::nullopt;
  return Threshold{Comparator::kRange, from.value, to->value, to->end};
}

// "between 2 and 5 mg/dL" at `i` (which starts "between").
std::optional<Threshold> BetweenRange(std::string_view clause, std::string_view lower, size_t i) {
  auto a = ParseNumberAt(clause, i + 7);
  if (!a) return std::nullopt;
  size_t k = SkipUnit(clause, lower, SkipSpaces(lower, a->end));
  if (!StartsWith(lower.substr(k), "and")) return std::nullopt;
  auto b = ParseNumberAt(clause, k + 3);
  if (!b) return std::nullopt;
  return Threshold{Comparator::kRange, a->value, b->value, b->end};
}

// The threshold at `i` after a group of analytes (past the filler words): a comparator and a
// number, or a range; nullopt when there is none to type.
std::optional<Threshold> ReadThreshold(std::string_view clause, std::string_view lower, size_t i, std::vector<std::string>* problems) {
  if (auto c = ParseComparatorAt(lower, i)) return ComparatorThreshold(clause, *c, problems);
  if (auto from = ParseNumberAt(clause, i); from && from->end < lower.size()) return DashRange(clause, lower, *from);
  if (StartsWith(lower.substr(i), "between")) return BetweenRange(clause, lower, i);
  return std::nullopt;
}

// What the threshold is measured in: a multiple of a reference limit (`base`), or a unit
// (`unit_code`, "" when none is written); `end` is past it (or the threshold's end).
struct Limit {
  std::optional<LimitBase> base;
  std::string unit_code;
  size_t end = 0;
};

Limit ReadLimit(std::string_view clause, std::string_view lower, size_t after) {
  Limit limit;
  limit.end = after;
  limit.base = ReadLimitMultiple(lower, after, &limit.end);
  if (!limit.base) {
    size_t unit_end = after;
    if (auto u = ReadUnit(clause, after, &unit_end)) {
      limit.unit_code = u->code;
      limit.end = unit_end;
      // "< 1.5 mg/dL or 2 x ULN"-style alternatives are not read; the first threshold counts.
    }
  }
  return limit;
}

// One rule per analyte of `g`; empty, with a problem, when an analyte's unit is missing or does
// not measure it (or, with none, when an analyte is unknown).
std::vector<Rule> GroupRules(const Group& g, const Threshold& t, const Limit& limit, const ConceptTable& concepts,
                             std::vector<std::string>* problems) {
  std::vector<Rule> rules;
  for (const std::string& id : g.analytes) {
    const Concept* c = concepts.Find(id);
    if (c == nullptr) return {};
    if (limit.base) {
      Rule r = Rule::LabMultiple(id, t.cmp, t.lo, *limit.base);
      r.value_high = t.hi;
      rules.push_back(r);
      continue;
    }
    std::string code = limit.unit_code.empty() ? InferUnit(id, t.lo) : limit.unit_code;
    if (code.empty()) {
      problems->push_back("no unit for " + c->label + " threshold " + FormatNumber(t.lo));
      return {};
    }
    std::optional<Unit> u = UnitForCode(code);
    if (!u || !UnitFits(*c, *u)) {
      problems->push_back("unit " + code + " does not measure " + c->label);
      return {};
    }
    Rule r = Rule::Lab(id, t.cmp, t.lo, code);
    r.value_high = t.hi;
    rules.push_back(r);
  }
  return rules;
}

// The atom for one group of analytes sharing a threshold, or nullopt (with the reason in
// `problems` when there is one to give).
std::optional<Atom> GroupAtom(std::string_view clause, std::string_view lower, const Group& g, const ConceptTable& concepts,
                              bool list_and, std::vector<std::string>* problems) {
  if (auto reason = UntypedGroupReason(lower, g)) {
    problems->emplace_back(*reason);
    return std::nullopt;
  }
  size_t i = SkipFiller(lower, g.end,
                        {"count", "counts", "level", "levels", "value", "values", "of", "is", "was", "were", "must",
                         "should", "shall", "be", "has", "have", "the", "serum", "plasma", "blood", "concentration",
                         "result", "results", "both", "each", "all", "are", "absolute", "baseline", "at screening"},
                        60);
  std::optional<Threshold> t = ReadThreshold(clause, lower, i, problems);
  if (!t) return std::nullopt;
  Limit limit = ReadLimit(clause, lower, t->after);
  // "BMI > 19 and < 35": a second bound on the same analytes.
  std::optional<Threshold> t2;
  Limit limit2;
  if (t->cmp != Comparator::kRange) {
    size_t k = SkipSpaces(lower, limit.end);
    if (StartsWith(lower.substr(k), "and ")) k = SkipSpaces(lower, k + 4);
    else if (StartsWith(lower.substr(k), ",")) k = SkipSpaces(lower, k + 1);
    else k = std::string_view::npos;
    std::optional<ComparatorAt> c2 = k == std::string_view::npos ? std::nullopt : ParseComparatorAt(lower, k);
    if (c2) {
      t2 = ComparatorThreshold(clause, *c2, problems);
      if (!t2) return std::nullopt;
      limit2 = ReadLimit(clause, lower, t2->after);
      auto upward = [](Comparator c) { return c == Comparator::kGt || c == Comparator::kGe; };
      size_t next = SkipSpaces(lower, limit2.end);
      bool word_after = limit2.end == t2->after && next < lower.size() && ascii::IsAlpha(static_cast<unsigned char>(lower[next]));
      if (upward(t->cmp) == upward(t2->cmp) || t2->cmp == Comparator::kEq || limit.base.has_value() != limit2.base.has_value() ||
          word_after) {
        problems->push_back("a second bound that is not read");
        return std::nullopt;
      }
      // One unit written for both bounds ("> 8 and < 12 g/dL").
      if (limit.unit_code.empty()) limit.unit_code = limit2.unit_code;
      if (limit2.unit_code.empty()) limit2.unit_code = limit.unit_code;
    }
  }
  std::vector<Rule> rules = GroupRules(g, *t, limit, concepts, problems);
  if (rules.empty()) return std::nullopt;
  if (t2) {
    std::vector<Rule> upper = GroupRules(g, *t2, limit2, concepts, problems);
    if (upper.size() != rules.size()) return std::nullopt;
    for (size_t a = 0; a < rules.size(); ++a) {
      // "≥ 18.5 and ≤ 30" is the range 18.5..30; a strict bound stays its own leaf.
      if (rules[a].cmp == Comparator::kGe && upper[a].cmp == Comparator::kLe && rules[a].unit == upper[a].unit &&
          rules[a].base == upper[a].base && upper[a].value >= rules[a].value) {
        rules[a].cmp = Comparator::kRange;
        rules[a].value_high = upper[a].value;
      } else {
        rules[a] = Rule::All({rules[a], upper[a]});
      }
    }
    limit.end = limit2.end;
  }
  if (rules.size() > 1 && ((list_and && g.any_or) || (!list_and && g.any_and))) {
    // Read literally, "or" lets either pass; clinicians often mean both. Neither reading is safe.
    problems->push_back(list_and ? "'or' between analytes sharing one threshold"
                                 : "'and' between analytes sharing one threshold");
    return std::nullopt;
  }
  return Atom{list_and ? Rule::All(std::move(rules)) : Rule::Any(std::move(rules)), g.begin, limit.end};
}

}  // namespace

std::vector<Atom> ExtractLabs(std::string_view clause, const ConceptTable& concepts, bool list_and,
                              std::vector<std::string>* problems) {
  std::string lower = Lower(clause);
  std::vector<Atom> out;
  std::vector<Group> groups = FindGroups(clause, lower, concepts);
  if (groups.empty()) return out;
  // "Hb < 130 g/L in men, < 120 g/L in women": a threshold that depends on sex is not typed as if it
  // applied to everyone.
  for (std::string_view w : {"male", "males", "female", "females", "men", "women", "man", "woman"}) {
    if (FindWord(lower, w) != std::string_view::npos) {
      problems->push_back("lab thresholds that depend on sex are not typed");
      return out;
    }
  }
  for (const Group& g : groups) {
    if (auto atom = GroupAtom(clause, lower, g, concepts, list_and, problems)) out.push_back(std::move(*atom));
  }
  return out;
}

namespace {

// A score's value at `i`: a number or a Roman numeral. `percent` accepts "70%" (Karnofsky, Lansky).

std::optional<NumberAt> ParseScoreValue(std::string_view lower, size_t i, bool percent) {
  i = SkipSpaces(lower, i);
  static constexpr std::string_view kRoman[] = {"iv", "iii", "ii", "i"};
  static constexpr double kRomanValue[] = {4, 3, 2, 1};
  for (size_t k = 0; k < std::size(kRoman); ++k) {
    size_t e = i + kRoman[k].size();
    if (lower.substr(i, kRoman[k].size()) == kRoman[k] && (e >= lower.size() || !ascii::IsAlnum(static_cast<unsigned char>(lower[e])))) {
      return NumberAt{kRomanValue[k], e};
    }
  }
  if (i < lower.size() && ascii::IsDigit(static_cast<unsigned char>(lower[i]))) {
    auto n = ParseNumberAt(lower, i);
    if (n && n->end < lower.size() && lower[n->end] == '%') {
      if (!percent) return std::nullopt;
      ++n->end;
    }
    return n;
  }
  return std::nullopt;
}

}  // namespace

std::vector<Atom> ExtractScores(std::string_view clause, const ConceptTable& concepts) {
  std::string lower = Lower(clause);
  std::vector<Atom> out;
  for (const ConceptMention& m : concepts.FindMentions(clause, {ConceptKind::kScore})) {
    // "Eastern Cooperative Oncology Group (ECOG) ... 0-2": the abbreviation belongs to the first mention.
    if (!out.empty() && m.begin < out.back().end) continue;
    size_t i = SkipFiller(lower, m.end,
                          {"performance status", "performance score", "performance", "status", "score", "scale", "ps",
                           "class", "grade", "functional", "classification", "of", "was", "is", "must", "be",
                           "heart failure", "(ecog)", "ecog", "group", "index", "-"},
                          60);
    Rule r;
    size_t end = i;
    const bool percent = m.concept_ref->id == "karnofsky";
    auto score_value = [percent](std::string_view l, size_t at) { return ParseScoreValue(l, at, percent); };
    // "ECOG = 0, 1 or 2" is the list; "ECOG = 2" a lost "≤" or "≥", so a bare value as below.
    if (auto eq = ParseComparatorAt(lower, i); eq && eq->cmp == Comparator::kEq) i = SkipSpaces(lower, eq->end);
    if (auto c = ParseComparatorAt(lower, i)) {
      auto v = score_value(lower, c->end);
      if (!v) continue;
      r = Rule::Score(m.concept_ref->id, c->cmp, v->value);
      end = v->end;
    } else if (auto v = score_value(lower, i)) {
      size_t k = SkipSpaces(lower, v->end);
      auto try_range = [&](std::string_view sep) -> std::optional<NumberAt> {
        if (lower.substr(k, sep.size()) != sep) return std::nullopt;
        return score_value(lower, k + sep.size());
      };
      std::optional<NumberAt> hi;
      for (std::string_view sep : {"-", "–", "to", "/", ", or", "or", "and", ","}) {
        if ((hi = try_range(sep))) break;
      }
      if (hi) {
        // "0, 1 or 2": keep reading the list.
        size_t e = hi->end;
        double top = hi->value;
        while (true) {
          size_t q = SkipSpaces(lower, e);
          std::optional<NumberAt> more;
          for (std::string_view sep : {", or", ", and", ",", "or", "and", "/"}) {
            if (lower.substr(q, sep.size()) == sep && (more = score_value(lower, q + sep.size()))) break;
          }
          if (!more || more->value != top + 1) break;
          top = more->value;
          e = more->end;
        }
        if (top <= v->value) continue;
        r = Rule::Score(m.concept_ref->id, Comparator::kRange, v->value, top);
        end = e;
      } else {
        std::string_view after = std::string_view(lower).substr(k);
        if (size_t n = TailLength(after, {"or higher", "or greater", "or more", "or above", "and above", "or worse"})) {
          r = Rule::Score(m.concept_ref->id, Comparator::kGe, v->value);
          end = k + n;
        } else if (size_t n2 = TailLength(after, {"or lower", "or less", "or below", "or better"})) {
          r = Rule::Score(m.concept_ref->id, Comparator::kLe, v->value);
          end = k + n2;
        } else {
          // A bare value ("Karnofsky 70") may mean exactly it or at least it: not typed.
          continue;
        }
      }
    } else {
      continue;
    }
    // Plausible ranges: ECOG 0-5, NYHA 1-4, Karnofsky 0-100 in steps of 10.
    double top = r.cmp == Comparator::kRange ? r.value_high : r.value;
    const std::string& id = m.concept_ref->id;
    if ((id == "ecog" && top > 5) || (id == "nyha" && (top > 4 || r.value < 1)) || (id == "karnofsky" && top > 100)) continue;
    // Karnofsky moves in steps of 10: "Karnofsky 0-2" is another scale's value under its name.
    if (id == "karnofsky" && (std::fmod(r.value, 10) != 0 || std::fmod(top, 10) != 0)) continue;
    out.push_back({r, m.begin, end});
  }
  return out;
}

}  // namespace ts::atoms
