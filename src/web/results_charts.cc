#include "web/results_charts.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "common/strings.h"
#include "model/results_text.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

bool Finite(const std::string& s, double* out) { return ParseDouble(s, out) && std::isfinite(*out); }

struct Bar {
  std::string label;
  double value = 0;
  std::optional<std::pair<double, double>> whisker;  // low, high
};

// What a whisker means for this measure, or "" when its spread cannot be drawn as one.
std::string WhiskerWords(const std::string& dispersion, bool limits) {
  std::string d = ToLowerAscii(dispersion);
  if (limits) {
    if (d.find("confidence") != std::string::npos) return dispersion;
    if (d.find("range") != std::string::npos) return dispersion;
    return "";
  }
  if (d == "standard deviation" || d == "standard_deviation") return "± standard deviation";
  if (d == "standard error" || d == "standard_error") return "± standard error";
  return "";
}

}  // namespace

void OutcomeChart(HtmlWriter& h, const OutcomeMeasure& m) {
  if (m.classes.size() != 1 || m.classes[0].categories.size() != 1) return;
  std::vector<Bar> bars;
  std::string whisker_words;
  for (const Measurement& x : m.classes[0].categories[0].measurements) {
    Bar b;
    if (!Finite(x.value, &b.value)) return;
    b.label = GroupTitle(m.groups, x.group_id);
    double lo = 0, hi = 0, s = 0;
    std::string words;
    if (Finite(x.lower_limit, &lo) && Finite(x.upper_limit, &hi) && lo <= hi) {
      words = WhiskerWords(m.dispersion_type, true);
      if (!words.empty()) b.whisker = {lo, hi};
    } else if (Finite(x.spread, &s) && s >= 0) {
      words = WhiskerWords(m.dispersion_type, false);
      if (!words.empty()) b.whisker = {b.value - s, b.value + s};
    }
    if (b.whisker) whisker_words = words;
    bars.push_back(std::move(b));
  }
  if (bars.size() < 2) return;
  double lo = 0, hi = 0;  // the axis always holds zero, where the bars start
  for (const Bar& b : bars) {
    lo = std::min({lo, b.value, b.whisker ? b.whisker->first : 0.0});
    hi = std::max({hi, b.value, b.whisker ? b.whisker->second : 0.0});
  }
  if (hi - lo <= 0) return;
  const int row = 28, label_w = 175, plot_w = 250, width = 620, numbers_x = label_w + plot_w + 10;
  const int height = row * static_cast<int>(bars.size()) + 12;
  auto x_of = [&](double v) { return label_w + static_cast<int>(std::lround(plot_w * (v - lo) / (hi - lo))); };
  const int zero = x_of(0);
  h << Markup("<figure class=\"chart\">\n<svg class=\"chart\" role=\"img\" width=\"") << width
    << Markup("\" height=\"") << height << Markup("\" viewBox=\"0 0 ") << width << Markup(" ") << height
    << Markup("\"><title>") << m.title << Markup("</title>\n");
  h << Markup("<line class=\"axis\" x1=\"") << zero << Markup("\" y1=\"0\" x2=\"") << zero << Markup("\" y2=\"")
    << height << Markup("\"></line>\n");
  int y = 4;
  for (const Bar& b : bars) {
    std::string shown = b.label.size() > 27 ? b.label.substr(0, 26) + "…" : b.label;
    h << Markup("<text x=\"0\" y=\"") << (y + 17) << Markup("\">") << shown << Markup("</text>");
    int x1 = std::min(zero, x_of(b.value)), x2 = std::max(zero, x_of(b.value));
    h << Markup("<rect x=\"") << x1 << Markup("\" y=\"") << (y + 4) << Markup("\" width=\"") << std::max(x2 - x1, 1)
      << Markup("\" height=\"18\"></rect>");
    std::string label = Num(b.value);
    if (b.whisker) {
      int w1 = x_of(b.whisker->first), w2 = x_of(b.whisker->second), wy = y + 13;
      h << Markup("<path class=\"whisker\" d=\"M") << w1 << Markup(" ") << wy << Markup("H") << w2 << Markup("M") << w1
        << Markup(" ") << (wy - 5) << Markup("v10M") << w2 << Markup(" ") << (wy - 5) << Markup("v10\"></path>");
      label += " (" + Num(b.whisker->first) + " to " + Num(b.whisker->second) + ")";
    }
    h << Markup("<text x=\"") << numbers_x << Markup("\" y=\"") << (y + 17) << Markup("\">")
      << label << Markup("</text>\n");
    y += row;
  }
  h << Markup("</svg>\n<figcaption class=\"muted\">Bars: each group's value");
  if (!m.unit_of_measure.empty()) h << Markup(" (") << m.unit_of_measure << Markup(")");
  if (!whisker_words.empty()) h << Markup("; lines: ") << whisker_words;
  h << Markup(", as posted.</figcaption>\n</figure>\n");
}

namespace {

// The sum over groups of a milestone's or reason's numbers, or nothing when any group's is not a number.
std::optional<int64_t> Total(const std::vector<FlowStats>& stats) {
  if (stats.empty()) return std::nullopt;
  int64_t sum = 0;
  for (const FlowStats& s : stats) {
    int64_t n = 0;
    if (!ParseInt64(s.num_subjects, &n) || n < 0) return std::nullopt;
    sum += n;
  }
  return sum;
}

std::optional<int64_t> Milestone(const FlowPeriod& p, std::string_view type) {
  for (const FlowMilestone& m : p.milestones) {
    if (EqualsIgnoreCase(m.type, type)) return Total(m.achievements);
  }
  return std::nullopt;
}

void Box(HtmlWriter& h, int x, int y, int w, const std::string& line1, const std::string& line2) {
  h << Markup("<rect class=\"box\" x=\"") << x << Markup("\" y=\"") << y << Markup("\" width=\"") << w
    << Markup("\" height=\"40\" rx=\"4\"></rect><text x=\"") << (x + 8) << Markup("\" y=\"") << (y + 17)
    << Markup("\">") << line1 << Markup("</text><text x=\"") << (x + 8) << Markup("\" y=\"") << (y + 33)
    << Markup("\">") << line2 << Markup("</text>\n");
}

void Arrow(HtmlWriter& h, int x1, int y1, int x2, int y2) {
  h << Markup("<path class=\"arrow\" d=\"M") << x1 << Markup(" ") << y1 << Markup("L") << x2 << Markup(" ") << y2
    << Markup("\" marker-end=\"url(#flow-arrow)\"></path>\n");
}

}  // namespace

void FlowDiagram(HtmlWriter& h, const ParticipantFlow& f, std::optional<int64_t> enrolled) {
  struct Step {
    std::string title;
    int64_t started = 0;
    std::optional<int64_t> completed;
    std::vector<std::pair<std::string, int64_t>> reasons;
  };
  std::vector<Step> steps;
  for (const FlowPeriod& p : f.periods) {
    std::optional<int64_t> started = Milestone(p, "STARTED");
    if (!started) continue;
    Step s{p.title, *started, Milestone(p, "COMPLETED"), {}};
    for (const DropWithdraw& d : p.drop_withdraws) {
      if (auto n = Total(d.reasons); n && *n > 0) s.reasons.emplace_back(d.type, *n);
    }
    steps.push_back(std::move(s));
  }
  if (steps.empty()) return;
  const int box_w = 280, side_x = 318, side_w = 240, gap = 26;
  // A period's first box grows to hold its reasons for leaving.
  auto first_h = [](const Step& s) { return s.reasons.empty() ? 40 : 46 + (static_cast<int>(s.reasons.size()) - 1) * 16; };
  int height = 8;
  if (enrolled) height += 40 + gap;
  for (const Step& s : steps) height += first_h(s) + gap + 40 + gap;
  h << Markup("<figure class=\"flow\">\n<svg class=\"flow\" role=\"img\" width=\"560\" height=\"") << height
    << Markup("\" viewBox=\"0 0 560 ") << height
    << Markup("\"><title>Participant flow</title>\n<defs><marker id=\"flow-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" "
              "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0 0L10 5L0 10z\"></path>"
              "</marker></defs>\n");
  int y = 4;
  if (enrolled) {
    Box(h, 0, y, box_w, "Enrolled", std::to_string(*enrolled) + " participants");
    Arrow(h, box_w / 2, y + 40, box_w / 2, y + 40 + gap);
    y += 40 + gap;
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    std::string title = s.title.size() > 26 ? s.title.substr(0, 25) + "…" : s.title;
    std::string period = steps.size() > 1 || s.title != "Overall Study" ? title + ": " : std::string();
    Box(h, 0, y, box_w, period + "started", std::to_string(s.started));
    if (!s.reasons.empty()) {
      int64_t left = 0;
      for (const auto& r : s.reasons) left += r.second;
      Arrow(h, box_w, y + 20, side_x, y + 20);
      h << Markup("<rect class=\"box side\" x=\"") << side_x << Markup("\" y=\"") << y << Markup("\" width=\"")
        << side_w << Markup("\" height=\"") << first_h(s) << Markup("\" rx=\"4\"></rect>");
      h << Markup("<text x=\"") << (side_x + 8) << Markup("\" y=\"") << (y + 17) << Markup("\">Left: ") << left
        << Markup("</text>\n");
      int ry = y + 33;
      for (const auto& [why, n] : s.reasons) {
        std::string line = why.size() > 30 ? why.substr(0, 29) + "…" : why;
        h << Markup("<text class=\"small\" x=\"") << (side_x + 8) << Markup("\" y=\"") << ry << Markup("\">") << line
          << Markup(": ") << n << Markup("</text>\n");
        ry += 16;
      }
    }
    int next = y + first_h(s) + gap;
    Arrow(h, box_w / 2, y + 40, box_w / 2, next);
    Box(h, 0, next, box_w, period + "completed", s.completed ? std::to_string(*s.completed) : std::string("not stated"));
    y = next + 40 + gap;
    if (i + 1 < steps.size()) Arrow(h, box_w / 2, y - gap, box_w / 2, y);
  }
  h << Markup("</svg>\n<figcaption class=\"muted\">Participants summed over the groups, as the milestones state them; "
              "the table below gives each group.</figcaption>\n</figure>\n");
}

}  // namespace ts
