#include "protocol/protocol_reader.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "common/strings.h"
#include "model/enums.h"
#include "protocol/protocol_scan.h"

namespace ts {
namespace {

using protocol_scan::Sentence;

// What one agent's part of a sentence states.
struct AgentStatement {
  std::string agent, name;
  std::vector<std::string> arms;
  std::optional<DoseStep> dose;
  std::optional<DoseAmount> cap_per_dose, cap_per_day;
  std::optional<double> round_to;
  std::string route;
  protocol_scan::TimeRead times;
  std::optional<std::string> schedule_word;  // daily / weekly / unclear
  bool ambiguous_dose = false;
  Source source;
};

// What a sentence left out, and why.
struct Leftover {
  std::vector<std::string> reasons;
  void Add(std::string r) {
    if (std::find(reasons.begin(), reasons.end(), r) == reasons.end()) reasons.push_back(std::move(r));
  }
};

// The reader's state over the texts of one protocol.
struct ReadState {
  const ProtocolLexicon& lex;
  const ConceptTable& concepts;
  bool authoritative;
  Protocol* protocol;
  std::map<std::string, bool> schedule_blocked;  // arm|agent: the record's schedule words are unclear
};

std::string Key(const std::string& arm, const std::string& agent) { return arm + "|" + agent; }

Arm* ArmFor(Protocol* p, const std::string& label) {
  for (Arm& a : p->arms)
    if (a.label == label) return &a;
  p->arms.push_back(Arm{label, {}, std::nullopt});
  return &p->arms.back();
}

Agent* AgentFor(Arm* arm, const std::string& id, const std::string& name) {
  for (Agent& a : arm->agents)
    if (a.id == id) return &a;
  Agent a;
  a.id = id;
  a.name = name;
  arm->agents.push_back(std::move(a));
  return &arm->agents.back();
}

void AddSource(std::vector<Source>* sources, const Source& s) {
  for (const Source& have : *sources)
    if (have.sentence == s.sentence && have.field == s.field && have.origin == s.origin) return;
  sources->push_back(s);
}

// Splits [begin, end) at commas and parentheses that are not inside a number ("15,000").
std::vector<std::pair<size_t, size_t>> Clauses(const Sentence& s, size_t begin, size_t end) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t from = begin;
  for (size_t i = begin; i < end; ++i) {
    char c = s.lower[i];
    bool cut = c == '(' || c == ')' || c == ';' ||
               (c == ',' && !(i > 0 && i + 1 < s.lower.size() && isdigit(static_cast<unsigned char>(s.lower[i - 1])) &&
                              isdigit(static_cast<unsigned char>(s.lower[i + 1]))));
    if (cut) {
      if (i > from) out.emplace_back(from, i);
      from = i + 1;
    }
  }
  if (end > from) out.emplace_back(from, end);
  return out;
}

// Reads one clause of an agent's segment into `st`.
void ReadClause(const Sentence& s, size_t b, size_t e, const ReadState& rs, AgentStatement* st, Leftover* left) {
  std::string_view clause = std::string_view(s.lower).substr(b, e - b);
  // "will be given once weekly upon the occurrence of ...": what follows the phrase is not read.
  if (auto after = rs.lex.FindAll(LexKind::kUnsafeAfter, clause); !after.empty()) {
    left->Add(after[0].entry->value + " (\"" + std::string(Trim(std::string_view(s.text).substr(b + after[0].begin, e - b - after[0].begin))) + "\")");
    e = b + after[0].begin;
    clause = clause.substr(0, after[0].begin);
  }
  if (auto unsafe = rs.lex.FindAll(LexKind::kUnsafe, clause); !unsafe.empty()) {
    left->Add(unsafe[0].entry->value + " (\"" + std::string(Trim(std::string_view(s.text).substr(b, e - b))) + "\")");
    return;
  }
  for (const LexMatch& m : rs.lex.FindAll(LexKind::kCaveat, clause)) left->Add(m.entry->value);
  auto cap_dose = rs.lex.FindAll(LexKind::kCapDose, clause);
  auto cap_day = rs.lex.FindAll(LexKind::kCapDay, clause);
  auto round = rs.lex.FindAll(LexKind::kRound, clause);
  size_t cue_at = e;
  if (!cap_dose.empty()) cue_at = b + cap_dose[0].begin;
  if (!cap_day.empty()) cue_at = std::min(cue_at, b + cap_day[0].begin);
  if (!round.empty()) cue_at = std::min(cue_at, b + round[0].begin);
  for (const auto& d : protocol_scan::FindDoses(s, b, e, rs.lex)) {
    if (d.dangling) {
      left->Add("a dose range without its first number");
      st->ambiguous_dose = true;
      continue;
    }
    if (d.begin > cue_at) {
      if (!round.empty() && d.begin >= b + round[0].end) st->round_to = d.amount.low;
      else if (!cap_dose.empty() && d.begin >= b + cap_dose[0].end) st->cap_per_dose = d.amount;
      else if (!cap_day.empty()) st->cap_per_day = d.amount;
      continue;
    }
    if (st->dose && !(st->dose->amount == d.amount)) {
      left->Add("two doses for one agent");
      st->ambiguous_dose = true;
      continue;
    }
    st->dose = DoseStep{std::nullopt, d.amount, st->source};
  }
  for (const LexMatch& m : rs.lex.FindAll(LexKind::kRoute, clause)) {
    if (!st->route.empty() && st->route != m.entry->value) left->Add("two routes");
    st->route = m.entry->value;
  }
  for (const LexMatch& m : rs.lex.FindAll(LexKind::kSchedule, clause)) {
    if (m.entry->canonical == "unclear") left->Add("an interval that is not fixed (\"" + std::string(clause.substr(m.begin, m.end - m.begin)) + "\")");
    if (st->schedule_word && *st->schedule_word != m.entry->canonical) st->schedule_word = "unclear";
    else st->schedule_word = m.entry->canonical;
  }
  protocol_scan::ReadTimes(s, b, e, rs.lex, &st->times);
}

// Each agent mentioned in the sentence with the text up to the next agent. A segment whose agent follows
// another with only connecting words between them ("herombopag + cyclosporine (10 mg/day)") cannot say whose
// dose follows: its dose is ambiguous.
std::vector<AgentStatement> ReadAgentSegments(const Sentence& s, const ProtocolText& t, const ReadState& rs,
                                              std::string* context_agent, Leftover* left) {
  std::vector<AgentStatement> out;
  auto agents = rs.lex.FindAll(LexKind::kAgent, s.lower);
  std::vector<std::pair<size_t, size_t>> segments;
  std::vector<const LexEntry*> who;
  if (agents.empty()) {
    if (context_agent->empty()) return out;
    const LexEntry* e = rs.lex.Entry(LexKind::kAgent, *context_agent);
    if (!e) return out;
    segments.emplace_back(0, s.lower.size());
    who.push_back(e);
  }
  for (size_t i = 0; i < agents.size(); ++i) {
    segments.emplace_back(agents[i].end, i + 1 < agents.size() ? agents[i + 1].begin : s.lower.size());
    who.push_back(agents[i].entry);
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    AgentStatement st;
    st.agent = who[i]->canonical;
    st.name = who[i]->value;
    st.arms = t.arms;
    st.source = t.source;
    st.source.sentence = s.text;
    for (auto [b, e] : Clauses(s, segments[i].first, segments[i].second)) ReadClause(s, b, e, rs, &st, left);
    if (i > 0 && !agents.empty()) {
      std::string between = CollapseSpace(std::string_view(s.lower).substr(agents[i - 1].end, agents[i].begin - agents[i - 1].end));
      bool only_connectors = true;
      for (std::string_view w : Split(between, ' ')) {
        std::string_view x = Trim(w);
        if (!(x.empty() || x == "+" || x == "and" || x == "with" || x == "combined" || x == "combine" || x == "plus" || x == "/"))
          only_connectors = false;
      }
      if (only_connectors && st.dose && !out.back().dose) {
        left->Add("a dose after two agents (\"" + std::string(Trim(std::string_view(s.text).substr(agents[i - 1].begin, agents[i].end - agents[i - 1].begin))) + "\")");
        st.dose.reset();
        st.ambiguous_dose = true;
      }
    }
    out.push_back(std::move(st));
  }
  // "..., both starting on Day 1 for up to 14 days": the times after "both" hold for every agent of the sentence.
  if (out.size() > 1) {
    size_t both = s.lower.find(" both ");
    if (both != std::string::npos) {
      protocol_scan::TimeRead shared;
      protocol_scan::ReadTimes(s, both, s.lower.size(), rs.lex, &shared);
      for (AgentStatement& st : out) {
        if (!st.times.duration && shared.duration) st.times.duration = shared.duration;
        if (!st.times.min_duration && shared.min_duration) st.times.min_duration = shared.min_duration;
      }
    }
  }
  if (!agents.empty()) {
    if (!protocol_scan::FindDoses(s, 0, agents[0].begin, rs.lex).empty()) left->Add("a dose before any agent is named");
    *context_agent = agents.back().entry->canonical;
  }
  return out;
}

Schedule ScheduleOf(const AgentStatement& st) {
  Schedule sc;
  const auto& t = st.times;
  if (t.cycle_length && t.cycle_first && t.cycle_last && *t.cycle_first <= *t.cycle_last &&
      *t.cycle_last <= *t.cycle_length) {
    sc.kind = ScheduleKind::kCycle;
    sc.cycle_length = *t.cycle_length;
    sc.cycle_first = *t.cycle_first;
    sc.cycle_last = *t.cycle_last;
  } else if (t.every_days && *t.every_days > 0) {
    sc.kind = ScheduleKind::kEveryNDays;
    sc.every_days = *t.every_days;
  } else if (st.schedule_word == "daily" || (!st.schedule_word && st.dose && st.dose->amount.per_day)) {
    sc.kind = ScheduleKind::kDaily;
  } else if (st.schedule_word == "weekly") {
    sc.kind = ScheduleKind::kEveryNDays;
    sc.every_days = 7;
  }
  if (t.durations_seen <= 1) sc.duration = t.duration;
  sc.min_duration = t.min_duration;
  if (sc.kind == ScheduleKind::kCycle) sc.cycles = t.cycles;
  sc.max_doses = t.max_doses;
  return sc;
}

bool StatesAnything(const AgentStatement& st) {
  const auto& t = st.times;
  return st.dose || st.cap_per_dose || st.cap_per_day || st.round_to || !st.route.empty() || st.schedule_word ||
         t.duration || t.min_duration || t.max_doses || t.every_days || t.cycle_length;
}

void AddConflict(Protocol* p, const std::string& arm, const Agent& agent, const DoseStep& have, const DoseStep& got) {
  for (Conflict& c : p->conflicts) {
    if (c.arm == arm && c.agent == agent.name && c.what == "dose") {
      std::string v = got.amount.ToString();
      if (std::find(c.values.begin(), c.values.end(), v) == c.values.end()) c.values.push_back(v);
      AddSource(&c.sources, got.source);
      return;
    }
  }
  p->conflicts.push_back(Conflict{arm, agent.name, "dose", {have.amount.ToString(), got.amount.ToString()},
                                  {have.source, got.source}, ""});
}

// Merges a dose into the agent: a new condition adds a step; the same condition with another amount is a
// conflict (or, from a protocol file, a correction).
void MergeDose(ReadState& rs, const std::string& arm, Agent* agent, const DoseStep& step) {
  for (DoseStep& have : agent->doses) {
    if (have.when != step.when) continue;
    if (have.amount == step.amount) return;
    if (rs.authoritative) {
      have = step;
      agent->dose_conflict = false;
      for (Conflict& c : rs.protocol->conflicts)
        if (c.arm == arm && c.agent == agent->name) c.settled_by = SourceLabel(step.source);
      return;
    }
    AddConflict(rs.protocol, arm, *agent, have, step);
    agent->dose_conflict = true;
    return;
  }
  agent->doses.push_back(step);
}

void MergeSchedule(ReadState& rs, const std::string& arm, Agent* agent, const AgentStatement& st) {
  Schedule got = ScheduleOf(st);
  bool unclear = st.schedule_word == "unclear" || st.times.durations_seen > 1;
  std::string key = Key(arm, agent->id);
  if (rs.authoritative) {
    Schedule& s = agent->schedule;
    if (got.kind != ScheduleKind::kUnread) {
      s.kind = got.kind;
      s.every_days = got.every_days;
      s.cycle_length = got.cycle_length;
      s.cycle_first = got.cycle_first;
      s.cycle_last = got.cycle_last;
    }
    if (got.duration) s.duration = got.duration;
    if (got.min_duration) s.min_duration = got.min_duration;
    if (got.cycles) s.cycles = got.cycles;
    if (got.max_doses) s.max_doses = got.max_doses;
    rs.schedule_blocked[key] = false;
    return;
  }
  if (unclear) {
    rs.schedule_blocked[key] = true;
    agent->schedule.kind = ScheduleKind::kUnread;
    agent->schedule.duration.reset();
    return;
  }
  if (rs.schedule_blocked[key]) return;
  Schedule& s = agent->schedule;
  if (s.kind == ScheduleKind::kUnread && got.kind != ScheduleKind::kUnread) {
    s.kind = got.kind;
    s.every_days = got.every_days;
    s.cycle_length = got.cycle_length;
    s.cycle_first = got.cycle_first;
    s.cycle_last = got.cycle_last;
  }
  if (!s.duration) s.duration = got.duration;
  if (!s.min_duration) s.min_duration = got.min_duration;
  if (!s.cycles) s.cycles = got.cycles;
  if (!s.max_doses) s.max_doses = got.max_doses;
}

void MergeAgent(ReadState& rs, const std::string& arm_label, const AgentStatement& st) {
  Arm* arm = ArmFor(rs.protocol, arm_label);
  Agent* agent = AgentFor(arm, st.agent, st.name);
  if (!StatesAnything(st)) return;
  if (st.dose) MergeDose(rs, arm_label, agent, *st.dose);
  if (!st.route.empty() && (agent->route.empty() || rs.authoritative)) agent->route = st.route;
  if (st.cap_per_dose && (!agent->cap_per_dose || rs.authoritative)) agent->cap_per_dose = st.cap_per_dose;
  if (st.cap_per_day && (!agent->cap_per_day || rs.authoritative)) agent->cap_per_day = st.cap_per_day;
  if (st.round_to && (!agent->round_to || rs.authoritative)) agent->round_to = st.round_to;
  MergeSchedule(rs, arm_label, agent, st);
  AddSource(&agent->sources, st.source);
}

// A study-wide statement about an agent checks the dose every arm with that agent states.
void CrossCheck(ReadState& rs, const AgentStatement& st) {
  if (!st.dose) return;
  for (Arm& arm : rs.protocol->arms) {
    for (Agent& agent : arm.agents) {
      if (agent.id != st.agent) continue;
      for (const DoseStep& have : agent.doses) {
        if (have.when != st.dose->when) continue;
        if (have.amount == st.dose->amount) {
          AddSource(&agent.sources, st.source);
        } else if (have.amount.basis == st.dose->amount.basis && have.amount.unit == st.dose->amount.unit) {
          AddConflict(rs.protocol, arm.label, agent, have, *st.dose);
          agent.dose_conflict = true;
        }
      }
    }
  }
}

}  // namespace

// Rule, endpoint and design sentences: protocol_statements.cc.
bool ReadRuleSentence(const protocol_scan::Sentence& s, const ProtocolText& t, const ProtocolLexicon& lex, const ConceptTable& concepts,
                      const std::string& context_agent, Protocol* p, std::vector<std::string>* reasons,
                      std::optional<Condition>* pending_condition);

std::vector<ProtocolText> ProtocolTexts(const Study& study) {
  std::vector<ProtocolText> out;
  const Study& ai = study;
  for (size_t i = 0; i < ai.arm_groups.size(); ++i) {
    const ArmGroup& g = ai.arm_groups[i];
    out.push_back({Source{PartOrigin::kRecord, "armGroups[" + std::to_string(i) + "].description", ""}, g.description,
                   {g.label}});
  }
  for (size_t i = 0; i < ai.interventions.size(); ++i) {
    const Intervention& iv = ai.interventions[i];
    out.push_back({Source{PartOrigin::kRecord, "interventions[" + std::to_string(i) + "].description", ""},
                   iv.description, iv.arm_group_labels});
  }
  out.push_back({Source{PartOrigin::kRecord, "briefSummary", ""}, study.brief_summary, {}});
  out.push_back({Source{PartOrigin::kRecord, "detailedDescription", ""}, study.detailed_description, {}});
  return out;
}

std::vector<std::string> SplitProtocolSentences(std::string_view text) {
  std::vector<std::string> out;
  std::string plain = UnescapeMarkdown(text);
  for (std::string_view line : Split(plain, '\n')) {
    std::string cur;
    for (size_t i = 0; i < line.size(); ++i) {
      cur += line[i];
      bool end_here = line[i] == '.' && (i + 1 == line.size() || line[i + 1] == ' ');
      // "s.c." / "i.v.": a one-letter abbreviation.
      if (end_here && i >= 2 && line[i - 2] == '.') end_here = false;
      if (end_here) {
        std::string t(Trim(cur));
        if (t.size() > 1) out.push_back(t);
        cur.clear();
      }
    }
    std::string t(Trim(cur));
    if (t.size() > 1) out.push_back(t);
  }
  for (std::string& s : out)
    if (s.size() > 1 && s.back() == '.') s.pop_back();
  return out;
}

Status ReadProtocolTexts(const std::vector<ProtocolText>& texts, const ProtocolLexicon& lex, const ConceptTable& concepts,
                         bool authoritative, Protocol* protocol) {
  ReadState rs{lex, concepts, authoritative, protocol, {}};
  for (const ProtocolText& t : texts) {
    std::string context_agent;
    std::optional<Condition> pending;
    for (const std::string& text : SplitProtocolSentences(t.text)) {
      Sentence s(text);
      Leftover left;
      bool read = ReadRuleSentence(s, t, lex, concepts, context_agent, protocol, &left.reasons, &pending);
      if (!read) {
        auto statements = ReadAgentSegments(s, t, rs, &context_agent, &left);
        for (AgentStatement& st : statements) {
          if (st.dose && pending) st.dose->when = pending;
          if (t.arms.empty() && !authoritative) {
            CrossCheck(rs, st);
          } else {
            for (const std::string& arm : t.arms) MergeAgent(rs, arm, st);
          }
          read = read || StatesAnything(st) || (!t.arms.empty() && !authoritative);
        }
        if (!statements.empty() && std::any_of(statements.begin(), statements.end(), [](const AgentStatement& st) { return st.dose.has_value(); }))
          pending.reset();
      }
      Source src = t.source;
      src.sentence = s.text;
      if (authoritative && (!read || !left.reasons.empty())) {
        return Status::InvalidArgument(t.source.field + ": cannot read \"" + s.text + "\"" +
                                       (left.reasons.empty() ? "" : " (" + Join(left.reasons, "; ") + ")"));
      }
      if (!read) {
        protocol->unread.push_back(UnreadText{src, left.reasons.empty() ? "not read" : "not read: " + Join(left.reasons, "; "), false});
      }
      else if (!left.reasons.empty()) protocol->unread.push_back(UnreadText{src, Join(left.reasons, "; "), true});
    }
  }
  return Status::Ok();
}

namespace {

// "Control Group: ..." opening a line of the summary or description: a comparison group that no arm label names,
// in a record whose arms are all experimental (the arms of NCT06964971 are two treatment groups, and its design
// text describes a control group on the original treatment).
void FindUnlistedArms(const Study& study, Protocol* p) {
  if (study.arm_groups.empty()) return;
  for (auto [field, text] : {std::pair<const char*, const std::string*>{"briefSummary", &study.brief_summary},
                             {"detailedDescription", &study.detailed_description},
                             {"designInfo.interventionModelDescription", &study.design.intervention_model_description}}) {
    size_t at = 0;
    while (at < text->size()) {
      size_t nl = text->find('\n', at);
      std::string_view line = Trim(std::string_view(*text).substr(at, nl == std::string::npos ? std::string::npos : nl - at));
      at = nl == std::string::npos ? text->size() : nl + 1;
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon > 40) continue;
      std::string_view head = Trim(line.substr(0, colon));
      // "* Control group", "4 Control group", "1. Control group": a list marker before the name.
      while (!head.empty() && (head[0] == '*' || head[0] == '-' || head[0] == '.' || head[0] == ')' ||
                               std::isdigit(static_cast<unsigned char>(head[0])))) {
        head = Trim(head.substr(1));
      }
      std::string label(head);
      std::string lower = ToLowerAscii(label);
      if (!(lower.ends_with(" group") || lower.ends_with(" arm"))) continue;
      if (std::count(label.begin(), label.end(), ' ') > 3) continue;
      // "Chidamide for chidamide arm", "Affectation in each group": not a group's name.
      if (lower.find(" for ") != std::string::npos || lower.find(" in ") != std::string::npos ||
          lower.find(" each ") != std::string::npos || lower.find(" of ") != std::string::npos) {
        continue;
      }
      // Listed when an arm label starts with the name ("Treatment Group" -> "Treatment Group1") or holds its
      // first word ("Control group" -> "Control: usual care", "WELT-IP group" -> "WELT-IP").
      std::string first = lower.substr(0, lower.find(' '));
      bool listed = false;
      for (const ArmGroup& g : study.arm_groups) {
        std::string arm = ToLowerAscii(g.label);
        listed |= arm.starts_with(lower) || arm.find(first) != std::string::npos;
      }
      bool seen = std::any_of(p->unlisted_arms.begin(), p->unlisted_arms.end(),
                              [&](const UnlistedArm& u) { return ToLowerAscii(u.label) == lower; });
      // A comparison group ("Control group: sham app use") is listed under another name when an arm is a
      // comparator or gets no intervention; only a record whose arms are all experimental lacks it for sure.
      static const std::set<std::string> kComparisonWords = {"control", "placebo", "sham", "observation", "comparator",
                                                             "standard", "usual"};
      if (!kComparisonWords.count(first)) continue;
      for (const ArmGroup& g : study.arm_groups) listed |= g.type && *g.type != ArmGroupType::kExperimental;
      if (!listed && !seen) p->unlisted_arms.push_back({label, Source{PartOrigin::kRecord, field, std::string(line.substr(0, 300))}});
    }
  }
}

}  // namespace

Protocol ReadProtocol(const Study& study, const ProtocolLexicon& lex, const ConceptTable& concepts) {
  Protocol p;
  p.study_key = StudyKey(study);
  const Study& ai = study;
  for (const ArmGroup& g : ai.arm_groups) ArmFor(&p, g.label);
  Status s = ReadProtocolTexts(ProtocolTexts(study), lex, concepts, false, &p);
  (void)s;  // reading the record never fails: what is not read is kept as text
  // Agents the arm's interventions name but its text does not.
  for (const ArmGroup& g : ai.arm_groups) {
    Arm* arm = ArmFor(&p, g.label);
    for (const std::string& name : g.intervention_names)
      for (const LexMatch& m : lex.FindAll(LexKind::kAgent, ToLowerAscii(name)))
        AgentFor(arm, m.entry->canonical, m.entry->value);
  }
  FindUnlistedArms(study, &p);
  if (study.design.allocation) p.design.allocation = std::string(ApiName(*study.design.allocation));
  p.design.target_size = study.design.enrollment_count;
  return p;
}

}  // namespace ts
