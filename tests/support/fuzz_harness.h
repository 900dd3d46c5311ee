// The checks the libFuzzer targets make on one input, shared with the replay tests that run the kept
// corpus and regressions under the sanitizer build (so a fixed crash stays fixed in CI).
//   FuzzCriteria(text);  FuzzPatient(json);  FuzzHtml(text);
// Each returns false when an invariant breaks (the fuzz targets trap on it; tests fail).
#pragma once

#include <string>
#include <string_view>

#include "eligibility/concepts.h"
#include "eligibility/patient.h"
#include "eligibility/rule_parser.h"
#include "eligibility/screening.h"
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
