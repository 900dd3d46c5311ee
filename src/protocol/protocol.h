// The computable protocol of a study: arms and their agents, doses, schedules, the rules that stop, hold or
// rescue, the evaluation points, the endpoints and the randomisation. Value types only, no I/O.
//   Protocol p = ReadProtocol(study, lexicon, concepts);   // protocol_reader.h
//   p.ToString();  // every part in plain words beside the sentence it came from
// Every part keeps its Source (record field or protocol file, and the sentence). What could not be read is kept
// as text in `unread`; values the record states two ways are `conflicts`, and a dose in conflict is never computed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eligibility/rule.h"
#include "eligibility/units.h"

namespace ts {

enum class PartOrigin { kRecord, kFile };

// Where a part came from: "armGroups[1].description" (record) or "resources/protocols/x.protocol:4" (file).
struct Source {
  PartOrigin origin = PartOrigin::kRecord;
  std::string field;
  std::string sentence;
  bool operator==(const Source&) const = default;
};

// A condition over a subject's data on one day: a lab value, a change from baseline, an event, or a combination.
struct Condition {
  enum class Kind { kLab, kRise, kEvent, kAny, kAll };
  Kind kind = Kind::kLab;
  std::string analyte;      // concept id of eligibility_concepts.tsv ("platelets"); kLab / kRise
  Comparator cmp = Comparator::kLt;
  double value = 0;
  std::string unit;         // UCUM code ("10*9/L"); the subject's values are converted to it
  std::string event;        // kEvent: event id of the protocol lexicon ("bleeding_risk")
  std::vector<Condition> parts;  // kAny / kAll
  // "platelets >= 100 10*9/L", "platelets rise from baseline >= 50 10*9/L", "bleeding_risk",
  // "(platelets <= 10 10*9/L or (platelets < 20 10*9/L and bleeding_risk))".
  std::string ToString() const;
  void CollectAnalytes(std::vector<std::string>* out) const;
  bool operator==(const Condition&) const = default;
};

enum class DoseBasis { kFixed, kPerKg, kPerM2 };

// One amount: fixed, per kg or per m² of body surface, a single value or a range, per administration or per day.
struct DoseAmount {
  double low = 0;
  double high = 0;          // == low for a single value
  std::string unit;         // dose unit code of the lexicon: "mg", "ug", "IU", "U"
  DoseBasis basis = DoseBasis::kFixed;
  bool per_day = false;     // "mg/kg/day": the amount of one day
  std::string bsa_formula = "mosteller";  // kPerM2 only
  std::string ToString() const;  // "5 ug/kg", "8-10 mg/kg/day", "15000 IU/day"
  bool operator==(const DoseAmount&) const = default;
};

// A dose, possibly only under a condition ("when platelets < 50: 8-10 mg/kg/day").
struct DoseStep {
  std::optional<Condition> when;
  DoseAmount amount;
  Source source;
  bool operator==(const DoseStep&) const = default;
};

enum class ScheduleKind {
  kUnread,   // no interval read
  kDaily,
  kEveryNDays,  // weekly is every 7 days
  kCycle,    // days first..last of each cycle of `cycle_length` days
};

struct Schedule {
  ScheduleKind kind = ScheduleKind::kUnread;
  int every_days = 0;              // kEveryNDays
  int cycle_length = 0, cycle_first = 0, cycle_last = 0;  // kCycle
  std::optional<Duration> duration;      // "for up to 14 days": the last day of treatment
  std::optional<Duration> min_duration;  // "for at least 3 months": not an end
  std::optional<int> cycles;             // number of cycles (kCycle) or of intervals
  std::optional<int> max_doses;
  std::string ToString() const;  // "once daily for up to 14 d", "every 21 days", "days 1-7 of each 28-day cycle, 3 cycles"
  bool operator==(const Schedule&) const = default;
};

struct Agent {
  std::string id;           // lexicon id ("romiplostim")
  std::string name;         // as printed ("Romiplostim")
  std::string route;        // "" when not stated
  std::vector<DoseStep> doses;
  std::optional<DoseAmount> cap_per_dose;  // the largest single administration (fixed amount)
  std::optional<DoseAmount> cap_per_day;
  std::optional<double> round_to;          // round each dose to a multiple of this, in the dose unit
  Schedule schedule;
  bool dose_conflict = false;  // the record states its dose two ways: no dose is computed
  std::vector<Source> sources;
  std::string ToString() const;
  bool operator==(const Agent&) const = default;
};

struct Arm {
  std::string label;
  std::vector<Agent> agents;
  std::optional<int64_t> target_size;
  const Agent* FindAgent(std::string_view id) const;
  bool operator==(const Arm&) const = default;
};

enum class RuleAction { kStop, kHold, kRescue, kDoseChange, kEvaluate };
std::string_view RuleActionName(RuleAction a);  // "stop", "hold", "rescue", "dose_change", "evaluation"

// A rule over a subject's data ("stop the study drug if platelets >= 100"), or an evaluation point
// ("response evaluated after 3 cycles": kEvaluate with after_days and no condition).
struct ProtocolRule {
  RuleAction action = RuleAction::kStop;
  std::string agent;                 // "" = every study drug of the arm
  std::vector<std::string> arms;     // empty = every arm
  std::optional<Condition> when;
  int after_days = 0;                // kEvaluate: the evaluation is on day after_days + 1
  // kEvaluate: the sentence adjusts the dose at the evaluation ("evaluated and dosage adjusted"): from that day on
  // the dose depends on the response, and the timeline computes none.
  bool dose_adjusted = false;
  std::string then_text;             // rescue: what is given, as written
  Source source;
  std::string ToString() const;      // "stop all study drugs when platelets >= 100 10*9/L"
  bool operator==(const ProtocolRule&) const = default;
};

// An endpoint: the condition met on some day of the window (day 1 .. window_days).
struct Endpoint {
  std::string name;
  Condition when;
  int window_days = 0;
  Source source;
  std::string ToString() const;
  bool operator==(const Endpoint&) const = default;
};

struct DesignInfo {
  std::string allocation;            // "RANDOMIZED", "NON_RANDOMIZED", "NA", ""
  std::vector<int> ratio;            // 1:1 -> {1, 1}; empty when not stated
  std::optional<int64_t> target_size;
  std::vector<std::string> strata;
  std::optional<Source> ratio_source;
  bool operator==(const DesignInfo&) const = default;
};

// One value stated two ways.
struct Conflict {
  std::string arm, agent;
  std::string what;                  // "dose"
  std::vector<std::string> values;   // as read: "15000 U", "1500 U"
  std::vector<Source> sources;
  std::string settled_by;            // a protocol file line that states the value, or ""
  bool operator==(const Conflict&) const = default;
};

struct UnreadText {
  Source source;
  std::string reason;                // "not read", "a judgement of effect (if effective)", ...
  bool partly = false;               // some parts of the sentence were read
  bool operator==(const UnreadText&) const = default;
};

// A group the description names ("Control Group: patients continue their treatment") that the record's arm list
// does not hold: shown, so that an arm is never silently absent, and given no schedule.
struct UnlistedArm {
  std::string label;
  Source source;
  bool operator==(const UnlistedArm&) const = default;
};

struct Protocol {
  std::string study_key;
  std::vector<Arm> arms;
  std::vector<ProtocolRule> rules;
  std::vector<Endpoint> endpoints;
  DesignInfo design;
  std::vector<Conflict> conflicts;
  std::vector<UnreadText> unread;
  std::vector<UnlistedArm> unlisted_arms;
  std::vector<std::string> files;    // protocol files applied
  const Arm* FindArm(std::string_view label) const;  // exact, then case-insensitive
  // Plain words, one part a line, each followed by its source sentence. Tests compare it.
  std::string ToString() const;
  bool operator==(const Protocol&) const = default;
};

std::string SourceLabel(const Source& s);  // "record armGroups[0].description" / "file x.protocol:3"

}  // namespace ts
