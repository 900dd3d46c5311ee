// Pass 5 of the criteria parser (clause_passes.h): the typed parts combined, the rest placed safely.
#include "eligibility/clause_passes.h"

#include "common/ascii.h"

#include <algorithm>
#include <cctype>

namespace ts::clause_pass {

namespace {

// "PCP", "MI", "TIA": a short word written in capitals names something (a unit's rest, "gm", "dl", does not).
bool IsAcronym(std::string_view word) {
  if (word.size() < 2) return false;
  for (char c : word)
    if (c < 'A' || c > 'Z') return false;
  return true;
}

// The words no pass typed: not consumed, not an example, not attached, not a filler, number or unit.
std::vector<clause::Word> Residual(const CriteriaLexicon& lex, const ClauseState& st) {
  std::vector<Span> skip = st.consumed;
  skip.insert(skip.end(), st.examples.begin(), st.examples.end());
  skip.insert(skip.end(), st.attached.begin(), st.attached.end());
  std::vector<clause::Word> out;
  const bool mixed_case = std::any_of(st.clause.begin(), st.clause.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  for (clause::Word& w : clause::Words(st.lower)) {
    std::string t = w.text;
    while (!t.empty() && (t.back() == '.' || t.back() == '-' || t.back() == '/')) t.pop_back();
    bool skipped = Inside(skip, w.begin);
    // A lab threshold in parentheses defines the words before it ("severe hepatic dysfunction (ALT ...)").
    if (!skipped && st.has_lab_in_parens && !Inside(st.parens, w.begin)) {
      for (const Span& p : st.lab_parens) skipped |= w.begin < p.begin;
    }
    unsigned char first = t.empty() ? 0 : static_cast<unsigned char>(t[0]);
    bool numeric = ascii::IsDigit(first);
    // "WHO 0-2 OR Karnofsky 50-100%": a filler word that is a filler_acronym, written in capitals in a clause that
    // is not all capitals, names something (here a performance scale the parser does not read).
    bool acronym = !t.empty() && mixed_case && IsAcronym(st.clause.substr(w.begin, t.size())) &&
                   lex.FindAt(Trigger::kFillerAcronym, st.lower, w.begin, w.begin + t.size());
    if (skipped || t.empty() || numeric || !(ascii::IsAlpha(first) || first >= 0x80) || (lex.IsFiller(t) && !acronym) ||
        ParseUnit(t)) {
      continue;
    }
    out.push_back({std::string(st.clause.substr(w.begin, t.size())), w.begin, w.begin + t.size()});
  }
  return out;
}

// ECOG and Karnofsky rate one thing, a patient's performance; NYHA rates heart failure.
bool IsPerformanceScale(const Rule& r) {
  return r.kind == RuleKind::kScore && (r.concept_id == "ecog" || r.concept_id == "karnofsky");
}


// True if a connector outside the typed parts has an untyped word as one of its sides, where the rest
// could not be placed soundly: an "or" in an inclusion ("hepatitis C infected or uninfected" is not
// "hepatitis C AND ..."), an "and" or "with" in an exclusion ("HBsAg positive and HBV DNA above ..."
// is not "HBsAg OR ...").
bool JoinsUntyped(const CriteriaLexicon& lex, const ClauseState& st, const std::vector<clause::Word>& residual) {
  if (residual.empty()) return false;
  // What stands nearest each side of a connector: a typed part or an untyped word. Short untyped
  // words ("gm", "dl": the rest of a unit) do not count, and parts that are themselves not computable
  // are not typed.
  enum Side { kNothing, kTyped, kUntyped };
  auto nearest = [&](size_t from, size_t to, bool last) {
    Side out = kNothing;
    size_t best = last ? 0 : std::string::npos;
    auto consider = [&](size_t pos, Side side) {
      if (pos < from || pos >= to) return;
      if (last ? pos >= best : pos <= best) {
        best = pos;
        out = side;
      }
    };
    for (const ClauseAtom& a : st.found) {
      consider(last ? a.end - 1 : a.begin, a.rule.HasTypedPart() ? kTyped : kUntyped);
    }
    for (const clause::Word& r : residual) {
      if (r.text.size() > 3 || IsAcronym(r.text)) consider(last ? r.end - 1 : r.begin, kUntyped);  // r.text keeps its case
    }
    return out;
  };
  std::vector<clause::Word> words = clause::Words(st.masked);
  for (size_t i = 0; i < words.size(); ++i) {
    const clause::Word& w = words[i];
    bool joins = st.inclusion ? (w.text == "or" || w.text == "and/or" || w.text == "nor" || w.text == "either")
                              : (w.text == "and" || w.text == "plus" || w.text == "both" || w.text == "with");
    // "Nasal polyps reacting with angioedema" joins; "patients with sepsis" names who.
    if (w.text == "with" && (i == 0 || lex.IsFiller(words[i - 1].text))) continue;
    if (!joins || Inside(st.consumed, w.begin)) continue;
    Side left = nearest(0, w.begin, true), right = nearest(w.end, st.lower.size(), false);
    // An untyped word before the connector and a typed part anywhere after it: "ST depression ...
    // and/or positive biomarkers for MI" (but "... iliac crest and/or sternum" after a typed part is
    // one untyped part).
    auto typed_in = [&](size_t from, size_t to) {
      for (const ClauseAtom& a : st.found) {
        if (a.begin >= from && a.end <= to && a.rule.HasTypedPart()) return true;
      }
      return false;
    };
    if (left == kUntyped && typed_in(w.end, st.lower.size())) return true;
    // "Allergic to lidocaine, which is used as a local anesthetic, and who cannot receive a substitute": in an
    // exclusion, an untyped part after "and" may be a second condition on the typed one.
    if (!st.inclusion && w.text == "and" && right == kUntyped && typed_in(0, w.begin)) return true;
    if ((left == kTyped && right == kUntyped) || (left == kUntyped && right == kTyped)) return true;
  }
  return false;
}

// True if an inclusion clause only names diseases, with no verb or word of diagnosis ("CLL and
// prolymphocytic leukemia, in remission", "Right-sided colon cancer", "Congestive heart failure (NYHA
// III or IV)"): such a line is an item of a list whose heading (one of the diagnoses, a family
// history, a disease to be free of) the record's layout may have lost.
bool BareListOfDiseases(const ClauseState& st) {
  bool disease = std::any_of(st.found.begin(), st.found.end(), [](const ClauseAtom& a) {
    return a.concept_list && (a.rule.kind == RuleKind::kCondition || a.rule.kind == RuleKind::kAnd ||
                              a.rule.kind == RuleKind::kNotComputable);
  });
  if (!disease) return false;
  // Only diseases (and a class of them: "NYHA III or IV"); a lab threshold beside a disease defines it
  // ("grade >= 3 thrombocytopenia (PLT < 50)").
  for (const ClauseAtom& a : st.found) {
    if (!a.concept_list && a.rule.HasTypedPart() && a.rule.kind != RuleKind::kScore) return false;
  }
  // A verb, a negation or a word of diagnosis makes it a sentence about the patient instead.
  for (const clause::Word& w : clause::Words(st.lower)) {
    for (std::string_view v : {"must", "have", "has", "be", "is", "are", "no", "not", "with", "confirmed", "diagnosed",
                               "conform", "meet", "meets", "fulfil", "fulfill", "fulfilling", "satisfy", "according",
                               "diagnosis", "documented", "proven", "histologically", "cytologically", "history"}) {
      if (w.text == v) return false;
    }
  }
  return true;
}

// True if an "or" is followed by a number no pass read: "CD4 >= 200/uL or > 14%" has an alternative
// threshold the rule would drop.
bool OrBeforeUntypedNumber(const ClauseState& st) {
  std::vector<clause::Word> words = clause::Words(st.masked);
  for (size_t k = 0; k + 1 < words.size(); ++k) {
    if ((words[k].text != "or" && words[k].text != "and/or") || Inside(st.consumed, words[k].begin)) continue;
    // Three words on, or six when an analyte the labs pass did not type comes first ("or Cr Cl.
    // greater than 60 ml/min./1.73 m(2)"), before any typed part.
    // ("AST or ALT less than 4 times normal" names two analytes for one threshold: a case of its own.)
    auto untyped_analyte = [&](size_t at) {
      return std::find(st.untyped_analytes.begin(), st.untyped_analytes.end(), at) != st.untyped_analytes.end();
    };
    bool pair = k > 0 && untyped_analyte(words[k - 1].begin);
    bool analyte = false;
    for (size_t j = k + 1; j < words.size() && j <= k + 6; ++j) {
      if (Inside(st.consumed, words[j].begin)) break;
      analyte |= !pair && untyped_analyte(words[j].begin);
      if (ascii::IsDigit(static_cast<unsigned char>(words[j].text[0])) && (j <= k + 3 || analyte)) return true;
    }
  }
  return false;
}

// True if two typed parts are separated only by a comma and an "or" follows later in the clause:
// "a history of MI, stroke, angina ... or TIA" is a list of alternatives, not of requirements.
bool CommaListEndsInOr(const ClauseState& st) {
  std::vector<const ClauseAtom*> atoms;
  for (const ClauseAtom& a : st.found) atoms.push_back(&a);
  std::sort(atoms.begin(), atoms.end(), [](const ClauseAtom* a, const ClauseAtom* b) { return a->begin < b->begin; });
  for (size_t k = 1; k < atoms.size(); ++k) {
    if (atoms[k - 1]->end > atoms[k]->begin) continue;
    std::string_view gap = Trim(std::string_view(st.masked).substr(atoms[k - 1]->end, atoms[k]->begin - atoms[k - 1]->end));
    // A comma list, maybe with abbreviations or untyped items between: "MI (MI), stroke (CVA), angina, ...".
    bool comma = gap.find(',') != std::string_view::npos && gap.find(';') == std::string_view::npos;
    for (const clause::Word& w : clause::Words(gap)) comma &= w.text != "and" && w.text != "with";
    if (!comma) continue;
    for (const clause::Word& w : clause::Words(std::string_view(st.masked).substr(atoms[k]->end))) {
      if ((w.text == "or" || w.text == "and/or") && !Inside(st.consumed, atoms[k]->end + w.begin)) return true;
    }
  }
  return false;
}

// A list of mentions of one kind ("thromboembolic events, heart attack or stroke") is one part.
void MergeLists(ClauseState& st) {
  auto& found = st.found;
  std::vector<ClauseAtom> merged;
  for (size_t k = 0; k < found.size();) {
    size_t e = k + 1;
    bool any_or = false;
    auto family = [](const Rule& r) { return r.kind == RuleKind::kNotComputable ? RuleKind::kCondition : r.kind; };
    while (e < found.size() && found[k].concept_list && found[e].concept_list &&
           (family(found[e].rule) == family(found[k].rule) || found[e].rule.kind == RuleKind::kNotComputable ||
            found[k].rule.kind == RuleKind::kNotComputable) &&
           found[e].negated == found[k].negated) {
      std::string g(Trim(std::string_view(st.masked).substr(std::min(found[e - 1].end, found[e].begin),
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
      bool use_or = negated ? false : (!st.inclusion || any_or);
      merged.push_back({use_or ? Rule::Any(std::move(parts)) : Rule::All(std::move(parts)), found[k].begin,
                        found[e - 1].end, true, negated});
    }
    k = e;
  }
  found = std::move(merged);
}

}  // namespace

// Pass 5: the typed parts in text order (AND binds tighter than OR), with the rest placed so that it
// cannot flip the verdict.
Rule Combine(const CriteriaLexicon& lex, ClauseState& st) {
  if (st.unsure_negation) return Unsure(Uncertainty::kNegationScope, "negation_scope", st.clause);
  if (st.subgroup) return Unsure(Uncertainty::kSubgroup, "subgroup", st.clause);
  if (st.inclusion && BareListOfDiseases(st)) return Unsure(Uncertainty::kAlternative, "alternative", st.clause);
  std::vector<clause::Word> residual = Residual(lex, st);
  if (st.found.empty()) {
    if (st.qualifier) return Unsure(Uncertainty::kQualified, *st.qualifier, st.clause);
    if (!st.problems.empty()) return Unsure(Uncertainty::kUnit, st.problems.front(), st.clause);
    return Unsure(Uncertainty::kUnparsed, "", st.clause);
  }
  std::sort(st.found.begin(), st.found.end(), [](const ClauseAtom& a, const ClauseAtom& b) { return a.begin < b.begin; });
  // A time the rules do not hold ("for 3 months", "2 years ago") may change what the clause means.
  std::vector<Span> loose = clause::LooseDurations(st.masked, st.consumed);
  std::erase_if(loose, [&](const Span& s) { return Inside(st.examples, s.begin); });
  // With pregnancy and contraception a time is the test's recency or how long to use contraception
  // ("a negative test within 7 days", "until 3 months after the last dose"): it does not change
  // whether the patient is pregnant or uses contraception now.
  // (A contraception rule may be "uses contraception OR asked": see ReadMeasures.)
  auto reproductive = [](const Rule& r) {
    const Rule& leaf = r.kind == RuleKind::kNot && r.children.size() == 1 ? r.children[0] : r;
    if (leaf.kind == RuleKind::kOr) {
      return std::all_of(leaf.children.begin(), leaf.children.end(), [](const Rule& c) {
        return c.kind == RuleKind::kContraception || c.kind == RuleKind::kNotComputable;
      });
    }
    return leaf.kind == RuleKind::kPregnant || leaf.kind == RuleKind::kBreastfeeding ||
           leaf.kind == RuleKind::kContraception || leaf.kind == RuleKind::kNotComputable;
  };
  if (std::all_of(st.found.begin(), st.found.end(), [&](const ClauseAtom& a) { return reproductive(a.rule); })) {
    loose.clear();
  }
  if (!loose.empty()) {
    return Unsure(Uncertainty::kTimeUnclear,
                  "time_unclear ('" + std::string(st.clause.substr(loose[0].begin, loose[0].end - loose[0].begin)) + "')",
                  st.clause);
  }
  if (st.inclusion && CommaListEndsInOr(st)) return Unsure(Uncertainty::kAlternative, "alternative", st.clause);
  if (st.inclusion && OrBeforeUntypedNumber(st)) return Unsure(Uncertainty::kAlternative, "alternative", st.clause);
  if (JoinsUntyped(lex, st, residual)) {
    return st.inclusion ? Unsure(Uncertainty::kAlternative, "alternative", st.clause)
                        : Unsure(Uncertainty::kConjunction, "conjunction", st.clause);
  }
  MergeLists(st);
  auto& found = st.found;
  std::vector<std::vector<Rule>> or_groups(1);
  for (size_t k = 0; k < found.size(); ++k) {
    if (k > 0) {
      std::string_view gap = std::string_view(st.masked).substr(std::min(found[k - 1].end, found[k].begin),
                                                               found[k].begin - std::min(found[k - 1].end, found[k].begin));
      // A slash between names ("AST/ALT") is an "or"; one in a unit between them ("count at least 1,000/mm3")
      // is not.
      bool slash = gap.find('/') != std::string_view::npos && gap.find_first_of("0123456789") == std::string_view::npos;
      bool has_or = HasWord(gap, "or") || slash;
      bool has_and = HasWord(gap, "and") || HasWord(gap, "with") || HasWord(gap, "but");
      // "Creatinine <= 1.5 mg/dL and/or creatinine clearance >= 60 mL/min": either one is enough.
      std::string gap_lower = ToLowerAscii(gap);
      bool and_or = gap_lower.find("and/or") != std::string::npos || gap_lower.find("and / or") != std::string::npos;
      bool is_or;
      if (and_or || (has_or && !has_and)) is_or = true;
      else if (has_and && !has_or) is_or = false;
      // "NYHA class II-IV HFrEF (LVEF < 35%)": a part in brackets right after another defines it.
      else if (!has_or && std::any_of(st.parens.begin(), st.parens.end(), [&](const Span& p) {
                 return p.begin >= found[k - 1].end && p.begin < found[k].begin && found[k].end <= p.end;
               })) {
        is_or = false;
      }
      else is_or = !st.inclusion;
      auto family = [](RuleKind rk) { return rk == RuleKind::kBreastfeeding ? RuleKind::kPregnant : rk; };
      if (!st.inclusion && found[k - 1].concept_list && found[k].concept_list &&
          family(found[k - 1].rule.kind) == family(found[k].rule.kind)) {
        is_or = true;
      }
      // "ECOG 0-2 Karnofsky 70-100%": two performance scales side by side measure one thing; either is
      // enough (a record usually holds one, and an ECOG 2 patient may score 60 on Karnofsky).
      if (!has_and && IsPerformanceScale(found[k - 1].rule) && IsPerformanceScale(found[k].rule) &&
          found[k - 1].rule.concept_id != found[k].rule.concept_id) {
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
  if (st.qualifier || !residual.empty()) {
    std::vector<std::string> words;
    for (const clause::Word& w : residual) words.push_back(w.text);
    Rule rest = st.qualifier ? Unsure(Uncertainty::kQualified, *st.qualifier, st.clause)
                             : Unsure(Uncertainty::kUnparsed, "", Join(words, " "));
    // In an exclusion, words left over may be a second condition or narrow the typed part ("Zidovudine
    // while enrolled in another protocol", "Prior fluconazole for this infection", "Two episodes of PCP"):
    // two or more of them join it with AND, so that the typed part alone cannot exclude.
    // (An "or" keeps them an alternative: "sepsis or other irregular bleeding"; "two or more" is a count.)
    size_t content = 0;
    for (const clause::Word& w : residual) content += w.text.size() > 2 && !lex.IsFiller(w.text);
    bool alternative = false;
    std::vector<clause::Word> all = clause::Words(st.masked);
    for (size_t i = 0; i < all.size(); ++i) {
      if (all[i].text != "or" && all[i].text != "and/or") continue;
      bool count = i + 1 < all.size() && (all[i + 1].text == "more" || all[i + 1].text == "less" ||
                                          all[i + 1].text == "greater" || all[i + 1].text == "fewer");
      alternative |= !count;
    }
    if (!st.inclusion && !st.qualifier && content >= 2 && !alternative) return Rule::All({typed, rest});
    return st.inclusion ? Rule::All({typed, rest}) : Rule::Any({typed, rest});
  }
  return typed;
}

}  // namespace ts::clause_pass
