#include "web/protocol_html.h"

#include <algorithm>

#include "common/strings.h"
#include "protocol/timeline.h"

namespace ts {
namespace {

constexpr int kCellWidth = 8;

std::string PlainUnit(const std::string& unit) { return unit == "10*9/L" ? "×10⁹/L" : unit == "ug/L" ? "µg/L" : unit; }

std::string PlainCmp(Comparator c) {
  switch (c) {
    case Comparator::kLt: return "below";
    case Comparator::kLe: return "at or below";
    case Comparator::kGt: return "above";
    case Comparator::kGe: return "at or above";
    default: return "equal to";
  }
}

std::string Label(const std::string& analyte, const ConceptTable& concepts) {
  const Concept* c = concepts.Find(analyte);
  return c ? c->label : analyte;
}

// The days drawn for an agent: its schedule's end, else four weeks.
int DrawnDays(const Agent& a) {
  int last = ScheduleLastDay(a);
  if (last <= 0) last = a.schedule.kind == ScheduleKind::kCycle ? a.schedule.cycle_length : 28;
  return std::clamp(last, 7, 120);
}

void DayStrip(HtmlWriter& h, const Agent& a, const ConceptTable& concepts) {
  int days = DrawnDays(a);
  std::vector<int> due = ScheduledDays(a, days);
  int width = days * kCellWidth;
  std::string svg = "<svg class=\"dose-strip\" role=\"img\" width=\"" + std::to_string(width) + "\" height=\"22\" viewBox=\"0 0 " +
                    std::to_string(width) + " 22\">";
  svg += "<rect class=\"days\" x=\"0\" y=\"4\" width=\"" + std::to_string(width) + "\" height=\"12\"/>";
  for (int d : due)
    svg += "<rect class=\"dose\" x=\"" + std::to_string((d - 1) * kCellWidth + 1) + "\" y=\"4\" width=\"" +
           std::to_string(kCellWidth - 2) + "\" height=\"12\"/>";
  for (int d = 7; d <= days; d += 7)
    svg += "<line class=\"week\" x1=\"" + std::to_string(d * kCellWidth) + "\" y1=\"2\" x2=\"" + std::to_string(d * kCellWidth) +
           "\" y2=\"18\"/>";
  h << Markup("<div class=\"dose-row\"><p class=\"agent\"><strong>") << a.name << Markup("</strong> ");
  if (!a.doses.empty()) {
    std::vector<std::string> amounts;
    // A dose that depends on a lab says when ("8-10 mg/kg/day when platelets below 50 ×10⁹/L").
    for (const DoseStep& d : a.doses)
      amounts.push_back(d.amount.ToString() + (d.when ? " when " + PlainCondition(*d.when, concepts) : ""));
    h << Join(amounts, " / ");
  }
  if (!a.route.empty()) h << Markup(", ") << a.route;
  h << Markup(", ") << a.schedule.ToString();
  if (a.cap_per_dose) h << Markup(", never more than ") << a.cap_per_dose->ToString() << Markup(" at once");
  if (a.dose_conflict) h << Markup(" <span class=\"badge warn\">dose stated two ways</span>");
  h << Markup("</p>");
  if (a.schedule.kind == ScheduleKind::kUnread) {
    h << Markup("<p class=\"muted\">The schedule could not be read from the record.</p></div>\n");
    return;
  }
  h << Markup("<figure>") << Markup::Trusted(svg);
  h << Markup("<title>") << a.name << Markup(": ") << std::to_string(due.size()) << Markup(" doses in the first ") << std::to_string(days)
    << Markup(" days") << Markup("</title></svg><figcaption class=\"muted\">Days 1-") << std::to_string(days) << Markup(": ")
    << std::to_string(due.size()) << Markup(" dose days (each mark is a day a dose is due; lines mark weeks)")
    << Markup("</figcaption></figure></div>\n");
}

std::string RulePlain(const ProtocolRule& r, const ConceptTable& concepts) {
  std::string who = r.agent.empty() ? "all study drugs" : r.agent;
  std::string when = r.when ? PlainCondition(*r.when, concepts) : "";
  switch (r.action) {
    case RuleAction::kStop: return "Stop " + who + " when " + when + ".";
    case RuleAction::kHold: return "Pause " + who + " while " + when + ".";
    case RuleAction::kRescue:
      return "Give rescue treatment" + (r.then_text.empty() ? "" : " (" + r.then_text + ")") + " when " + when + ".";
    case RuleAction::kDoseChange: return "Change the dose of " + who + " when " + when + ".";
    case RuleAction::kEvaluate:
      return "The response to " + who + " is checked on day " + std::to_string(r.after_days + 1) +
             (r.dose_adjusted ? ", and the dose is then adjusted to it." : ".");
  }
  return "";
}

}  // namespace

std::string PlainCondition(const Condition& c, const ConceptTable& concepts) {
  switch (c.kind) {
    case Condition::Kind::kLab:
      return Label(c.analyte, concepts) + " is " + PlainCmp(c.cmp) + " " + FormatNumber(c.value) + " " + PlainUnit(c.unit);
    case Condition::Kind::kRise:
      return Label(c.analyte, concepts) + " has risen from the start by " + (c.cmp == Comparator::kGe ? "at least " : "") +
             FormatNumber(c.value) + " " + PlainUnit(c.unit);
    case Condition::Kind::kEvent: {
      std::string e = c.event;
      std::replace(e.begin(), e.end(), '_', ' ');
      return "there is a " + e;
    }
    case Condition::Kind::kAny:
    case Condition::Kind::kAll: {
      std::vector<std::string> parts;
      for (const Condition& p : c.parts) parts.push_back(PlainCondition(p, concepts));
      return Join(parts, c.kind == Condition::Kind::kAny ? ", or " : " and ");
    }
  }
  return "";
}

void ProtocolHtml(HtmlWriter& h, const Protocol& p, const ConceptTable& concepts) {
  bool any_agent = false;
  for (const Arm& arm : p.arms) any_agent = any_agent || !arm.agents.empty();
  if (!any_agent) {
    h << Markup("<p class=\"muted\">The record does not describe the treatment in words trialscope can read.</p>\n");
    return;
  }
  h << Markup("<p class=\"muted\">Read from the study record");
  if (!p.files.empty()) h << Markup(" and a reviewed protocol file");
  h << Markup("; see <code>trialscope protocol</code> for each part beside its source.</p>\n");
  for (const Arm& arm : p.arms) {
    if (arm.agents.empty()) continue;
    h << Markup("<div class=\"arm-plan\"><h3>") << arm.label << Markup("</h3>\n");
    for (const Agent& a : arm.agents) DayStrip(h, a, concepts);
    std::vector<std::string> rules;
    for (const ProtocolRule& r : p.rules) {
      bool applies = r.arms.empty() || std::find(r.arms.begin(), r.arms.end(), arm.label) != r.arms.end();
      if (applies && (r.agent.empty() || arm.FindAgent(r.agent))) rules.push_back(RulePlain(r, concepts));
    }
    if (!rules.empty()) {
      h << Markup("<ul class=\"rules\">");
      for (const std::string& r : rules) h << Markup("<li>") << r << Markup("</li>");
      h << Markup("</ul>\n");
    }
    h << Markup("</div>\n");
  }
  for (const Endpoint& e : p.endpoints) {
    h << Markup("<p><span class=\"k\">") << e.name << Markup(":</span> ") << PlainCondition(e.when, concepts)
      << Markup(" within ") << std::to_string(e.window_days) << Markup(" days.") << Markup("</p>\n");
  }
  for (const UnlistedArm& a : p.unlisted_arms) {
    h << Markup("<p class=\"warn\">The description also names a group, \"") << a.label
      << Markup("\", that the record's list of arms does not hold; what it receives is not shown here.</p>\n");
  }
  for (const Conflict& c : p.conflicts) {
    h << Markup("<p class=\"warn\">The record gives the ") << c.agent << Markup(" ") << c.what << Markup(" two ways (") << Join(c.values, " and ")
      << std::string(c.settled_by.empty() ? "); ask the study team which is right." : "); a reviewed protocol file settles it.")
      << Markup("</p>\n");
  }
}

}  // namespace ts
