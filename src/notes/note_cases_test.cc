// tests/cases/notes/notes.cases: clinical notes written for the seed studies, checked with the served parser. Each
// line pins the verdict, the verdict with silence read as absence, and the result, expert label and basis of the
// criteria it names (the file's header documents the format).
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "common/binary_io.h"
#include "common/strings.h"
#include "ingest/ctgov_json.h"
#include "notes/note_screening.h"

namespace ts {
namespace {

std::string Underscored(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == ' ') c = '_';
  }
  return out;
}

TEST(NoteCases, VerdictsAndLabels) {
  static const ConceptTable concepts = *ConceptTable::Builtin();  // test-only cache
  static const NoteLexicon lexicon = *NoteLexicon::Builtin();
  std::filesystem::path root(TS_SOURCE_DIR);
  auto text = ReadWholeFile((root / "tests/cases/notes/notes.cases").string());
  ASSERT_TRUE(text.ok());
  CriteriaParser parser(concepts);
  NoteReader reader(concepts, lexicon);
  int cases = 0;
  for (std::string_view line : Split(*text, '\n')) {
    if (Trim(line).empty() || line[0] == '#') continue;
    std::vector<std::string_view> f = Split(line, '|');
    ASSERT_EQ(f.size(), 6u) << line;
    auto note = ReadWholeFile((root / "tests/cases/notes" / std::string(Trim(f[0]))).string());
    auto sj = ReadWholeFile((root / "tests/fixtures/studies" / std::string(Trim(f[1]))).string());
    ASSERT_TRUE(note.ok() && sj.ok()) << line;
    auto study = StudyJsonReader().Parse(*sj);
    ASSERT_TRUE(study.ok()) << line;
    PartialDate as_of = *PartialDate::Parse(Trim(f[2]));
    auto reading = reader.Read(*note, as_of);
    ASSERT_TRUE(reading.ok()) << line;
    CompiledStudy cs = CompileStudy(*study, parser);
    NoteCheck nc = CheckNote(cs, concepts, *reading, as_of);
    EXPECT_EQ(VerdictName(nc.check.verdict), Trim(f[3])) << line;
    EXPECT_EQ(VerdictName(nc.presumed_verdict), Trim(f[4])) << line;
    std::map<std::string, std::string> got;  // "inclusion 4" -> "true/included/stated"
    for (size_t k = 0; k < nc.labels.size(); ++k) {
      const CompiledCriterion& c = cs.criteria[nc.labels[k].index];
      got[std::string(CriterionKindName(c.kind)) + " " + c.label] =
          std::string(TruthName(nc.check.criteria[k].finding.truth)) + "/" + Underscored(ExpertLabelName(nc.labels[k].label)) +
          "/" + std::string(LabelBasisName(nc.labels[k].basis));
    }
    std::string kind;
    for (std::string_view want : Split(Trim(f[5]), ' ')) {
      if (want.empty()) continue;
      if (want == "inclusion" || want == "exclusion") {
        kind = std::string(want);
        continue;
      }
      size_t eq = want.find('=');
      ASSERT_NE(eq, std::string_view::npos) << line;
      std::string key = kind + " " + std::string(want.substr(0, eq));
      EXPECT_EQ(got[key], want.substr(eq + 1)) << Trim(f[0]) << ": " << key;
    }
    ++cases;
  }
  EXPECT_EQ(cases, 15);
}

}  // namespace
}  // namespace ts
