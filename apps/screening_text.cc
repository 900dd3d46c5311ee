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

std::string NoteFactsText(const NoteReading& reading) {
  std::string out = "Facts read from the note (" + std::to_string(reading.facts.sentences.size()) + " sentences):\n";
  for (const NoteFact& f : reading.facts.facts) {
    out += "  [" + std::to_string(f.sentence) + "] " + std::string(NoteFactKindName(f.kind));
    if (f.context != NoteContext::kAffirmed) out += " (" + std::string(NoteContextName(f.context)) + ")";
    out += ": \"" + f.text + "\"";
    if (!f.concept_id.empty()) out += " -> " + f.concept_id;
    if (!f.value.empty()) out += " = " + f.value;
    out += "\n";
  }
  for (const std::string& w : reading.patient.warnings) out += "  warning: " + w + "\n";
  return out;
}

std::string NoteCheckText(const NoteCheckResult& r, const NoteReading& reading, const ConceptTable& concepts) {
  const CompiledStudy& s = *r.study;
  const StudyCheck& check = r.check.check;
  std::string out = s.key + "  " + s.title + "\nverdict: " + std::string(VerdictName(check.verdict)) + " (as of " +
                    r.as_of.ToString() + "); with unmentioned facts presumed absent: " +
                    std::string(VerdictName(r.check.presumed_verdict)) + "\n\n" + NoteFactsText(reading) + "\n";
  for (size_t k = 0; k < check.criteria.size(); ++k) {
    const CriterionCheck& cc = check.criteria[k];
    const CriterionLabel& label = r.check.labels[k];
    const CompiledCriterion& c = s.criteria[cc.index];
    out += std::string(c.kind == CriterionKind::kInclusion ? "inclusion " : "exclusion ") + c.label + ": " + c.text + "\n";
    out += "       rule: " + c.rule.ToString(concepts) + " -> " + std::string(TruthName(cc.finding.truth)) + "\n";
    out += "       label: " + std::string(ExpertLabelName(label.label)) + " (" + std::string(LabelBasisName(label.basis)) + ")";
    if (!label.sentences.empty()) {
      out += "; sentences";
      for (int n : label.sentences) out += " " + std::to_string(n);
    }
    out += "\n";
    for (const std::string& e : cc.finding.evidence) out += "       evidence: " + e + "\n";
  }
  return out;
}

}  // namespace ts
