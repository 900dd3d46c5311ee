#include "model/results_text.h"

#include <cstdio>

#include "common/strings.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

std::string GroupTitle(const std::vector<ResultGroup>& groups, const std::string& id) {
  for (const ResultGroup& g : groups) {
    if (g.id == id) return g.title.empty() ? id : g.title;
  }
  return id;
}

std::string DenomOf(const std::vector<Denom>& denoms, const std::string& id) {
  if (denoms.empty()) return "";
  for (const DenomCount& c : denoms[0].counts) {
    if (c.group_id == id) return c.value;
  }
  return "";
}

std::string Percent(const std::string& part, const std::string& whole) {
  double p = 0, w = 0;
  if (!ParseDouble(part, &p) || !ParseDouble(whole, &w) || w <= 0) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * p / w);
  return buf;
}

std::string ValueText(const Measurement& m) {
  std::string out = m.value.empty() ? "—" : m.value;
  if (!m.spread.empty()) {
    out += " (" + m.spread + ")";
  } else if (!m.lower_limit.empty() || !m.upper_limit.empty()) {
    out += " (" + (m.lower_limit.empty() ? std::string("—") : m.lower_limit) + " to " +
           (m.upper_limit.empty() ? std::string("—") : m.upper_limit) + ")";
  }
  return out;
}

std::vector<std::string> ResultFindings(const OutcomeMeasure& m) {
  std::vector<std::string> out;
  if (m.classes.empty() || m.classes[0].categories.empty()) return out;
  const MeasureCategory& first = m.classes[0].categories[0];
  const bool counts = m.param_type == MeasureParam::kCountOfParticipants || m.param_type == MeasureParam::kCountOfUnits;
  for (const Measurement& x : first.measurements) {
    if (x.value.empty()) continue;
    std::string line = GroupTitle(m.groups, x.group_id) + ": ";
    std::string n = DenomOf(m.denoms, x.group_id);
    if (counts && !n.empty()) {
      line += x.value + " of " + n + " " + ToLowerAscii(m.denoms[0].units);
      std::string pct = Percent(x.value, n);
      if (!pct.empty()) line += " (" + pct + ")";
    } else {
      // ("Number" says nothing a reader needs: "88 participants", not "number 88 participants".)
      std::string param = m.param_type && m.param_type != MeasureParam::kNumber ? ToLowerAscii(Label(*m.param_type)) + " " : "";
      line += param + ValueText(x) + (m.unit_of_measure.empty() ? "" : " " + m.unit_of_measure);
    }
    out.push_back(std::move(line));
  }
  return out;
}

}  // namespace ts
