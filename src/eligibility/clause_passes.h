// The passes of CriteriaParser::ParseClause (clause_parser.cc), one file each, and the state they share:
//   clause_measures.cc  pass 3: labs, scores, age, life expectancy, pregnancy, contraception;
//   clause_mentions.cc  pass 4: concept mentions with their polarity, narrowing words and time;
//   clause_combine.cc   pass 5: the typed parts combined, the rest placed so that it cannot flip the verdict.
// Internal to the eligibility library: nothing outside src/eligibility includes it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "eligibility/atoms.h"
#include "eligibility/clause_scan.h"
#include "eligibility/concepts.h"
#include "eligibility/criteria_lexicon.h"
#include "eligibility/rule.h"
#include "eligibility/rule_parser.h"

// (For the passes' files, which include only this header.) GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts::clause_pass {

using atoms::Atom;
using atoms::FindWord;
using atoms::HasWord;
using clause::Inside;
using clause::Span;

// A not-computable part that names its reason (`what`, may be empty) and the words.
inline Rule Unsure(Uncertainty why, std::string_view what, std::string_view text) {
  std::string label = what.empty() ? "" : std::string(what) + ": ";
  return Rule::NotComputable(label + "\"" + std::string(text) + "\"", why);
}

// The words between two mentions of one list: "A, B or C", "A/B", "A and/or B".
inline bool IsOrSeparator(std::string_view g) {
  return g.empty() || g == "," || g == "or" || g == ", or" || g == "/" || g == "and/or" || g == "nor" || g == ", nor";
}
inline bool IsAndSeparator(std::string_view g) { return g == "and" || g == ", and"; }

// A part a pass read, with its place in the clause.
struct ClauseAtom {
  Rule rule;
  size_t begin, end;
  bool concept_list = false;  // a condition / therapy / procedure mention (joins lists in exclusions)
  bool negated = false;
};

// Everything the passes of one clause share.
struct ClauseState {
  std::string_view clause;  // trimmed
  std::string lower;        // same offsets
  std::string masked;       // lower with examples blanked
  bool inclusion = true;
  bool childbearing = false;
  bool women_only = false;
  bool head = false;  // the X of "X: Y"
  const StudyContext* study = nullptr;
  std::vector<ClauseAtom> found;
  std::vector<Span> consumed, examples, parens, lab_parens, attached;
  bool has_lab_in_parens = false;
  bool unsure_negation = false;  // a negation whose reach is unclear: the clause is not typed
  bool subgroup = false;         // a threshold "for liver metastases": the clause is not typed
  std::vector<std::string> problems;
  std::optional<std::string> qualifier;  // set when the clause's mentions are qualified as a whole
  std::vector<size_t> untyped_analytes;  // where an analyte's name starts that no lab threshold consumed
  std::vector<std::pair<Span, size_t>> definers;  // a bracketed list that replaced a mention, and where that began
};

// True if the clause dates an age or a value at an earlier event ("2-25 at initial diagnosis", "at time of
// CMA-676 administration"); "at the time of signing informed consent", "of screening" date it today.
bool AgeAtEarlierEvent(const CriteriaLexicon& lex, std::string_view lower);

// Pass 3: measurements, pregnancy, breastfeeding and contraception into st.found (and st.consumed).
void ReadMeasures(const ConceptTable& concepts, const CriteriaLexicon& lex, ClauseState& st);

// Pass 4a: the concept mentions worth typing, with examples masked into st.masked; sets st.qualifier when a
// mention only modifies another word or an exclusion is qualified as a whole.
std::vector<ConceptMention> FindConceptMentions(const ConceptTable& concepts, const CriteriaLexicon& lex, ClauseState& st);

// Pass 4b: each kept mention to a part of st.found, with its polarity, narrowing words and time.
void TypeMentions(const ConceptTable& concepts, const CriteriaLexicon& lex, ClauseState& st,
                  const std::vector<ConceptMention>& kept);

// Pass 5: st.found combined in text order (AND binds tighter than OR); words no pass typed become a
// not-computable part placed so that it cannot flip the verdict, or make the whole clause not computable.
Rule Combine(const CriteriaLexicon& lex, ClauseState& st);

}  // namespace ts::clause_pass
