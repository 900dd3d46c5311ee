// CriteriaParser::ParseClause: one clause of a criterion to a rule, as a pipeline of passes:
//   1. the opening sex line ("male and female", "men: ...");
//   2. the gate (clause_scan.h): study-team clauses and conditional / exemption / permission / plan /
//      possibility / subgroup clauses type nothing;
//   3. atoms: trial participation, labs, scores, age, life expectancy, pregnancy and contraception;
//   4. concept mentions, each with its polarity (negation scope), narrowing words, "other", the time
//      it counts (window, washout, current, ever) or why that is unclear;
//   5. the rest: words nobody typed become a not-computable part, placed so that it cannot flip the
//      verdict; an "or" to an untyped part, or a time left over, makes the whole clause not computable.
#include <algorithm>
#include <cctype>

#include "common/strings.h"
#include "eligibility/atoms.h"
#include "eligibility/clause_passes.h"
#include "eligibility/clause_scan.h"
#include "eligibility/rule_parser.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {
namespace {

using atoms::HasWord;
using clause_pass::ClauseState;
using clause_pass::Unsure;

// The opening line's sex: "Male and female" says nothing; "Men: ..." applies only to men.
std::optional<size_t> BothSexesLead(const CriteriaLexicon& lex, std::string_view lower) {
  auto h = lex.Find(Trigger::kGroupBoth, lower);
  if (!h || !Trim(lower.substr(0, h->begin)).empty()) return std::nullopt;
  return h->end;
}

}  // namespace

Rule CriteriaParser::ParseClause(std::string_view clause, CriterionKind kind, const ClauseFlags& flags) const {
  const bool inclusion = kind == CriterionKind::kInclusion;
  const bool childbearing = flags.childbearing;
  std::string_view trimmed = Trim(clause);
  if (trimmed.empty()) return Rule::NotComputable("empty", Uncertainty::kEmpty);
  if (trimmed.size() != clause.size()) return ParseClause(trimmed, kind, flags);
  std::string lower = atoms::Lower(clause);
  if (trimmed.back() == ':') return Unsure(Uncertainty::kHeading, "heading", trimmed);
  // "Bilirubin <= 2 x ULN*": a footnote elsewhere qualifies it.
  if (trimmed.back() == '*' && !EndsWith(trimmed, "**")) return Unsure(Uncertainty::kExemption, "exemption (a footnote)", trimmed);

  // Pass 1: the opening sex line.
  if (auto both = BothSexesLead(lexicon_, lower)) {
    std::string_view rest = Trim(clause.substr(*both));
    while (!rest.empty() && (rest[0] == ',' || rest[0] == ':')) rest = Trim(rest.substr(1));
    if (rest.empty()) return Unsure(Uncertainty::kUnparsed, "", trimmed);
    return ParseClause(rest, kind, flags);
  }
  for (std::string_view lead : {"for men:", "for men ", "for males:", "for male ", "men:", "men ", "male ", "males ",
                                "male participants", "male patients", "male subjects"}) {
    if (StartsWith(lower, lead)) {
      // "partners of child-bearing potential" is about the partner: the man's own rule is unconditional.
      size_t cut = lead.size() - ((lead.back() == ' ') ? 1 : 0);
      ClauseFlags inner_flags = flags;
      inner_flags.childbearing = false;
      inner_flags.women_only = false;
      Rule inner = ParseClause(Trim(clause.substr(cut)), kind, inner_flags);
      Rule male = Rule::Simple(RuleKind::kSex);
      male.text = "male";
      // "Males 35-55 years old": an inclusion's opening line that names one sex and an age requires both, as
      // for women below (not "For men: ...", which limits a rule to men, nor a clause that names women too).
      bool for_men = StartsWith(lead, "for ");
      // (HasWord matches at a word's start: "female" also finds "females".)
      if (inclusion && !for_men && inner.kind == RuleKind::kAge && !HasWord(lower, "women") && !HasWord(lower, "female")) {
        return Rule::All({male, inner});
      }
      // Inclusion: men must meet it (others pass); exclusion: it excludes only men.
      return inclusion ? Rule::Any({Rule::Not(male), inner}) : Rule::All({male, inner});
    }
  }

  // "Women 45-64 years of age", "Females aged 18 to 40": an inclusion's opening line that names one sex and an
  // age requires both. (Not when the clause names men too, or fertility, which other rules read.)
  if (inclusion) {
    for (std::string_view lead : {"women ", "woman ", "females ", "female ", "female patients ", "female subjects "}) {
      if (!StartsWith(lower, lead)) continue;
      if (HasWord(lower, "men") || HasWord(lower, "male") || HasWord(lower, "males") || HasWord(lower, "childbearing") ||
          HasWord(lower, "child-bearing") || HasWord(lower, "potential") || HasWord(lower, "pregnan")) {
        break;
      }
      Rule inner = ParseClause(Trim(clause.substr(lead.size())), kind, flags);
      if (inner.kind != RuleKind::kAge) break;
      Rule female = Rule::Simple(RuleKind::kSex);
      female.text = "female";
      return Rule::All({female, inner});
    }
  }

  // Pass 2: the gate.
  bool contraception = HasWord(lower, "contracepti") || HasWord(lower, "birth control");
  if (auto gate = clause::Gate(lexicon_, lower, contraception, inclusion)) {
    static constexpr std::pair<Uncertainty, std::string_view> kLabels[] = {
        {Uncertainty::kConsent, "informed consent"},
        {Uncertainty::kJudgement, "investigator's judgement"},
        {Uncertainty::kCompliance, "compliance"},
        {Uncertainty::kWillingness, "willingness or ability"}};
    for (const auto& [why, label] : kLabels) {
      if (why == gate->why) return Unsure(why, label, trimmed);
    }
    return Unsure(gate->why, std::string(UncertaintyName(gate->why)) + " ('" + gate->phrase + "')", trimmed);
  }

  // Pass 3a: another trial.
  bool trial_words = HasWord(lower, "clinical trial") || HasWord(lower, "clinical study") || HasWord(lower, "other trial") ||
                     HasWord(lower, "another trial") || HasWord(lower, "other study") || HasWord(lower, "another study") ||
                     HasWord(lower, "other clinical") || HasWord(lower, "another clinical") ||
                     HasWord(lower, "investigational");
  if (trial_words &&
      (HasWord(lower, "particip") || HasWord(lower, "enrol") || HasWord(lower, "took part") || HasWord(lower, "received"))) {
    // "Investigational drug within 30 days" is about a drug, not about taking part in a trial.
    bool about_trial = HasWord(lower, "trial") || HasWord(lower, "study") || HasWord(lower, "studies") ||
                       HasWord(lower, "protocol");
    // "Investigational drug within 30 days" is about a drug; "an investigational drug or device study" is
    // narrower than any trial: neither is the trial-participation rule.
    if (!about_trial || HasWord(lower, "investigational") || HasWord(lower, "endpoint") || HasWord(lower, "follow") ||
        HasWord(lower, "until") || HasWord(lower, "before reaching")) {
      return Unsure(Uncertainty::kQualified, "qualified ('investigational')", trimmed);
    }
    Rule r = Rule::Simple(RuleKind::kTrialParticipation);
    if (auto w = atoms::FindWindow(lower, 0, lower.size())) {
      r.scope = TimeScope::kWithin;
      r.window = w->duration;
    } else if (HasWord(lower, "current")) {
      r.scope = TimeScope::kCurrent;
    } else {
      return Unsure(Uncertainty::kTimeUnclear, "time_unclear", trimmed);
    }
    if (clause::FindWashout(lexicon_, lower)) return Unsure(Uncertainty::kTimeUnclear, "time_unclear", trimmed);
    bool negated = lexicon_.Has(Trigger::kNegation, lower);
    // An exclusion names the trial to exclude; an inclusion can only sensibly forbid it ("not
    // participating in another study"): a positive inclusion is usually a misfiled exclusion.
    if (inclusion) {
      if (!negated) return Unsure(Uncertainty::kUnparsed, "", trimmed);
      return Rule::Not(r);
    }
    if (negated) return Unsure(Uncertainty::kNegationScope, "negation_scope", trimmed);
    return r;
  }

  ClauseState st;
  st.clause = trimmed;
  st.lower = std::move(lower);
  st.inclusion = inclusion;
  st.childbearing = childbearing;
  st.women_only = flags.women_only;
  st.head = flags.head;
  st.study = flags.study;
  st.parens = clause::Parens(st.lower);
  st.examples = clause::ExampleSpans(st.lower, st.parens);
  clause_pass::ReadMeasures(concepts_, lexicon_, st);
  std::vector<ConceptMention> kept = clause_pass::FindConceptMentions(concepts_, lexicon_, st);
  // A clause whose mentions are qualified as a whole types only its measurements.
  if (!(st.qualifier && !kept.empty())) {
    st.qualifier.reset();
    clause_pass::TypeMentions(concepts_, lexicon_, st, kept);
  }
  return clause_pass::Combine(lexicon_, st);
}

}  // namespace ts
