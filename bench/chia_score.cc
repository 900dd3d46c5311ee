// Scores the lab thresholds our criteria parser extracts against the Chia corpus annotations
// (Kury et al. 2020, brat standoff in ../shared/data/chia/without_scope): a Measurement entity with a
// Has_value relation to a Value entity is one gold threshold. Both sides are reduced to
// (analyte, comparator, value, unit or × ULN/LLN) and compared criterion by criterion (one line of
// the _inc.txt / _exc.txt file is one criterion).
//   chia_score [DIR] [--verbose]      (prints the strict score, then the score with nearest-value pairing)
// Precision: typed lab thresholds that match a gold threshold / all typed lab thresholds.
// Recall: matched gold thresholds / gold thresholds whose measurement names one of our analytes and
// whose value states a comparator and a number (the ones a typed rule could express).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/strings.h"
#include "eligibility/concepts.h"
#include "eligibility/rule_parser.h"
#include "eligibility/units.h"

namespace ts {
namespace {

struct Threshold {
  std::string analyte;
  Comparator cmp = Comparator::kEq;
  double value = 0;
  double high = 0;
  std::string unit;  // "" with a ULN / LLN base or when the text gave none
  LimitBase base = LimitBase::kAbsolute;
  std::string text;  // for the report
};

std::string Read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A Value text as annotated: "<1.5 X ULN", "greater than or equal to 1,500/mm3", "between 18 and 55".
std::optional<Threshold> ParseGoldValue(std::string text) {
  std::string t = ToLowerAscii(text);
  t = std::regex_replace(t, std::regex("(\\d),(\\d{3})"), "$1$2");
  t = std::regex_replace(t, std::regex("(\\d)\\.(\\d{3})(\\s*/)"), "$1$2$3");  // "100.000/µl"
  struct Word {
    const char* w;
    Comparator c;
  };
  static const Word kWords[] = {
      {"\xE2\x89\xA4", Comparator::kLe}, {"<=", Comparator::kLe}, {"=<", Comparator::kLe},
      {"less than or equal", Comparator::kLe}, {"no more than", Comparator::kLe}, {"not more than", Comparator::kLe},
      {"at most", Comparator::kLe}, {"or less", Comparator::kLe}, {"up to", Comparator::kLe},
      {"\xE2\x89\xA5", Comparator::kGe}, {">=", Comparator::kGe}, {"=>", Comparator::kGe},
      {"greater than or equal", Comparator::kGe}, {"at least", Comparator::kGe}, {"or more", Comparator::kGe},
      {"or greater", Comparator::kGe}, {"or higher", Comparator::kGe}, {"no less than", Comparator::kGe},
      {"not less than", Comparator::kGe}, {"minimum", Comparator::kGe},
      {"<", Comparator::kLt}, {"less than", Comparator::kLt}, {"below", Comparator::kLt}, {"lower than", Comparator::kLt},
      {"under", Comparator::kLt}, {">", Comparator::kGt}, {"greater than", Comparator::kGt}, {"more than", Comparator::kGt},
      {"above", Comparator::kGt}, {"higher than", Comparator::kGt}, {"exceeding", Comparator::kGt}, {"over", Comparator::kGt},
  };
  Threshold th;
  th.text = text;
  bool found = false;
  for (const Word& w : kWords) {
    if (t.find(w.w) != std::string::npos) {
      th.cmp = w.c;
      found = true;
      break;
    }
  }
  std::smatch m;
  static const std::regex kRange("(\\d+(?:\\.\\d+)?)\\s*%?\\s*(?:-|\xE2\x80\x93|to|and)\\s*(\\d+(?:\\.\\d+)?)");
  static const std::regex kNum("(\\d+(?:\\.\\d+)?|\\.\\d+)");
  std::string rest;
  if ((!found || t.find("between") != std::string::npos) && std::regex_search(t, m, kRange)) {
    th.cmp = Comparator::kRange;
    th.value = std::stod(m[1]);
    th.high = std::stod(m[2]);
    rest = m.suffix();
  } else if (found && std::regex_search(t, m, kNum)) {
    th.value = std::stod(m[1].str()[0] == '.' ? "0" + m[1].str() : m[1].str());
    rest = m.suffix();
  } else {
    return std::nullopt;  // no comparator: "negative", "normal", "adequate" ...
  }
  if (rest.find("uln") != std::string::npos || rest.find("upper limit") != std::string::npos ||
      rest.find("upper normal") != std::string::npos) {
    th.base = LimitBase::kUln;
  } else if (rest.find("lln") != std::string::npos || rest.find("lower limit") != std::string::npos) {
    th.base = LimitBase::kLln;
  } else {
    std::string r(Trim(rest));
    // The longest leading run that is a unit.
    for (size_t n = r.size(); n > 0; --n) {
      if (auto u = ParseUnit(Trim(r.substr(0, n)))) {
        th.unit = u->code;
        break;
      }
    }
  }
  return th;
}

bool SameValue(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max(1.0, std::fabs(b)); }

// Whether a typed threshold says what the gold one says (values compared in the typed rule's unit).
bool Matches(const Threshold& p, const Threshold& g, const ConceptTable& concepts) {
  if (p.analyte != g.analyte || p.cmp != g.cmp || p.base != g.base) return false;
  if (p.base != LimitBase::kAbsolute || g.unit.empty() || g.unit == p.unit) {
    return SameValue(p.value, g.value) && (p.cmp != Comparator::kRange || SameValue(p.high, g.high));
  }
  const Concept* c = concepts.Find(p.analyte);
  double mm = c ? c->molar_mass : 0;
  auto lo = ConvertUnit(g.value, g.unit, p.unit, mm);
  if (!lo.ok() || !SameValue(p.value, *lo)) return false;
  if (p.cmp != Comparator::kRange) return true;
  auto hi = ConvertUnit(g.high, g.unit, p.unit, mm);
  return hi.ok() && SameValue(p.high, *hi);
}

void Leaves(const Rule& r, std::vector<Threshold>& out) {
  if (r.kind == RuleKind::kLab) {
    out.push_back({r.concept_id, r.cmp, r.value, r.value_high, r.unit, r.base, ""});
    return;
  }
  for (const Rule& c : r.children) Leaves(c, out);
}

std::string Show(const Threshold& t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", t.value);
  std::string s = t.analyte + " " + std::string(ComparatorSymbol(t.cmp)) + " " + buf;
  if (t.cmp == Comparator::kRange) s += ".." + FormatNumber(t.high);
  if (t.base == LimitBase::kUln) s += " x ULN";
  if (t.base == LimitBase::kLln) s += " x LLN";
  if (!t.unit.empty()) s += " " + t.unit;
  return s;
}

// `nearest`: a Measurement that Chia left without a Has_value link is paired with the first Value
// entity after it on the same line (within 40 characters): Chia often links only one of "AST or ALT".
int Run(const std::string& dir, bool verbose, bool nearest) {
  auto concepts = ConceptTable::Builtin();
  if (!concepts.ok()) {
    std::cerr << concepts.status().ToString() << "\n";
    return 1;
  }
  CriteriaParser parser(*concepts);
  size_t files = 0, lines_total = 0, gold_pairs = 0, gold_known = 0, gold_usable = 0, predicted = 0, true_pos = 0, gold_hit = 0;
  std::map<std::string, int> fp_examples;
  std::vector<std::filesystem::path> anns;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".ann") anns.push_back(e.path());
  std::sort(anns.begin(), anns.end());
  for (const auto& ann : anns) {
    std::filesystem::path txt = ann;
    txt.replace_extension(".txt");
    std::string text = Read(txt);
    if (text.empty()) continue;
    ++files;
    CriterionKind kind = ann.stem().string().find("_exc") != std::string::npos ? CriterionKind::kExclusion : CriterionKind::kInclusion;
    // Line starts, to place entities.
    std::vector<size_t> starts{0};
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts.push_back(i + 1);
    // brat offsets count characters (code points), not bytes.
    std::vector<size_t> byte_of;  // code point index -> byte offset
    for (size_t i = 0; i < text.size(); ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) byte_of.push_back(i);
    byte_of.push_back(text.size());
    auto line_of = [&](size_t chars) {
      size_t off = byte_of[std::min(chars, byte_of.size() - 1)];
      return static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), off) - starts.begin() - 1);
    };
    // Entities and Has_value relations.
    struct Ent {
      std::string type, text;
      size_t begin = 0;
    };
    std::map<std::string, Ent> ents;
    std::vector<std::pair<std::string, std::string>> has_value;
    std::istringstream in(Read(ann));
    for (std::string l; std::getline(in, l);) {
      auto f = Split(l, '\t');
      if (f.size() < 2) continue;
      std::string id(f[0]);
      auto head = Split(f[1], ' ');
      if (id[0] == 'T' && f.size() >= 3 && head.size() >= 3) {
        int64_t b = 0;
        if (!ParseInt64(head[1], &b) || b < 0) continue;  // discontinuous spans ("12 15;20 25") start the same way
        ents[id] = {std::string(head[0]), std::string(f[2]), static_cast<size_t>(b)};
      } else if (id[0] == 'R' && head.size() >= 3 && head[0] == "Has_value") {
        has_value.emplace_back(std::string(head[1].substr(5)), std::string(head[2].substr(5)));
      }
    }
    if (nearest) {
      std::set<std::string> linked;
      for (const auto& hv : has_value) linked.insert(hv.first);
      for (const auto& [id, e] : ents) {
        if (e.type != "Measurement" || linked.count(id)) continue;
        const std::string* best = nullptr;
        size_t best_begin = 0;
        for (const auto& [vid, v] : ents) {
          size_t m_end = e.begin + e.text.size();
          if (v.type != "Value" || v.begin < m_end || v.begin > m_end + 40 || line_of(v.begin) != line_of(e.begin)) continue;
          if (!best || v.begin < best_begin) {
            best = &vid;
            best_begin = v.begin;
          }
        }
        if (best) has_value.emplace_back(id, *best);
      }
    }
    std::map<size_t, std::vector<Threshold>> gold;  // by line
    for (const auto& [a, v] : has_value) {
      auto ia = ents.find(a), iv = ents.find(v);
      if (ia == ents.end() || iv == ents.end() || ia->second.type != "Measurement" || iv->second.type != "Value") continue;
      ++gold_pairs;
      // Every analyte the measurement names ("ALT/AST", "transaminases") gets the threshold.
      std::vector<std::string> analytes;
      for (const ConceptMention& m : concepts->FindMentions(ia->second.text, {ConceptKind::kAnalyte})) analytes.push_back(m.concept_ref->id);
      std::string lower = ToLowerAscii(ia->second.text);
      if (lower.find("transaminase") != std::string::npos || lower.find("aminotransferases") != std::string::npos ||
          lower.find("liver enzymes") != std::string::npos) {
        analytes = {"alt", "ast"};
      }
      if (analytes.empty()) continue;
      ++gold_known;
      // "between >17 and =28", ">18 and <35 kg/m2": one Value entity with two thresholds.
      std::vector<Threshold> values;
      std::string vt = iv->second.text;
      size_t and_at = vt.find(" and ");
      auto first = and_at == std::string::npos ? std::nullopt : ParseGoldValue(vt.substr(0, and_at));
      auto second = and_at == std::string::npos ? std::nullopt : ParseGoldValue(vt.substr(and_at + 5));
      if (first && second && first->cmp != Comparator::kRange && second->cmp != Comparator::kRange) {
        if (first->unit.empty()) first->unit = second->unit;
        values = {*first, *second};
      } else if (auto g = ParseGoldValue(vt)) {
        values = {*g};
      }
      for (Threshold& g : values) {
        g.text = ia->second.text + " | " + iv->second.text;
        for (const std::string& id : analytes) {
          g.analyte = id;
          gold[line_of(ia->second.begin)].push_back(g);
          ++gold_usable;
        }
      }
    }
    for (size_t li = 0; li < starts.size(); ++li) {
      size_t end = li + 1 < starts.size() ? starts[li + 1] : text.size();
      std::string line(Trim(std::string_view(text).substr(starts[li], end - starts[li])));
      if (line.empty()) continue;
      ++lines_total;
      std::vector<Threshold> typed;
      Leaves(parser.ParseCriterion(line, kind), typed);
      std::vector<Threshold>& g = gold[li];
      std::vector<bool> used(g.size());
      for (const Threshold& p : typed) {
        ++predicted;
        bool hit = false;
        for (size_t k = 0; k < g.size() && !hit; ++k) {
          if (Matches(p, g[k], *concepts)) {
            hit = true;
            if (!used[k]) ++gold_hit;
            used[k] = true;
          }
        }
        if (hit) ++true_pos;
        else if (verbose) std::cout << "FP  " << ann.stem().string() << ":" << li + 1 << "  " << Show(p) << "   | " << line.substr(0, 160) << "\n";
      }
      if (verbose)
        for (size_t k = 0; k < g.size(); ++k)
          if (!used[k]) std::cout << "FN  " << ann.stem().string() << ":" << li + 1 << "  " << Show(g[k]) << "  [" << g[k].text << "]\n";
    }
  }
  std::printf("== %s\n", nearest ? "Has_value links plus nearest-value pairing for unlinked measurements"
                                   : "strict: Chia's Has_value links only");
  double precision = predicted ? static_cast<double>(true_pos) / static_cast<double>(predicted) : 0;
  double recall = gold_usable ? static_cast<double>(gold_hit) / static_cast<double>(gold_usable) : 0;
  std::printf("chia: %zu files, %zu criteria lines\n", files, lines_total);
  std::printf("gold Measurement-Has_value-Value pairs: %zu; naming one of our analytes: %zu; with a comparator and a number: %zu\n",
              gold_pairs, gold_known, gold_usable);
  std::printf("typed lab thresholds: %zu; matching a gold threshold: %zu\n", predicted, true_pos);
  std::printf("precision %.3f  recall %.3f (of the %zu expressible gold thresholds; %.3f of all %zu pairs)\n", precision, recall,
              gold_usable, gold_pairs ? static_cast<double>(gold_hit) / static_cast<double>(gold_pairs) : 0, gold_pairs);
  return 0;
}

}  // namespace
}  // namespace ts

int main(int argc, char** argv) {
  std::string dir = std::string(TS_SHARED_DIR) + "/data/chia/without_scope";
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--verbose") verbose = true;
    else dir = a;
  }
  if (!std::filesystem::exists(dir)) {
    std::cout << dir << " is absent: skipping the Chia scoring\n";
    return 0;
  }
  int rc = ts::Run(dir, verbose, false);
  if (rc == 0) rc = ts::Run(dir, verbose, true);
  return rc;
}
