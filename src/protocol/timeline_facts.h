// Private to the timeline: a subject's facts converted to the protocol's units, and the three-valued
// evaluation of a Condition on one day (Kleene logic: unknown unless the known parts decide).
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/strings.h"
#include "eligibility/patient.h"
#include "eligibility/screening.h"
#include "eligibility/units.h"
#include "protocol/protocol.h"
#include "protocol/protocol_lexicon.h"
#include "protocol/timeline.h"

namespace ts::timeline_internal {

inline double Round3(double v) { return std::round(v * 1000) / 1000; }

struct Value {
  double value = 0;
  PartialDate date;
};

// The subject's facts, converted and sorted by date.
struct Facts {
  std::map<std::string, std::vector<const PatientObservation*>> by_analyte;  // dated observations, by date
  std::vector<Value> weight, height;
  const Patient* patient = nullptr;
  const ProtocolLexicon* lex = nullptr;
  PartialDate start;

  // The latest value on or before `d`, converted to `unit`.
  std::optional<Value> At(const std::string& analyte, const std::string& unit, PartialDate d) const {
    auto it = by_analyte.find(analyte);
    if (it == by_analyte.end()) return std::nullopt;
    std::optional<Value> out;
    for (const PatientObservation* o : it->second) {
      if (o->date > d) break;
      auto v = ConvertUnit(o->value, o->unit, unit, 0);
      if (v.ok()) out = Value{*v, o->date};
    }
    return out;
  }
  bool HasNewValue(const std::string& analyte, PartialDate d) const {
    auto it = by_analyte.find(analyte);
    if (it == by_analyte.end()) return false;
    for (const PatientObservation* o : it->second)
      if (o->date == d) return true;
    return false;
  }
  static std::optional<Value> Latest(const std::vector<Value>& series, PartialDate d) {
    std::optional<Value> out;
    for (const Value& v : series)
      if (v.date <= d) out = v;
    return out;
  }
  Truth Event(const std::string& event, PartialDate d, std::string* why) const {
    const LexEntry* e = lex->Entry(LexKind::kEvent, event);
    std::vector<std::string> names{event};
    if (e) names.insert(names.end(), e->phrases.begin(), e->phrases.end());
    bool absent = false;
    for (const PatientRecord& r : patient->conditions) {
      std::string n = ToLowerAscii(r.name);
      if (std::find(names.begin(), names.end(), n) == names.end()) continue;
      if (r.status == RecordStatus::kAbsent) {
        absent = true;
        continue;
      }
      if ((r.start.empty() || r.start <= d) && (r.end.empty() || r.end >= d) && r.status == RecordStatus::kActive) {
        *why += (why->empty() ? "" : "; ") + r.name + " (" + r.ref + ")";
        return Truth::kTrue;
      }
    }
    if (absent || patient->complete.count("conditions")) return Truth::kFalse;
    *why += (why->empty() ? "" : "; ") + std::string("no record of ") + (e ? e->value : event);
    return Truth::kUnknown;
  }
};

// The condition on day `d`; `why` gets the values that decided it (or the missing fact).
Truth Evaluate(const Condition& c, const Facts& f, PartialDate d, std::string* why);
// True when the condition has a lab measured on `d`.
bool HasNewFact(const Condition& c, const Facts& f, PartialDate d);
// The facts of `patient` a protocol uses; InvalidArgument for an impossible weight or height, or a lab whose unit
// does not convert to the one the protocol compares it in.
Result<Facts> CollectFacts(const Protocol& p, const Patient& patient, PartialDate start, const ProtocolLexicon& lex);
PartialDate LastLabDate(const Facts& f);

}  // namespace ts::timeline_internal

namespace ts {
// The calendar, events and verdicts of one arm (timeline_days.cc).
Status FillTimeline(const Protocol& p, const Arm& arm, const timeline_internal::Facts& facts, int horizon_days, Timeline* t);
}  // namespace ts
