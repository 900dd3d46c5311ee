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

// Opens a check's object with the study, its title, the date and the verdict.
void CheckHead(JsonWriter& w, const CompiledStudy& s, PartialDate as_of, Verdict verdict) {
  w.BeginObject();
  w.Key("study");
  w.String(s.key);
  w.Key("title");
  w.String(s.title);
  w.Key("asOf");
  w.String(as_of.ToString());
  w.Key("verdict");
  w.String(VerdictName(verdict));
}

// "begin" and "end": a byte span of the note.
void Span(JsonWriter& w, size_t begin, size_t end) {
  w.Key("begin");
  w.Int(static_cast<int64_t>(begin));
  w.Key("end");
  w.Int(static_cast<int64_t>(end));
}

void Ints(JsonWriter& w, std::string_view key, const std::vector<int>& v) {
  w.Key(key);
  w.BeginArray();
  for (int i : v) w.Int(i);
  w.EndArray();
}

}  // namespace

void NoteFactsJson(JsonWriter& w, const NoteReading& reading) {
  w.Key("sentences");
  w.BeginArray();
  for (const NoteSentence& s : reading.facts.sentences) {
    w.BeginObject();
    w.Key("number");
    w.Int(s.number);
    Span(w, s.begin, s.end);
    w.EndObject();
  }
  w.EndArray();
  w.Key("facts");
  w.BeginArray();
  for (const NoteFact& f : reading.facts.facts) {
    w.BeginObject();
    w.Key("kind");
    w.String(NoteFactKindName(f.kind));
    w.Key("context");
    w.String(NoteContextName(f.context));
    w.Key("sentence");
    w.Int(f.sentence);
    Span(w, f.begin, f.end);
    w.Key("text");
    w.String(f.text);
    if (!f.concept_id.empty()) {
      w.Key("concept");
      w.String(f.concept_id);
    }
    if (!f.value.empty()) {
      w.Key("value");
      w.String(f.value);
    }
    w.EndObject();
  }
  w.EndArray();
  Strings(w, "warnings", reading.patient.warnings);
}

std::string NoteCheckJson(const NoteCheckResult& r, const NoteReading& reading, const ConceptTable& concepts,
                          bool pretty) {
  JsonWriter w(pretty);
  const CompiledStudy& s = *r.study;
  const StudyCheck& check = r.check.check;
  CheckHead(w, s, r.as_of, check.verdict);
  w.Key("presumedVerdict");
  w.String(VerdictName(r.check.presumed_verdict));
  w.Key("note");
  w.BeginObject();
  NoteFactsJson(w, reading);
  w.EndObject();
  w.Key("criteria");
  w.BeginArray();
  for (size_t k = 0; k < check.criteria.size(); ++k) {
    const CriterionCheck& cc = check.criteria[k];
    const CriterionLabel& label = r.check.labels[k];
    const CompiledCriterion& c = s.criteria[cc.index];
    w.BeginObject();
    CriterionFields(w, c, concepts);
    w.Key("result");
    w.String(TruthName(cc.finding.truth));
    w.Key("failing");
    w.Bool(std::find(check.failing.begin(), check.failing.end(), cc.index) != check.failing.end());
    w.Key("expertLabel");
    w.String(ExpertLabelName(label.label));
    w.Key("labelBasis");
    w.String(LabelBasisName(label.basis));
    Ints(w, "sentences", label.sentences);
    Strings(w, cc.finding.truth == Truth::kUnknown ? "questions" : "evidence",
            cc.finding.truth == Truth::kUnknown ? cc.finding.questions : cc.finding.evidence);
    w.EndObject();
  }
  w.EndArray();
  Strings(w, "questions", check.questions);
  w.EndObject();
  return w.Take();
}

std::string NoteMatchJson(const MatchResult& m, const NoteReading& reading, const ConceptTable& concepts, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("note");
  w.BeginObject();
  NoteFactsJson(w, reading);
  w.EndObject();
  w.Key("match");
  w.Raw(MatchJson(m, reading.patient, concepts, false));
  w.EndObject();
  return w.Take();
}

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
  CheckHead(w, s, r.as_of, r.check.verdict);
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
