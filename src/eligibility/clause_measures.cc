// Pass 3 of the criteria parser (clause_passes.h): measurements and the reproductive rules.
#include "eligibility/clause_passes.h"

#include "common/ascii.h"

#include <algorithm>
#include <cctype>

namespace ts::clause_pass {

bool AgeAtEarlierEvent(const CriteriaLexicon& lex, std::string_view lower) {
  for (const TriggerHit& h : lex.FindAll(Trigger::kAgeAt, lower)) {
    std::string_view after = Trim(lower.substr(h.end));
    bool today = false;
    for (std::string_view w : {"signing", "sign", "informed", "consent", "screening", "enrol", "registration", "study entry",
                               "entry", "randomi", "inclusion", "the screening", "the signing", "the informed", "giving"}) {
      today |= StartsWith(after, w);
    }
    if (!today) return true;
  }
  return false;
}

// Brackets right after a measurement [begin, end) that make it unsure, or nothing:
//  - a second threshold for some of the patients: "Alkaline phosphatase less than 3 times ULN (5 times ULN
//    for metastatic disease)" (which applies is not read here);
//  - a limit to some patients: "Lymphocyte count no greater than 5,000/mm3 (for small lymphocytic lymphoma)";
//  - words that change what is measured: "Karnofsky 70%-100% (unrelated to postradiation fibrosis)".
namespace {
std::optional<Rule> BracketsAfter(const CriteriaLexicon& lex, std::string_view clause, std::string_view lower,
                                  const std::vector<Span>& parens, size_t begin, size_t end) {
  std::optional<Span> p = clause::BracketsRightAfter(lower, parens, end);
  if (!p) return std::nullopt;
  std::string_view inside = lower.substr(p->begin, p->end - p->begin);
  std::string_view whole = clause.substr(begin, p->end - begin);
  bool number = inside.find_first_of("0123456789") != std::string_view::npos;
  // "Karnofsky 70%-100% (over age 16) Lansky 70%-100% (ages 6-16)": an age names the patients it is for.
  if (number && (HasWord(inside, "for") || HasWord(inside, "if") || HasWord(inside, "in patients") ||
                 HasWord(inside, "with") || HasWord(inside, "unless") || HasWord(inside, "except") ||
                 HasWord(inside, "age") || HasWord(inside, "ages") || HasWord(inside, "aged") ||
                 HasWord(inside, "older") || HasWord(inside, "younger"))) {
    return Unsure(Uncertainty::kSubgroup, "subgroup (another threshold for some patients)", whole);
  }
  if (lex.FindAt(Trigger::kParenSubgroup, inside, 0)) {
    return Unsure(Uncertainty::kSubgroup, "subgroup (a limit for some patients)", whole);
  }
  if (lex.FindAt(Trigger::kParenQualifier, inside, 0)) {
    return Unsure(Uncertainty::kQualified, "qualified (bracketed words change what is measured)", whole);
  }
  return std::nullopt;
}

// True if a lab [begin, end) is measured in another specimen than blood: a lab_specimen word among the three
// words before it (with no comma or semicolon between; a heading's colon may be), inside its span, or in an
// "in / of / from" phrase of three words right after it.
bool LabInOtherSpecimen(const CriteriaLexicon& lex, std::string_view lower, size_t begin, size_t end) {
  auto specimen = [&](size_t from, size_t to) {
    for (auto hit = lex.Find(Trigger::kLabSpecimen, lower, from, to); hit;
         hit = lex.Find(Trigger::kLabSpecimen, lower, hit->end, to)) {
      if (hit->begin == 0 || lower[hit->begin - 1] != '-') return true;  // "G-CSF" is a drug
    }
    return false;
  };
  size_t from = begin;
  for (int words = 0; from > 0 && words < 4;) {  // a space after each of the three words before
    char c = lower[from - 1];
    if (c == ',' || c == ';') break;  // a colon may end a heading that names the specimen ("cerebrospinal fluid: WBC")
    --from;
    if (c == ' ' && from > 0 && lower[from - 1] != ' ') ++words;
  }
  if (specimen(from, std::min(end, lower.size()))) return true;
  // After it, only "in (the) X", "of the X", "from X": "Creatinine less than 1.6 mg/dL Urinary RBC levels 0-2"
  // is the next item of a run-on list.
  std::vector<clause::Word> next = clause::Words(lower.substr(std::min(end, lower.size()), 40));
  if (next.empty() || !(next[0].text == "in" || next[0].text == "of" || next[0].text == "from")) return false;
  size_t last = std::min<size_t>(next.size(), 4) - 1;
  return specimen(end + next[0].begin, end + next[last].end);
}

// Whether the fertility phrase at `f` is an item of a list ("pregnant, lactating, or of child-bearing potential",
// "women in childbearing age, pregnancy and ...") rather than the words that say whom a rule is for ("women of
// childbearing potential who are pregnant", "pregnant women of child-bearing age"): before it, after an optional
// "women of", "females in", ..., the clause starts or a list mark ("," ";" "or" "and") comes; after it, the clause
// ends or a list mark comes.
bool FertilityIsAnItem(std::string_view lower, const TriggerHit& f) {
  auto drop_last = [](std::string_view& text, std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) {
      if (text == w || (EndsWith(text, w) && text.size() > w.size() && text[text.size() - w.size() - 1] == ' ')) {
        text = Trim(text.substr(0, text.size() - w.size()));
        return;
      }
    }
  };
  std::string_view before = Trim(lower.substr(0, f.begin));
  drop_last(before, {"of", "in", "at", "with"});
  drop_last(before, {"women", "woman", "females", "female", "patients", "subjects", "participants"});
  bool list_before = before.empty() || EndsWith(before, ",") || EndsWith(before, ";") || EndsWith(before, " or") ||
                     EndsWith(before, " and") || EndsWith(before, "/");
  std::string_view after = Trim(lower.substr(f.end));
  // "Pregnant or childbearing potential women or breastfeeding women": the noun after the state.
  for (std::string_view w : {"women", "woman", "females", "female", "patients", "subjects", "participants"}) {
    if (StartsWith(after, w) && (after.size() == w.size() || !std::isalpha(static_cast<unsigned char>(after[w.size()])))) {
      after = Trim(after.substr(w.size()));
      break;
    }
  }
  bool list_after = after.empty() || after[0] == ',' || after[0] == ';' || after[0] == '.' || StartsWith(after, "or ") ||
                    StartsWith(after, "and ");
  return list_before && list_after;
}
}  // namespace

// Pass 3b and 3c: labs, scores, age, life expectancy; pregnancy, breastfeeding, contraception.
void ReadMeasures(const ConceptTable& concepts, const CriteriaLexicon& lex, ClauseState& st) {
  std::string_view clause = st.clause;
  const std::string& lower = st.lower;
  const bool inclusion = st.inclusion;
  auto& found = st.found;
  auto& consumed = st.consumed;
  auto& examples = st.examples;
  // "WBC < 30,000/mm3 at time of CMA-676 administration", "ALP >= 1.5 x ULN prior to treatment with UDCA":
  // a value at another time than the screening's.
  std::vector<Atom> labs = atoms::ExtractLabs(clause, concepts, inclusion, &st.problems);
  bool dated_elsewhere = !labs.empty() && (AgeAtEarlierEvent(lex, lower) || HasWord(lower, "prior to treatment with") ||
                                           HasWord(lower, "before treatment with") || HasWord(lower, "prior to initiation of") ||
                                           HasWord(lower, "before initiation of"));
  for (Atom& a : labs) {
    if (dated_elsewhere) {
      a.rule = Unsure(Uncertainty::kTimeUnclear, "time_unclear (a value at another time)", clause.substr(a.begin, a.end - a.begin));
    }
    if (std::optional<Rule> r = BracketsAfter(lex, clause, lower, st.parens, a.begin, a.end)) a.rule = std::move(*r);
    // "Documented fasting blood glucose below 55 mg/dl", "history of platelets < 20": any past value, which a
    // record's latest result does not settle.
    auto just_before = [&](Trigger t) {
      auto hit = lex.FindLast(t, lower, a.begin > 24 ? a.begin - 24 : 0, a.begin);
      return hit && Trim(std::string_view(lower).substr(hit->end, a.begin - std::min(a.begin, hit->end))).size() <= 12;
    };
    if (just_before(Trigger::kLabPast)) {
      a.rule = Unsure(Uncertainty::kTimeUnclear, "time_unclear (a past value, not the latest)",
                      clause.substr(a.begin, a.end - a.begin));
    }
    // "The upper target for INR is no greater than 3": a treatment's goal, not a measured value.
    if (just_before(Trigger::kLabTarget) || lex.Find(Trigger::kLabTarget, lower, a.end, std::min(lower.size(), a.end + 24))) {
      a.rule = Unsure(Uncertainty::kQualified, "qualified (a treatment target, not a measured value)",
                      clause.substr(a.begin, a.end - a.begin));
    }
    // "CSF WBC > 5/mm3", "WBC in the cerebrospinal fluid", "bone marrow blasts < 5%": the analytes are blood
    // values; a value in another specimen is not one of them. (Looked for in the three words before the lab,
    // with no comma or semicolon between, in the lab's own span, and in "in the CSF" after it.)
    if (LabInOtherSpecimen(lex, lower, a.begin, a.end)) {
      a.rule = Unsure(Uncertainty::kQualified, "qualified (a value in another specimen than blood)",
                      clause.substr(a.begin, a.end - a.begin));
    }
    // "more than 45 kg over ideal body weight", "20% above baseline": a threshold relative to another value.
    // (Only the next two words matter: read a short window, not the rest of the clause, for every lab.)
    std::vector<clause::Word> next = clause::Words(std::string_view(lower).substr(std::min(a.end, lower.size()), 64));
    if (!next.empty() && (next[0].text == "over" || next[0].text == "above" || next[0].text == "below" ||
                          next[0].text == "under" || next[0].text == "beyond") &&
        next.size() > 1 && ascii::IsAlpha(static_cast<unsigned char>(next[1].text[0]))) {
      a.rule = Unsure(Uncertainty::kQualified, "qualified (a threshold relative to another value)",
                      clause.substr(a.begin, a.end - a.begin));
    }
    for (const Span& p : st.parens) {
      if (a.begin > p.begin && a.end <= p.end) {
        st.has_lab_in_parens = true;
        st.lab_parens.push_back(p);
      }
    }
    consumed.push_back({a.begin, a.end});
    found.push_back({std::move(a.rule), a.begin, a.end});
  }
  // (Only an "or" with a number after it reads them: see OrBeforeUntypedNumber.)
  auto or_before_number = [&] {
    for (size_t p = FindWord(lower, "or"); p != std::string::npos; p = FindWord(lower, "or", p + 2)) {
      if (p + 2 < lower.size() && ascii::IsAlpha(static_cast<unsigned char>(lower[p + 2]))) continue;
      if (lower.find_first_of("0123456789", p) != std::string::npos) return true;
    }
    return false;
  };
  if (or_before_number()) {
    for (const ConceptMention& m : concepts.FindMentions(clause, {ConceptKind::kAnalyte})) {
      if (!Inside(consumed, m.begin)) st.untyped_analytes.push_back(m.begin);
    }
  }
  for (auto* extract : {&atoms::ExtractAge, &atoms::ExtractLifeExpectancy}) {
    for (Atom& a : (*extract)(clause)) {
      consumed.push_back({a.begin, a.end});
      // "Age 2-25 at initial diagnosis": an age at an earlier event, not today's.
      if (a.rule.kind == RuleKind::kAge && AgeAtEarlierEvent(lex, lower)) {
        a.rule = Unsure(Uncertainty::kTimeUnclear, "time_unclear (an age at an earlier event)", clause.substr(a.begin, a.end - a.begin));
      }
      // "A DPA is required of all patients 18 - 21 years of age": the age says whom the requirement is for.
      if (a.rule.kind == RuleKind::kAge) {
        if (auto lead = lex.FindLast(Trigger::kAgeSubgroup, lower, a.begin > 40 ? a.begin - 40 : 0, a.begin)) {
          std::string_view gap = Trim(std::string_view(lower).substr(lead->end, a.begin - std::min(a.begin, lead->end)));
          if (gap.empty() || gap == "aged" || gap == "age" || gap == "ages" || gap == "between" || gap == "who are" ||
              gap == "from" || gap == "under" || gap == "over" || gap == "older than" || gap == "younger than" ||
              gap.find_first_not_of("<>=\xE2\x89\xA4\xA5") == std::string_view::npos) {  // "men >30", "men ≥ 30"
            a.rule = Unsure(Uncertainty::kSubgroup, "subgroup (an age that says whom a requirement is for)",
                            clause.substr(lead->begin, a.end - lead->begin));
          }
        }
      }
      // "Adults 18-70 years of age": the noun says what the adult age limit says.
      if (a.rule.kind == RuleKind::kAge && (a.rule.cmp == Comparator::kGe || a.rule.cmp == Comparator::kGt ||
                                            a.rule.cmp == Comparator::kRange) && a.rule.value >= 18) {
        std::vector<clause::Word> before = clause::Words(std::string_view(lower).substr(0, a.begin));
        if (!before.empty() && (before.back().text == "adults" || before.back().text == "adult")) {
          consumed.push_back({before.back().begin, before.back().end});
        }
      }
      found.push_back({std::move(a.rule), a.begin, a.end});
    }
  }
  // "Karnofsky 70-100% Lansky 50-100%": another scale the parser does not read is named for some of the patients
  // (children), so which one holds for whom is not known.
  std::optional<TriggerHit> other_scale = lex.Find(Trigger::kScoreAlternative, lower);
  for (Atom& a : atoms::ExtractScores(clause, concepts)) {
    if (std::optional<Rule> r = BracketsAfter(lex, clause, lower, st.parens, a.begin, a.end)) a.rule = std::move(*r);
    if (other_scale && a.rule.kind == RuleKind::kScore && a.rule.concept_id != "nyha") {
      a.rule = Unsure(Uncertainty::kSubgroup, "subgroup (another scale, '" + std::string(Trim(other_scale->phrase)) + "', for some patients)",
                      clause.substr(a.begin, a.end - a.begin));
    }
    consumed.push_back({a.begin, a.end});
    found.push_back({std::move(a.rule), a.begin, a.end});
  }
  // Spans stay inside the clause whatever a recogniser reports.
  for (ClauseAtom& a : found) {
    a.end = std::min(a.end, lower.size());
    a.begin = std::min(a.begin, a.end);
  }
  for (Span& c : consumed) c.end = std::min(c.end, lower.size());
  // "No NYHA class III or IV", "must not have platelets < 50": a negation before a measurement.
  for (ClauseAtom& a : found) {
    clause::Polarity pol = clause::ReadPolarity(lex, lower, a.begin, a.end, 0, a.end);
    // "Hepatic: No significant hepatic disease Bilirubin no greater than 2 mg/dL": a negation with words of
    // its own before the measurement denies those words, perhaps not the measurement.
    if (pol.negated && !pol.after) {
      if (auto neg = lex.FindLast(Trigger::kNegation, lower, 0, a.begin)) {
        // "non-pregnant females between the ages of 18 and 69": a prefix negates its own word only.
        if (neg->end < lower.size() && (lower[neg->end] == '-' || (neg->end > 0 && lower[neg->end - 1] == '-')) &&
            StartsWith(neg->phrase, "non")) {
          pol.negated = false;
        }
        // ("No diabetes mellitus or fasting glucose >= 120 mg/dl": a list the negation runs through.)
        int words = 0;
        std::vector<clause::Word> gap = clause::Words(std::string_view(lower).substr(neg->end, a.begin - std::min(a.begin, neg->end)));
        for (const clause::Word& w : gap) {
          bool letters = std::any_of(w.text.begin(), w.text.end(), [](char ch) { return ascii::IsAlpha(static_cast<unsigned char>(ch)) != 0; });
          words += letters && !lex.IsFiller(w.text);
        }
        bool listed = !gap.empty() && (gap.back().text == "or" || gap.back().text == "nor" || gap.back().text == "and");
        if (pol.negated && words >= 2 && !listed) pol.unsure = Uncertainty::kNegationScope;
      }
    }
    // "No renal insufficiency (creatinine greater than 2.0 mg/dl)", "No significant cardiac disease (NYHA
    // class III/IV)": a threshold in parentheses defines the words before it, and a negation of those words
    // denies the threshold too; which way is not settled here.
    // So does "No minors (under 18 years of age)" (round 28: it read "age < 18", failing every adult).
    if (!pol.negated && !pol.unsure &&
        (a.rule.kind == RuleKind::kLab || a.rule.kind == RuleKind::kScore || a.rule.kind == RuleKind::kAge)) {
      for (const Span& p : st.parens) {
        if (a.begin > p.begin && a.end <= p.end && lex.FindLast(Trigger::kNegation, lower, 0, p.begin)) {
          pol.unsure = Uncertainty::kNegationScope;
        }
      }
    }
    if (pol.unsure) a.rule = Unsure(Uncertainty::kNegationScope, "negation_scope", clause.substr(a.begin, a.end - a.begin));
    else if (pol.negated) a.rule = Rule::Not(std::move(a.rule));
  }

  // Pass 3c: pregnancy, breastfeeding, contraception.
  bool negate_repro = inclusion && (HasWord(lower, "not") || HasWord(lower, "negative") || HasWord(lower, "non"));
  bool repro_unsure = !inclusion && lex.Has(Trigger::kNegation, lower);
  auto add_repro = [&](RuleKind k, std::initializer_list<std::string_view> words) {
    for (std::string_view w : words) {
      size_t p = FindWord(lower, w);
      if (p == std::string::npos || Inside(examples, p)) continue;
      size_t end = p + w.size();
      while (end < lower.size() && ascii::IsAlpha(static_cast<unsigned char>(lower[end]))) ++end;
      // "Nursing home resident", "nursing staff": not breastfeeding.
      if (w == "nursing" && lex.Find(Trigger::kHeadNoun, lower, end, std::min(lower.size(), end + 12)) == std::nullopt) {
        bool care = false;
        for (std::string_view n : {" home", " facility", " facilities", " care", " staff", " student", " assist"}) {
          care |= lower.compare(end, n.size(), n) == 0;
        }
        if (care) continue;
      }
      consumed.push_back({p, end});
      // "Are breast-fed" (an infant's criterion): the patient is fed breast milk, not nursing a child.
      if (k == RuleKind::kBreastfeeding && EndsWith(std::string_view(lower).substr(p, end - p), "fed")) {
        found.push_back({Unsure(Uncertainty::kUnparsed, "", clause.substr(p, end - p)), p, end});
        return;
      }
      // "Amenorrhea not due to pregnancy": pregnancy named as a cause, not as the patient's state.
      std::string_view lead = std::string_view(lower).substr(p > 24 ? p - 24 : 0, p > 24 ? 24 : p);
      bool cause = lead.find("due to") != std::string_view::npos || lead.find("secondary to") != std::string_view::npos ||
                   lead.find("caused by") != std::string_view::npos || lead.find("related to") != std::string_view::npos ||
                   lead.find("complication") != std::string_view::npos;
      // "Complications of pregnancy", "pregnancy-related hypertension", "pregnancy loss": pregnancy as a topic;
      // "have been or currently pregnant", "previous pregnancy": a past one, which no rule here types.
      std::string_view tail = std::string_view(lower).substr(end, std::min<size_t>(16, lower.size() - end));
      cause |= StartsWith(Trim(tail), "complication") || StartsWith(tail, "-related") || StartsWith(tail, "-induced") ||
               StartsWith(Trim(tail), "related") || StartsWith(Trim(tail), "induced") || StartsWith(Trim(tail), "loss") ||
               StartsWith(Trim(tail), "outcome");
      // "Lactation within the past 3 months", "pregnant within the last year": a window right after the word, not
      // the present state ("a negative pregnancy test within 7 days" dates the test, not the pregnancy).
      if (auto win = atoms::FindWindow(lower, end, std::min(lower.size(), end + 40)); win && win->begin <= end + 1) cause = true;
      cause |= lead.find("been") != std::string_view::npos || lead.find("previous") != std::string_view::npos ||
               lead.find("prior") != std::string_view::npos || lead.find("past") != std::string_view::npos ||
               lead.find("history") != std::string_view::npos || lead.find("number of") != std::string_view::npos;
      std::vector<clause::Word> lw = clause::Words(lead);
      // "Multiple pregnancy", "ectopic pregnancy": a kind of pregnancy (the word before it), not any pregnancy.
      if (!lw.empty() && lex.FindAt(Trigger::kPregnancyKind, lw.back().text, 0)) cause = true;
      // "During current pregnancy", "after the pregnancy has ended": pregnancy as a time.
      // "Hypertensive disorders of pregnancy", "cholestasis of pregnancy": a disease the pregnancy names.
      if (!lw.empty() && lw.back().text == "of" && lw.size() > 1 && lw[lw.size() - 2].text != "evidence" &&
          lw[lw.size() - 2].text != "period" && lw[lw.size() - 2].text != "state") {
        cause = true;
      }
      // "Pregnant woman whose amniocentesis reveals ...": the pregnancy says whom the exclusion is about.
      {
        std::vector<clause::Word> next = clause::Words(std::string_view(lower).substr(end, std::min<size_t>(40, lower.size() - end)));
        // "Pregnant woman whose amniocentesis reveals ...", "pregnant woman is receiving ...": the exclusion is about
        // what follows ("Pregnant women or nursing mothers" names the state).
        if (next.size() >= 2 && (next[0].text == "woman" || next[0].text == "women" || next[0].text == "patients" ||
                                 next[0].text == "patient" || next[0].text == "subjects" || next[0].text == "mothers")) {
          for (std::string_view verb : {"whose", "with", "who", "in", "is", "are", "receiving", "taking", "undergoing", "having",
                                        "affected", "suffering", "diagnosed", "presenting"}) {
            if (next[1].text == verb) cause = true;
          }
        }
      }
      bool as_time = !lw.empty() && (lw.back().text == "during" || lw.back().text == "in" || lw.back().text == "after" ||
                                     lw.back().text == "the" || lw.back().text == "throughout" ||
                                     lw.back().text == "before" ||
                                     // "Current pregnancy" opening the clause is the state itself.
                                     (lw.back().text == "current" && (lw.size() > 1 || p > 24)) ||
                                     lw.back().text == "this" || lw.back().text == "index");  // "in this pregnancy"
      // No trial's inclusion requires pregnancy in a sentence the parser reads: a positive mention
      // in an inclusion is about something else (a test, a time, a later event).
      bool positive_inclusion = inclusion && !negate_repro;
      if (repro_unsure || cause || as_time || positive_inclusion) {
        found.push_back({Unsure(Uncertainty::kNegationScope, "negation_scope", clause.substr(p, end - p)), p, end});
        return;
      }
      Rule r = Rule::Simple(k);
      r.childbearing_only = st.childbearing;
      found.push_back({negate_repro ? Rule::Not(r) : r, p, end, true, negate_repro});
      return;
    }
  };
  add_repro(RuleKind::kPregnant, {"pregnan"});
  add_repro(RuleKind::kBreastfeeding, {"breastfe", "breast-fe", "breast fe", "nursing", "lactat"});
  // "Pregnant, lactating, or of child-bearing potential", "Women in childbearing age, pregnancy and breast-feeding":
  // an exclusion that lists the ability to become pregnant as an item of its own. No rule types it, and dropping it
  // would pass every fertile woman: it is a question. (Not "women of childbearing potential who are pregnant",
  // where it only says whom the pregnancy rule is for.)
  bool repro_named = HasWord(lower, "pregnan") || HasWord(lower, "lactat") || HasWord(lower, "breast");
  if (!inclusion && repro_named && !HasWord(lower, "contracepti") && !HasWord(lower, "birth control")) {
    if (auto f = lex.Find(Trigger::kFertilityState, lower)) {
      if (FertilityIsAnItem(lower, *f)) {
        consumed.push_back({f->begin, f->end});
        found.push_back({Unsure(Uncertainty::kUnparsed, "", clause.substr(f->begin, f->end - f->begin)), f->begin, f->end});
      }
    }
  }
  if (HasWord(lower, "contracepti") || HasWord(lower, "birth control")) {
    size_t p = FindWord(lower, "contracepti");
    if (p == std::string::npos) p = FindWord(lower, "birth control");
    consumed.push_back({p, p + 11});
    // Only a requirement to use contraception is typed: an exclusion names its absence, whose words
    // the parser does not type safely, and a list of acceptable methods defines, it does not require.
    bool requires_use = HasWord(lower, "must") || HasWord(lower, "should") || HasWord(lower, "agree") ||
                        HasWord(lower, "use") || HasWord(lower, "using") || HasWord(lower, "practic") ||
                        HasWord(lower, "required") || HasWord(lower, "willing");
    auto outside_examples = [&](std::string_view w) {
      for (size_t at = FindWord(lower, w); at != std::string::npos; at = FindWord(lower, w, at + 1)) {
        if (!Inside(examples, at)) return true;
      }
      return false;
    };
    bool defines = outside_examples("include") || outside_examples("defined") || outside_examples("methods are") ||
                   outside_examples("counsel") || outside_examples("guidance") || outside_examples("advised") ||
                   outside_examples("informed") || outside_examples("educat") ||
                   outside_examples("abstinen") ||  // abstinence is an alternative the records do not show
                   // "WOCBP, including those who are practicing birth control, must have a negative test": who
                   // the requirement is for, whatever contraception they use.
                   HasWord(lower, "including those") || HasWord(lower, "even those") || HasWord(lower, "regardless");
    if (!inclusion || !requires_use || defines) {
      found.push_back({Unsure(inclusion ? Uncertainty::kUnparsed : Uncertainty::kNegationScope,
                              inclusion ? "" : "negation_scope", clause.substr(p, 11)), p, p + 11});
    } else {
      Rule r = Rule::Simple(RuleKind::kContraception);
      // Contraception asked of women only does not apply to men or to women who cannot become pregnant;
      // asked of "patients" or of men and women, it applies to men too. Asked of "fertile patients" or
      // "patients of reproductive potential", it depends on a man's or a child's fertility, which a record
      // rarely shows: the evaluator asks unless the patient uses contraception.
      r.childbearing_only = st.women_only;
      bool fertility = HasWord(lower, "fertile") || HasWord(lower, "reproductive potential") ||
                       HasWord(lower, "reproductive capacity");
      // "Individuals of child bearing potential" (no sex named): fertile men too, as "fertile patients".
      r.fertile_only = (fertility || st.childbearing) && !st.women_only;
      // "Must agree to use effective contraception during the study": a promise for the study's time. A record
      // of contraception in use meets it; one without does not fail it (the patient may agree): asked.
      // So is "must use effective contraception during the study and for 3 months after" (study_time).
      std::optional<TriggerHit> w = lex.Find(Trigger::kWillingness, lower);
      if (!w) w = lex.Find(Trigger::kStudyTime, lower);
      if (w) {
        r = Rule::Any({std::move(r), Unsure(Uncertainty::kWillingness, "willingness ('" + std::string(Trim(w->phrase)) +
                                                                           "': asked unless contraception is in use)",
                                            clause.substr(p, 11))});
      }
      found.push_back({r, p, p + 11});
    }
  }
}

}  // namespace ts::clause_pass
