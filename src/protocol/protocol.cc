#include "protocol/protocol.h"

#include <sstream>

#include "common/strings.h"

namespace ts {
namespace {

std::string Range(double low, double high) {
  return low == high ? FormatNumber(low) : FormatNumber(low) + "-" + FormatNumber(high);
}

std::string ArmsPhrase(const std::vector<std::string>& arms) {
  if (arms.empty()) return "";
  std::string out = " (arm";
  out += arms.size() > 1 ? "s " : " ";
  for (size_t i = 0; i < arms.size(); ++i) out += (i ? ", " : "") + arms[i];
  return out + ")";
}

void SourceLine(const Source& s, std::ostringstream& out) {
  out << "      from " << SourceLabel(s) << ": \"" << s.sentence << "\"\n";
}

}  // namespace

std::string SourceLabel(const Source& s) {
  return (s.origin == PartOrigin::kFile ? "file " : "record ") + s.field;
}

std::string Condition::ToString() const {
  switch (kind) {
    case Kind::kLab:
      return analyte + " " + std::string(ComparatorSymbol(cmp)) + " " + FormatNumber(value) + " " + unit;
    case Kind::kRise:
      return analyte + " rise from baseline " + std::string(ComparatorSymbol(cmp)) + " " + FormatNumber(value) + " " + unit;
    case Kind::kEvent:
      return event;
    case Kind::kAny:
    case Kind::kAll: {
      std::string out = "(";
      for (size_t i = 0; i < parts.size(); ++i) {
        if (i) out += kind == Kind::kAny ? " or " : " and ";
        out += parts[i].ToString();
      }
      return out + ")";
    }
  }
  return "";
}

void Condition::CollectAnalytes(std::vector<std::string>* out) const {
  if ((kind == Kind::kLab || kind == Kind::kRise) && !analyte.empty()) out->push_back(analyte);
  for (const Condition& c : parts) c.CollectAnalytes(out);
}

std::string DoseAmount::ToString() const {
  std::string out = Range(low, high) + " " + unit;
  if (basis == DoseBasis::kPerKg) out += "/kg";
  if (basis == DoseBasis::kPerM2) out += "/m2 (BSA by " + bsa_formula + ")";
  if (per_day) out += "/day";
  return out;
}

std::string Schedule::ToString() const {
  std::string out;
  switch (kind) {
    case ScheduleKind::kUnread: out = "schedule not read"; break;
    case ScheduleKind::kDaily: out = "once daily"; break;
    case ScheduleKind::kEveryNDays:
      out = every_days == 7 ? "once weekly" : "every " + std::to_string(every_days) + " days";
      break;
    case ScheduleKind::kCycle:
      out = "days " + std::to_string(cycle_first) + "-" + std::to_string(cycle_last) + " of each " +
            std::to_string(cycle_length) + "-day cycle";
      break;
  }
  if (cycles) out += ", " + std::to_string(*cycles) + " cycles";
  if (duration) out += " for up to " + duration->ToString();
  if (min_duration) out += " for at least " + min_duration->ToString();
  if (max_doses) out += ", at most " + std::to_string(*max_doses) + " doses";
  return out;
}

std::string Agent::ToString() const {
  std::string out = name;
  if (!route.empty()) out += ", " + route;
  out += ", " + schedule.ToString();
  if (cap_per_dose) out += ", no single dose above " + cap_per_dose->ToString();
  if (cap_per_day) out += ", at most " + cap_per_day->ToString() + " a day";
  if (round_to) out += ", rounded to " + FormatNumber(*round_to);
  return out;
}

const Agent* Arm::FindAgent(std::string_view id) const {
  for (const Agent& a : agents)
    if (a.id == id) return &a;
  return nullptr;
}

std::string_view RuleActionName(RuleAction a) {
  switch (a) {
    case RuleAction::kStop: return "stop";
    case RuleAction::kHold: return "hold";
    case RuleAction::kRescue: return "rescue";
    case RuleAction::kDoseChange: return "dose_change";
    case RuleAction::kEvaluate: return "evaluation";
  }
  return "";
}

std::string ProtocolRule::ToString() const {
  std::string who = agent.empty() ? "all study drugs" : agent;
  std::string out;
  switch (action) {
    case RuleAction::kStop: out = "stop " + who; break;
    case RuleAction::kHold: out = "hold " + who; break;
    case RuleAction::kRescue: out = "give rescue therapy" + (then_text.empty() ? "" : " (" + then_text + ")"); break;
    case RuleAction::kDoseChange: out = "change the dose of " + who; break;
    case RuleAction::kEvaluate:
      return "evaluate the response to " + who + " on day " + std::to_string(after_days + 1) + " (after " +
             std::to_string(after_days) + " days)" + (dose_adjusted ? ", then adjust the dose to it" : "") + ArmsPhrase(arms);
  }
  if (when) out += " when " + when->ToString();
  return out + ArmsPhrase(arms);
}

std::string Endpoint::ToString() const {
  return name + ": " + when.ToString() + " on some day of days 1-" + std::to_string(window_days);
}

const Arm* Protocol::FindArm(std::string_view label) const {
  for (const Arm& a : arms)
    if (a.label == label) return &a;
  for (const Arm& a : arms)
    if (ToLowerAscii(a.label) == ToLowerAscii(label)) return &a;
  return nullptr;
}

std::string Protocol::ToString() const {
  std::ostringstream out;
  out << "Protocol of " << study_key << "\n";
  for (const std::string& f : files) out << "  protocol file: " << f << "\n";
  for (const Arm& arm : arms) {
    out << "Arm \"" << arm.label << "\"";
    if (arm.target_size) out << " (N=" << *arm.target_size << ")";
    out << "\n";
    if (arm.agents.empty()) out << "  no agent read\n";
    for (const Agent& a : arm.agents) {
      out << "  agent " << a.ToString() << "\n";
      if (a.doses.empty()) out << "    dose: not read\n";
      for (const DoseStep& d : a.doses) {
        out << "    dose: " << (d.when ? "when " + d.when->ToString() + ": " : "") << d.amount.ToString()
            << (a.dose_conflict ? " [IN CONFLICT: no dose computed]" : "") << "\n";
        SourceLine(d.source, out);
      }
      for (const Source& s : a.sources) {
        bool shown = false;
        for (const DoseStep& d : a.doses) shown = shown || d.source == s;
        if (!shown) SourceLine(s, out);
      }
    }
  }
  for (const ProtocolRule& r : rules) {
    out << "Rule: " << r.ToString() << "\n";
    SourceLine(r.source, out);
  }
  for (const Endpoint& e : endpoints) {
    out << "Endpoint " << e.ToString() << "\n";
    SourceLine(e.source, out);
  }
  out << "Design: allocation " << (design.allocation.empty() ? "not stated" : design.allocation);
  if (!design.ratio.empty()) {
    out << ", ratio ";
    for (size_t i = 0; i < design.ratio.size(); ++i) out << (i ? ":" : "") << design.ratio[i];
  }
  out << ", target size " << (design.target_size ? std::to_string(*design.target_size) : "not stated");
  out << ", strata " << (design.strata.empty() ? "none stated" : "");
  for (size_t i = 0; i < design.strata.size(); ++i) out << (i ? ", " : "") << design.strata[i];
  out << "\n";
  if (design.ratio_source) SourceLine(*design.ratio_source, out);
  for (const Conflict& c : conflicts) {
    out << "CONFLICT: " << c.agent << " " << c.what << " in arm \"" << c.arm << "\" is stated as ";
    for (size_t i = 0; i < c.values.size(); ++i) out << (i ? " and as " : "") << c.values[i];
    out << (c.settled_by.empty() ? "; no dose is computed from it" : "; settled by " + c.settled_by) << "\n";
    for (const Source& s : c.sources) SourceLine(s, out);
  }
  for (const UnlistedArm& a : unlisted_arms) {
    out << "Arm not in the record's arm list: \"" << a.label << "\"\n";
    SourceLine(a.source, out);
  }
  for (const UnreadText& u : unread) {
    out << (u.partly ? "Partly read (" : "Not read (") << u.reason << "): \"" << u.source.sentence << "\" ["
        << SourceLabel(u.source) << "]\n";
  }
  return out.str();
}

}  // namespace ts
