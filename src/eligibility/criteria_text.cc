#include "eligibility/criteria_text.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "common/ascii.h"
#include "common/strings.h"

namespace ts {

std::string_view CriterionKindName(CriterionKind kind) {
  return kind == CriterionKind::kInclusion ? "inclusion" : "exclusion";
}

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return ascii::IsAlpha(static_cast<unsigned char>(c)) != 0; }

// A heading line: "Inclusion Criteria:", "Key Exclusion Criteria", "INCLUSION CRITERIA:", "Exclusion:".
// Sets `kind` and `rest` (text after the colon on the same line).
bool ParseHeading(std::string_view line, CriterionKind* kind, std::string_view* rest) {
  std::string lower = ToLowerAscii(Trim(line));
  std::string_view l = lower;
  for (std::string_view strip : {"key ", "main ", "major "}) {
    if (StartsWith(l, strip)) l.remove_prefix(strip.size());
  }
  CriterionKind k;
  // "Conditions for Patient Ineligibility:", "Ineligibility Criteria:": a short line that ends in a colon
  // and names ineligibility heads the exclusions (the legacy PDQ layout; "Ineligible subtypes:" is a list).
  if (!l.empty() && l.back() == ':' && l.find("ineligibility") != std::string_view::npos &&
      std::count(l.begin(), l.end(), ' ') <= 5) {
    *kind = CriterionKind::kExclusion;
    *rest = std::string_view();
    return true;
  }
  if (StartsWith(l, "inclusion")) k = CriterionKind::kInclusion;
  else if (StartsWith(l, "exclusion")) k = CriterionKind::kExclusion;
  else return false;
  l.remove_prefix(9);
  if (StartsWith(l, " criteria")) l.remove_prefix(9);
  else if (StartsWith(l, " criterion")) l.remove_prefix(10);
  l = Trim(l);
  if (!l.empty() && l[0] == ':') l.remove_prefix(1);
  else if (!l.empty() && !StartsWith(l, "include") && !StartsWith(l, "are") && l != "-") return false;
  *kind = k;
  std::string_view t = Trim(line);
  size_t colon = t.find(':');
  *rest = colon == std::string_view::npos ? std::string_view() : Trim(t.substr(colon + 1));
  return true;
}

struct Marker {
  size_t length = 0;              // bytes of the marker incl. following spaces
  std::optional<int> number;      // numbered lists
};

// A list marker at the start of `s`: bullets, "12.", "12)", "(12)", "12\.", "a.", "a)".
Marker LineMarker(std::string_view s) {
  Marker m;
  if (s.empty()) return m;
  auto skip_spaces = [&](size_t i) {
    while (i < s.size() && s[i] == ' ') ++i;
    return i;
  };
  for (std::string_view b : {"* ", "- ", "+ ", "• ", "· ", "▪ ", "o "}) {
    if (StartsWith(s, b)) {
      m.length = skip_spaces(b.size());
      return m;
    }
  }
  size_t i = 0;
  bool paren = s[0] == '(';
  if (paren) ++i;
  size_t digits = i;
  while (digits < s.size() && IsDigit(s[digits]) && digits - i < 2) ++digits;
  if (digits > i) {
    size_t j = digits;
    if (paren) {
      if (j < s.size() && s[j] == ')') ++j; else return m;
    } else if (j + 1 < s.size() && s[j] == '\\' && s[j + 1] == '.') {
      j += 2;
    } else if (j < s.size() && (s[j] == '.' || s[j] == ')')) {
      ++j;
    } else {
      return m;
    }
    if (j < s.size() && IsDigit(s[j])) return m;  // "1.5 mg" is not a marker
    m.length = skip_spaces(j);
    m.number = std::stoi(std::string(s.substr(i, digits - i)));
    return m;
  }
  // "a." / "a)" lettered items.
  if (s.size() > 2 && std::islower(static_cast<unsigned char>(s[0])) && (s[1] == '.' || s[1] == ')') && s[2] == ' ') {
    m.length = skip_spaces(2);
  }
  return m;
}

struct Item {
  CriterionKind kind;
  size_t begin;       // source range in the whole text
  size_t end;
  size_t text_begin;  // after the marker
  int depth;
  int number;         // 0 when unnumbered
};

class Splitter {
 public:
  explicit Splitter(std::string_view all) : all_(all) {}

  std::vector<CriterionText> Run() {
    size_t pos = 0;
    bool prev_blank = true;
    while (pos <= all_.size()) {
      size_t nl = all_.find('\n', pos);
      if (nl == std::string_view::npos) nl = all_.size();
      Line(pos, nl, prev_blank);
      prev_blank = Trim(all_.substr(pos, nl - pos)).empty();
      if (nl == all_.size()) break;
      pos = nl + 1;
    }
    return Finish();
  }

 private:
  void Line(size_t begin, size_t end, bool prev_blank) {
    std::string_view line = all_.substr(begin, end - begin);
    if (!line.empty() && line.back() == '\r') { line.remove_suffix(1); end--; }
    if (Trim(line).empty()) return;
    CriterionKind heading_kind;
    std::string_view rest;
    if (ParseHeading(line, &heading_kind, &rest)) {
      kind_ = heading_kind;
      indents_.clear();
      if (!rest.empty()) {
        size_t rb = static_cast<size_t>(rest.data() - all_.data());
        NewItem(rb, rb + rest.size(), 0, rb);
      }
      return;
    }
    int indent = 0;
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
      indent += line[i] == '\t' ? 4 : 1;
      ++i;
    }
    Marker m = LineMarker(line.substr(i));
    size_t content = begin + i;
    if (m.length == 0) {
      // Unmarked: a wrapped continuation of the last item, unless a blank line separates it at the
      // left margin (then it is an item of its own).
      if (!items_.empty() && (!prev_blank || indent > 0)) {
        items_.back().end = end;
        return;
      }
      NewItem(content, end, DepthFor(indent), content);
      return;
    }
    int depth = DepthFor(indent);
    size_t text_begin = content + m.length;
    NewItem(content, end, depth, text_begin);
    if (m.number) items_.back().number = *m.number;
  }

  // Indentation -> nesting depth, with a stack of the indents seen in this section.
  int DepthFor(int indent) {
    while (!indents_.empty() && indents_.back() > indent) indents_.pop_back();
    if (indents_.empty() || indents_.back() < indent) indents_.push_back(indent);
    int depth = static_cast<int>(indents_.size()) - 1;
    return depth > 3 ? 3 : depth;
  }

  void NewItem(size_t begin, size_t end, int depth, size_t text_begin) {
    items_.push_back({kind_, begin, end, text_begin, depth, 0});
  }

  // Splits run-on numbered lists inside one item ("1.Age >= 18; 2.According ...").
  void SplitRunOns(const Item& item, std::vector<Item>* out) {
    std::string_view t = all_.substr(item.text_begin, item.end - item.text_begin);
    Item cur = item;
    // A marker at the very start numbers the item itself.
    Marker first = InlineMarkerAt(t, 0);
    if (first.length > 0 && first.number) {
      cur.text_begin += first.length;
      cur.number = *first.number;
      counters_[static_cast<size_t>(cur.depth)] = *first.number;
    }
    for (size_t i = cur.text_begin - item.text_begin; i < t.size(); ++i) {
      char prev = i > 0 ? t[i - 1] : ' ';
      if (!IsDigit(t[i]) || !(prev == ' ' || prev == ';' || prev == '.' || prev == ':')) continue;
      if (prev == '.' && i >= 2 && IsDigit(t[i - 2])) continue;
      Marker m = InlineMarkerAt(t, i);
      if (m.length == 0 || !m.number) continue;
      int target = -1;
      for (int d = cur.depth; d >= 0; --d) {
        if (*m.number == counters_[static_cast<size_t>(d)] + 1) { target = d; break; }
      }
      if (target < 0) continue;
      cur.end = item.text_begin + i;
      out->push_back(cur);
      counters_[static_cast<size_t>(target)] = *m.number;
      for (size_t d = static_cast<size_t>(target) + 1; d < counters_.size(); ++d) counters_[d] = 0;
      cur.begin = item.text_begin + i;
      cur.text_begin = cur.begin + m.length;
      cur.depth = target;
      cur.number = *m.number;
      i += m.length - 1;
    }
    cur.end = item.end;
    out->push_back(cur);
  }

  // "12." / "12\." followed by a letter, quote or space + letter; never "5.0".
  static Marker InlineMarkerAt(std::string_view t, size_t i) {
    Marker m;
    size_t j = i;
    while (j < t.size() && IsDigit(t[j]) && j - i < 2) ++j;
    if (j == i || (j < t.size() && IsDigit(t[j]))) return m;
    size_t k = j;
    if (k + 1 < t.size() && t[k] == '\\' && t[k + 1] == '.') k += 2;
    else if (k < t.size() && t[k] == '.') k += 1;
    else return m;
    size_t after = k;
    while (after < t.size() && t[after] == ' ') ++after;
    if (after >= t.size()) return m;
    char c = t[after];
    if (!(IsAlpha(c) || c == '"' || static_cast<unsigned char>(c) >= 0x80)) return m;
    if (after == k && !IsAlpha(c) && c != '"' && static_cast<unsigned char>(c) < 0x80) return m;
    m.length = after - i;
    m.number = std::stoi(std::string(t.substr(i, j - i)));
    return m;
  }

  std::vector<CriterionText> Finish() {
    // Replay numbering while splitting run-ons: counters follow document order.
    std::vector<Item> flat;
    counters_.assign(4, 0);
    CriterionKind section = CriterionKind::kInclusion;
    bool first = true;
    for (const Item& item : items_) {
      if (first || item.kind != section) counters_.assign(4, 0);
      first = false;
      section = item.kind;
      for (size_t d = static_cast<size_t>(item.depth) + 1; d < counters_.size(); ++d) counters_[d] = 0;
      if (item.number) counters_[static_cast<size_t>(item.depth)] = item.number;
      SplitRunOns(item, &flat);
    }
    std::vector<CriterionText> out;
    std::vector<int> open(4, -1);          // last criterion index at each depth
    std::vector<int> ordinal(4, 0);        // fallback numbering for unnumbered items
    CriterionKind last_kind = CriterionKind::kInclusion;
    for (const Item& item : flat) {
      std::string_view src = Trim(all_.substr(item.begin, item.end - item.begin));
      std::string text = CollapseSpace(UnescapeMarkdown(all_.substr(item.text_begin, item.end - item.text_begin)));
      while (!text.empty() && (text.back() == ';' || text.back() == ',')) text.pop_back();
      text = std::string(Trim(text));
      if (text.empty()) continue;
      if (out.empty() || item.kind != last_kind) {
        open.assign(4, -1);
        ordinal.assign(4, 0);
      }
      last_kind = item.kind;
      int depth = item.depth;
      while (depth > 0 && open[static_cast<size_t>(depth) - 1] < 0) --depth;
      CriterionText c;
      c.kind = item.kind;
      c.source = std::string(src);
      c.text = std::move(text);
      c.depth = depth;
      c.parent = depth > 0 ? open[static_cast<size_t>(depth) - 1] : -1;
      int n = item.number ? item.number : ordinal[static_cast<size_t>(depth)] + 1;
      ordinal[static_cast<size_t>(depth)] = n;
      c.label = c.parent >= 0 ? out[static_cast<size_t>(c.parent)].label + "." + std::to_string(n) : std::to_string(n);
      open[static_cast<size_t>(depth)] = static_cast<int>(out.size());
      for (size_t d = static_cast<size_t>(depth) + 1; d < open.size(); ++d) {
        open[d] = -1;
        ordinal[d] = 0;
      }
      out.push_back(std::move(c));
    }
    return out;
  }

  std::string_view all_;
  CriterionKind kind_ = CriterionKind::kInclusion;
  std::vector<int> indents_;
  std::vector<int> counters_;  // last number seen at each depth, while splitting run-ons
  std::vector<Item> items_;
};

}  // namespace

std::vector<CriterionText> SplitCriteria(std::string_view criteria) { return Splitter(criteria).Run(); }

}  // namespace ts
