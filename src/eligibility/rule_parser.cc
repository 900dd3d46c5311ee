#include "eligibility/rule_parser.h"

#include <algorithm>
#include <cctype>
#include <unordered_set>

#include "common/strings.h"
#include "eligibility/atoms.h"

namespace ts {
namespace {

using atoms::Atom;
using atoms::FindWord;
using atoms::HasWord;

struct Span {
  size_t begin, end;
};

bool Inside(const std::vector<Span>& spans, size_t pos) {
  for (const Span& s : spans) {
    if (pos >= s.begin && pos < s.end) return true;
  }
  return false;
}

// Parenthesised spans at depth 1: [open, close] inclusive.
std::vector<Span> Parens(std::string_view s) {
  std::vector<Span> out;
  int depth = 0;
  size_t open = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(' || s[i] == '[') {
      if (depth++ == 0) open = i;
    } else if ((s[i] == ')' || s[i] == ']') && depth > 0) {
      if (--depth == 0) out.push_back({open, i + 1});
    }
  }
  if (depth > 0) out.push_back({open, s.size()});
  return out;
}

// Words that carry no fact of their own in a criterion; what remains after removing the typed parts
// and these is reported as not computable.
const std::unordered_set<std::string>& Fillers() {
  static const std::unordered_set<std::string> kWords = {
      "a", "an", "the", "of", "or", "and", "and/or", "to", "in", "for", "at", "on", "by", "from", "with", "as", "be",
      "is", "are", "was", "were", "been", "being", "has", "have", "had", "having", "who", "whom", "which", "that",
      "this", "these", "those", "their", "they", "them", "it", "its", "any", "all", "each", "either", "both", "must",
      "should", "shall", "will", "can", "patient", "patients", "subject", "subjects", "participant", "participants",
      "people", "person", "persons", "individuals", "women", "woman", "men", "man", "male", "female", "males",
      "females", "sex", "sexes", "gender", "eligible", "regardless", "inclusive", "years", "year", "old", "aged",
      "age", "known", "history", "previous", "previously", "prior", "past", "diagnosed", "diagnosis", "confirmed",
      "clearly", "presence", "present", "documented", "active", "current", "currently", "ongoing", "use", "used",
      "using", "uses", "taking", "take", "receiving", "received", "receive", "receipt", "treatment", "treatments",
      "therapy", "therapies", "treated", "level", "levels", "count", "counts", "value", "values", "serum", "plasma",
      "blood", "baseline", "screening", "enrollment", "enrolment", "randomization", "randomisation", "first", "dose",
      "before", "within", "last", "month", "months", "week", "weeks", "day", "days", "infection", "infections",
      "positive", "e.g", "eg", "etc", "such", "including", "include", "includes", "i.e", "ie", "following",
      "conditions", "condition", "met", "time", "performance", "status", "score", "grade", "class", "function",
      "histologically", "cytologically", "pathologically", "pathological", "histological", "cytological", "confirm",
      "drug", "drugs", "agent", "agents", "medication", "medications", "use", "concomitant", "concurrent", "same",
      "other", "study", "period", "estimated", "expected", "life", "expectancy", "survival", "no", "not", "non",
      "without", "negative", "test", "pregnancy", "pregnant", "breastfeeding", "breast-feeding", "nursing",
      "lactation", "lactating", "childbearing", "child-bearing", "potential", "agree", "agrees", "use", "effective",
      "acceptable", "reliable", "adequate", "method", "methods", "contraception", "contraceptive", "highly",
      "practicing", "practice", "throughout", "during", "through", "after", "entire", "whole", "urine", "human",
      "chorionic", "gonadotropin", "suspected", "suspect", "normal", "limit", "upper", "lower", "uln", "times",
      "than", "less", "more", "greater", "higher", "equal", "least", "enrolment", "visit", "hours", "hour",
      "been", "since", "more", "new", "newly", "also", "course", "duration", "should", "need", "needs", "required",
      "laboratory", "lab", "tests", "tests", "results", "result", "defined", "date", "signing", "based", "per",
      "criteria", "criterion", "requirement", "requirements", "meet", "meets", "exclusion", "inclusion", "x",
      "administration", "exposure", "exposed", "body", "sign", "signs", "state", "infected", "severity", "years-old",
      "month(s)", "week(s)", "day(s)", "infusion", "there", "disease", "diseases", "disorder", "disorders", "via",
      "physical", "examination", "qualified", "find", "findings", "alone", "combination", "combinations", "type",
      "allergic", "allergy", "allergies", "hypersensitivity", "hypersensitive", "conform", "diagnostic", "according",
      "stop", "stopped", "stopping", "discontinued", "discontinuation", "washout", "wash-out", "serology", "serologic",
      "evidence", "accompanied", "event", "events", "virus", "tablet", "tablets", "capsule", "capsules", "injection",
      "oral", "intravenous", "product", "products", "intolerance", "intolerant", "anticipated", "ingredient",
      "ingredients", "component", "components", "excipients", "excipient", "clinical", "clinically",
  };
  return kWords;
}

// Clause-level signs that a criterion needs a person's judgement or agreement.
std::optional<std::string> JudgementReason(std::string_view lower, bool contraception) {
  if (HasWord(lower, "consent")) return "informed consent";
  for (std::string_view w : {"investigator", "judg", "opinion", "researcher", "deemed", "considered by", "physician"}) {
    if (HasWord(lower, w)) return "investigator's judgement";
  }
  for (std::string_view w : {"complian", "comply", "adhere", "follow-up", "follow up", "follow the"}) {
    if (HasWord(lower, w)) return "compliance";
  }
  if (!contraception) {
    for (std::string_view w : {"willing", "agree", "able to", "unable", "refus", "understand", "capable"}) {
      if (HasWord(lower, w)) return "willingness or ability";
    }
  }
  return std::nullopt;
}

// Words that qualify a condition or therapy beyond what a record can show ("uncontrolled hypertension",
// "thrombocytopenia due to ..."); a concept mention under them is not typed.
std::optional<std::string> Qualifier(std::string_view lower) {
  for (std::string_view w : {"due to", "caused by", "other than", "secondary to", "attributed to", "induced by",
                             "related to", "requiring", "require", "uncontrolled",
                             "uncontrollable", "poorly controlled", "not controlled", "controlled", "severe", "serious",
                             "significant", "extensive", "risk", "unstable", "refractory", "ineffective", "failed",
                             "failure of", "may ", "might", "could", "predispos", "cytogenetic", "clonal", "congenital",
                             "mutation", "planning", "plan to", "suspicion", "resistant", "relapsed",
                             "dependent", "grade"}) {
    if (HasWord(lower, w)) return std::string(Trim(w));
  }
  return std::nullopt;
}

// Words that make a whole clause conditional or about the future: nothing in it is typed as a fact.
std::optional<std::string> Conditional(std::string_view lower, bool inclusion) {
  for (std::string_view w : {"if ", "unless", "except", "in case of"}) {
    if (HasWord(lower, w)) return std::string(Trim(w));
  }
  // "QTc > 480 ms for patients with a bundle branch block": a threshold for a subgroup only.
  for (std::string_view w : {"for patients with", "in patients with", "for subjects with", "in subjects with"}) {
    size_t p = FindWord(lower, w);
    if (p != std::string_view::npos && lower.substr(0, p).find_first_of("0123456789") != std::string_view::npos) {
      return std::string(Trim(w));
    }
  }
  if (inclusion) {
    for (std::string_view w : {"consider", "intend", "plan to", "planning", "planned", "the next", "scheduled"}) {
      if (HasWord(lower, w)) return std::string(Trim(w));
    }
  }
  return std::nullopt;
}

bool IsNegatedBefore(std::string_view lower, size_t pos, size_t floor) {
  size_t from = pos > 30 ? pos - 30 : 0;
  if (from < floor) from = floor;
  std::string_view before = lower.substr(from, pos - from);
  for (std::string_view w : {"no ", "not ", "without ", "absence of ", "negative for ", "free of ", "non-", "never "}) {
    size_t p = FindWord(before, w);
    if (p != std::string_view::npos) return true;
  }
  return false;
}

// The words between two mentions of one list: "A, B or C", "A/B", "A and/or B".
bool IsOrSeparator(std::string_view g) {
  return g.empty() || g == "," || g == "or" || g == ", or" || g == "/" || g == "and/or";
}
bool IsAndSeparator(std::string_view g) { return g == "and" || g == ", and"; }

struct ClauseAtom {
  Rule rule;
  size_t begin, end;
  bool concept_list = false;  // a condition / therapy / procedure mention (joins lists in exclusions)
  bool negated = false;
};

}  // namespace

Rule CriteriaParser::ParseClause(std::string_view clause, CriterionKind kind, bool childbearing) const {
  const bool inclusion = kind == CriterionKind::kInclusion;
  std::string lower = atoms::Lower(clause);
  std::string_view trimmed = Trim(clause);
  if (trimmed.empty()) return Rule::NotComputable("empty");
  if (trimmed.size() != clause.size()) return ParseClause(trimmed, kind, childbearing);

  // A clause about men only applies to men: "NOT sex = male OR <rule>".
  for (std::string_view lead : {"men ", "male ", "males ", "male participants", "male patients", "male subjects"}) {
    if (StartsWith(lower, lead)) {
      // "partners of child-bearing potential" is about the partner: the man's own rule is unconditional.
      Rule inner = ParseClause(clause.substr(lead.size() - (lead.back() == ' ' ? 1 : 0)), kind, false);
      Rule male = Rule::Simple(RuleKind::kSex);
      male.text = "male";
      return Rule::Any({Rule::Not(male), inner});
    }
  }

  bool contraception = HasWord(lower, "contracepti") || HasWord(lower, "birth control");
  if (auto why = JudgementReason(lower, contraception)) {
    return Rule::NotComputable(*why + ": \"" + std::string(trimmed) + "\"");
  }

  if (auto cond = Conditional(lower, inclusion)) {
    return Rule::NotComputable("conditional ('" + *cond + "'): \"" + std::string(trimmed) + "\"");
  }

  // Another trial.
  if ((HasWord(lower, "clinical trial") || HasWord(lower, "clinical study") || HasWord(lower, "other trial") ||
       HasWord(lower, "another trial") || HasWord(lower, "investigational")) &&
      (HasWord(lower, "particip") || HasWord(lower, "enrol") || HasWord(lower, "took part") || HasWord(lower, "received"))) {
    Rule r = Rule::Simple(RuleKind::kTrialParticipation);
    if (auto w = atoms::FindWindow(lower, 0, lower.size())) {
      r.scope = TimeScope::kWithin;
      r.window = w->duration;
    } else {
      r.scope = HasWord(lower, "current") ? TimeScope::kCurrent : TimeScope::kEver;
    }
    return r;
  }

  std::vector<ClauseAtom> found;
  std::vector<Span> consumed;
  std::vector<std::string> problems;

  // Example lists are illustrations of the fact around them, not facts of their own.
  std::vector<Span> examples;
  std::vector<Span> parens = Parens(lower);
  for (const Span& p : parens) {
    std::string_view inner = Trim(std::string_view(lower).substr(p.begin + 1, p.end - p.begin - (p.end > p.begin + 1 ? 2 : 1)));
    for (std::string_view lead : {"e.g", "eg", "such as", "including", "for example", "i.e", "ie,", "ie "}) {
      if (StartsWith(inner, lead)) examples.push_back(p);
    }
  }
  for (size_t q = lower.find('"'); q != std::string::npos;) {
    size_t close = lower.find('"', q + 1);
    if (close == std::string::npos) break;
    examples.push_back({q, close + 1});
    q = lower.find('"', close + 1);
  }
  for (std::string_view lead : {"such as", "e.g.", "for example", "including but not limited to", "including"}) {
    size_t p = FindWord(lower, lead);
    if (p != std::string::npos && !Inside(parens, p)) {
      examples.push_back({p, lower.size()});
      break;
    }
  }

  // Lab thresholds, scores, age, life expectancy.
  bool has_lab_in_parens = false;
  std::vector<Span> lab_parens;
  for (Atom& a : atoms::ExtractLabs(clause, concepts_, inclusion, &problems)) {
    for (const Span& p : parens) {
      if (a.begin > p.begin && a.end <= p.end) {
        has_lab_in_parens = true;
        lab_parens.push_back(p);
      }
    }
    consumed.push_back({a.begin, a.end});
    found.push_back({std::move(a.rule), a.begin, a.end});
  }
  for (Atom& a : atoms::ExtractScores(clause, concepts_)) {
    consumed.push_back({a.begin, a.end});
    found.push_back({std::move(a.rule), a.begin, a.end});
  }
  for (Atom& a : atoms::ExtractAge(clause)) {
    consumed.push_back({a.begin, a.end});
    found.push_back({std::move(a.rule), a.begin, a.end});
  }
  for (Atom& a : atoms::ExtractLifeExpectancy(clause)) {
    consumed.push_back({a.begin, a.end});
    found.push_back({std::move(a.rule), a.begin, a.end});
  }

  // Pregnancy, breastfeeding, contraception.
  bool negate_repro = inclusion && (HasWord(lower, "not") || HasWord(lower, "negative") || HasWord(lower, "non"));
  auto add_repro = [&](RuleKind k, std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) {
      size_t p = FindWord(lower, w);
      if (p == std::string::npos || Inside(examples, p)) continue;
      Rule r = Rule::Simple(k);
      r.childbearing_only = childbearing;
      size_t end = p + w.size();
      while (end < lower.size() && std::isalpha(static_cast<unsigned char>(lower[end]))) ++end;
      consumed.push_back({p, end});
      found.push_back({negate_repro ? Rule::Not(r) : r, p, end, true, negate_repro});
      return;
    }
  };
  add_repro(RuleKind::kPregnant, {"pregnan"});
  add_repro(RuleKind::kBreastfeeding, {"breastfe", "breast-fe", "breast fe", "nursing", "lactat"});
  if (contraception) {
    size_t p = FindWord(lower, "contracepti");
    if (p == std::string::npos) p = FindWord(lower, "birth control");
    Rule r = Rule::Simple(RuleKind::kContraception);
    r.childbearing_only = childbearing;
    consumed.push_back({p, p + 11});
    found.push_back({r, p, p + 11});
  }

  // Conditions, therapies, procedures.
  bool allergy = HasWord(lower, "allerg") || HasWord(lower, "hypersensitiv") || HasWord(lower, "intoleran");
  // In an inclusion a qualified fact is still necessary ("thrombocytopenia due to chemotherapy" needs
  // thrombocytopenia), so it is kept beside the untyped rest; in an exclusion it would exclude too much.
  std::optional<std::string> qualifier;
  if (!inclusion) {
    if (auto q = Qualifier(lower)) qualifier = "qualified by '" + *q + "'";
  }
  std::vector<ConceptMention> mentions = concepts_.FindMentions(
      clause, {ConceptKind::kCondition, ConceptKind::kTherapy, ConceptKind::kProcedure});
  std::vector<ConceptMention> kept;
  for (const ConceptMention& m : mentions) {
    if (Inside(consumed, m.begin) || Inside(examples, m.begin)) continue;
    if (m.concept_ref->id == "pregnancy" || m.concept_ref->id == "breastfeeding") continue;
    kept.push_back(m);
  }
  // Parenthesised lists right after a mention of the same kind name examples of it.
  for (const Span& p : parens) {
    const ConceptMention* before = nullptr;
    for (const ConceptMention& m : kept) {
      if (m.end <= p.begin && Trim(std::string_view(lower).substr(m.end, p.begin - m.end)).empty()) before = &m;
    }
    if (before == nullptr) continue;
    bool all_same = true, any = false;
    for (const ConceptMention& m : kept) {
      if (m.begin > p.begin && m.end <= p.end) {
        any = true;
        all_same &= m.concept_ref->kind == before->concept_ref->kind;
      }
    }
    if (any && all_same) examples.push_back(p);
  }
  std::erase_if(kept, [&](const ConceptMention& m) { return Inside(examples, m.begin); });
  // The clause with examples blanked out, for reading the separators between mentions.
  std::string masked = lower;
  for (const Span& e : examples) {
    for (size_t i = e.begin; i < e.end && i < masked.size(); ++i) masked[i] = ' ';
  }
  // A mention followed by a word we do not know is a modifier of that word, not a fact about the
  // patient ("MDS/AA next-generation sequencing", "HIV vaccine").
  std::optional<std::string> modifier;
  for (const ConceptMention& m : kept) {
    size_t i = m.end;
    while (i < masked.size() && (masked[i] == ' ' || masked[i] == '/')) ++i;
    size_t j = i;
    while (j < masked.size() && (std::isalnum(static_cast<unsigned char>(masked[j])) || masked[j] == '-')) ++j;
    if (j == i) continue;
    std::string w = masked.substr(i, j - i);
    bool other_mention = false;
    for (const ConceptMention& o : kept) other_mention |= o.begin == i;
    if (!other_mention && !Fillers().count(w) && !std::isdigit(static_cast<unsigned char>(w[0]))) {
      modifier = std::string(clause.substr(m.begin, j - m.begin));
      break;
    }
  }
  if (modifier && !qualifier) qualifier = "modifier '" + *modifier + "'";
  // In an exclusion, a word we do not know right before a mention narrows it ("chronic hepatitis B",
  // "local basal cell carcinoma"): excluding on the broader concept would be wrong.
  if (!inclusion && !qualifier) {
    for (size_t k = 0; k < kept.size() && !qualifier; ++k) {
      size_t floor = k > 0 ? kept[k - 1].end : 0;
      size_t i = kept[k].begin;
      while (i > floor) {
        while (i > floor && masked[i - 1] == ' ') --i;
        if (i == floor || !(std::isalnum(static_cast<unsigned char>(masked[i - 1])) || masked[i - 1] == '-')) break;
        size_t j = i;
        while (j > floor && (std::isalnum(static_cast<unsigned char>(masked[j - 1])) || masked[j - 1] == '-')) --j;
        std::string w = masked.substr(j, i - j);
        if (!Fillers().count(w)) {
          qualifier = "qualified by '" + w + "'";
          break;
        }
        i = j;
      }
    }
  }
  bool stop_context = inclusion && (HasWord(lower, "stop") || HasWord(lower, "discontinu") ||
                                    HasWord(lower, "washout") || HasWord(lower, "wash-out"));
  bool concepts_qualified = qualifier.has_value() && !kept.empty();
  // In an inclusion only a modifier drops the mentions; other qualifiers keep them beside the rest.
  if (!concepts_qualified) {
    std::vector<ClauseAtom> stopped;
    for (size_t k = 0; k < kept.size(); ++k) {
      const ConceptMention& m = kept[k];
      const Concept& c = *m.concept_ref;
      // The time scope is read after the mention's list: the words up to the next mention that is
      // not part of the same list.
      size_t list_end = k;
      while (list_end + 1 < kept.size()) {
        std::string_view gap = std::string_view(masked).substr(kept[list_end].end, kept[list_end + 1].begin - kept[list_end].end);
        std::string g(Trim(gap));
        if (IsOrSeparator(g) || IsAndSeparator(g) || g == "infection or") {
          ++list_end;
        } else {
          break;
        }
      }
      size_t next = list_end + 1 < kept.size() ? kept[list_end + 1].begin : lower.size();
      size_t prev_end = 0;
      // Start of this list (for scope words before it).
      size_t list_start = k;
      while (list_start > 0) {
        std::string g(Trim(std::string_view(masked).substr(kept[list_start - 1].end, kept[list_start].begin - kept[list_start - 1].end)));
        if (IsOrSeparator(g) || IsAndSeparator(g)) --list_start;
        else break;
      }
      prev_end = list_start > 0 ? kept[list_start - 1].end : 0;
      std::string_view before = std::string_view(lower).substr(prev_end, kept[list_start].begin - prev_end);
      auto window = atoms::FindWindow(lower, m.end, next);
      auto min_dur = atoms::FindMinDuration(lower, m.end, next);
      RuleKind rk = c.kind == ConceptKind::kCondition ? RuleKind::kCondition
                    : c.kind == ConceptKind::kTherapy ? RuleKind::kTherapy
                                                       : RuleKind::kProcedure;
      if (allergy && c.kind == ConceptKind::kTherapy) {
        found.push_back({Rule::Concept(RuleKind::kAllergy, c.id), m.begin, m.end, true});
        consumed.push_back({m.begin, m.end});
        continue;
      }
      if (stop_context && c.kind == ConceptKind::kTherapy) {
        if (!min_dur) continue;
        stopped.push_back({Rule::Concept(RuleKind::kTherapy, c.id, TimeScope::kWithin, min_dur->duration), m.begin, m.end});
        consumed.push_back({m.begin, m.end});
        consumed.push_back({min_dur->begin, min_dur->end});
        continue;
      }
      bool history = HasWord(before, "history") || HasWord(before, "previous") || HasWord(before, "prior") ||
                     HasWord(before, "past") || HasWord(before, "received") || HasWord(before, "had ") ||
                     HasWord(before, "ever") || HasWord(lower.substr(m.end, next - m.end), "in the past") ||
                     HasWord(lower.substr(m.end, next - m.end), "before");
      bool current = HasWord(before, "current") || HasWord(before, "concomitant") || HasWord(before, "taking") ||
                     HasWord(before, "ongoing") || HasWord(before, "active") || HasWord(before, "receiving") ||
                     HasWord(lower.substr(m.end, next - m.end), "at the same time") ||
                     HasWord(lower.substr(m.end, next - m.end), "present");
      Rule r = Rule::Concept(rk, c.id);
      if (window) {
        r.scope = TimeScope::kWithin;
        r.window = window->duration;
        consumed.push_back({window->begin, window->end});
      } else if (current) {
        r.scope = TimeScope::kCurrent;
      } else if (history || min_dur) {
        r.scope = TimeScope::kEver;
      } else {
        r.scope = c.kind == ConceptKind::kCondition ? TimeScope::kCurrent : TimeScope::kEver;
      }
      if (min_dur && c.kind == ConceptKind::kTherapy && !window) {
        r.min_duration = min_dur->duration;
        consumed.push_back({min_dur->begin, min_dur->end});
      }
      bool negated = IsNegatedBefore(lower, m.begin, prev_end);
      consumed.push_back({m.begin, m.end});
      found.push_back({negated ? Rule::Not(r) : r, m.begin, m.end, true, negated});
    }
    if (!stopped.empty()) {
      std::vector<Rule> parts;
      for (ClauseAtom& s : stopped) parts.push_back(std::move(s.rule));
      found.push_back({Rule::Not(Rule::Any(std::move(parts))), stopped.front().begin, stopped.back().end});
    }
  }

  // What is left after the typed parts, examples and filler words.
  std::vector<std::string> residual;
  {
    std::vector<Span> skip = consumed;
    skip.insert(skip.end(), examples.begin(), examples.end());
    size_t i = 0;
    while (i < lower.size()) {
      unsigned char ch = static_cast<unsigned char>(lower[i]);
      if (!(std::isalpha(ch) || ch >= 0x80)) { ++i; continue; }
      size_t j = i;
      while (j < lower.size() && (std::isalnum(static_cast<unsigned char>(lower[j])) || lower[j] == '-' ||
                                  static_cast<unsigned char>(lower[j]) >= 0x80 || lower[j] == '.')) {
        ++j;
      }
      std::string w(std::string_view(lower).substr(i, j - i));
      while (!w.empty() && (w.back() == '.' || w.back() == '-' || w.back() == '/')) w.pop_back();
      bool skipped = Inside(skip, i);
      // A lab threshold in parentheses defines the words before it ("severe hepatic dysfunction (ALT ...)").
      if (!skipped && has_lab_in_parens && !Inside(parens, i)) {
        for (const Span& p : lab_parens) skipped |= i < p.begin;
      }
      bool numeric = !w.empty() && std::isdigit(static_cast<unsigned char>(w[0]));
      if (!skipped && !w.empty() && !numeric && !Fillers().count(w) && !ParseUnit(w)) {
        residual.push_back(std::string(clause.substr(i, w.size())));
      }
      i = j;
    }
  }

  if (found.empty()) {
    std::string reason = problems.empty() ? "" : problems.front() + ": ";
    if (concepts_qualified) reason = *qualifier + ": ";
    return Rule::NotComputable(reason + "\"" + std::string(trimmed) + "\"");
  }

  std::sort(found.begin(), found.end(), [](const ClauseAtom& a, const ClauseAtom& b) { return a.begin < b.begin; });
  // A list of mentions of one kind ("thromboembolic events, heart attack or stroke") is one part.
  {
    std::vector<ClauseAtom> merged;
    for (size_t k = 0; k < found.size();) {
      size_t e = k + 1;
      bool any_or = false;
      while (e < found.size() && found[k].concept_list && found[e].concept_list &&
             found[e].rule.kind == found[k].rule.kind && found[e].negated == found[k].negated) {
        std::string g(Trim(std::string_view(masked).substr(std::min(found[e - 1].end, found[e].begin),
                                                           found[e].begin - std::min(found[e - 1].end, found[e].begin))));
        if (!IsOrSeparator(g)) break;
        any_or |= g.find("or") != std::string::npos || g == "/";
        ++e;
      }
      if (e - k == 1) {
        merged.push_back(std::move(found[k]));
      } else {
        std::vector<Rule> parts;
        for (size_t i = k; i < e; ++i) parts.push_back(std::move(found[i].rule));
        bool negated = found[k].negated;
        // "not A or B" is neither; an exclusion list is any-of; an inclusion list follows its words.
        bool use_or = negated ? false : (!inclusion || any_or);
        ClauseAtom a{use_or ? Rule::Any(std::move(parts)) : Rule::All(std::move(parts)), found[k].begin, found[e - 1].end,
                     true, negated};
        merged.push_back(std::move(a));
      }
      k = e;
    }
    found = std::move(merged);
  }
  // Combine in text order: AND binds tighter than OR. Connectors are read from the gap between atoms;
  // a comma (or nothing) takes the criterion's default; in exclusions a list of conditions is any-of.
  std::vector<std::vector<Rule>> or_groups(1);
  for (size_t k = 0; k < found.size(); ++k) {
    if (k > 0) {
      std::string_view gap = std::string_view(masked).substr(std::min(found[k - 1].end, found[k].begin),
                                                            found[k].begin - std::min(found[k - 1].end, found[k].begin));
      bool has_or = HasWord(gap, "or") || gap.find('/') != std::string_view::npos;
      bool has_and = HasWord(gap, "and") || HasWord(gap, "with") || HasWord(gap, "but");
      bool is_or;
      if (has_or && !has_and) is_or = true;
      else if (has_and && !has_or) is_or = false;
      else is_or = !inclusion;
      auto family = [](RuleKind rk) { return rk == RuleKind::kBreastfeeding ? RuleKind::kPregnant : rk; };
      if (!inclusion && found[k - 1].concept_list && found[k].concept_list &&
          family(found[k - 1].rule.kind) == family(found[k].rule.kind)) {
        is_or = true;
      }
      if (found[k - 1].negated && found[k].negated) is_or = false;  // "not A or B" is neither
      if (is_or) or_groups.emplace_back();
    }
    or_groups.back().push_back(found[k].rule);
  }
  std::vector<Rule> ors;
  for (auto& g : or_groups) ors.push_back(Rule::All(std::move(g)));
  Rule typed = Rule::Any(std::move(ors));

  if (concepts_qualified || !residual.empty()) {
    std::string what = concepts_qualified ? *qualifier + ": \"" + std::string(trimmed) + "\""
                                          : "\"" + Join(residual, " ") + "\"";
    Rule rest = Rule::NotComputable(what);
    return inclusion ? Rule::All({typed, rest}) : Rule::Any({typed, rest});
  }
  return typed;
}

namespace {

// Splits a criterion into clauses at ';' and at sentence ends, outside parentheses.
std::vector<std::string_view> Clauses(std::string_view text) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '(' || c == '[') ++depth;
    else if ((c == ')' || c == ']') && depth > 0) --depth;
    if (depth > 0) continue;
    bool cut = c == ';';
    if (c == '.' && i + 2 < text.size() && text[i + 1] == ' ' && std::isupper(static_cast<unsigned char>(text[i + 2]))) {
      // Not after an abbreviation ("e.g. ", "etc. ", "vs. ", "Dr. ").
      size_t w = i;
      while (w > start && std::isalpha(static_cast<unsigned char>(text[w - 1]))) --w;
      std::string word = ToLowerAscii(text.substr(w, i - w));
      cut = !(word == "e.g" || word == "g" || word == "etc" || word == "vs" || word == "dr" || word == "i.e" ||
              word == "e" || word == "approx" || word == "no" || (word.size() == 1 && (w == start || text[w - 1] == ' ')));
    }
    if (cut) {
      if (!Trim(text.substr(start, i - start)).empty()) out.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  if (!Trim(text.substr(start)).empty()) out.push_back(text.substr(start));
  return out;
}

// The position of a ':' that separates a heading or condition from what follows, or npos.
size_t ColonSplit(std::string_view clause) {
  int depth = 0;
  for (size_t i = 0; i < clause.size(); ++i) {
    char c = clause[i];
    if (c == '(') ++depth;
    else if (c == ')' && depth > 0) --depth;
    else if (c == ':' && depth == 0) {
      bool digits = i > 0 && i + 1 < clause.size() && std::isdigit(static_cast<unsigned char>(clause[i - 1])) &&
                    std::isdigit(static_cast<unsigned char>(clause[i + 1]));
      if (!digits) return i;
    }
  }
  return std::string_view::npos;
}

// True if a lab, score, age or life-expectancy leaf is in `r`.
bool HasMeasurement(const Rule& r) {
  if (r.kind == RuleKind::kLab || r.kind == RuleKind::kScore || r.kind == RuleKind::kAge ||
      r.kind == RuleKind::kLifeExpectancy) {
    return true;
  }
  for (const Rule& c : r.children) {
    if (HasMeasurement(c)) return true;
  }
  return false;
}

bool AnyOfHeading(std::string_view lower) {
  return HasWord(lower, "at least one of") || HasWord(lower, "any of the following") ||
         HasWord(lower, "one of the following") || HasWord(lower, "either of the following") ||
         HasWord(lower, "any one of");
}

}  // namespace

Rule CriteriaParser::ParseCriterion(std::string_view text, CriterionKind kind) const {
  const bool inclusion = kind == CriterionKind::kInclusion;
  std::string lower = atoms::Lower(text);
  bool childbearing = HasWord(lower, "childbearing") || HasWord(lower, "child-bearing") ||
                      HasWord(lower, "child bearing") || HasWord(lower, "reproductive potential");
  size_t colon = ColonSplit(text);
  if (colon != std::string_view::npos && AnyOfHeading(lower.substr(0, colon))) {
    std::vector<Rule> parts;
    for (std::string_view c : Clauses(text.substr(colon + 1))) {
      // The list items are separated by '.' or ',' in run-on text: parse each comma part too.
      for (std::string_view piece : Split(c, ',')) {
        if (!Trim(piece).empty()) parts.push_back(ParseClause(piece, kind, childbearing));
      }
    }
    if (parts.empty()) return Rule::NotComputable("\"" + std::string(Trim(text)) + "\"");
    return Rule::Any(std::move(parts));
  }
  std::vector<Rule> parts;
  for (std::string_view c : Clauses(text)) {
    size_t cc = ColonSplit(c);
    if (cc != std::string_view::npos && !Trim(c.substr(cc + 1)).empty() && !Trim(c.substr(0, cc)).empty()) {
      // "X: Y": X is a condition (or a heading) for Y.
      Rule head = ParseClause(c.substr(0, cc), kind, childbearing);
      Rule body = ParseClause(c.substr(cc + 1), kind, childbearing);
      // "Currently receiving anti-cancer therapy: chemotherapy, radiotherapy, ...": a list that only
      // names kinds of the head's concept adds nothing to it.
      bool head_concept = head.kind == RuleKind::kTherapy || head.kind == RuleKind::kCondition ||
                          head.kind == RuleKind::kProcedure;
      if (head_concept && !HasMeasurement(body)) {
        parts.push_back(head);
        continue;
      }
      if (head.kind == RuleKind::kNotComputable && body.IsComputable()) {
        parts.push_back(inclusion ? Rule::All({body, head}) : Rule::All({head, body}));
      } else {
        parts.push_back(Rule::All({head, body}));
      }
      continue;
    }
    parts.push_back(ParseClause(c, kind, childbearing));
  }
  if (parts.empty()) return Rule::NotComputable("empty");
  return inclusion ? Rule::All(std::move(parts)) : Rule::Any(std::move(parts));
}

std::vector<ParsedCriterion> CriteriaParser::Parse(std::string_view criteria) const {
  std::vector<CriterionText> texts = SplitCriteria(criteria);
  std::vector<ParsedCriterion> out;
  out.reserve(texts.size());
  for (CriterionText& t : texts) {
    Rule r = ParseCriterion(t.text, t.kind);
    out.push_back({std::move(t), std::move(r)});
  }
  // Fold children into parents, deepest first.
  for (size_t k = out.size(); k-- > 0;) {
    std::vector<Rule> kids;
    for (size_t j = k + 1; j < out.size(); ++j) {
      if (out[j].criterion.parent == static_cast<int>(k)) kids.push_back(out[j].rule);
    }
    if (kids.empty()) continue;
    ParsedCriterion& p = out[k];
    std::string lower = atoms::Lower(p.criterion.text);
    bool inclusion = p.criterion.kind == CriterionKind::kInclusion;
    if (HasWord(lower, "if ") || StartsWith(lower, "if ") || HasWord(lower, "unless")) {
      p.rule = Rule::NotComputable("conditional list: \"" + p.criterion.text + "\"");
      continue;
    }
    Rule children = AnyOfHeading(lower) || !inclusion ? Rule::Any(std::move(kids)) : Rule::All(std::move(kids));
    // A heading that ends in ':' and says nothing typed is defined by its list.
    bool heading_only = p.rule.kind == RuleKind::kNotComputable;
    p.rule = heading_only ? children : Rule::All({p.rule, children});
  }
  return out;
}

}  // namespace ts
