// The checks the libFuzzer targets make on one input, shared with the replay tests that run the kept
// corpus and regressions under the sanitizer build (so a fixed crash stays fixed in CI).
//   FuzzCriteria(text);  FuzzPatient(json);  FuzzNote(text);  FuzzHtml(text);
// Each returns false when an invariant breaks (the fuzz targets trap on it; tests fail).
#pragma once

#include <string>
#include <string_view>

#include "eligibility/concepts.h"
#include "eligibility/patient.h"
#include "eligibility/rule_parser.h"
#include "eligibility/screening.h"
#include "notes/note_reader.h"
#include "notes/note_screening.h"
#include "web/html.h"

namespace ts::testing {

inline const ConceptTable& FuzzConcepts() {
  static const ConceptTable table = *ConceptTable::Builtin();  // test-only: built once per process
  return table;
}

// A patient with a little of everything, so that parsed rules are really evaluated.
inline const Patient& FuzzPatientFixture() {
  static const Patient p = [] {
    auto r = ParsePatientJson(R"({"birthDate":"1970-01-01","sex":"female","pregnant":false,
      "labs":[{"code":"platelets","value":25,"unit":"10*9/L","date":"2026-11-01"},
              {"code":"ALT","value":50,"unit":"U/L","uln":40,"date":"2026-11-01"},{"code":"ECOG","value":1}],
      "conditions":["NSAA"],"medications":[{"code":"eltrombopag","start":"2026-01-01","end":"2026-10-01"}]})",
                              FuzzConcepts(), "fuzz patient");
    return r.ok() ? *r : Patient{};
  }();
  return p;
}

// Criteria text: split, parse, print and evaluate every rule; nothing may crash and every rule prints.
inline bool FuzzCriteria(std::string_view text) {
  static const CriteriaParser parser(FuzzConcepts());  // test-only: built once per process
  RuleEvaluator ev(FuzzConcepts(), FuzzPatientFixture(), *PartialDate::Parse("2026-11-20"));
  for (const ParsedCriterion& pc : parser.Parse(text)) {
    if (pc.rule.ToString(FuzzConcepts()).empty()) return false;
    Finding f = ev.Evaluate(pc.rule, true);
    if (f.truth == Truth::kUnknown && f.questions.empty() && pc.rule.IsComputable()) return false;
  }
  return true;
}

// A patient file: either an error that says why, or a patient that rules can be evaluated against.
inline bool FuzzPatient(std::string_view json) {
  auto p = ParsePatientJson(json, FuzzConcepts(), "fuzz input");
  if (!p.ok()) return !p.status().message().empty();
  CriteriaParser parser(FuzzConcepts());
  RuleEvaluator ev(FuzzConcepts(), *p, *PartialDate::Parse("2026-11-20"));
  for (std::string_view c : {"Platelets < 30 x10^9/L", "ALT < 2 x ULN", "No TPO-RA within 1 month", "Age 18-75 years",
                             "Pregnant or breastfeeding women", "ECOG 0-2", "Diagnosed with NSAA"}) {
    ev.Evaluate(parser.ParseCriterion(c, CriterionKind::kInclusion), true);
  }
  return true;
}

// A clinical note: either an error that says why, or a reading whose every fact lies inside the note, names a
// sentence the note has and quotes its span, and whose patient a study can be checked against (one label per
// criterion).
inline bool FuzzNote(std::string_view note) {
  static const NoteLexicon lexicon = *NoteLexicon::Builtin();  // test-only: built once per process
  static const CompiledStudy study = [] {
    Study s;
    s.identification.nct_id = "NCT00000001";
    s.eligibility.criteria =
        "Inclusion Criteria:\n\n* Age 18-75 years\n* Platelets < 30 x10^9/L\n* ECOG 0-2\n* Signed informed consent\n\n"
        "Exclusion Criteria:\n\n* Pregnant or breastfeeding women\n* Diabetes mellitus\n* Allergy to romiplostim\n";
    return CompileStudy(s, CriteriaParser(FuzzConcepts()));
  }();
  PartialDate as_of = *PartialDate::Parse("2026-11-20");
  auto r = NoteReader(FuzzConcepts(), lexicon).Read(note, as_of);
  if (!r.ok()) return !r.status().message().empty();
  for (const NoteFact& f : r->facts.facts) {
    if (f.begin >= f.end || f.end > note.size() || note.substr(f.begin, f.end - f.begin) != f.text) return false;
    bool known = false;
    for (const NoteSentence& s : r->facts.sentences) known = known || (s.number == f.sentence && f.begin >= s.begin && f.end <= s.end);
    if (!known) return false;
  }
  if (r->facts.facts.empty() && r->patient.warnings.empty()) return false;  // no facts: a warning says so
  NoteCheck nc = CheckNote(study, FuzzConcepts(), *r, as_of);
  return nc.labels.size() == nc.check.criteria.size();
}

// Record text rendered as HTML: only our own tags may appear, however hostile the text.
inline bool FuzzHtml(std::string_view text) {
  HtmlWriter h;
  h.RichText(text);
  h << text;
  std::string out = h.Take();
  for (std::string_view tag : {"<p>", "</p>", "<br>", "<ul>", "</ul>", "<ol>", "</ol>", "<li>", "</li>"}) {
    for (size_t at = out.find(tag); at != std::string::npos; at = out.find(tag)) out.erase(at, tag.size());
  }
  if (out.find('<') != std::string::npos || out.find('>') != std::string::npos || out.find('"') != std::string::npos) return false;
  return UrlDecode(UrlEncode(text)) == text;
}

}  // namespace ts::testing
