#include "screening_text.h"

#include <algorithm>

#include "common/strings.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

std::string SampleText(const std::vector<SampledCriterion>& sample, const ConceptTable& concepts) {
  std::string out;
  for (const SampledCriterion& s : sample) {
    const CompiledCriterion& c = s.study->criteria[s.index];
    out += s.study->key + " " + std::string(CriterionKindName(c.kind)) + " " + c.label + ". " + c.text + "\n";
    out += "    -> " + c.rule.ToString(concepts) + "\n";
  }
  return out;
}

std::string CriteriaText(const CompiledStudy& s, const ConceptTable& concepts) {
  std::string out = s.key + "  " + s.title + "\n";
  for (const CompiledCriterion& c : s.criteria) {
    std::string indent(c.parent >= 0 ? 4 : 0, ' ');
    out += indent + (c.kind == CriterionKind::kInclusion ? "IN  " : "EX  ") + c.label + ". " + c.text + "\n";
    out += indent + "    -> " + c.rule.ToString(concepts) + "\n";
  }
  return out;
}

std::string CheckText(const StudyCheckResult& r, const ConceptTable& concepts) {
  const CompiledStudy& s = *r.study;
  std::string out = s.key + "  " + s.title + "\nverdict: " + std::string(VerdictName(r.check.verdict)) + " (as of " +
                    r.as_of.ToString() + ")\n\n";
  for (const CriterionCheck& cc : r.check.criteria) {
    const CompiledCriterion& c = s.criteria[cc.index];
    bool failing = std::find(r.check.failing.begin(), r.check.failing.end(), cc.index) != r.check.failing.end();
    std::string mark = failing ? "FAIL" : !c.blocks_eligible ? "TEAM" : cc.finding.truth == Truth::kUnknown ? " ?  " : " ok ";
    out += "[" + mark + "] " + (c.kind == CriterionKind::kInclusion ? "inclusion " : "exclusion ") + c.label + ": " +
           c.text + "\n";
    out += "       rule: " + c.rule.ToString(concepts) + " -> " + std::string(TruthName(cc.finding.truth)) + "\n";
    for (const std::string& e : cc.finding.evidence) out += "       evidence: " + e + "\n";
    if (c.blocks_eligible) {
      for (const std::string& q : cc.finding.questions) out += "       ask: " + q + "\n";
    }
  }
  if (!r.check.questions.empty()) {
    out += "\nQuestions to settle:\n";
    for (const std::string& q : r.check.questions) out += "  - " + q + "\n";
  }
  return out;
}

}  // namespace ts
