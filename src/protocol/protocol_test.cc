#include <gtest/gtest.h>

#include <cstdlib>

#include "protocol/cohort.h"
#include "protocol/protocol_file.h"
#include "common/binary_io.h"
#include "ingest/ctgov_json.h"
#include "protocol/protocol_json.h"
#include "protocol/protocol_scan.h"
#include "protocol/timeline.h"
#include "fuzz_protocol_harness.h"
#include "fuzz_replay.h"

namespace ts {
namespace {

// One table for the whole binary (the fuzz harness builds it once).
const ConceptTable& Concepts() { return testing::FuzzProtocolConcepts(); }
const ProtocolLexicon& Lexicon() { return testing::FuzzProtocolLexicon(); }

std::string Dose(std::string text) {
  protocol_scan::Sentence s(std::move(text));
  auto d = protocol_scan::FindDoses(s, 0, s.lower.size(), Lexicon());
  return d.empty() ? "-" : d[0].amount.ToString() + (d[0].dangling ? " dangling" : "");
}

std::string Cond(std::string text) {
  protocol_scan::Sentence s(std::move(text));
  auto c = protocol_scan::ReadCondition(s, 0, s.lower.size(), Lexicon(), Concepts());
  return c.condition ? c.condition->ToString() : "unread: " + c.problem;
}

TEST(ProtocolScan, Doses) {
  EXPECT_EQ(Dose("The recommended initial dose is 5 µg/kg"), "5 ug/kg");
  EXPECT_EQ(Dose("8-10 mg/kg/day, orally"), "8-10 mg/kg/day");
  EXPECT_EQ(Dose("rhTPO 15,000 IU/day subcutaneously"), "15000 IU/day");
  EXPECT_EQ(Dose("(15000U, subcutaneously"), "15000 U");
  EXPECT_EQ(Dose("Herombopag 10mg/ day"), "10 mg/day");
  EXPECT_EQ(Dose("1.5 mg/kg administered"), "1.5 mg/kg");
  EXPECT_EQ(Dose("75 mg/m2 on day 1"), "75 mg/m2 (BSA by mosteller)");
  EXPECT_EQ(Dose("3-5 mg/kg/d"), "3-5 mg/kg/day");
  EXPECT_EQ(Dose(". -5 mg/kg/d for at least 6 months"), "5 mg/kg/day dangling");
  EXPECT_EQ(Dose("ALT 40 U/L"), "-");           // a concentration, not a dose
  EXPECT_EQ(Dose("100-200ng/ml"), "-");
  EXPECT_EQ(Dose("a maximum of 8 doses"), "-");
}

TEST(ProtocolScan, Conditions) {
  EXPECT_EQ(Cond("PLT ≥100×10⁹/L or rises ≥50×10⁹/L from baseline"),
            "(platelets >= 100 10*9/L or platelets rise from baseline >= 50 10*9/L)");
  EXPECT_EQ(Cond("PLT ≤10×10⁹/L or <20×10⁹/L with bleeding risk"),
            "(platelets <= 10 10*9/L or (platelets < 20 10*9/L and bleeding_risk))");
  EXPECT_EQ(Cond("serum ferritin drops below 500 μg/L"), "ferritin < 500 ug/L");
  EXPECT_EQ(Cond("patient with platelet counts < 50×10⁹/L"), "platelets < 50 10*9/L");
  EXPECT_EQ(Cond("≥ 50×10⁹/L"), "unread: a threshold without the lab it is about");
  EXPECT_EQ(Cond("PLT < 50"), "unread: a threshold without a unit");
  EXPECT_EQ(Cond("PLT < 50×10⁹/L unless the investigator decides"), "unread: words after the condition: 'unless the investigator decides'");
  EXPECT_EQ(Cond("PLT < 50×10⁹/L maybe 20×10⁹/L"), "unread: words after the condition: 'maybe 20×10⁹/L'");
}

TEST(ProtocolScan, Sentences) {
  auto s = SplitProtocolSentences("1.5 mg/kg administered s.c. once every 3 weeks. Next one.\nFor PLT \\< 50:\nDone");
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0], "1.5 mg/kg administered s.c. once every 3 weeks");
  EXPECT_EQ(s[2], "For PLT < 50:");
}

TEST(BodySurface, Mosteller) {
  EXPECT_NEAR(*BodySurfaceArea("mosteller", 64, 169), 1.733, 0.001);
  EXPECT_FALSE(BodySurfaceArea("unknown", 64, 169));
}

TEST(ProtocolFile, UnknownAgentIsAnError) {
  Protocol p;
  p.study_key = "T1";
  p.arms.push_back(Arm{"A", {}, std::nullopt});
  // docetaxel is not in the lexicon: the line states nothing the reader can read
  Status s = ApplyProtocolFile({"t.protocol", "study T1\narm A: Docetaxel 75 mg/m2 intravenously\n"}, Lexicon(), Concepts(), &p);
  EXPECT_NE(s.message().find("t.protocol:2: cannot read"), std::string::npos) << s.ToString();
}

TEST(ProtocolFile, Errors) {
  Protocol p;
  p.study_key = "T1";
  p.arms.push_back(Arm{"A", {}, std::nullopt});
  auto apply = [&](std::string text) { return ApplyProtocolFile({"t.protocol", std::move(text)}, Lexicon(), Concepts(), &p); };
  EXPECT_NE(apply("arm A: x\n").message().find("t.protocol:1: the first line must be 'study KEY'"), std::string::npos);
  EXPECT_NE(apply("study T2\n").message().find("the file is for T2, not T1"), std::string::npos);
  EXPECT_NE(apply("study T1\narm B: rhTPO 300 U/kg once daily\n").message().find("t.protocol:2: the study has no arm 'B'"), std::string::npos);
  EXPECT_NE(apply("study T1\narm A: rhTPO as the doctor sees fit\n").message().find("cannot read"), std::string::npos);
  EXPECT_NE(apply("study T1\nbanana\n").message().find("t.protocol:2: expected"), std::string::npos);
  EXPECT_TRUE(apply("study T1\n# c\narm A: rhTPO 300 U/kg subcutaneously once daily for 14 days\n").ok());
  ASSERT_EQ(p.arms[0].agents.size(), 1u);
  EXPECT_EQ(p.arms[0].agents[0].ToString(), "rhTPO, subcutaneous, once daily for up to 14 d");
  EXPECT_EQ(p.arms[0].agents[0].doses[0].amount.ToString(), "300 U/kg");
  EXPECT_EQ(p.arms[0].agents[0].doses[0].source.origin, PartOrigin::kFile);
}

TEST(Timeline, PerSquareMetreCapsAndRounding) {
  Protocol p;
  p.study_key = "T1";
  p.arms.push_back(Arm{"A", {}, std::nullopt});
  Status s = ApplyProtocolFile({"t.protocol", "study T1\n"
                                "arm A: luspatercept 75 mg/m2 (BSA by Mosteller) intravenously once every 2 weeks, a maximum of 3 doses, "
                                "rounded to the nearest 5 mg\n"
                                "arm A: deferasirox 40 mg/kg/day orally for up to 3 days, maximum daily dose of 2 g\n"},
                               Lexicon(), Concepts(), &p);
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto patient = ParsePatientJson(R"({"labs": [{"code": "weight", "value": 64, "unit": "kg", "date": "2026-01-05"},
      {"code": "LOINC:8302-2", "value": 169, "unit": "cm", "date": "2026-01-05"}]})", Concepts(), "p.json");
  ASSERT_TRUE(patient.ok()) << patient.status().ToString();
  auto t = BuildTimeline(p, *patient, {"A", *PartialDate::Parse("2026-01-05"), 0}, Lexicon());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  std::string out = t->ToString();
  // BSA sqrt(64 * 169 / 3600) = 1.733 m2; 75 x 1.733 = 129.975 mg, rounded to 130.
  EXPECT_NE(out.find("dose 2026-01-05 day 1 Luspatercept 130 mg rounded (75 mg/m2 (BSA by mosteller) x 1.733 m2 (mosteller, 64 kg, "
                     "169 cm) = 129.975 mg; rounded to 5 mg)"), std::string::npos) << out;
  EXPECT_NE(out.find("dose 2026-02-02 day 29 Luspatercept 130 mg"), std::string::npos) << out;
  EXPECT_EQ(out.find("day 43 Luspatercept"), std::string::npos) << out;
  // 40 mg/kg/day x 64 kg = 2560 mg a day, capped at 2 g.
  EXPECT_NE(out.find("dose 2026-01-05 day 1 Deferasirox 2000 mg/day capped (40 mg/kg/day x 64 kg = 2560 mg; at most 2 g a day)"),
            std::string::npos) << out;
  EXPECT_EQ(out.find("day 4 Deferasirox"), std::string::npos) << out;
  auto no_height = ParsePatientJson(R"({"labs": [{"code": "weight", "value": 64, "unit": "kg", "date": "2026-01-05"}]})", Concepts(), "p.json");
  auto u = BuildTimeline(p, *no_height, {"A", *PartialDate::Parse("2026-01-05"), 1}, Lexicon());
  ASSERT_TRUE(u.ok());
  EXPECT_NE(u->ToString().find("Luspatercept unknown: no body height (LOINC 8302-2) on or before 2026-01-05"), std::string::npos)
      << u->ToString();
}

TEST(Timeline, HoldWhileTheConditionHolds) {
  Protocol p;
  p.study_key = "T1";
  p.arms.push_back(Arm{"A", {}, std::nullopt});
  Status s = ApplyProtocolFile({"t.protocol", "study T1\narm A: eltrombopag 50 mg/day orally for up to 10 days\n"
                                "arm A: withhold eltrombopag if PLT > 400 x10^9/L\n"},
                               Lexicon(), Concepts(), &p);
  ASSERT_TRUE(s.ok()) << s.ToString();
  ASSERT_EQ(p.rules.size(), 1u);
  EXPECT_EQ(p.rules[0].ToString(), "hold eltrombopag when platelets > 400 10*9/L (arm A)");
  auto patient = ParsePatientJson(R"({"labs": [{"code": "platelets", "value": 100, "unit": "10*9/L", "date": "2026-01-05"},
      {"code": "platelets", "value": 450, "unit": "10*9/L", "date": "2026-01-07"},
      {"code": "platelets", "value": 300, "unit": "10*9/L", "date": "2026-01-10"}]})", Concepts(), "p.json");
  ASSERT_TRUE(patient.ok());
  auto t = BuildTimeline(p, *patient, {"A", *PartialDate::Parse("2026-01-05"), 0}, Lexicon());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  std::string out = t->ToString();
  EXPECT_NE(out.find("event 2026-01-07 day 3 hold: hold eltrombopag when platelets > 400 10*9/L (arm A) -- platelets 450"), std::string::npos) << out;
  EXPECT_NE(out.find("day 2 Eltrombopag 50 mg/day"), std::string::npos) << out;
  EXPECT_EQ(out.find("day 3 Eltrombopag"), std::string::npos) << out;
  EXPECT_EQ(out.find("day 5 Eltrombopag"), std::string::npos) << out;
  EXPECT_NE(out.find("day 6 Eltrombopag 50 mg/day"), std::string::npos) << out;
  EXPECT_NE(out.find("day 10 Eltrombopag"), std::string::npos) << out;
}

TEST(ProtocolJson, TimelineShape) {
  Timeline t;
  t.study_key = "T1";
  t.arm = "A";
  t.start = *PartialDate::Parse("2026-01-05");
  t.doses.push_back(DoseEntry{t.start, 1, "X", 225, std::nullopt, "ug", false, false, "5 ug/kg x 45 kg"});
  t.endpoints.push_back(EndpointVerdict{"Primary endpoint", Truth::kUnknown, {}, "no labs"});
  std::string j = TimelineJson(t, false);
  EXPECT_NE(j.find(R"("doses":[{"date":"2026-01-05","day":1,"agent":"X","amount":225,"unit":"ug","capped":false)"), std::string::npos) << j;
  EXPECT_NE(j.find(R"("met":null,"date":null)"), std::string::npos) << j;
}

TEST(Cohort, ClopperPearsonIsExact) {
  Interval a = ClopperPearson(7, 20);
  EXPECT_NEAR(a.low, 0.1539, 0.0001);
  EXPECT_NEAR(a.high, 0.5922, 0.0001);
  Interval none = ClopperPearson(0, 10);
  EXPECT_EQ(none.low, 0);
  EXPECT_NEAR(none.high, 0.3085, 0.0001);
  Interval all = ClopperPearson(10, 10);
  EXPECT_NEAR(all.low, 0.6915, 0.0001);
  EXPECT_EQ(all.high, 1);
}

TEST(Cohort, PermutedBlocksAreSeededAndHoldTheRatio) {
  RandomisationPlan plan{{"A", "B"}, {2, 1}, {3, 6}, {"site 1", "site 2"}, 30, 42};
  auto a = Randomise(plan);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->list.size(), 60u);
  EXPECT_TRUE(a->ratio_holds);
  ASSERT_EQ(a->counts.size(), 2u);
  for (const auto& [stratum, n] : a->counts) {
    EXPECT_EQ(n[0] + n[1], 30) << stratum;
    // Only the last block can be incomplete: at most a block of 6 (4 A, 2 B) away from 2:1.
    EXPECT_LE(std::abs(n[0] - 2 * n[1]), 6) << stratum;
  }
  RandomisationPlan exact{{"A", "B"}, {2, 1}, {3}, {}, 30, 7};
  EXPECT_EQ(Randomise(exact)->counts[0].second, (std::vector<int>{20, 10}));
  auto again = Randomise(plan);
  EXPECT_EQ(again->list, a->list) << "the same seed gives the same list";
  plan.seed = 43;
  EXPECT_NE(Randomise(plan)->list, a->list);
  EXPECT_NE(a->ToString(plan).find("check: every completed block holds the ratio exactly"), std::string::npos);
  // An incomplete last block: 7 subjects in blocks of 4.
  RandomisationPlan odd{{"A", "B"}, {1, 1}, {4}, {}, 7, 1};
  auto o = Randomise(odd);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->list.size(), 7u);
  EXPECT_EQ(o->list.back().block, 2);
  EXPECT_TRUE(o->ratio_holds);
  EXPECT_LE(std::abs(o->counts[0].second[0] - o->counts[0].second[1]), 2);
}

TEST(Cohort, BadPlansAreErrors) {
  EXPECT_NE(Randomise({{}, {}, {4}, {}, 10, 1}).status().message().find("no arms"), std::string::npos);
  EXPECT_NE(Randomise({{"A", "B"}, {1}, {4}, {}, 10, 1}).status().message().find("1 parts for 2 arms"), std::string::npos);
  EXPECT_NE(Randomise({{"A", "B"}, {1, 1}, {3}, {}, 10, 1}).status().message().find("block size 3 is not a multiple"), std::string::npos);
  EXPECT_NE(Randomise({{"A", "B"}, {1, 1}, {4}, {}, 0, 1}).status().message().find("subjects per stratum"), std::string::npos);
}

TEST(Cohort, EndpointRatesPerArm) {
  auto json = ReadWholeFile(std::string(TS_SOURCE_DIR) + "/tests/fixtures/studies/nct07334093_hetrombopag_rhtpo_ctit.json");
  ASSERT_TRUE(json.ok());
  StudyJsonReader reader;
  auto study = reader.Parse(*json);
  ASSERT_TRUE(study.ok());
  Protocol p = ReadProtocol(*study, Lexicon(), Concepts());
  auto text = ReadWholeFile(std::string(TS_SOURCE_DIR) + "/tests/cases/protocol/ctit_cohort.ndjson");
  ASSERT_TRUE(text.ok());
  auto subjects = ReadCohort(*text, Concepts(), "ctit_cohort.ndjson");
  ASSERT_TRUE(subjects.ok()) << subjects.status().ToString();
  ASSERT_EQ(subjects->size(), 5u);
  auto rates = CohortRates(p, *subjects, Lexicon());
  ASSERT_TRUE(rates.ok()) << rates.status().ToString();
  std::string out = CohortRatesText(*rates);
  EXPECT_NE(out.find("Experimental arm | Primary endpoint: 2/3 met = 66.7% (95% CI 9.4%-99.2%, exact)"), std::string::npos) << out;
  EXPECT_NE(out.find("Control arm | Primary endpoint: 0/1 met = 0.0% (95% CI 0.0%-97.5%, exact); 1 unknown (not counted)"), std::string::npos) << out;
  EXPECT_NE(ReadCohort("{\"arm\": \"A\"}\n", Concepts(), "c.ndjson").status().message().find("c.ndjson:1: \"start\""), std::string::npos);
  EXPECT_NE(ReadCohort("\n[1]\n", Concepts(), "c.ndjson").status().message().find("c.ndjson:2: not a JSON object"), std::string::npos);
  auto bad = ReadCohort(R"({"id": "x", "arm": "Placebo", "start": "2026-01-05", "patient": {}})", Concepts(), "c.ndjson");
  ASSERT_TRUE(bad.ok());
  EXPECT_NE(CohortRates(p, *bad, Lexicon()).status().message().find("subject x: study NCT07334093 has no arm"), std::string::npos);
}

TEST(FuzzReplay, Protocol) { EXPECT_GE(testing::ReplayFuzzInputs("protocol", testing::FuzzProtocol), 10); }

TEST(FuzzProtocol, OddInputs) {
  for (std::string_view t : {"", ".", "rhTPO", "rhTPO 1", "rhTPO -", "for PLT < 5:", "stop if", "If PLT \\< 1e999 x10^9/L, stop",
                             "rhTPO 99999999999999999999 mg/kg/day", "romiplostim 5 ug/kg every 0 weeks",
                             "romiplostim 5 mg/kg once daily on days 9-3 of each 0-day cycle", "randomized 0:0",
                             "randomized 1:1:1:1:1:1:1:1:1:1", "Primary endpoint PLT >= 100 x10^9/L within 99999 days"}) {
    EXPECT_TRUE(testing::FuzzProtocol(t)) << t;
  }
}

}  // namespace
}  // namespace ts
