#include <gtest/gtest.h>

#include <algorithm>

#include "notes/note_reader.h"
#include "notes/note_screening.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {
namespace {

const ConceptTable& Concepts() {
  static const ConceptTable kTable = *ConceptTable::Builtin();  // test-only cache
  return kTable;
}
const NoteLexicon& Lexicon() {
  static const NoteLexicon kLexicon = *NoteLexicon::Builtin();  // test-only cache
  return kLexicon;
}
const PartialDate kAsOf{2026, 12, 1};

NoteReading Read(std::string_view note) {
  auto r = NoteReader(Concepts(), Lexicon()).Read(note, kAsOf);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : NoteReading{};
}

const NoteFact* Find(const NoteReading& r, NoteFactKind kind, std::string_view text = "") {
  for (const NoteFact& f : r.facts.facts) {
    if (f.kind == kind && (text.empty() || f.text == text)) return &f;
  }
  return nullptr;
}

TEST(NoteSentences, KeepsTheNotesNumbersElseCounts) {
  auto s = SplitNoteSentences("0. One.\n1. Two words. Still two.\n");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].number, 1);
  s = SplitNoteSentences("First one. Second one? Third");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[2].number, 2);
}

TEST(NoteContextTest, TriggersOpenScopesThatTerminationEnds) {
  auto ctx = [](std::string_view sentence, std::string_view word) {
    std::string lower = LowerNote(sentence);
    size_t b = lower.find(word);
    return NoteContextName(ContextIn(Lexicon().Scopes(lower), b, b + word.size()));
  };
  EXPECT_EQ(ctx("she denies smoking, diabetes or chest pain", "diabetes"), "negated");
  EXPECT_EQ(ctx("no fever but a cough", "cough"), "affirmed");
  EXPECT_EQ(ctx("her mother had breast cancer", "breast cancer"), "family");
  EXPECT_EQ(ctx("rule out pulmonary embolism", "pulmonary embolism"), "possible");
  EXPECT_EQ(ctx("history of asthma", "asthma"), "historical");
  EXPECT_EQ(ctx("pneumonia was ruled out", "pneumonia"), "negated");
  EXPECT_EQ(ctx("the pain is not increased on inspiration", "inspiration"), "affirmed");
}

TEST(NoteReaderTest, ReadsTheFactsOfANote) {
  NoteReading r = Read(
      "0. A 58-year-old African-American woman presents with chest pain that began two days earlier.\n"
      "1. She is known to have hypertension and obesity.\n"
      "2. She denies smoking, diabetes, or a family history of heart disease.\n"
      "3. She currently takes no medications.\n"
      "4. Labs: platelets 45,000/uL, Hb 8.2 g/dL, BP 150/95 mmHg, BMI 32, ECOG 1.\n");
  EXPECT_EQ(r.patient.sex, "female");
  ASSERT_FALSE(r.patient.birth_date.empty());
  EXPECT_EQ(r.patient.birth_date.year, 1968);
  EXPECT_TRUE(r.patient.complete.count("medications"));
  EXPECT_FALSE(r.patient.complete.count("conditions"));  // silence does not complete a list
  const NoteFact* htn = Find(r, NoteFactKind::kCondition, "hypertension");
  ASSERT_NE(htn, nullptr);
  EXPECT_EQ(htn->sentence, 1);
  EXPECT_EQ(htn->context, NoteContext::kAffirmed);
  const NoteFact* dm = Find(r, NoteFactKind::kCondition, "diabetes");
  ASSERT_NE(dm, nullptr);
  EXPECT_EQ(dm->context, NoteContext::kNegated);
  EXPECT_EQ(Find(r, NoteFactKind::kSmoking)->context, NoteContext::kNegated);
  auto absent = std::find_if(r.patient.conditions.begin(), r.patient.conditions.end(),
                             [](const PatientRecord& p) { return p.name == "diabetes"; });
  ASSERT_NE(absent, r.patient.conditions.end());
  EXPECT_EQ(absent->status, RecordStatus::kAbsent);
  const NoteFact* plt = Find(r, NoteFactKind::kObservation, "platelets 45,000/uL");
  ASSERT_NE(plt, nullptr);
  EXPECT_EQ(plt->value, "45000 /uL");
  EXPECT_NE(Find(r, NoteFactKind::kObservation, "Hb 8.2 g/dL"), nullptr);
  ASSERT_NE(Find(r, NoteFactKind::kVital), nullptr);
  EXPECT_EQ(Find(r, NoteFactKind::kVital)->value, "150/95 mm[Hg]");
  EXPECT_NE(Find(r, NoteFactKind::kObservation, "BMI 32"), nullptr);
  EXPECT_NE(Find(r, NoteFactKind::kTime), nullptr);
  bool ecog = std::any_of(r.patient.observations.begin(), r.patient.observations.end(),
                          [](const PatientObservation& o) { return o.concept_id == "ecog" && o.value == 1; });
  EXPECT_TRUE(ecog);
}

TEST(NoteReaderTest, AgesInMonthsAndAbbreviated) {
  EXPECT_EQ(Read("A 45 yo man with asthma.").patient.sex, "male");
  EXPECT_EQ(Read("A 45 yo man with asthma.").patient.birth_date.year, 1981);
  // "MR" (mitral regurgitation) is not "Mr": with no noun for the sex, the pronouns say it, with a warning.
  NoteReading mr = Read("An elderly patient with severe MR. She is short of breath.");
  EXPECT_EQ(mr.patient.sex, "female");
  EXPECT_FALSE(mr.patient.warnings.empty());
  NoteReading infant = Read("The patient, aged 3 months, has a fever.");
  ASSERT_FALSE(infant.patient.birth_date.empty());
  EXPECT_EQ(infant.patient.birth_date.year, 2026);
}

TEST(NoteReaderTest, BadInputIsAnErrorOrAWarning) {
  NoteReader reader(Concepts(), Lexicon());
  auto empty = reader.Read("", kAsOf);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->facts.facts.empty());
  EXPECT_FALSE(empty->patient.warnings.empty());
  EXPECT_FALSE(reader.Read(std::string("abc\0def", 7), kAsOf).ok());
  EXPECT_FALSE(reader.Read("caf\xc3(", kAsOf).ok());
  EXPECT_FALSE(reader.Read(std::string(5 << 20, 'a'), kAsOf).ok());
  auto foreign = reader.Read("Der Patient hat keine Beschwerden.", kAsOf);
  ASSERT_TRUE(foreign.ok());
  EXPECT_FALSE(foreign->patient.warnings.empty());
}

TEST(NoteScreening, LabelsKeepStatedApartFromPresumed) {
  NoteReading r = Read("0. A 58-year-old man with hypertension.\n1. He denies diabetes.\n");
  CriteriaParser parser(Concepts());
  Study study;
  study.identification.nct_id = "NCT00000001";
  study.eligibility.criteria =
      "Inclusion Criteria:\n\n* Hypertension\n\nExclusion Criteria:\n\n* Diabetes mellitus\n* Pregnancy\n* Asthma\n";
  CompiledStudy cs = CompileStudy(study, parser);
  NoteCheck nc = CheckNote(cs, Concepts(), r, kAsOf);
  std::vector<std::string> got;
  for (const CriterionLabel& l : nc.labels) {
    const CompiledCriterion& c = cs.criteria[l.index];
    std::string line = std::string(CriterionKindName(c.kind)) + " " + c.label + ": " +
                       std::string(ExpertLabelName(l.label)) + " (" + std::string(LabelBasisName(l.basis)) + ")";
    for (int n : l.sentences) line += " " + std::to_string(n);
    got.push_back(line);
  }
  // The served parser gates condition forms (resources/eligibility_form_gate.tsv): hypertension and diabetes stay
  // open, with the sentences that mention them; pregnancy does not apply to a man; asthma is never mentioned.
  EXPECT_EQ(got, (std::vector<std::string>{
                     "inclusion 1: not enough information (open) 0",
                     "exclusion 1: not enough information (open) 1",
                     "exclusion 2: not applicable (stated) 0",
                     "exclusion 3: not excluded (presumed)",
                 }));
}

}  // namespace
}  // namespace ts
