#include "api/screening_json.h"

#include <algorithm>

#include "common/json_writer.h"
#include "common/strings.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

namespace {

void CriterionFields(JsonWriter& w, const CompiledCriterion& c, const ConceptTable& concepts) {
  w.Key("kind");
  w.String(CriterionKindName(c.kind));
  w.Key("label");
  w.String(c.label);
  w.Key("text");
  w.String(c.text);
  w.Key("source");
  w.String(c.source);
  w.Key("rule");
  w.String(c.rule.ToString(concepts));
  w.Key("ruleKind");
  w.String(RuleKindName(c.rule.kind));
  w.Key("computable");
  w.Bool(c.computable);
}

void Strings(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  w.Key(key);
  w.BeginArray();
  for (const std::string& s : v) w.String(s);
  w.EndArray();
}

}  // namespace

std::string CriteriaJson(const CompiledStudy& study, const ConceptTable& concepts, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("study");
  w.String(study.key);
  w.Key("title");
  w.String(study.title);
  size_t top = 0, typed = 0;
  w.Key("criteria");
  w.BeginArray();
  for (size_t i = 0; i < study.criteria.size(); ++i) {
    const CompiledCriterion& c = study.criteria[i];
    if (c.parent < 0) {
      ++top;
      typed += c.computable ? 1 : 0;
    }
    w.BeginObject();
    CriterionFields(w, c, concepts);
    if (c.parent >= 0) {
      w.Key("parent");
      w.String(study.criteria[static_cast<size_t>(c.parent)].label);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("summary");
  w.BeginObject();
  w.Key("criteria");
  w.Int(static_cast<int64_t>(top));
  w.Key("computable");
  w.Int(static_cast<int64_t>(typed));
  w.EndObject();
  w.EndObject();
  return w.Take();
}

std::string CheckJson(const StudyCheckResult& r, const ConceptTable& concepts, bool pretty) {
  JsonWriter w(pretty);
  const CompiledStudy& s = *r.study;
  w.BeginObject();
  w.Key("study");
  w.String(s.key);
  w.Key("title");
  w.String(s.title);
  w.Key("asOf");
  w.String(r.as_of.ToString());
  w.Key("verdict");
  w.String(VerdictName(r.check.verdict));
  w.Key("criteria");
  w.BeginArray();
  for (const CriterionCheck& cc : r.check.criteria) {
    const CompiledCriterion& c = s.criteria[cc.index];
    w.BeginObject();
    CriterionFields(w, c, concepts);
    w.Key("result");
    w.String(TruthName(cc.finding.truth));
    bool failing = std::find(r.check.failing.begin(), r.check.failing.end(), cc.index) != r.check.failing.end();
    w.Key("failing");
    w.Bool(failing);
    if (cc.finding.truth == Truth::kUnknown) {
      w.Key("question");
      w.String(Join(cc.finding.questions, " "));
      Strings(w, "questions", cc.finding.questions);
    } else {
      Strings(w, "evidence", cc.finding.evidence);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("failing");
  w.BeginArray();
  for (size_t i : r.check.failing) w.String(s.criteria[i].label);
  w.EndArray();
  Strings(w, "questions", r.check.questions);
  w.EndObject();
  return w.Take();
}

std::string MatchJson(const MatchResult& m, const Patient& patient, const ConceptTable& concepts, bool pretty) {
  JsonWriter w(pretty);
  RuleEvaluator ev(concepts, patient, m.as_of);
  w.BeginObject();
  w.Key("asOf");
  w.String(m.as_of.ToString());
  w.Key("considered");
  w.Int(static_cast<int64_t>(m.considered));
  w.Key("counts");
  w.BeginObject();
  w.Key("eligible");
  w.Int(static_cast<int64_t>(m.eligible));
  w.Key("possibly_eligible");
  w.Int(static_cast<int64_t>(m.possibly));
  w.Key("not_eligible");
  w.Int(static_cast<int64_t>(m.not_eligible));
  w.EndObject();
  w.Key("studies");
  w.BeginArray();
  for (const MatchHit& h : m.hits) {
    StudyCheck c = CheckStudy(*h.study, ev);
    w.BeginObject();
    w.Key("study");
    w.String(h.study->key);
    w.Key("title");
    w.String(h.study->title);
    w.Key("verdict");
    w.String(VerdictName(c.verdict));
    w.Key("openQuestions");
    w.Int(static_cast<int64_t>(c.questions.size()));
    w.Key("failing");
    w.BeginArray();
    for (size_t i : c.failing) {
      w.BeginObject();
      w.Key("label");
      w.String(h.study->criteria[i].label);
      w.Key("text");
      w.String(h.study->criteria[i].text);
      w.EndObject();
    }
    w.EndArray();
    Strings(w, "questions", c.questions);
    if (h.score != 0) {
      w.Key("score");
      w.Double(h.score);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string SampleJson(const std::vector<SampledCriterion>& sample, const ConceptTable& concepts, bool pretty) {
  JsonWriter w(pretty);
  w.BeginArray();
  for (const SampledCriterion& s : sample) {
    w.BeginObject();
    w.Key("study");
    w.String(s.study->key);
    CriterionFields(w, s.study->criteria[s.index], concepts);
    w.EndObject();
  }
  w.EndArray();
  return w.Take();
}

}  // namespace ts
