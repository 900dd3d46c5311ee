#include "protocol/timeline.h"
#include "protocol/timeline_facts.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "common/strings.h"
#include "eligibility/units.h"

namespace ts::timeline_internal {
namespace {
constexpr double kMinWeightKg = 1, kMaxWeightKg = 400;
constexpr double kMinHeightCm = 30, kMaxHeightCm = 250;
}  // namespace

Truth Evaluate(const Condition& c, const Facts& f, PartialDate d, std::string* why) {
  auto compare = [](double v, Comparator cmp, double t) {
    switch (cmp) {
      case Comparator::kLt: return v < t;
      case Comparator::kLe: return v <= t;
      case Comparator::kGt: return v > t;
      case Comparator::kGe: return v >= t;
      default: return v == t;
    }
  };
  auto note = [&](const std::string& s) { *why += (why->empty() ? "" : "; ") + s; };
  switch (c.kind) {
    case Condition::Kind::kLab: {
      auto v = f.At(c.analyte, c.unit, d);
      if (!v) {
        note("no " + c.analyte + " on or before " + d.ToString());
        return Truth::kUnknown;
      }
      bool hit = compare(v->value, c.cmp, c.value);
      if (hit) note(c.analyte + " " + FormatNumber(Round3(v->value)) + " " + c.unit + " on " + v->date.ToString());
      return hit ? Truth::kTrue : Truth::kFalse;
    }
    case Condition::Kind::kRise: {
      auto base = f.At(c.analyte, c.unit, f.start);
      auto v = f.At(c.analyte, c.unit, d);
      if (!base || !v) {
        note("no baseline " + c.analyte + " on or before the start " + f.start.ToString());
        return Truth::kUnknown;
      }
      double rise = v->value - base->value;
      bool hit = compare(rise, c.cmp, c.value);
      if (hit)
        note(c.analyte + " " + FormatNumber(Round3(v->value)) + " " + c.unit + " on " + v->date.ToString() + " (rise " +
             FormatNumber(Round3(rise)) + " from baseline " + FormatNumber(Round3(base->value)) + ")");
      return hit ? Truth::kTrue : Truth::kFalse;
    }
    case Condition::Kind::kEvent: {
      std::string w;
      Truth t = f.Event(c.event, d, &w);
      if (t != Truth::kFalse) note(w);
      return t;
    }
    case Condition::Kind::kAny:
    case Condition::Kind::kAll: {
      bool any = c.kind == Condition::Kind::kAny;
      Truth out = any ? Truth::kFalse : Truth::kTrue;
      std::string sub;
      for (const Condition& p : c.parts) {
        std::string w;
        Truth t = Evaluate(p, f, d, &w);
        if (any && t == Truth::kTrue) {
          note(w);
          return Truth::kTrue;
        }
        if (!any && t == Truth::kFalse) return Truth::kFalse;
        if (t == Truth::kUnknown) out = Truth::kUnknown;
        if (!w.empty()) sub += (sub.empty() ? "" : "; ") + w;
      }
      if (out != Truth::kFalse && !sub.empty()) note(sub);
      return out;
    }
  }
  return Truth::kUnknown;
}

// True when the condition has a fact dated `d` (a lab measured that day, or an event starting that day).
bool HasNewFact(const Condition& c, const Facts& f, PartialDate d) {
  std::vector<std::string> analytes;
  c.CollectAnalytes(&analytes);
  for (const std::string& a : analytes)
    if (f.HasNewValue(a, d)) return true;
  return false;
}

Result<Facts> CollectFacts(const Protocol& p, const Patient& patient, PartialDate start, const ProtocolLexicon& lex) {
  Facts f;
  f.patient = &patient;
  f.lex = &lex;
  f.start = start;
  std::map<std::string, std::set<std::string>> units;  // analyte -> units the protocol compares it in
  auto collect = [&](const Condition& c, auto&& self) -> void {
    if (c.kind == Condition::Kind::kLab || c.kind == Condition::Kind::kRise) units[c.analyte].insert(c.unit);
    for (const Condition& part : c.parts) self(part, self);
  };
  for (const ProtocolRule& r : p.rules)
    if (r.when) collect(*r.when, collect);
  for (const Endpoint& e : p.endpoints) collect(e.when, collect);
  for (const Arm& a : p.arms)
    for (const Agent& g : a.agents)
      for (const DoseStep& s : g.doses)
        if (s.when) collect(*s.when, collect);
  for (const PatientObservation& o : patient.observations) {
    if (o.concept_id == "weight" || o.concept_id == "height") {
      bool weight = o.concept_id == "weight";
      // A dose is computed from it: a number without its unit (pounds? kilograms?) is refused, never assumed.
      if (o.unit.empty())
        return Status::InvalidArgument(o.ref + ": " + o.name + " " + FormatNumber(o.value) + " has no unit (give " +
                                       (weight ? "kg" : "cm") + ")");
      auto v = ConvertUnit(o.value, o.unit, weight ? "kg" : "cm", 0);
      if (!v.ok()) return Status::InvalidArgument(o.ref + ": " + o.name + " in '" + o.unit + "' is not a " + (weight ? "weight" : "height"));
      double lo = weight ? kMinWeightKg : kMinHeightCm, hi = weight ? kMaxWeightKg : kMaxHeightCm;
      if (!(*v >= lo && *v <= hi))
        return Status::InvalidArgument(o.ref + ": body " + (weight ? "weight " : "height ") + FormatNumber(*v) +
                                       (weight ? " kg" : " cm") + " is not possible (" + FormatNumber(lo) + "-" +
                                       FormatNumber(hi) + (weight ? " kg)" : " cm)"));
      if (o.date.empty()) return Status::InvalidArgument(o.ref + ": " + o.name + " has no date");
      (weight ? f.weight : f.height).push_back(Value{*v, o.date});
      continue;
    }
    auto want = units.find(o.concept_id);
    if (want == units.end()) continue;
    // The analytes a protocol compares (counts, concentrations) are never negative: a sign is a typing error.
    if (o.value < 0)
      return Status::InvalidArgument(o.ref + ": " + o.concept_id + " " + FormatNumber(o.value) + " " + o.unit +
                                     " is negative (a measured count or concentration cannot be)");
    for (const std::string& u : want->second) {
      auto v = ConvertUnit(o.value, o.unit, u, 0);
      if (!v.ok())
        return Status::InvalidArgument(o.ref + ": " + o.concept_id + " in '" + o.unit + "' cannot be converted to " + u);
    }
    if (o.date.empty()) return Status::InvalidArgument(o.ref + ": " + o.concept_id + " has no date");
    f.by_analyte[o.concept_id].push_back(&o);
  }
  for (auto& [a, list] : f.by_analyte)
    std::stable_sort(list.begin(), list.end(), [](auto* x, auto* y) { return x->date < y->date; });
  auto by_date = [](const Value& x, const Value& y) { return x.date < y.date; };
  std::stable_sort(f.weight.begin(), f.weight.end(), by_date);
  std::stable_sort(f.height.begin(), f.height.end(), by_date);
  return f;
}

PartialDate LastLabDate(const Facts& f) {
  PartialDate last;
  for (const auto& [a, list] : f.by_analyte)
    if (!list.empty() && list.back()->date > last) last = list.back()->date;
  return last;
}

}  // namespace ts::timeline_internal

namespace ts {
using namespace timeline_internal;

std::optional<double> BodySurfaceArea(std::string_view formula, double weight_kg, double height_cm) {
  if (formula == "mosteller") return std::sqrt(weight_kg * height_cm / 3600.0);
  if (formula == "du_bois") return 0.007184 * std::pow(weight_kg, 0.425) * std::pow(height_cm, 0.725);
  return std::nullopt;
}

Result<Timeline> BuildTimeline(const Protocol& protocol, const Patient& patient, const TimelineRequest& request,
                               const ProtocolLexicon& lex) {
  const Arm* arm = protocol.FindArm(request.arm);
  if (!arm) {
    std::string names;
    for (const Arm& a : protocol.arms) names += (names.empty() ? "\"" : ", \"") + a.label + "\"";
    return Status::InvalidArgument("study " + protocol.study_key + " has no arm \"" + request.arm + "\" (arms: " +
                                   (names.empty() ? "none" : names) + ")");
  }
  if (request.start.empty() || request.start.day == 0)
    return Status::InvalidArgument("the start must be a full date YYYY-MM-DD");
  if (request.horizon_days < 0 || request.horizon_days > kMaxTimelineDays)
    return Status::InvalidArgument("the horizon must be 1-" + std::to_string(kMaxTimelineDays) + " days");
  auto facts = CollectFacts(protocol, patient, request.start, lex);
  if (!facts.ok()) return facts.status();
  Timeline t;
  t.study_key = protocol.study_key;
  t.arm = arm->label;
  t.start = request.start;
  for (const std::string& w : patient.warnings) t.warnings.push_back("patient: " + w);
  Status s = FillTimeline(protocol, *arm, *facts, request.horizon_days, &t);
  if (!s.ok()) return s;
  return t;
}

std::string Timeline::ToString() const {
  std::ostringstream out;
  out << "Timeline of " << study_key << ", arm \"" << arm << "\", from " << start.ToString() << " (" << days << " days)\n";
  for (const DoseEntry& d : doses) {
    out << "dose " << d.date.ToString() << " day " << d.day << " " << d.agent << " ";
    if (!d.amount) {
      out << "unknown: " << d.note << "\n";
      continue;
    }
    out << FormatNumber(*d.amount);
    if (d.amount_high && *d.amount_high != *d.amount) out << "-" << FormatNumber(*d.amount_high);
    out << " " << d.unit << (d.capped ? " capped" : "") << (d.rounded ? " rounded" : "") << " (" << d.note << ")\n";
  }
  for (const RuleEvent& e : events)
    out << "event " << e.date.ToString() << " day " << e.day << " " << RuleActionName(e.kind) << ": " << e.rule << " -- "
        << e.reason << "\n";
  for (const EndpointVerdict& e : endpoints) {
    out << "endpoint " << e.name << ": ";
    if (e.met == Truth::kTrue) out << "met on " << e.date.ToString();
    else out << (e.met == Truth::kFalse ? "not met" : "unknown");
    out << " -- " << e.reason << "\n";
  }
  for (const std::string& w : warnings) out << "warning " << w << "\n";
  return out.str();
}

}  // namespace ts
