// A subject's timeline under a protocol: the dose calendar, the rule events, and each endpoint's verdict.
//   TimelineRequest req{"Experimental arm", *PartialDate::Parse("2026-01-05")};
//   Result<Timeline> t = BuildTimeline(protocol, patient, req, lex);
// Day 1 is the start date. On each day the rules are applied first (to the labs dated that day), then the day's
// doses are given, so a stop on day 12 means no dose on day 12. A dose needs the facts it depends on: a missing
// weight, height or lab gives an unknown dose that names the missing fact, never an amount.
// Errors (InvalidArgument): an arm the protocol does not have; a start date that is not a full date; a weight
// outside 1-400 kg or a height outside 30-250 cm; a lab the rules use in a unit that does not convert.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/date.h"
#include "eligibility/patient.h"
#include "eligibility/screening.h"
#include "protocol/protocol.h"
#include "protocol/protocol_lexicon.h"

namespace ts {

struct TimelineRequest {
  std::string arm;
  PartialDate start;
  int horizon_days = 0;  // 0: the schedule's end, else the last lab (at most kMaxTimelineDays)
};
inline constexpr int kMaxTimelineDays = 730;

struct DoseEntry {
  PartialDate date;
  int day = 0;
  std::string agent;
  std::optional<double> amount;       // nullopt: unknown (see note)
  std::optional<double> amount_high;  // a range ("8-10 mg/kg/day" at 60 kg: 480-600)
  std::string unit;                   // "ug", "mg", "IU"; per_day doses say so in `note`
  bool capped = false;
  bool rounded = false;
  std::string note;                   // how it was computed, or the missing fact
  bool operator==(const DoseEntry&) const = default;
};

struct RuleEvent {
  PartialDate date;
  int day = 0;
  RuleAction kind = RuleAction::kStop;
  std::string rule;    // ProtocolRule::ToString()
  std::string reason;  // the values that fired it: "platelets 72 10*9/L on 2026-01-12 (rise 52 from baseline 20)"
  bool operator==(const RuleEvent&) const = default;
};

struct EndpointVerdict {
  std::string name;
  Truth met = Truth::kUnknown;
  PartialDate date;    // the day it was met
  std::string reason;
  bool operator==(const EndpointVerdict&) const = default;
};

struct Timeline {
  std::string study_key, arm;
  PartialDate start;
  int days = 0;
  std::vector<DoseEntry> doses;
  std::vector<RuleEvent> events;
  std::vector<EndpointVerdict> endpoints;
  std::vector<std::string> warnings;
  // One line a dose, event, endpoint and warning; tests compare lines.
  std::string ToString() const;
};

// `lex` gives the event words a patient's conditions are matched with and the dose unit families.
Result<Timeline> BuildTimeline(const Protocol& protocol, const Patient& patient, const TimelineRequest& request,
                               const ProtocolLexicon& lex);

// The days 1..horizon on which the agent is due by its schedule alone (no rules, no facts): for drawing a schedule.
std::vector<int> ScheduledDays(const Agent& agent, int horizon);
// The last day the agent can be given by its schedule (duration, cycles, maximum number of doses); 0 when none is stated.
int ScheduleLastDay(const Agent& agent);

// Body surface area in m² by a named formula ("mosteller", "du_bois"); nullopt for an unknown formula.
std::optional<double> BodySurfaceArea(std::string_view formula, double weight_kg, double height_cm);

}  // namespace ts
