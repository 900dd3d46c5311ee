#include "protocol/protocol_json.h"

#include "common/json_writer.h"

namespace ts {
namespace {

void WriteSource(JsonWriter& w, const Source& s) {
  w.Key("source");
  w.BeginObject();
  w.Key("origin"); w.String(s.origin == PartOrigin::kFile ? "file" : "record");
  w.Key("field"); w.String(s.field);
  w.Key("sentence"); w.String(s.sentence);
  w.EndObject();
}

void WriteDose(JsonWriter& w, const DoseAmount& d) {
  w.BeginObject();
  w.Key("low"); w.Double(d.low);
  w.Key("high"); w.Double(d.high);
  w.Key("unit"); w.String(d.unit);
  w.Key("basis"); w.String(d.basis == DoseBasis::kFixed ? "fixed" : d.basis == DoseBasis::kPerKg ? "per_kg" : "per_m2");
  w.Key("perDay"); w.Bool(d.per_day);
  if (d.basis == DoseBasis::kPerM2) { w.Key("bsaFormula"); w.String(d.bsa_formula); }
  w.Key("text"); w.String(d.ToString());
  w.EndObject();
}

void WriteAgent(JsonWriter& w, const Agent& a) {
  w.BeginObject();
  w.Key("id"); w.String(a.id);
  w.Key("name"); w.String(a.name);
  w.Key("route"); a.route.empty() ? w.Null() : w.String(a.route);
  w.Key("schedule"); w.String(a.schedule.ToString());
  w.Key("scheduleRead"); w.Bool(a.schedule.kind != ScheduleKind::kUnread);
  w.Key("doses");
  w.BeginArray();
  for (const DoseStep& d : a.doses) {
    w.BeginObject();
    w.Key("when"); d.when ? w.String(d.when->ToString()) : w.Null();
    w.Key("amount"); WriteDose(w, d.amount);
    WriteSource(w, d.source);
    w.EndObject();
  }
  w.EndArray();
  w.Key("capPerDose"); a.cap_per_dose ? WriteDose(w, *a.cap_per_dose) : w.Null();
  w.Key("capPerDay"); a.cap_per_day ? WriteDose(w, *a.cap_per_day) : w.Null();
  w.Key("roundTo"); a.round_to ? w.Double(*a.round_to) : w.Null();
  w.Key("doseConflict"); w.Bool(a.dose_conflict);
  w.Key("text"); w.String(a.ToString());
  w.Key("sources");
  w.BeginArray();
  for (const Source& s : a.sources) {
    w.BeginObject();
    w.Key("origin"); w.String(s.origin == PartOrigin::kFile ? "file" : "record");
    w.Key("field"); w.String(s.field);
    w.Key("sentence"); w.String(s.sentence);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void WriteStrings(JsonWriter& w, const std::vector<std::string>& v) {
  w.BeginArray();
  for (const std::string& s : v) w.String(s);
  w.EndArray();
}

void WriteRulesAndEndpoints(JsonWriter& w, const Protocol& p) {
  w.Key("rules");
  w.BeginArray();
  for (const ProtocolRule& r : p.rules) {
    w.BeginObject();
    w.Key("kind"); w.String(RuleActionName(r.action));
    w.Key("agent"); r.agent.empty() ? w.Null() : w.String(r.agent);
    w.Key("arms"); WriteStrings(w, r.arms);
    w.Key("when"); r.when ? w.String(r.when->ToString()) : w.Null();
    if (r.action == RuleAction::kEvaluate) {
      w.Key("day");
      w.Int(r.after_days + 1);
      w.Key("doseAdjusted");
      w.Bool(r.dose_adjusted);
    }
    w.Key("text"); w.String(r.ToString());
    WriteSource(w, r.source);
    w.EndObject();
  }
  w.EndArray();
  w.Key("endpoints");
  w.BeginArray();
  for (const Endpoint& e : p.endpoints) {
    w.BeginObject();
    w.Key("name"); w.String(e.name);
    w.Key("when"); w.String(e.when.ToString());
    w.Key("windowDays"); w.Int(e.window_days);
    WriteSource(w, e.source);
    w.EndObject();
  }
  w.EndArray();
}

void WriteFindings(JsonWriter& w, const Protocol& p) {
  w.Key("conflicts");
  w.BeginArray();
  for (const Conflict& c : p.conflicts) {
    w.BeginObject();
    w.Key("arm"); w.String(c.arm);
    w.Key("agent"); w.String(c.agent);
    w.Key("what"); w.String(c.what);
    w.Key("values"); WriteStrings(w, c.values);
    w.Key("settledBy"); c.settled_by.empty() ? w.Null() : w.String(c.settled_by);
    w.Key("sources");
    w.BeginArray();
    for (const Source& s : c.sources) {
      w.BeginObject();
      w.Key("field"); w.String(s.field);
      w.Key("sentence"); w.String(s.sentence);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("unlistedArms");
  w.BeginArray();
  for (const UnlistedArm& a : p.unlisted_arms) {
    w.BeginObject();
    w.Key("label"); w.String(a.label);
    WriteSource(w, a.source);
    w.EndObject();
  }
  w.EndArray();
  w.Key("unread");
  w.BeginArray();
  for (const UnreadText& u : p.unread) {
    w.BeginObject();
    w.Key("partly"); w.Bool(u.partly);
    w.Key("reason"); w.String(u.reason);
    WriteSource(w, u.source);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

std::string ProtocolJson(const Protocol& p, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("study"); w.String(p.study_key);
  w.Key("files"); WriteStrings(w, p.files);
  w.Key("arms");
  w.BeginArray();
  for (const Arm& arm : p.arms) {
    w.BeginObject();
    w.Key("label"); w.String(arm.label);
    w.Key("targetSize"); arm.target_size ? w.Int(*arm.target_size) : w.Null();
    w.Key("agents");
    w.BeginArray();
    for (const Agent& a : arm.agents) WriteAgent(w, a);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  WriteRulesAndEndpoints(w, p);
  w.Key("design");
  w.BeginObject();
  w.Key("allocation"); w.String(p.design.allocation);
  w.Key("ratio");
  w.BeginArray();
  for (int r : p.design.ratio) w.Int(r);
  w.EndArray();
  w.Key("targetSize"); p.design.target_size ? w.Int(*p.design.target_size) : w.Null();
  w.Key("strata"); WriteStrings(w, p.design.strata);
  w.EndObject();
  WriteFindings(w, p);
  w.EndObject();
  return w.Take();
}

std::string TimelineJson(const Timeline& t, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("study"); w.String(t.study_key);
  w.Key("arm"); w.String(t.arm);
  w.Key("start"); w.String(t.start.ToString());
  w.Key("days"); w.Int(t.days);
  w.Key("doses");
  w.BeginArray();
  for (const DoseEntry& d : t.doses) {
    w.BeginObject();
    w.Key("date"); w.String(d.date.ToString());
    w.Key("day"); w.Int(d.day);
    w.Key("agent"); w.String(d.agent);
    w.Key("amount"); d.amount ? w.Double(*d.amount) : w.Null();
    if (d.amount_high) { w.Key("amountHigh"); w.Double(*d.amount_high); }
    w.Key("unit"); d.unit.empty() ? w.Null() : w.String(d.unit);
    w.Key("capped"); w.Bool(d.capped);
    w.Key("rounded"); w.Bool(d.rounded);
    w.Key("note"); w.String(d.note);
    w.EndObject();
  }
  w.EndArray();
  w.Key("events");
  w.BeginArray();
  for (const RuleEvent& e : t.events) {
    w.BeginObject();
    w.Key("date"); w.String(e.date.ToString());
    w.Key("day"); w.Int(e.day);
    w.Key("kind"); w.String(RuleActionName(e.kind));
    w.Key("rule"); w.String(e.rule);
    w.Key("reason"); w.String(e.reason);
    w.EndObject();
  }
  w.EndArray();
  w.Key("endpoints");
  w.BeginArray();
  for (const EndpointVerdict& e : t.endpoints) {
    w.BeginObject();
    w.Key("name"); w.String(e.name);
    w.Key("met");
    if (e.met == Truth::kUnknown) w.Null();
    else w.Bool(e.met == Truth::kTrue);
    w.Key("date"); e.date.empty() ? w.Null() : w.String(e.date.ToString());
    w.Key("reason"); w.String(e.reason);
    w.EndObject();
  }
  w.EndArray();
  w.Key("warnings"); WriteStrings(w, t.warnings);
  w.EndObject();
  return w.Take();
}

}  // namespace ts
