// The checks the fuzz_protocol target makes on one input, shared with protocol_test's replay of the kept corpus
// (fuzz/corpus/protocol), so a fixed crash stays fixed in CI.
//   FuzzProtocol(text);  // false when an invariant breaks (the fuzz target traps on it; the test fails)
#pragma once

#include <string>
#include <string_view>

#include "common/strings.h"
#include "protocol/protocol_file.h"
#include "protocol/protocol_json.h"
#include "protocol/timeline.h"

namespace ts::testing {

inline const ConceptTable& FuzzProtocolConcepts() {
  static const ConceptTable table = *ConceptTable::Builtin();  // test-only: built once per process
  return table;
}
inline const ProtocolLexicon& FuzzProtocolLexicon() {
  static const ProtocolLexicon lex = *ProtocolLexicon::Builtin();  // test-only: built once per process
  return lex;
}

inline bool FuzzTimelines(const Protocol& p) {
  static const Patient patient = [] {
    auto r = ParsePatientJson(R"({"labs":[{"code":"weight","value":60,"unit":"kg","date":"2026-01-05"},
      {"code":"height","value":170,"unit":"cm","date":"2026-01-05"},
      {"code":"platelets","value":20,"unit":"10*9/L","date":"2026-01-05"},
      {"code":"platelets","value":80,"unit":"10*9/L","date":"2026-01-09"},
      {"code":"ferritin","value":400,"unit":"ug/L","date":"2026-01-09"}],
      "conditions":[{"code":"bleeding risk","onset":"2026-01-01"}]})", FuzzProtocolConcepts(), "fuzz patient");
    return r.ok() ? *r : Patient{};
  }();
  for (const Arm& arm : p.arms) {
    TimelineRequest req{arm.label, *PartialDate::Parse("2026-01-05"), 60};
    auto t = BuildTimeline(p, patient, req, FuzzProtocolLexicon());
    if (!t.ok()) {
      if (t.status().message().empty()) return false;
      continue;
    }
    for (const DoseEntry& d : t->doses)
      if (d.amount && (d.unit.empty() || !(*d.amount >= 0))) return false;
    if (TimelineJson(*t, false).empty()) return false;
  }
  return true;
}

// Text as an arm description, an intervention description and the brief summary; then the same text as a
// protocol file. Reading never fails; a file either applies or says where it cannot be read; timelines of every
// arm either build or give an error with a message.
inline bool FuzzProtocol(std::string_view text) {
  std::string t = SanitizeUtf8(text);
  Study s;
  s.identification.nct_id = "NCT00000001";
  s.arm_groups.push_back(ArmGroup{"A", std::nullopt, t, {"Drug: " + t.substr(0, 40)}});
  s.interventions.push_back(Intervention{std::nullopt, "x", t, {"A"}, {}});
  s.brief_summary = t;
  Protocol p = ReadProtocol(s, FuzzProtocolLexicon(), FuzzProtocolConcepts());
  if (p.ToString().empty() || ProtocolJson(p, false).empty()) return false;
  if (!FuzzTimelines(p)) return false;
  Status st = ApplyProtocolFile({"fuzz.protocol", "study NCT00000001\n" + t}, FuzzProtocolLexicon(),
                                FuzzProtocolConcepts(), &p);
  if (!st.ok() && st.message().find("fuzz.protocol") == std::string::npos) return false;
  return FuzzTimelines(p);
}

}  // namespace ts::testing
