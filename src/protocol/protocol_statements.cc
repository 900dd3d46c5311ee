// The sentences of a protocol that are not dose statements: stop / hold / rescue rules, evaluation points,
// endpoints, the randomisation ratio, arm headings with their size, and "For platelets < 50:" headings that
// make the next dose conditional.
#include <algorithm>

#include "common/strings.h"
#include "protocol/protocol_reader.h"
#include "protocol/protocol_scan.h"

namespace ts {
namespace {

using protocol_scan::Sentence;

std::optional<RuleAction> ActionOf(std::string_view canonical) {
  if (canonical == "stop") return RuleAction::kStop;
  if (canonical == "hold") return RuleAction::kHold;
  if (canonical == "rescue") return RuleAction::kRescue;
  if (canonical == "dose_change") return RuleAction::kDoseChange;
  if (canonical == "evaluate") return RuleAction::kEvaluate;
  return std::nullopt;
}

Source SourceOf(const ProtocolText& t, const Sentence& s) {
  Source src = t.source;
  src.sentence = s.text;
  return src;
}

void AddUnsafe(const Sentence& s, const ProtocolLexicon& lex, std::vector<std::string>* reasons) {
  for (const LexMatch& m : lex.FindAll(LexKind::kUnsafe, s.lower))
    reasons->push_back(m.entry->value + " (\"" + s.text.substr(m.begin, m.end - m.begin) + "\")");
}

bool ReadEndpoint(const Sentence& s, const ProtocolText& t, const ProtocolLexicon& lex, const ConceptTable& concepts,
                  Protocol* p, std::vector<std::string>* reasons) {
  auto cues = lex.FindAll(LexKind::kEndpoint, s.lower);
  if (cues.empty()) return false;
  size_t within = s.lower.find("within ", cues[0].end);
  if (within == std::string::npos) {
    reasons->push_back("an endpoint without a time window");
    return false;
  }
  auto num = protocol_scan::NumberAt(s.lower, protocol_scan::SkipSpaces(s.lower, within + 7));
  std::optional<std::string> unit;
  if (num) {
    auto [wb, we] = protocol_scan::WordAt(s.lower, num->end);
    unit = ParseDurationUnit(std::string_view(s.lower).substr(wb, we - wb));
  }
  if (!num || !unit || num->value <= 0 || num->value > 3650) {
    reasons->push_back("an endpoint window without a duration the reader can use");
    return false;
  }
  auto cond = protocol_scan::ReadCondition(s, cues[0].end, within, lex, concepts);
  if (!cond.condition) {
    reasons->push_back("endpoint: " + cond.problem);
    return false;
  }
  std::string name = s.text.substr(cues[0].begin, cues[0].end - cues[0].begin);
  name[0] = static_cast<char>(toupper(static_cast<unsigned char>(name[0])));
  for (size_t i = 1; i < name.size(); ++i) name[i] = static_cast<char>(tolower(static_cast<unsigned char>(name[i])));
  Endpoint e{name, *cond.condition, static_cast<int>(Duration{num->value, *unit}.Days() + 0.5), SourceOf(t, s)};
  for (const Endpoint& have : p->endpoints)
    if (have.name == e.name && have.when == e.when && have.window_days == e.window_days) return true;
  p->endpoints.push_back(std::move(e));
  return true;
}

bool ReadRatio(const Sentence& s, const ProtocolText& t, Protocol* p) {
  size_t r = s.lower.find("randomi");
  if (r == std::string::npos) return false;
  for (size_t i = r; i < s.lower.size(); ++i) {
    auto a = protocol_scan::NumberAt(s.lower, i);
    if (!a || a->end >= s.lower.size() || s.lower[a->end] != ':') continue;
    std::vector<int> ratio{static_cast<int>(a->value)};
    size_t j = a->end;
    while (j < s.lower.size() && s.lower[j] == ':') {
      auto b = protocol_scan::NumberAt(s.lower, j + 1);
      if (!b || b->value < 1 || b->value > 100) return false;
      ratio.push_back(static_cast<int>(b->value));
      j = b->end;
    }
    if (ratio[0] < 1 || ratio[0] > 100) return false;
    p->design.ratio = ratio;
    p->design.ratio_source = SourceOf(t, s);
    return true;
  }
  return false;
}

// "Experimental arm (N=102):" names an arm and its size.
bool ReadArmHeading(const Sentence& s, Protocol* p) {
  size_t n = s.lower.find("(n=");
  if (n == std::string::npos || s.lower.back() != ':') return false;
  auto num = protocol_scan::NumberAt(s.lower, n + 3);
  if (!num) return false;
  std::string label(Trim(std::string_view(s.text).substr(0, n)));
  for (Arm& arm : p->arms) {
    if (EqualsIgnoreCase(arm.label, label)) {
      arm.target_size = static_cast<int64_t>(num->value);
      return true;
    }
  }
  return false;
}

bool ReadEvaluation(const Sentence& s, const ProtocolText& t, const std::string& context_agent, Protocol* p,
                    std::vector<std::string>* reasons, const ProtocolLexicon& lex) {
  size_t after = s.lower.find("after ");
  if (after == std::string::npos) return false;
  size_t k = protocol_scan::SkipSpaces(s.lower, after + 6);
  if (s.lower.compare(k, 9, "at least ") == 0) k += 9;
  auto n = protocol_scan::NumberAt(s.lower, k);
  if (!n || n->value <= 0 || n->value > 1000) return false;
  size_t w = protocol_scan::SkipSpaces(s.lower, n->end);
  if (s.lower.compare(w, 10, "treatment ") == 0) w += 10;
  int days = 0;
  if (auto cyc = lex.At(LexKind::kCycle, s.lower, w)) {
    size_t paren = s.lower.find('(', cyc->end);
    if (paren != std::string::npos) {
      auto weeks = protocol_scan::NumberAt(s.lower, paren + 1);
      if (weeks && weeks->value > 0 && weeks->value <= 1000) {
        auto [wb, we] = protocol_scan::WordAt(s.lower, weeks->end);
        if (auto u = ParseDurationUnit(std::string_view(s.lower).substr(wb, we - wb)))
          days = static_cast<int>(Duration{weeks->value, *u}.Days() + 0.5);
      }
    }
    if (days == 0 && !t.arms.empty()) {
      for (const Arm& arm : p->arms)
        if (arm.label == t.arms[0])
          if (const Agent* a = arm.FindAgent(context_agent); a && a->schedule.kind == ScheduleKind::kEveryNDays)
            days = static_cast<int>(n->value) * a->schedule.every_days;
    }
  } else {
    auto [wb, we] = protocol_scan::WordAt(s.lower, n->end);
    if (auto u = ParseDurationUnit(std::string_view(s.lower).substr(wb, we - wb)))
      days = static_cast<int>(Duration{n->value, *u}.Days() + 0.5);
  }
  if (days <= 0 || days > 3650) {
    reasons->push_back("an evaluation point the reader cannot place");
    return false;
  }
  ProtocolRule r;
  r.action = RuleAction::kEvaluate;
  r.agent = context_agent;
  r.arms = t.arms;
  r.after_days = days;
  r.source = SourceOf(t, s);
  for (const LexMatch& m : lex.FindAll(LexKind::kUnsafe, s.lower)) r.dose_adjusted |= m.entry->canonical == "adjust";
  if (std::find(p->rules.begin(), p->rules.end(), r) == p->rules.end()) p->rules.push_back(std::move(r));
  AddUnsafe(s, lex, reasons);
  return true;
}

bool ReadRule(const Sentence& s, const ProtocolText& t, const ProtocolLexicon& lex, const ConceptTable& concepts,
              Protocol* p, std::vector<std::string>* reasons) {
  auto actions = lex.FindAll(LexKind::kAction, s.lower);
  auto conds = lex.FindAll(LexKind::kCond, s.lower);
  if (actions.empty() || conds.empty()) return false;
  size_t begin = conds[0].end;
  size_t end = s.lower.find(',', begin);
  if (end == std::string::npos) end = s.lower.size();
  // The action is the last one before "if" ("Stop study drug if ...") or else the first after the condition
  // ("If PLT <= 10, give rescue therapy"); a heading before it ("Stopping & Rescue Rules") does not count.
  std::optional<RuleAction> action;
  for (const LexMatch& m : actions) {
    auto a = ActionOf(m.entry->canonical);
    if (!a || *a == RuleAction::kEvaluate) continue;
    if (m.end <= conds[0].begin) action = a;
    else if (m.begin >= end && !action) action = a;
  }
  if (!action) return false;
  auto cond = protocol_scan::ReadCondition(s, begin, end, lex, concepts);
  if (!cond.condition) {
    reasons->push_back("rule condition: " + cond.problem);
    return false;
  }
  ProtocolRule r;
  r.action = *action;
  r.when = cond.condition;
  r.arms = t.arms;
  r.source = SourceOf(t, s);
  auto agents = lex.FindAll(LexKind::kAgent, s.lower);
  if (agents.size() > 1) {
    reasons->push_back("a rule naming several agents");
    return false;
  }
  if (agents.size() == 1) {
    r.agent = agents[0].entry->canonical;
  } else if (*action != RuleAction::kRescue && s.lower.find("study drug") == std::string::npos &&
             s.lower.find("treatment") == std::string::npos) {
    reasons->push_back("a rule that does not say which drug");
    return false;
  }
  if (*action == RuleAction::kRescue) {
    size_t open = s.text.find('(', end);
    size_t close = open == std::string::npos ? open : s.text.find(')', open);
    if (close != std::string::npos) r.then_text = s.text.substr(open + 1, close - open - 1);
  }
  if (std::find(p->rules.begin(), p->rules.end(), r) == p->rules.end()) p->rules.push_back(std::move(r));
  return true;
}

}  // namespace

bool ReadRuleSentence(const Sentence& s, const ProtocolText& t, const ProtocolLexicon& lex, const ConceptTable& concepts,
                      const std::string& context_agent, Protocol* p, std::vector<std::string>* reasons,
                      std::optional<Condition>* pending_condition) {
  if (ReadEndpoint(s, t, lex, concepts, p, reasons)) return true;
  if (ReadRatio(s, t, p)) return true;
  if (ReadRule(s, t, lex, concepts, p, reasons)) return true;
  bool evaluates = false;
  for (const LexMatch& m : lex.FindAll(LexKind::kAction, s.lower)) evaluates = evaluates || m.entry->canonical == "evaluate";
  if (evaluates && ReadEvaluation(s, t, context_agent, p, reasons, lex)) return true;
  if (!s.lower.empty() && s.lower.back() == ':') {
    if (ReadArmHeading(s, p)) return true;
    if (s.lower.rfind("for ", 0) == 0) {
      auto cond = protocol_scan::ReadCondition(s, 4, s.lower.size() - 1, lex, concepts);
      if (cond.condition) {
        *pending_condition = cond.condition;
        return true;
      }
      reasons->push_back("condition: " + cond.problem);
    }
  }
  return false;
}

}  // namespace ts
