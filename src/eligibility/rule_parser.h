// Turns eligibility criteria text into typed rules. Conservative by contract: a criterion becomes a
// typed rule only when every part of it is understood; what is not understood stays in the rule as
// a kNotComputable part that names the words, so evaluation asks rather than guesses.
//   CriteriaParser p(concepts);
//   Rule r = p.ParseCriterion("Platelet counts <30 ×10^9/L, and bleeding tendency", CriterionKind::kInclusion);
//   r.ToString(concepts) == "platelet count [LOINC 777-3] < 30 10*9/L AND not computable: \"bleeding tendency\""
// Lists combine as clinicians read them: the parts of an inclusion criterion must all hold; any part
// of an exclusion criterion excludes ("ALT or AST >= 3 x ULN" is either). "At least one of the
// following" makes an OR; "X: Y" makes X a condition of Y; a clause about men applies only to men.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "eligibility/concepts.h"
#include "eligibility/criteria_lexicon.h"
#include "eligibility/criteria_text.h"
#include "eligibility/form_gate.h"
#include "eligibility/rule.h"

namespace ts {

// A criterion with its rule. Nested criteria are folded into their parent's rule and also listed
// (with `parent` set) so that they can be shown beside their own text.
struct ParsedCriterion {
  CriterionText criterion;
  Rule rule;
};

// What the parser knows of the study whose criteria it reads: the concepts of its own conditions, so
// that "other malignancy" or "history of cancer" in a cancer trial is not read as excluding the
// trial's own disease.
struct StudyContext {
  std::vector<std::string> condition_ids;
  // The registry's structured age limits in years (eligibilityModule.minimumAge/maximumAge), when stated.
  std::optional<double> registry_min_age_years;
  std::optional<double> registry_max_age_years;
  // The concepts named by a study's conditions, keywords and title.
  static StudyContext FromTexts(const ConceptTable& concepts, const std::vector<std::string>& texts);
};

// How much of its reading the parser types.
enum class FormGating {
  kReviewed,  // only the rule forms whose reviewed precision is high (resources/eligibility_form_gate.tsv)
  kNone,      // every form the grammar reads (the reading the reviewed case files pin; for review tools)
};

class CriteriaParser {
 public:
  // `concepts` must outlive the parser. The trigger words come from the built-in lexicon and the
  // form gate from the built-in table.
  explicit CriteriaParser(const ConceptTable& concepts, FormGating gating = FormGating::kReviewed);

  const ConceptTable& concepts() const { return concepts_; }

  // The rule the grammar reads for one criterion's text (already unescaped), before the form gate.
  Rule ParseCriterion(std::string_view text, CriterionKind kind, const StudyContext& study = {}) const;

  // Splits and parses a whole criteria block. A parent's rule includes its children's rules. Every rule
  // has passed the form gate: a leaf of a gated form is a not-computable part (Uncertainty::kFormGated).
  std::vector<ParsedCriterion> Parse(std::string_view criteria, const StudyContext& study = {}) const;

 private:
  struct ClauseFlags {
    bool childbearing = false;
    bool women_only = false;  // the criterion speaks of women only: a contraception rule does not ask men
    bool head = false;        // the clause is the X of "X: Y", a condition for Y ("No liver metastases: ALT > 3 x ULN")
    const StudyContext* study = nullptr;
  };
  Rule ParseClause(std::string_view clause, CriterionKind kind, const ClauseFlags& flags) const;
  const ConceptTable& concepts_;
  CriteriaLexicon lexicon_;
  FormGate gate_;
};

}  // namespace ts
