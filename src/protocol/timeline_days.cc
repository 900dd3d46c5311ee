// The day-by-day part of the timeline: which agents are due, their amounts, the rules applied to each day's labs,
// the evaluation points and the endpoint verdicts.
#include <algorithm>
#include <cmath>
#include <set>

#include "protocol/timeline_facts.h"

namespace ts {
namespace {

using timeline_internal::Facts;

int DurationDays(const Duration& d) { return static_cast<int>(std::lround(d.Days())); }

// The last day an agent can be given (0: no stated end).
int LastDay(const Agent& a) {
  const Schedule& s = a.schedule;
  int last = 0;
  auto take = [&](int d) {
    if (d > 0) last = last == 0 ? d : std::min(last, d);
  };
  if (s.duration) take(DurationDays(*s.duration));
  if (s.kind == ScheduleKind::kCycle && s.cycles) take((*s.cycles - 1) * s.cycle_length + s.cycle_last);
  if (s.max_doses) {
    if (s.kind == ScheduleKind::kDaily) take(*s.max_doses);
    if (s.kind == ScheduleKind::kEveryNDays) take((*s.max_doses - 1) * s.every_days + 1);
  }
  return last;
}

bool Due(const Schedule& s, int day) {
  switch (s.kind) {
    case ScheduleKind::kUnread: return false;
    case ScheduleKind::kDaily: return true;
    case ScheduleKind::kEveryNDays: return s.every_days > 0 && (day - 1) % s.every_days == 0;
    case ScheduleKind::kCycle: {
      if (s.cycle_length <= 0) return false;
      int in_cycle = (day - 1) % s.cycle_length + 1;
      int cycle = (day - 1) / s.cycle_length;
      return in_cycle >= s.cycle_first && in_cycle <= s.cycle_last && (!s.cycles || cycle < *s.cycles);
    }
  }
  return false;
}

// Base amount (in the family's base unit) of one unit of a dose unit code; nullopt when the lexicon lacks it.
std::optional<std::pair<std::string, double>> UnitFamily(const ProtocolLexicon& lex, const std::string& unit) {
  const LexEntry* e = lex.Entry(LexKind::kDoseUnit, unit);
  if (!e) return std::nullopt;
  size_t colon = e->value.find(':');
  double f = 0;
  if (colon == std::string::npos || !ParseDouble(e->value.substr(colon + 1), &f)) return std::nullopt;
  return std::make_pair(e->value.substr(0, colon), f);
}

bool RuleApplies(const ProtocolRule& r, const Arm& arm) {
  if (!r.arms.empty() && std::find(r.arms.begin(), r.arms.end(), arm.label) == r.arms.end()) return false;
  return r.agent.empty() || arm.FindAgent(r.agent) != nullptr;
}

struct AgentState {
  bool stopped = false, held = false;
  int given = 0;
  int last_step = -1;
};

class DayRunner {
 public:
  DayRunner(const Protocol& p, const Arm& arm, const Facts& f, Timeline* t)
      : p_(p), arm_(arm), f_(f), t_(t), state_(arm.agents.size()) {}

  void Run(int horizon) {
    std::set<std::string> warned;
    for (int day = 1; day <= horizon; ++day) {
      PartialDate date = PartialDate::FromDays(t_->start.ToDays() + day - 1);
      ApplyRules(day, date, &warned);
      for (size_t i = 0; i < arm_.agents.size(); ++i) GiveDose(i, day, date);
    }
  }

 private:
  void ApplyRules(int day, PartialDate date, std::set<std::string>* warned) {
    for (const ProtocolRule& r : p_.rules) {
      if (!RuleApplies(r, arm_)) continue;
      if (r.action == RuleAction::kEvaluate) {
        if (day == r.after_days + 1) t_->events.push_back({date, day, r.action, r.ToString(), "day " + std::to_string(day) + " of treatment"});
        continue;
      }
      if (!r.when || (day > 1 && !timeline_internal::HasNewFact(*r.when, f_, date))) continue;
      std::string why;
      Truth truth = timeline_internal::Evaluate(*r.when, f_, date, &why);
      if (truth == Truth::kUnknown) {
        if (warned->insert(r.ToString()).second)
          t_->warnings.push_back("rule \"" + r.ToString() + "\" cannot be applied on " + date.ToString() + ": " + why);
        continue;
      }
      bool fires = truth == Truth::kTrue;
      for (size_t i = 0; i < arm_.agents.size(); ++i) {
        if (!r.agent.empty() && arm_.agents[i].id != r.agent) continue;
        if (r.action == RuleAction::kStop && fires) state_[i].stopped = true;
        if (r.action == RuleAction::kHold) state_[i].held = fires;
      }
      if (fires && (r.action != RuleAction::kStop || !already_stopped_.count(&r))) {
        if (r.action == RuleAction::kStop) already_stopped_.insert(&r);
        t_->events.push_back({date, day, r.action, r.ToString(), why});
      }
    }
  }

  // The evaluation rule from whose day on `a`'s dose is adjusted to the response, if `day` is on or after it.
  const ProtocolRule* AdjustedBy(const Agent& a, int day) const {
    for (const ProtocolRule& r : p_.rules) {
      if (r.action == RuleAction::kEvaluate && r.dose_adjusted && RuleApplies(r, arm_) &&
          (r.agent.empty() || r.agent == a.id) && day >= r.after_days + 1) {
        return &r;
      }
    }
    return nullptr;
  }

  // The step that applies on `date`: -1 with `why` naming the missing fact, -2 when no step applies.
  int ChooseStep(const Agent& a, PartialDate date, std::string* why) {
    bool unknown = false;
    for (size_t k = 0; k < a.doses.size(); ++k) {
      if (!a.doses[k].when) return static_cast<int>(k);
      std::string w;
      Truth t = timeline_internal::Evaluate(*a.doses[k].when, f_, date, &w);
      if (t == Truth::kTrue) {
        *why = w;
        return static_cast<int>(k);
      }
      if (t == Truth::kUnknown) {
        unknown = true;
        *why = w;
      }
    }
    return unknown ? -1 : -2;
  }

  void GiveDose(size_t i, int day, PartialDate date) {
    const Agent& a = arm_.agents[i];
    AgentState& st = state_[i];
    if (st.stopped || st.held || !Due(a.schedule, day)) return;
    int last = LastDay(a);
    if (last > 0 && day > last) return;
    if (a.schedule.max_doses && st.given >= *a.schedule.max_doses) return;
    DoseEntry e{date, day, a.name, std::nullopt, std::nullopt, "", false, false, ""};
    ++st.given;
    if (a.dose_conflict) {
      e.note = "the record states this dose two ways (see the protocol's conflicts): no dose computed";
      t_->doses.push_back(std::move(e));
      return;
    }
    if (const ProtocolRule* adj = AdjustedBy(a, day)) {
      e.note = "from day " + std::to_string(adj->after_days + 1) + " the dose is adjusted to the response (\"" +
               adj->ToString() + "\"): not computed";
      t_->doses.push_back(std::move(e));
      return;
    }
    if (a.doses.empty()) {
      e.note = "no dose read for " + a.name;
      t_->doses.push_back(std::move(e));
      return;
    }
    std::string why;
    int k = ChooseStep(a, date, &why);
    if (k == -2) {
      --st.given;
      return;
    }
    if (k == -1) {
      e.note = "the dose depends on a lab: " + why;
      t_->doses.push_back(std::move(e));
      return;
    }
    const DoseStep& step = a.doses[static_cast<size_t>(k)];
    if (st.last_step >= 0 && st.last_step != k) {
      t_->events.push_back({date, day, RuleAction::kDoseChange,
                            a.name + " " + (step.when ? "when " + step.when->ToString() + ": " : "") + step.amount.ToString(),
                            why});
    }
    st.last_step = k;
    Compute(a, step.amount, date, &e);
    t_->doses.push_back(std::move(e));
  }

  void Compute(const Agent& a, const DoseAmount& amt, PartialDate date, DoseEntry* e) {
    double factor = 1;
    std::string basis;
    if (amt.basis != DoseBasis::kFixed) {
      auto w = Facts::Latest(f_.weight, date);
      if (!w) {
        e->note = "no body weight (LOINC 29463-7) on or before " + date.ToString();
        return;
      }
      factor = w->value;
      basis = " x " + FormatNumber(w->value) + " kg";
      if (amt.basis == DoseBasis::kPerM2) {
        auto h = Facts::Latest(f_.height, date);
        if (!h) {
          e->note = "no body height (LOINC 8302-2) on or before " + date.ToString() + " for the body surface area";
          return;
        }
        auto bsa = BodySurfaceArea(amt.bsa_formula, w->value, h->value);
        if (!bsa) {
          e->note = "unknown body surface formula '" + amt.bsa_formula + "'";
          return;
        }
        factor = timeline_internal::Round3(*bsa);
        basis = " x " + FormatNumber(factor) + " m2 (" + amt.bsa_formula + ", " + FormatNumber(w->value) + " kg, " +
                FormatNumber(h->value) + " cm)";
      }
    }
    double low = timeline_internal::Round3(amt.low * factor), high = timeline_internal::Round3(amt.high * factor);
    std::string note = amt.ToString() + basis;
    if (amt.basis != DoseBasis::kFixed) note += " = " + FormatNumber(low) + (high != low ? "-" + FormatNumber(high) : "") + " " + amt.unit;
    auto apply_cap = [&](const std::optional<DoseAmount>& cap, const char* what, const char* after) {
      if (!cap) return;
      auto fam = UnitFamily(lex(), amt.unit), cfam = UnitFamily(lex(), cap->unit);
      if (!fam || !cfam || fam->first != cfam->first) {
        t_->warnings.push_back(a.name + ": the cap " + cap->ToString() + " is not in the dose's unit");
        return;
      }
      double limit = timeline_internal::Round3(cap->low * cfam->second / fam->second);
      if (high > limit || low > limit) {
        e->capped = true;
        note += "; " + std::string(what) + " " + cap->ToString() + after;
        high = std::min(high, limit);
        low = std::min(low, limit);
      }
    };
    apply_cap(a.cap_per_dose, "no single dose above", "");
    if (amt.per_day || a.schedule.kind == ScheduleKind::kDaily) apply_cap(a.cap_per_day, "at most", " a day");
    if (a.round_to && *a.round_to > 0) {
      double rl = std::round(low / *a.round_to) * *a.round_to, rh = std::round(high / *a.round_to) * *a.round_to;
      if (rl != low || rh != high) e->rounded = true;
      low = rl;
      high = rh;
      note += "; rounded to " + FormatNumber(*a.round_to) + " " + amt.unit;
    }
    e->amount = low;
    if (high != low) e->amount_high = high;
    e->unit = amt.unit + (amt.per_day ? "/day" : "");
    e->note = note;
  }

  const ProtocolLexicon& lex() const { return *f_.lex; }

  const Protocol& p_;
  const Arm& arm_;
  const Facts& f_;
  Timeline* t_;
  std::vector<AgentState> state_;
  std::set<const ProtocolRule*> already_stopped_;
};

EndpointVerdict Judge(const Endpoint& ep, const Facts& f, PartialDate start) {
  EndpointVerdict v{ep.name, Truth::kFalse, {}, ""};
  bool unknown = false, any = false;
  int last_seen = 0;  // the last day a new value of the endpoint's labs was judged
  std::string last_why;
  for (int day = 1; day <= ep.window_days; ++day) {
    PartialDate date = PartialDate::FromDays(start.ToDays() + day - 1);
    if (day > 1 && !timeline_internal::HasNewFact(ep.when, f, date)) continue;
    std::string why;
    Truth t = timeline_internal::Evaluate(ep.when, f, date, &why);
    if (t == Truth::kTrue) {
      v.met = Truth::kTrue;
      v.date = date;
      v.reason = "day " + std::to_string(day) + ": " + why;
      return v;
    }
    if (t == Truth::kUnknown) {
      unknown = true;
      last_why = why;
    } else {
      any = true;
      last_seen = day;
    }
  }
  // Labs that stop before the window ends do not show the endpoint unmet: a patient seen only at baseline, or last
  // on day 9 of 14, may have met it later. Only a value on the window's last day makes "not met" (one after the
  // window says nothing of the days between).
  if (!unknown && any && last_seen < ep.window_days) {
    v.met = Truth::kUnknown;
    v.reason = "not met in the labs up to day " + std::to_string(last_seen) + "; none from then to day " +
               std::to_string(ep.window_days) + ", the end of the window";
    return v;
  }
  if (unknown || !any) {
    v.met = Truth::kUnknown;
    v.reason = unknown ? last_why : "no value of the endpoint's labs in days 1-" + std::to_string(ep.window_days);
    return v;
  }
  v.reason = "not met in the labs of days 1-" + std::to_string(ep.window_days) + " (" + ep.when.ToString() + ")";
  return v;
}

}  // namespace

std::vector<int> ScheduledDays(const Agent& agent, int horizon) {
  std::vector<int> out;
  int last = LastDay(agent);
  for (int day = 1; day <= horizon && day <= kMaxTimelineDays; ++day) {
    if (last > 0 && day > last) break;
    if (!Due(agent.schedule, day)) continue;
    if (agent.schedule.max_doses && static_cast<int>(out.size()) >= *agent.schedule.max_doses) break;
    out.push_back(day);
  }
  return out;
}

int ScheduleLastDay(const Agent& agent) { return LastDay(agent); }

Status FillTimeline(const Protocol& p, const Arm& arm, const Facts& facts, int horizon_days, Timeline* t) {
  int horizon = horizon_days;
  if (horizon == 0) {
    bool open_ended = false;
    int at_least = 0;  // "for at least 3 months": the calendar runs at least that long, though it is no end
    for (const Agent& a : arm.agents) {
      int last = LastDay(a);
      if (last == 0 && a.schedule.kind != ScheduleKind::kUnread) open_ended = true;
      if (a.schedule.min_duration) at_least = std::max(at_least, DurationDays(*a.schedule.min_duration));
      horizon = std::max(horizon, last);
    }
    for (const Endpoint& e : p.endpoints) horizon = std::max(horizon, e.window_days);
    PartialDate last_lab = timeline_internal::LastLabDate(facts);
    int lab_day = last_lab.empty() ? 0 : static_cast<int>(last_lab.ToDays() - t->start.ToDays()) + 1;
    if (open_ended || horizon == 0) {
      horizon = std::max({horizon, lab_day, at_least});
      std::string why = at_least > 0 && at_least >= lab_day ? "the longest stated minimum (day " : "the last lab (day ";
      t->warnings.push_back("a schedule with no stated end: the calendar runs to " + why +
                            std::to_string(std::max(horizon, 1)) + ")");
    }
    horizon = std::clamp(horizon, 1, kMaxTimelineDays);
  }
  for (const Agent& a : arm.agents) {
    if (a.schedule.kind == ScheduleKind::kUnread) t->warnings.push_back(a.name + ": schedule not read, no dose days");
  }
  t->days = horizon;
  DayRunner(p, arm, facts, t).Run(horizon);
  std::stable_sort(t->events.begin(), t->events.end(), [](const RuleEvent& x, const RuleEvent& y) { return x.day < y.day; });
  for (const Endpoint& e : p.endpoints) t->endpoints.push_back(Judge(e, facts, t->start));
  return Status::Ok();
}

}  // namespace ts
