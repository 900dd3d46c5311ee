#include "web/results_html.h"

#include "model/results_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "common/strings.h"
#include "web/results_charts.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

namespace {

// Adverse events listed before "and N more" (the full list is in the API's JSON).
constexpr size_t kEventRows = 25;





std::string ParamWords(const std::optional<MeasureParam>& p, const std::string& dispersion) {
  std::string out = p ? ToLowerAscii(Label(*p)) : "";
  if (!dispersion.empty() && dispersion != "NA" && dispersion != "Not Applicable") {
    std::string d = dispersion;
    if (auto e = ParseApiName<MeasureDispersion>(dispersion)) d = std::string(Label(*e));
    out += (out.empty() ? "" : ", ") + ToLowerAscii(d) + " in brackets";
  }
  return out;
}

// A table of groups (columns) by class and category (rows).
void MeasureTable(HtmlWriter& h, const std::vector<ResultGroup>& groups, const std::vector<Denom>& denoms,
                  const std::vector<MeasureClass>& classes) {
  h << Markup("<table class=\"results\">\n<thead><tr><th></th>");
  for (const ResultGroup& g : groups) h << Markup("<th>") << g.title << Markup("</th>");
  h << Markup("</tr></thead>\n<tbody>\n");
  if (!denoms.empty()) {
    h << Markup("<tr class=\"denom\"><th>Analysed (") << denoms[0].units << Markup(")</th>");
    for (const ResultGroup& g : groups) h << Markup("<td>") << DenomOf(denoms, g.id) << Markup("</td>");
    h << Markup("</tr>\n");
  }
  for (const MeasureClass& c : classes) {
    for (const MeasureCategory& cat : c.categories) {
      std::string row = c.title;
      if (!cat.title.empty()) row += (row.empty() ? "" : ": ") + cat.title;
      h << Markup("<tr><th>") << row << Markup("</th>");
      for (const ResultGroup& g : groups) {
        const Measurement* m = nullptr;
        for (const Measurement& x : cat.measurements) {
          if (x.group_id == g.id) m = &x;
        }
        h << Markup("<td>") << (m ? ValueText(*m) : std::string()) << Markup("</td>");
      }
      h << Markup("</tr>\n");
    }
  }
  h << Markup("</tbody></table>\n");
}

void Analyses(HtmlWriter& h, const OutcomeMeasure& m) {
  if (m.analyses.empty()) return;
  h << Markup("<ul class=\"analyses\">\n");
  for (const MeasureAnalysis& a : m.analyses) {
    std::vector<std::string> groups;
    for (const std::string& id : a.group_ids) groups.push_back(GroupTitle(m.groups, id));
    h << Markup("<li>") << Join(groups, " vs ");
    if (!a.statistical_method.empty()) h << Markup(": ") << a.statistical_method;
    if (!a.p_value.empty()) h << Markup(", p ") << (StartsWith(a.p_value, "<") || StartsWith(a.p_value, ">") ? "" : "= ") + a.p_value;
    if (!a.param_type.empty() && !a.param_value.empty()) {
      h << Markup("; ") << a.param_type << Markup(" ") << a.param_value;
      if (!a.ci_lower_limit.empty() || !a.ci_upper_limit.empty()) {
        h << Markup(" (") << (a.ci_pct_value.empty() ? std::string() : a.ci_pct_value + "% CI ") << a.ci_lower_limit
          << Markup(" to ") << a.ci_upper_limit << Markup(")");
      }
    }
    if (!a.statistical_comment.empty()) h << Markup(". ") << a.statistical_comment;
    h << Markup("</li>\n");
  }
  h << Markup("</ul>\n");
}

void Flow(HtmlWriter& h, const ParticipantFlow& f) {
  if (!f.recruitment_details.empty()) h << Markup("<p>") << f.recruitment_details << Markup("</p>\n");
  for (const FlowPeriod& p : f.periods) {
    h << Markup("<table class=\"results\">\n<caption>") << p.title << Markup("</caption>\n<thead><tr><th></th>");
    for (const ResultGroup& g : f.groups) h << Markup("<th>") << g.title << Markup("</th>");
    h << Markup("</tr></thead>\n<tbody>\n");
    auto row = [&](const std::string& title, const std::vector<FlowStats>& stats) {
      h << Markup("<tr><th>") << title << Markup("</th>");
      for (const ResultGroup& g : f.groups) {
        std::string n;
        for (const FlowStats& s : stats) {
          if (s.group_id == g.id) n = s.num_subjects;
        }
        h << Markup("<td>") << n << Markup("</td>");
      }
      h << Markup("</tr>\n");
    };
    for (const FlowMilestone& m : p.milestones) row(m.type, m.achievements);
    for (const DropWithdraw& d : p.drop_withdraws) row("Left: " + d.type, d.reasons);
    h << Markup("</tbody></table>\n");
  }
}

void Baseline(HtmlWriter& h, const BaselineCharacteristics& b) {
  h << Markup("<h3>Baseline characteristics</h3>\n");
  if (!b.population_description.empty()) h << Markup("<p>") << b.population_description << Markup("</p>\n");
  for (const BaselineMeasure& m : b.measures) {
    h << Markup("<h4>") << m.title;
    std::string how = ParamWords(m.param_type, m.dispersion_type ? std::string(ApiName(*m.dispersion_type)) : "");
    if (!m.unit_of_measure.empty()) how += (how.empty() ? "" : ", ") + m.unit_of_measure;
    if (!how.empty()) h << Markup(" <span class=\"muted\">(") << how << Markup(")</span>");
    h << Markup("</h4>\n");
    MeasureTable(h, b.groups, m.denoms.empty() ? b.denoms : m.denoms, m.classes);
  }
}

void Outcome(HtmlWriter& h, const OutcomeMeasure& m) {
  h << Markup("<h4>") << (m.type ? std::string(Label(*m.type)) + ": " : std::string()) << m.title << Markup("</h4>\n");
  if (m.reporting_status == ReportingStatus::kNotPosted) {
    h << Markup("<p class=\"muted\">Not posted yet");
    if (!m.anticipated_posting_date.empty()) h << Markup(" (expected ") << m.anticipated_posting_date << Markup(")");
    h << Markup(".</p>\n");
    return;
  }
  std::string how = ParamWords(m.param_type, m.dispersion_type);
  if (!m.unit_of_measure.empty()) how += (how.empty() ? "" : ", ") + m.unit_of_measure;
  h << Markup("<p class=\"muted\">");
  if (!m.time_frame.empty()) h << Markup("Time frame: ") << m.time_frame << Markup(". ");
  if (!how.empty()) h << Markup("Values: ") << how << Markup(".");
  h << Markup("</p>\n");
  if (!m.description.empty()) h << Markup("<p>") << m.description << Markup("</p>\n");
  MeasureTable(h, m.groups, m.denoms, m.classes);
  OutcomeChart(h, m);
  Analyses(h, m);
}

void Events(HtmlWriter& h, const std::vector<EventGroup>& groups, const std::vector<AdverseEvent>& events,
            const char* title) {
  if (events.empty()) return;
  h << Markup("<table class=\"results\">\n<caption>") << Markup::Trusted(title)
    << Markup("</caption>\n<thead><tr><th>Event</th><th>Organ system</th>");
  for (const EventGroup& g : groups) h << Markup("<th>") << g.title << Markup("</th>");
  h << Markup("</tr></thead>\n<tbody>\n");
  for (size_t i = 0; i < events.size() && i < kEventRows; ++i) {
    const AdverseEvent& e = events[i];
    h << Markup("<tr><th>") << e.term << Markup("</th><td>") << e.organ_system << Markup("</td>");
    for (const EventGroup& g : groups) {
      std::string cell;
      for (const EventStats& s : e.stats) {
        if (s.group_id == g.id && s.num_affected && s.num_at_risk) {
          cell = std::to_string(*s.num_affected) + " / " + std::to_string(*s.num_at_risk);
        }
      }
      h << Markup("<td>") << cell << Markup("</td>");
    }
    h << Markup("</tr>\n");
  }
  h << Markup("</tbody></table>\n");
  if (events.size() > kEventRows) {
    h << Markup("<p class=\"muted\">and ") << events.size() - kEventRows
      << Markup(" more (all of them are in this study's API record).</p>\n");
  }
}

void Adverse(HtmlWriter& h, const AdverseEvents& ae) {
  h << Markup("<h3>Adverse events</h3>\n<p class=\"muted\">");
  if (!ae.time_frame.empty()) h << Markup("Time frame: ") << ae.time_frame << Markup(". ");
  if (!ae.frequency_threshold.empty()) {
    h << Markup("Other events are listed when at least ") << ae.frequency_threshold << Markup("% of a group had them. ");
  }
  h << Markup("Cells: participants affected / at risk.</p>\n<ul>\n");
  for (const EventGroup& g : ae.event_groups) {
    std::vector<std::string> parts;
    auto part = [&](const char* what, const std::optional<int64_t>& n, const std::optional<int64_t>& of) {
      if (n && of) parts.push_back(std::to_string(*n) + " of " + std::to_string(*of) + " " + what);
    };
    part("had a serious adverse event", g.serious_num_affected, g.serious_num_at_risk);
    part("had another adverse event", g.other_num_affected, g.other_num_at_risk);
    part("died", g.deaths_num_affected, g.deaths_num_at_risk);
    h << Markup("<li>") << g.title << Markup(": ") << Join(parts, "; ") << Markup("</li>\n");
  }
  h << Markup("</ul>\n");
  Events(h, ae.event_groups, ae.serious_events, "Serious adverse events");
  Events(h, ae.event_groups, ae.other_events, "Other adverse events");
}

void More(HtmlWriter& h, const MoreInfo& mi) {
  if (mi.limitations_and_caveats.empty() && !mi.point_of_contact && !mi.certain_agreement) return;
  h << Markup("<h3>More information</h3>\n");
  if (!mi.limitations_and_caveats.empty()) {
    h << Markup("<p><strong>Limitations and caveats:</strong> ") << mi.limitations_and_caveats << Markup("</p>\n");
  }
  if (const auto& c = mi.certain_agreement; c && c->pi_sponsor_employee == false) {
    h << Markup("<p>The principal investigators are not employed by the sponsor");
    if (c->restrictive_agreement) h << Markup("; an agreement restricts what they may publish about the results");
    h << Markup(".</p>\n");
  }
  if (const auto& p = mi.point_of_contact) {
    std::vector<std::string> parts;
    for (const std::string* x : {&p->title, &p->organization, &p->email, &p->phone}) {
      if (!x->empty()) parts.push_back(*x);
    }
    h << Markup("<p><strong>Results contact:</strong> ") << Join(parts, ", ") << Markup("</p>\n");
  }
}

}  // namespace


void RenderStudyResults(HtmlWriter& h, const StudyResults& r, std::optional<int64_t> enrolled) {
  std::vector<const OutcomeMeasure*> primary;
  for (const OutcomeMeasure& m : r.outcome_measures) {
    if (m.type == OutcomeMeasureType::kPrimary) primary.push_back(&m);
  }
  if (!primary.empty()) {
    h << Markup("<div class=\"plain\">\n<h3>What the trial found</h3>\n");
    for (const OutcomeMeasure* m : primary) {
      std::vector<std::string> lines = ResultFindings(*m);
      if (lines.empty()) continue;
      h << Markup("<p>The trial's main question was <em>") << m->title << Markup("</em>");
      if (!m->time_frame.empty()) h << Markup(" (measured: ") << m->time_frame << Markup(")");
      h << Markup(".</p>\n<ul>\n");
      for (const std::string& l : lines) h << Markup("<li>") << l << Markup("</li>\n");
      h << Markup("</ul>\n");
      for (const MeasureAnalysis& a : m->analyses) {
        if (a.p_value.empty()) continue;
        h << Markup("<p class=\"muted\">The study's own statistical test gave p ")
          << (StartsWith(a.p_value, "<") || StartsWith(a.p_value, ">") ? "" : "= ") + a.p_value
          << Markup("; a small p-value means a difference this large would rarely arise by chance alone, not that "
                    "the difference matters to a patient.</p>\n");
        break;
      }
    }
    h << Markup("</div>\n");
  }
  if (r.participant_flow) {
    h << Markup("<h3>Participant flow</h3>\n");
    FlowDiagram(h, *r.participant_flow, enrolled);
    Flow(h, *r.participant_flow);
  }
  if (r.baseline) Baseline(h, *r.baseline);
  if (!r.outcome_measures.empty()) {
    h << Markup("<h3>Outcome measures</h3>\n");
    for (const OutcomeMeasure& m : r.outcome_measures) Outcome(h, m);
  }
  if (r.adverse_events) Adverse(h, *r.adverse_events);
  if (r.more_info) More(h, *r.more_info);
}

}  // namespace ts
