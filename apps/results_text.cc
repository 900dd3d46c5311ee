// `trialscope results`: a study's posted results as terminal tables.
#include <algorithm>
#include <sstream>

#include "common/strings.h"
#include "model/results_text.h"
#include "study_text.h"

namespace ts {

namespace {

constexpr size_t kRowHead = 34;  // the first column's width
constexpr size_t kCell = 18;     // each group column's width
constexpr size_t kEventRows = 25;

// `s` cut to `width` bytes at a character boundary ("~" marks a cut) and padded with spaces to it.
std::string Fit(std::string_view s, size_t width) {
  if (s.size() <= width) {
    std::string out(s);
    out.resize(width, ' ');
    return out;
  }
  size_t cut = width > 0 ? width - 1 : 0;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
  std::string out(s.substr(0, cut));
  if (width > 0) out += '~';
  out.resize(width, ' ');
  return out;
}

class Table {
 public:
  explicit Table(std::ostringstream& out) : out_(out) {}
  void Header(const std::vector<std::string>& groups) {
    out_ << "    " << Fit("", kRowHead);
    for (const std::string& g : groups) out_ << " " << Fit(g, kCell);
    out_ << "\n";
  }
  void Row(std::string_view head, const std::vector<std::string>& cells) {
    out_ << "    " << Fit(head, kRowHead);
    for (const std::string& c : cells) out_ << " " << Fit(c, kCell);
    out_ << "\n";
  }

 private:
  std::ostringstream& out_;
};

std::vector<std::string> Titles(const std::vector<ResultGroup>& groups) {
  std::vector<std::string> out;
  for (const ResultGroup& g : groups) out.push_back(g.title.empty() ? g.id : g.title);
  return out;
}

void Measure(std::ostringstream& out, const std::vector<ResultGroup>& groups, const std::vector<Denom>& denoms,
             const std::vector<MeasureClass>& classes) {
  Table t(out);
  t.Header(Titles(groups));
  if (!denoms.empty()) {
    std::vector<std::string> cells;
    for (const ResultGroup& g : groups) cells.push_back(DenomOf(denoms, g.id));
    t.Row("Analysed (" + denoms[0].units + ")", cells);
  }
  for (const MeasureClass& c : classes) {
    for (const MeasureCategory& cat : c.categories) {
      std::string head = c.title;
      if (!cat.title.empty()) head += (head.empty() ? "" : ": ") + cat.title;
      std::vector<std::string> cells;
      for (const ResultGroup& g : groups) {
        std::string v;
        for (const Measurement& m : cat.measurements) {
          if (m.group_id == g.id) v = ValueText(m);
        }
        cells.push_back(v);
      }
      t.Row(head.empty() ? "(value)" : head, cells);
    }
  }
}

void Flow(std::ostringstream& out, const ParticipantFlow& f) {
  out << "\nParticipant flow\n";
  for (const FlowPeriod& p : f.periods) {
    out << "  " << p.title << "\n";
    Table t(out);
    t.Header(Titles(f.groups));
    auto row = [&](const std::string& head, const std::vector<FlowStats>& stats) {
      std::vector<std::string> cells;
      for (const ResultGroup& g : f.groups) {
        std::string n;
        for (const FlowStats& s : stats) {
          if (s.group_id == g.id) n = s.num_subjects;
        }
        cells.push_back(n);
      }
      t.Row(head, cells);
    };
    for (const FlowMilestone& m : p.milestones) row(m.type, m.achievements);
    for (const DropWithdraw& d : p.drop_withdraws) row("left: " + d.type, d.reasons);
  }
}

void Outcomes(std::ostringstream& out, const std::vector<OutcomeMeasure>& measures) {
  for (const OutcomeMeasure& m : measures) {
    out << "\n" << (m.type ? std::string(Label(*m.type)) + " outcome: " : std::string("Outcome: ")) << m.title << "\n";
    if (!m.time_frame.empty()) out << "  Time frame: " << m.time_frame << "\n";
    if (m.reporting_status == ReportingStatus::kNotPosted) {
      out << "  Not posted yet" << (m.anticipated_posting_date.empty() ? "" : " (expected " + m.anticipated_posting_date + ")")
          << "\n";
      continue;
    }
    std::string how = m.param_type ? std::string(Label(*m.param_type)) : "";
    if (!m.dispersion_type.empty()) how += (how.empty() ? "" : ", ") + m.dispersion_type + " in brackets";
    if (!m.unit_of_measure.empty()) how += (how.empty() ? "" : ", ") + m.unit_of_measure;
    if (!how.empty()) out << "  Values: " << how << "\n";
    Measure(out, m.groups, m.denoms, m.classes);
    for (const MeasureAnalysis& a : m.analyses) {
      std::vector<std::string> groups;
      for (const std::string& id : a.group_ids) groups.push_back(GroupTitle(m.groups, id));
      out << "  Analysis: " << Join(groups, " vs ");
      if (!a.statistical_method.empty()) out << ", " << a.statistical_method;
      if (!a.p_value.empty()) out << ", p " << (StartsWith(a.p_value, "<") || StartsWith(a.p_value, ">") ? "" : "= ") << a.p_value;
      if (!a.param_type.empty() && !a.param_value.empty()) {
        out << ", " << a.param_type << " " << a.param_value;
        if (!a.ci_lower_limit.empty() || !a.ci_upper_limit.empty()) {
          out << " (" << (a.ci_pct_value.empty() ? "" : a.ci_pct_value + "% CI ") << a.ci_lower_limit << " to "
              << a.ci_upper_limit << ")";
        }
      }
      out << "\n";
    }
  }
}

void Events(std::ostringstream& out, const AdverseEvents& ae) {
  out << "\nAdverse events (affected / at risk)\n";
  if (!ae.time_frame.empty()) out << "  Time frame: " << ae.time_frame << "\n";
  std::vector<ResultGroup> groups;
  for (const EventGroup& g : ae.event_groups) groups.push_back({g.id, g.title, g.description});
  Table t(out);
  t.Header(Titles(groups));
  auto total = [&](const char* head, auto affected, auto at_risk) {
    std::vector<std::string> cells;
    bool any = false;
    for (const EventGroup& g : ae.event_groups) {
      const auto& n = g.*affected;
      const auto& of = g.*at_risk;
      any |= n && of;
      cells.push_back(n && of ? std::to_string(*n) + " / " + std::to_string(*of) : "");
    }
    if (any) t.Row(head, cells);
  };
  total("Serious adverse events", &EventGroup::serious_num_affected, &EventGroup::serious_num_at_risk);
  total("Other adverse events", &EventGroup::other_num_affected, &EventGroup::other_num_at_risk);
  total("Deaths", &EventGroup::deaths_num_affected, &EventGroup::deaths_num_at_risk);
  for (const auto* list : {&ae.serious_events, &ae.other_events}) {
    for (size_t i = 0; i < list->size() && i < kEventRows; ++i) {
      const AdverseEvent& e = (*list)[i];
      std::vector<std::string> cells;
      for (const EventGroup& g : ae.event_groups) {
        std::string cell;
        for (const EventStats& s : e.stats) {
          if (s.group_id == g.id && s.num_affected && s.num_at_risk) {
            cell = std::to_string(*s.num_affected) + " / " + std::to_string(*s.num_at_risk);
          }
        }
        cells.push_back(cell);
      }
      t.Row((list == &ae.serious_events ? "S: " : "O: ") + e.term, cells);
    }
    if (list->size() > kEventRows) out << "    ... and " << list->size() - kEventRows << " more (see --json)\n";
  }
}

}  // namespace

std::string RenderResultsText(const Study& s) {
  std::ostringstream out;
  const std::string key = StudyKey(s);
  if (!s.results) {
    out << key << ": " << (s.has_results ? "results were posted, but this record does not hold them" : "no posted results")
        << "\n";
    return out.str();
  }
  const StudyResults& r = *s.results;
  out << key << "  " << s.identification.brief_title << "\nResults";
  if (!s.status.results_first_post_date.date.empty()) out << " posted " << s.status.results_first_post_date.date.ToString();
  out << "\n";
  if (r.participant_flow) Flow(out, *r.participant_flow);
  if (r.baseline) {
    out << "\nBaseline characteristics\n";
    for (const BaselineMeasure& m : r.baseline->measures) {
      out << "  " << m.title << (m.unit_of_measure.empty() ? "" : " (" + m.unit_of_measure + ")") << "\n";
      Measure(out, r.baseline->groups, m.denoms.empty() ? r.baseline->denoms : m.denoms, m.classes);
    }
  }
  Outcomes(out, r.outcome_measures);
  if (r.adverse_events) Events(out, *r.adverse_events);
  if (r.more_info && !r.more_info->limitations_and_caveats.empty()) {
    out << "\nLimitations and caveats: " << r.more_info->limitations_and_caveats << "\n";
  }
  return out.str();
}

}  // namespace ts
