#include "ingest/ctgov_xml.h"

#include <gtest/gtest.h>

#include "ingest/ctgov_json.h"
#include "ingest/record_source.h"
#include "test_paths.h"

namespace ts {
namespace {

TEST(CtgovXmlTest, MapsTheLegacyFixture) {
  auto s = ParseStudyXml(testing::ReadFileOrDie(testing::FixturePath("legacy/NCT09999901.xml")));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const Study& st = *s;
  EXPECT_EQ(st.identification.nct_id, "NCT09999901");
  EXPECT_EQ(st.identification.org_study_id, "EX-ITP-001");
  EXPECT_EQ(st.identification.secondary_ids.at(0).id, "2019-001234-56");
  EXPECT_EQ(st.identification.official_title,
            "A Randomized, Double-Blind Study of Eltrombopag in Chronic Immune Thrombocytopenia (ITP)");
  EXPECT_EQ(st.identification.organization.full_name, "Example Research Hospital");
  EXPECT_EQ(st.collaborators.at(1).agency_class, AgencyClass::kFed);
  EXPECT_EQ(st.oversight.has_dmc, true);
  EXPECT_EQ(st.oversight.is_fda_regulated_device, std::nullopt);
  EXPECT_EQ(st.brief_summary,
            "This study tests whether eltrombopag raises the platelet count in adults with chronic immune "
            "thrombocytopenia.\n\nParticipants take one tablet a day for 6 weeks.");
  EXPECT_EQ(st.status.overall_status, OverallStatus::kTerminated);
  EXPECT_EQ(st.status.why_stopped, "Slow accrual");
  EXPECT_EQ(st.status.start_date.date.ToString(), "2019-03-15");
  EXPECT_EQ(st.status.start_date.type, DateType::kActual);
  EXPECT_EQ(st.status.primary_completion_date.type, DateType::kEstimated);
  EXPECT_EQ(st.status.last_update_post_date.date.ToString(), "2022-01-12");
  EXPECT_EQ(st.design.phases, (std::vector<Phase>{Phase::kPhase2, Phase::kPhase3}));
  EXPECT_EQ(st.design.masking, Masking::kDouble);
  EXPECT_EQ(st.design.who_masked, (std::vector<WhoMasked>{WhoMasked::kParticipant, WhoMasked::kOutcomesAssessor}));
  EXPECT_EQ(st.design.enrollment_count, 41);
  EXPECT_EQ(st.design.enrollment_type, EnrollmentType::kActual);
  EXPECT_EQ(st.arm_groups.at(0).intervention_names, std::vector<std::string>{"Drug: Eltrombopag"});
  EXPECT_EQ(st.arm_groups.at(1).type, ArmGroupType::kPlaceboComparator);
  EXPECT_EQ(st.interventions.at(0).other_names, (std::vector<std::string>{"Promacta", "SB-497115"}));
  EXPECT_EQ(st.primary_outcomes.at(0).description, "Platelet count >= 50 x 10^9/L at week 6.");
  EXPECT_EQ(st.eligibility.minimum_age->ToString(), "18 Years");
  EXPECT_EQ(st.eligibility.maximum_age, std::nullopt);
  EXPECT_EQ(st.eligibility.healthy_volunteers, false);
  EXPECT_EQ(st.eligibility.std_ages, (std::vector<StandardAge>{StandardAge::kAdult, StandardAge::kOlderAdult}));
  EXPECT_EQ(st.eligibility.criteria,
            "Inclusion Criteria:\n\n-  Platelet count < 30,000/uL\n\nExclusion Criteria:\n\n-  Pregnancy");
  EXPECT_EQ(st.central_contacts.at(0).email, "itp@example.org");
  EXPECT_EQ(st.central_contacts.at(0).phone_ext, "12");
  ASSERT_EQ(st.locations.size(), 1u);
  EXPECT_EQ(st.locations[0].zip, "02115");
  EXPECT_EQ(st.locations[0].status, OverallStatus::kRecruiting);
  EXPECT_EQ(st.locations[0].contacts.at(1).role, ContactRole::kPrincipalInvestigator);
  EXPECT_EQ(st.references.at(0).pmid, "12345678");
  EXPECT_EQ(st.responsible_party.type, ResponsiblePartyType::kPrincipalInvestigator);
  EXPECT_EQ(st.condition_meshes.at(1).term, "Thrombocytopenia");
  EXPECT_FALSE(st.has_results);

  // The legacy record maps into the same model: it survives the API v2 JSON round trip.
  StudyJsonReader reader;
  auto again = reader.Parse(WriteStudyJson(st));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, st);
}

TEST(CtgovXmlTest, LegacyVariants) {
  auto s = ParseStudyXml(R"(<clinical_study><id_info><nct_id>NCT00000002</nct_id></id_info>
    <study_type>Observational [Patient Registry]</study_type><phase>N/A</phase>
    <study_design_info><masking>None (Open Label)</masking><allocation>N/A</allocation></study_design_info>
    <enrollment type="Anticipated">100</enrollment>
    <eligibility><gender>Female</gender><minimum_age>6 Months</minimum_age><maximum_age>17 Years</maximum_age>
    <healthy_volunteers>Accepts Healthy Volunteers</healthy_volunteers></eligibility></clinical_study>)");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->design.study_type, StudyType::kObservational);
  EXPECT_TRUE(s->design.patient_registry);
  EXPECT_EQ(s->design.phases, std::vector<Phase>{Phase::kNa});
  EXPECT_EQ(s->design.masking, Masking::kNone);
  EXPECT_EQ(s->design.allocation, Allocation::kNa);
  EXPECT_EQ(s->design.enrollment_type, EnrollmentType::kEstimated);
  EXPECT_EQ(s->eligibility.sex, Sex::kFemale);
  EXPECT_EQ(s->eligibility.healthy_volunteers, true);
  EXPECT_EQ(s->eligibility.std_ages, std::vector<StandardAge>{StandardAge::kChild});
}

// Records in the registry's shape before 2017: gender "Both", study type "N/A", flags as true/false.
TEST(CtgovXmlTest, OldSpellingsBefore2017) {
  auto s = ParseStudyXml(R"(<?xml version="1.0" encoding="UTF-8"?>
<clinical_study rank="1">
  <required_header><download_date>ClinicalTrials.gov processed this data on March 29, 2016</download_date>
    <link_text>Link to the current ClinicalTrials.gov record.</link_text></required_header>
  <id_info><org_study_id>970131</org_study_id><secondary_id>97-C-0131</secondary_id><nct_id>NCT00001602</nct_id></id_info>
  <brief_title>Study of Aplastic Anemia</brief_title>
  <overall_status>Withdrawn</overall_status>
  <study_type>N/A</study_type>
  <eligibility><criteria><textblock>Patients with aplastic anemia.</textblock></criteria>
    <gender>Both</gender><gender_based>false</gender_based><minimum_age>18 Years</minimum_age><maximum_age>N/A</maximum_age>
    <healthy_volunteers>No</healthy_volunteers></eligibility>
  <is_fda_regulated>true</is_fda_regulated>
</clinical_study>)");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->eligibility.sex, Sex::kAll);
  EXPECT_EQ(s->eligibility.gender_based, false);
  EXPECT_FALSE(s->design.study_type.has_value());
  EXPECT_EQ(s->identification.nct_id, "NCT00001602");
  // The API v2 JSON of it reads back the same (no value invented for the N/A type).
  StudyJsonReader reader;
  const std::string json = WriteStudyJson(*s);
  EXPECT_EQ(json.find("studyType"), std::string::npos) << json;
  EXPECT_NE(json.find("\"sex\":\"ALL\""), std::string::npos) << json;
  auto again = reader.Parse(json);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *s);
}

TEST(CtgovXmlTest, BadInputNamesTheElement) {
  struct Case {
    const char* xml;
    const char* error;
  } cases[] = {
      {"<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info><overall_status>Done</overall_status></clinical_study>",
       "overall_status: unknown value \"Done\""},
      {"<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info><start_date>Smarch 2020</start_date></clinical_study>",
       "start_date: not a date"},
      {"<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info><phase>Phase 9</phase></clinical_study>",
       "phase: unknown value \"Phase 9\""},
      {"<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info><enrollment>lots</enrollment></clinical_study>",
       "enrollment: not a count"},
      {"<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info><sponsors><lead_sponsor><agency_class>Martian</agency_class></lead_sponsor></sponsors></clinical_study>",
       "sponsors/lead_sponsor/agency_class: unknown value \"Martian\""},
      {"<clinical_study><id_info><nct_id>NCT00000001</nct_id>", "invalid XML at byte"},
      {"<other/>", "no <clinical_study> root element"},
      {"<clinical_study/>", "id_info: no nct_id, org_study_id or brief_title"},
      // Old spellings are mapped; a truly unknown value is still a reject that names the element.
      {"<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info><eligibility><gender>Neither</gender></eligibility></clinical_study>",
       "eligibility/gender: unknown value \"Neither\""},
      {"<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info><study_type>Sometimes</study_type></clinical_study>",
       "study_type: unknown value \"Sometimes\""},
      {"<clinical_study><id_info><nct_id>NCT00000001</nct_id></id_info><eligibility><gender_based>maybe</gender_based></eligibility></clinical_study>",
       "eligibility/gender_based: expected Yes or No (or true / false), got \"maybe\""},
  };
  for (const auto& c : cases) {
    auto s = ParseStudyXml(c.xml);
    ASSERT_FALSE(s.ok()) << c.xml;
    EXPECT_NE(s.status().message().find(c.error), std::string::npos) << s.status().message();
  }
}

TEST(CtgovXmlTest, NormalizesTextblocks) {
  EXPECT_EQ(NormalizeTextblock("\n      Line one\n      continues.\n\n      -  item\n      -  item two\n    "),
            "Line one continues.\n\n-  item\n-  item two");
  EXPECT_EQ(NormalizeTextblock("   "), "");
}

}  // namespace
}  // namespace ts

namespace ts {
namespace {

TEST(CtgovXmlResultsTest, MapsClinicalResultsOntoTheApiTypes) {
  auto s = ParseStudyXml(testing::ReadFileOrDie(testing::FixturePath("results/nct09999992_fictional_legacy_results.xml")));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_TRUE(s->has_results && s->results);
  const StudyResults& r = *s->results;
  ASSERT_TRUE(r.participant_flow);
  EXPECT_EQ(r.participant_flow->groups.at(1).title, "Placebo");
  EXPECT_EQ(r.participant_flow->periods.at(0).milestones.at(1).achievements.at(0).num_subjects, "27");
  EXPECT_EQ(r.participant_flow->periods.at(0).drop_withdraws.at(0).type, "Withdrawal by Subject");
  ASSERT_TRUE(r.baseline);
  EXPECT_EQ(r.baseline->measures.at(0).dispersion_type, MeasureDispersion::kStandardDeviation);
  EXPECT_EQ(r.baseline->denoms.at(0).counts.at(1).value, "29");
  ASSERT_EQ(r.outcome_measures.size(), 1u);
  const OutcomeMeasure& om = r.outcome_measures[0];
  EXPECT_EQ(om.type, OutcomeMeasureType::kPrimary);
  EXPECT_EQ(om.param_type, MeasureParam::kCountOfParticipants);
  EXPECT_EQ(om.classes.at(0).categories.at(0).measurements.at(0).value, "18");
  ASSERT_EQ(om.analyses.size(), 1u);
  EXPECT_EQ(om.analyses[0].group_ids, (std::vector<std::string>{"O1", "O2"}));
  EXPECT_EQ(om.analyses[0].ci_num_sides, CiNumSides::kTwoSided);
  EXPECT_EQ(om.analyses[0].non_inferiority_type, NonInferiorityType::kSuperiorityOrOther);
  ASSERT_TRUE(r.adverse_events);
  const AdverseEvents& ae = *r.adverse_events;
  EXPECT_EQ(ae.event_groups.at(0).serious_num_affected, 2);  // from the "Total" row, which is no event
  EXPECT_EQ(ae.event_groups.at(1).other_num_at_risk, 29);
  ASSERT_EQ(ae.serious_events.size(), 1u);
  EXPECT_EQ(ae.serious_events[0].organ_system, "Vascular disorders");
  EXPECT_EQ(ae.serious_events[0].source_vocabulary, "MedDRA 15.0");
  EXPECT_EQ(ae.serious_events[0].assessment_type, EventAssessment::kSystematic);
  EXPECT_TRUE(ae.other_events.empty());
  ASSERT_TRUE(r.more_info && r.more_info->certain_agreement);
  EXPECT_EQ(r.more_info->certain_agreement->pi_sponsor_employee, false);
  EXPECT_EQ(r.more_info->certain_agreement->restrictive_agreement, true);
  EXPECT_EQ(r.more_info->point_of_contact->email, "results@example.org");
  // Out as API v2 JSON and back: nothing changes.
  StudyJsonReader reader;
  auto again = reader.Parse(WriteStudyJson(*s));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->results, s->results);
  // An unknown label is a clear reject naming the element.
  std::string bad = testing::ReadFileOrDie(testing::FixturePath("results/nct09999992_fictional_legacy_results.xml"));
  bad.replace(bad.find("<param>Mean</param>"), 19, "<param>Average</param>");
  auto rejected = ParseStudyXml(bad);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.status().message(), "clinical_results/baseline/measure/param: unknown value \"Average\"");
}

// Every legacy record of the shared sample with <clinical_results> reads them, outcome for outcome.
TEST(CtgovXmlResultsTest, SharedSampleResultsAllRead) {
  if (!testing::SharedDataAvailable()) GTEST_SKIP() << testing::kSharedSkipMessage;
  RecordScanner scanner;
  struct Visitor : RecordVisitor {
    int with_results = 0, outcomes_ok = 0, failed = 0;
    void OnRecord(RawRecord rec) override {
      if (rec.text.find("<clinical_results>") == std::string::npos) return;
      ++with_results;
      auto s = ParseStudyXml(rec.text);
      if (!s.ok() || !s->results) {
        ++failed;
        ADD_FAILURE() << rec.origin << ": " << s.status().ToString();
        return;
      }
      size_t want = 0;
      for (size_t p = rec.text.find("<outcome>"); p != std::string::npos; p = rec.text.find("<outcome>", p + 1)) ++want;
      outcomes_ok += s->results->outcome_measures.size() == want;
    }
    void OnBadInput(const std::string&, const Status&) override {}
    void OnUnreadable(const std::string&, const Status&) override {}
    void OnSkipped(const std::string&, std::string_view) override {}
    void OnProgress(uint64_t, uint64_t) override {}
  } v;
  ASSERT_TRUE(scanner.Scan({testing::SharedPath("data/ctgov/AllPublicXML-sample.zip")}, v).ok());
  EXPECT_EQ(v.with_results, 440);
  EXPECT_EQ(v.failed, 0);
  EXPECT_EQ(v.outcomes_ok, v.with_results);
}

}  // namespace
}  // namespace ts
