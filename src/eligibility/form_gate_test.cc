// The form gate: its table parses, its decisions follow from the reviewed counts, and gating only ever
// turns a definite verdict into a question.
#include <gtest/gtest.h>

#include "eligibility/form_gate.h"
#include "eligibility/rule_parser.h"
#include "eligibility/screening.h"

namespace ts {
namespace {

const ConceptTable& GateConcepts() {
  static const ConceptTable kTable = *ConceptTable::Builtin();  // test-only cache
  return kTable;
}

TEST(FormGate, BuiltinTableParsesAndFollowsItsRule) {
  auto gate = FormGate::Builtin();
  ASSERT_TRUE(gate.ok()) << gate.status().ToString();
  ASSERT_FALSE(gate->reviews().empty());
  for (const FormReview& r : gate->reviews()) {
    EXPECT_EQ(r.typed, FormGate::DecisionFor(r.reviewed_right, r.reviewed_wrong));
    EXPECT_EQ(gate->Types(r.form), r.typed);
  }
  EXPECT_TRUE(FormGate::DecisionFor(90, 10));
  EXPECT_FALSE(FormGate::DecisionFor(89, 11));
  EXPECT_FALSE(FormGate::DecisionFor(9, 0));  // too few reviewed
}

TEST(FormGate, BadTablesNameTheLine) {
  auto bad = FormGate::Parse("inclusion\tlab\trequired\t91\t7\tgate\n", "t.tsv");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("t.tsv:1: decision 'gate' does not follow"), std::string::npos)
      << bad.status().ToString();
  auto kind = FormGate::Parse("# header\ninclusion\tblood\trequired\t1\t0\tgate\n", "t.tsv");
  ASSERT_FALSE(kind.ok());
  EXPECT_NE(kind.status().message().find("t.tsv:2: unknown leaf kind 'blood'"), std::string::npos);
  EXPECT_FALSE(FormGate::Parse("inclusion\tlab\trequired\t-1\t0\tgate\n", "t.tsv").ok());
  EXPECT_FALSE(FormGate::Parse("inclusion\tlab\trequired\t1\n", "t.tsv").ok());
  EXPECT_FALSE(FormGate::Parse("inclusion\tlab\trequired\t1\t0\tgate\ninclusion\tlab\trequired\t1\t0\tgate\n", "t.tsv").ok());
}

TEST(FormGate, GatesByKindSectionAndPolarity) {
  auto gate = FormGate::Parse(
      "inclusion\tlab\trequired\t95\t5\ttype\n"
      "exclusion\tcondition\texcluding\t80\t20\tgate\n"
      "inclusion\tcondition\texcluding\t95\t5\ttype\n",
      "t.tsv");
  ASSERT_TRUE(gate.ok()) << gate.status().ToString();
  const ConceptTable& c = GateConcepts();
  CriteriaParser reader(c, FormGating::kNone);
  Rule lab = reader.ParseCriterion("Platelet count < 30 x 10^9/L", CriterionKind::kInclusion);
  EXPECT_EQ(gate->Apply(lab, CriterionKind::kInclusion, c), lab);
  // The same lab among the exclusions is a form the table does not list: gated, its reading kept.
  Rule gated_lab = gate->Apply(lab, CriterionKind::kExclusion, c);
  EXPECT_EQ(gated_lab.kind, RuleKind::kNotComputable);
  EXPECT_EQ(gated_lab.why, Uncertainty::kFormGated);
  EXPECT_EQ(gated_lab.ToString(c),
            "not computable: form_gated (exclusion lab, excluding): \"platelet count [LOINC 777-3] < 30 10*9/L\"");
  // A condition: typed under a NOT in an inclusion ("no history of stroke"), gated as an exclusion.
  Rule stroke = Rule::Concept(RuleKind::kCondition, "stroke");
  EXPECT_EQ(gate->Apply(Rule::Not(stroke), CriterionKind::kInclusion, c), Rule::Not(stroke));
  EXPECT_EQ(gate->Apply(stroke, CriterionKind::kExclusion, c).why, Uncertainty::kFormGated);
  // Required in an inclusion: not listed, gated.
  EXPECT_FALSE(gate->Apply(stroke, CriterionKind::kInclusion, c).HasTypedPart());
  EXPECT_EQ(FormGate::Open().Apply(stroke, CriterionKind::kInclusion, c), stroke);
}

// Gating replaces leaves by unknowns: a verdict may become a question, never the opposite answer.
TEST(FormGate, GatingNeverFlipsAVerdict) {
  const ConceptTable& c = GateConcepts();
  auto gate = FormGate::Builtin();
  ASSERT_TRUE(gate.ok());
  CriteriaParser reader(c, FormGating::kNone);
  Patient p;
  p.id = "p1";
  p.birth_date = *PartialDate::Parse("1960-01-01");
  p.sex = "female";
  p.pregnant = false;
  PatientObservation plt;
  plt.ref = "labs[0]";
  plt.concept_id = "platelets";
  plt.value = 25;
  plt.unit = "10*9/L";
  plt.date = *PartialDate::Parse("2026-11-20");
  p.observations.push_back(plt);
  RuleEvaluator eval(c, p, *PartialDate::Parse("2026-12-01"));
  struct Case { const char* text; CriterionKind kind; };
  for (const Case& k : {Case{"Platelet count < 30 x 10^9/L and not pregnant", CriterionKind::kInclusion},
                        Case{"Pregnant or platelet count < 50 x 10^9/L", CriterionKind::kExclusion},
                        Case{"Age 18 to 75 years, platelets below 30 x 10^9/L", CriterionKind::kInclusion},
                        Case{"History of stroke or platelet count > 400 x 10^9/L", CriterionKind::kExclusion}}) {
    Rule read = reader.ParseCriterion(k.text, k.kind);
    Truth before = eval.Evaluate(read, false).truth;
    Truth after = eval.Evaluate(gate->Apply(read, k.kind, c), false).truth;
    EXPECT_TRUE(after == before || after == Truth::kUnknown) << k.text << ": " << TruthName(before) << " -> " << TruthName(after);
  }
  // The question of a gated leaf carries what the record says about its reading, as a hint only (an inclusion's
  // lab below a limit, excluding, is a gated form).
  Rule inclusion = reader.ParseCriterion("No platelet count < 50 x 10^9/L", CriterionKind::kInclusion);
  Finding f = eval.Evaluate(gate->Apply(inclusion, CriterionKind::kInclusion, c), true);
  EXPECT_EQ(f.truth, Truth::kUnknown) << inclusion.ToString(c);
  ASSERT_EQ(f.questions.size(), 1u);
  EXPECT_NE(f.questions[0].find("(the record suggests yes: platelet count 25"), std::string::npos) << f.questions[0];
}

}  // namespace
}  // namespace ts
