// The API v1 reader: the mapping table, v1 studies against their hand-converted API v2 twins, list
// unwrapping, enum spellings, string counts and dates, and bad input named by its v1 path.
#include "ingest/ctgov_v1.h"

#include <gtest/gtest.h>

#include <set>

#include "ingest/ctgov_json.h"
#include "ingest/ctgov_v1_mapping.h"
#include "ingest/json_splitter.h"
#include "model/record_sections.h"
#include "model/results.h"
#include "test_paths.h"

namespace ts {
namespace {

using ingest_internal::EmbeddedV1MappingTable;
using ingest_internal::ParseV1Mapping;
using ingest_internal::V1Mapping;
using ::ts::testing::FixturePath;
using ::ts::testing::ReadFileOrDie;

// The records of a fixture file as the importer splits them, with their shape.
std::vector<std::pair<JsonShape, std::string>> Records(const std::string& fixture) {
  std::vector<std::pair<JsonShape, std::string>> out;
  JsonSplitter sp([&](const RecordPlace& at, std::string_view t) { out.emplace_back(at.shape, std::string(t)); },
                  [](const RecordPlace&, const Status& s) { ADD_FAILURE() << s.message(); });
  sp.Feed(ReadFileOrDie(FixturePath(fixture)));
  sp.Finish();
  return out;
}

Study ParseV1OrDie(const std::string& record) {
  StudyV1JsonReader reader;
  Result<Study> s = reader.Parse(record);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : Study{};
}

// A v1 record of one study whose ProtocolSection holds `protocol` (the IdentificationModule is added).
std::string V1Study(const std::string& protocol, const std::string& more_sections = "") {
  std::string p = R"("IdentificationModule":{"NCTId":"NCT09900099","BriefTitle":"t"})";
  if (!protocol.empty()) p += "," + protocol;
  return R"({"Rank":1,"Study":{"ProtocolSection":{)" + p + "}" + more_sections + "}}";
}

// Every value line of `set` is an API v2 name of E, and every value of E has a v1 spelling.
template <typename E>
void ExpectSetCoversEnum(const V1Mapping& m, const std::string& set) {
  std::set<E> seen;
  for (const auto& row : m.values) {
    if (row.set != set || row.v2 == "-") continue;
    auto v = ParseApiName<E>(row.v2);
    ASSERT_TRUE(v.has_value()) << set << ": \"" << row.v1 << "\" -> \"" << row.v2 << "\" is not an API v2 value";
    seen.insert(*v);
  }
  for (const auto& e : EnumTable<E>::kEntries) EXPECT_TRUE(seen.count(e.value)) << set << " has no spelling for " << e.api;
}

TEST(CtgovV1MappingTest, TableLoadsAndEverySetCoversItsApiV2Enum) {
  Result<V1Mapping> m = ParseV1Mapping(EmbeddedV1MappingTable());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_GT(m->fields.size(), 300u);
  ExpectSetCoversEnum<OverallStatus>(*m, "OverallStatus");
  ExpectSetCoversEnum<DateType>(*m, "DateType");
  ExpectSetCoversEnum<EnrollmentType>(*m, "EnrollmentType");
  ExpectSetCoversEnum<StudyType>(*m, "StudyType");
  ExpectSetCoversEnum<Phase>(*m, "Phase");
  ExpectSetCoversEnum<AgencyClass>(*m, "AgencyClass");
  ExpectSetCoversEnum<ResponsiblePartyType>(*m, "ResponsiblePartyType");
  ExpectSetCoversEnum<Allocation>(*m, "Allocation");
  ExpectSetCoversEnum<InterventionModel>(*m, "InterventionModel");
  ExpectSetCoversEnum<PrimaryPurpose>(*m, "PrimaryPurpose");
  ExpectSetCoversEnum<ObservationalModel>(*m, "ObservationalModel");
  ExpectSetCoversEnum<TimePerspective>(*m, "TimePerspective");
  ExpectSetCoversEnum<Masking>(*m, "Masking");
  ExpectSetCoversEnum<WhoMasked>(*m, "WhoMasked");
  ExpectSetCoversEnum<ArmGroupType>(*m, "ArmGroupType");
  ExpectSetCoversEnum<InterventionType>(*m, "InterventionType");
  ExpectSetCoversEnum<Sex>(*m, "Sex");
  ExpectSetCoversEnum<StandardAge>(*m, "StandardAge");
  ExpectSetCoversEnum<SamplingMethod>(*m, "SamplingMethod");
  ExpectSetCoversEnum<ContactRole>(*m, "ContactRole");
  ExpectSetCoversEnum<ReferenceType>(*m, "ReferenceType");
  ExpectSetCoversEnum<SecondaryIdType>(*m, "SecondaryIdType");
  ExpectSetCoversEnum<OrgStudyIdType>(*m, "OrgStudyIdType");
  ExpectSetCoversEnum<ExpandedAccessStatus>(*m, "ExpandedAccessStatus");
  ExpectSetCoversEnum<IpdSharing>(*m, "IpdSharing");
  ExpectSetCoversEnum<IpdInfoType>(*m, "IpdInfoType");
  ExpectSetCoversEnum<LeafRelevance>(*m, "LeafRelevance");
  ExpectSetCoversEnum<UnpostedEventType>(*m, "UnpostedEventType");
  ExpectSetCoversEnum<MeasureParam>(*m, "MeasureParam");
  ExpectSetCoversEnum<MeasureDispersion>(*m, "MeasureDispersion");
  ExpectSetCoversEnum<OutcomeMeasureType>(*m, "OutcomeMeasureType");
  ExpectSetCoversEnum<ReportingStatus>(*m, "ReportingStatus");
  ExpectSetCoversEnum<AnalysisDispersion>(*m, "AnalysisDispersion");
  ExpectSetCoversEnum<CiNumSides>(*m, "CiNumSides");
  ExpectSetCoversEnum<NonInferiorityType>(*m, "NonInferiorityType");
  ExpectSetCoversEnum<EventAssessment>(*m, "EventAssessment");
  ExpectSetCoversEnum<AgreementRestriction>(*m, "AgreementRestriction");
  for (const auto& row : m->values) {
    if (row.set == "Bool") {
      EXPECT_TRUE(row.v2 == "true" || row.v2 == "false") << row.v1;
    }
  }
}

// docs/API_V1.md lists every line of the table: fields, drops and enum spellings.
TEST(CtgovV1MappingTest, TheDocumentedTableIsTheLoadedOne) {
  Result<V1Mapping> m = ParseV1Mapping(EmbeddedV1MappingTable());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const std::string doc = ReadFileOrDie(testing::SourcePath("docs/API_V1.md"));
  for (const auto& [v1, rule] : m->fields) {
    EXPECT_NE(doc.find("| `" + v1 + "` | `" + rule.v2_path + "` |"), std::string::npos) << v1 << " is not in docs/API_V1.md";
  }
  for (const auto& [v1, why] : m->dropped) EXPECT_NE(doc.find("`" + v1 + "`"), std::string::npos) << v1;
  for (const auto& row : m->values) {
    EXPECT_NE(doc.find("`" + row.v1 + "` \u2192 `" + row.v2 + "`"), std::string::npos) << row.set << ": " << row.v1;
  }
}

TEST(CtgovV1MappingTest, MalformedTablesAreRefusedWithTheLine) {
  struct Case {
    const char* tsv;
    const char* error;
  } cases[] = {
      {"field\tA.B\ta.b\tdat\n", "ctgov_v1_map.tsv:1: unknown conversion \"dat\""},
      {"# c\nfield\tA.B\ta.b[]\ttext\n", "ctgov_v1_map.tsv:2: the v2 path has more lists than the v1 path"},
      {"field\tA.B\ta.b\tenum:Nope\n", "no value lines for set \"Nope\""},
      {"field\tA.B.C\ta.c\ttext\nfield\tA.B[].D\ta.d[]\ttext\n", "A.B is both an object and a list"},
      {"value\tS\tYes\tY\nvalue\tS\tyes\tN\n", "ctgov_v1_map.tsv:2: two v2 values for yes in S"},
      {"field\tA.B\ta.b\n", "expected field/drop/value"},
  };
  for (const auto& c : cases) {
    Result<V1Mapping> m = ParseV1Mapping(c.tsv);
    ASSERT_FALSE(m.ok()) << c.tsv;
    EXPECT_NE(m.status().message().find(c.error), std::string::npos) << m.status().message();
  }
}

// The v1 study and its hand-written API v2 twin give the same Study, field by field.
void ExpectSameStudy(const Study& v1, const Study& v2) {
  EXPECT_EQ(v1.identification, v2.identification);
  EXPECT_EQ(v1.status, v2.status);
  EXPECT_EQ(v1.responsible_party, v2.responsible_party);
  EXPECT_EQ(v1.lead_sponsor, v2.lead_sponsor);
  EXPECT_EQ(v1.collaborators, v2.collaborators);
  EXPECT_EQ(v1.oversight, v2.oversight);
  EXPECT_EQ(v1.brief_summary, v2.brief_summary);
  EXPECT_EQ(v1.detailed_description, v2.detailed_description);
  EXPECT_EQ(v1.conditions, v2.conditions);
  EXPECT_EQ(v1.keywords, v2.keywords);
  EXPECT_EQ(v1.design, v2.design);
  EXPECT_EQ(v1.arm_groups, v2.arm_groups);
  EXPECT_EQ(v1.interventions, v2.interventions);
  EXPECT_EQ(v1.primary_outcomes, v2.primary_outcomes);
  EXPECT_EQ(v1.secondary_outcomes, v2.secondary_outcomes);
  EXPECT_EQ(v1.eligibility, v2.eligibility);
  EXPECT_EQ(v1.central_contacts, v2.central_contacts);
  EXPECT_EQ(v1.overall_officials, v2.overall_officials);
  EXPECT_EQ(v1.locations, v2.locations);
  EXPECT_EQ(v1.references, v2.references);
  EXPECT_EQ(v1.see_also_links, v2.see_also_links);
  EXPECT_EQ(v1.avail_ipds, v2.avail_ipds);
  EXPECT_EQ(v1.ipd_sharing, v2.ipd_sharing);
  EXPECT_EQ(v1.condition_meshes, v2.condition_meshes);
  EXPECT_EQ(v1.intervention_meshes, v2.intervention_meshes);
  EXPECT_EQ(v1.condition_browse, v2.condition_browse);
  EXPECT_EQ(v1.intervention_browse, v2.intervention_browse);
  EXPECT_EQ(v1.misc_info, v2.misc_info);
  EXPECT_EQ(v1.documents, v2.documents);
  EXPECT_EQ(v1.results, v2.results);
  EXPECT_EQ(v1.has_results, v2.has_results);
  EXPECT_TRUE(v1 == v2) << "a field outside the checks above differs";
}

TEST(CtgovV1Test, StudiesEqualTheirHandConvertedApiV2Twins) {
  struct Case {
    const char* file;
    size_t index;
    const char* twin;
  } cases[] = {
      {"api_v1/full_studies_page.json", 0, "api_v1/v2_twins/nct09900001.json"},
      {"api_v1/full_studies_results.json", 0, "api_v1/v2_twins/nct09900004.json"},
  };
  StudyJsonReader v2;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    auto records = Records(c.file);
    ASSERT_GT(records.size(), c.index);
    EXPECT_EQ(records[c.index].first, JsonShape::kApiV1);
    Study from_v1 = ParseV1OrDie(records[c.index].second);
    Result<Study> from_v2 = v2.Parse(ReadFileOrDie(FixturePath(c.twin)));
    ASSERT_TRUE(from_v2.ok()) << from_v2.status().ToString();
    ExpectSameStudy(from_v1, *from_v2);
  }
}

TEST(CtgovV1Test, EveryFixtureStudyReadsWithNoUnknownFieldAndRoundTrips) {
  StudyV1JsonReader reader;
  StudyJsonReader v2;
  size_t n = 0;
  for (const char* f : {"api_v1/full_studies_page.json", "api_v1/full_studies_results.json",
                        "api_v1/single_full_study.json", "api_v1/single_study.json"}) {
    for (const auto& [shape, text] : Records(f)) {
      EXPECT_EQ(shape, JsonShape::kApiV1) << f;
      Result<ApiV1Conversion> c = reader.Convert(text);
      ASSERT_TRUE(c.ok()) << f << ": " << c.status().ToString();
      EXPECT_TRUE(c->unknown_fields.empty()) << f << ": " << c->unknown_fields[0];
      Result<Study> s = reader.Parse(text);
      ASSERT_TRUE(s.ok()) << f << ": " << s.status().ToString();
      Result<Study> again = v2.Parse(WriteStudyJson(*s));
      ASSERT_TRUE(again.ok()) << again.status().ToString();
      EXPECT_EQ(*again, *s) << f;
      ++n;
    }
  }
  EXPECT_EQ(n, 7u);
}

TEST(CtgovV1Test, ReadsTheFieldsOfTheOtherShapes) {
  auto page = Records("api_v1/full_studies_page.json");
  ASSERT_EQ(page.size(), 3u);
  Study registry = ParseV1OrDie(page[1].second);
  EXPECT_EQ(registry.design.study_type, StudyType::kObservational);
  EXPECT_EQ(registry.design.patient_registry, true);
  EXPECT_EQ(registry.design.observational_model, ObservationalModel::kCohort);  // a v1 list of one -> one value
  EXPECT_EQ(registry.design.time_perspective, TimePerspective::kProspective);
  EXPECT_EQ(registry.design.bio_spec_retention, "SAMPLES_WITH_DNA");
  EXPECT_EQ(registry.status.study_first_post_date.type, DateType::kEstimated);  // "Estimate"
  EXPECT_FALSE(registry.eligibility.maximum_age.has_value());                   // "N/A"
  Study access = ParseV1OrDie(page[2].second);
  EXPECT_EQ(access.status.overall_status, OverallStatus::kAvailable);
  EXPECT_EQ(access.design.expanded_access_individual, true);
  EXPECT_EQ(access.eligibility.minimum_age->ToString(), "6 Months");

  Study full = ParseV1OrDie(Records("api_v1/single_full_study.json").at(0).second);
  EXPECT_EQ(full.identification.nct_id, "NCT09900006");
  EXPECT_EQ(full.design.phases, std::vector<Phase>{Phase::kEarlyPhase1});
  Study bare = ParseV1OrDie(Records("api_v1/single_study.json").at(0).second);
  EXPECT_EQ(bare.design.phases, std::vector<Phase>{Phase::kNa});  // "Not Applicable"
  EXPECT_EQ(bare.design.enrollment_count, 0);                     // the string "0"
  EXPECT_EQ(bare.status.overall_status, OverallStatus::kWithdrawn);
}

// Each v1 snippet, converted, holds the API v2 text given.
TEST(CtgovV1Test, UnwrapsListsMapsEnumsCountsAndDates) {
  struct Case {
    std::string protocol;
    std::string v2;
  } cases[] = {
      {R"("ConditionsModule":{"ConditionList":{"Condition":["A","B"]},"KeywordList":{"Keyword":[]}})",
       R"("conditionsModule":{"conditions":["A","B"]})"},  // an empty v1 list writes nothing
      {R"("DesignModule":{"EnrollmentInfo":{"EnrollmentCount":"120","EnrollmentType":"Anticipated"}})",
       R"("enrollmentInfo":{"count":120,"type":"ESTIMATED"})"},
      {R"("DesignModule":{"EnrollmentInfo":{"EnrollmentCount":7}})", R"("count":7)"},
      {R"("DesignModule":{"PhaseList":{"Phase":["Phase 1","Phase 2"]}})", R"("phases":["PHASE1","PHASE2"])"},
      {R"("StatusModule":{"OverallStatus":"Not yet recruiting"})", R"("overallStatus":"NOT_YET_RECRUITING")"},
      {R"("StatusModule":{"OverallStatus":"NOT YET RECRUITING"})", R"("overallStatus":"NOT_YET_RECRUITING")"},
      {R"("StatusModule":{"OverallStatus":"Active, not recruiting"})", R"("overallStatus":"ACTIVE_NOT_RECRUITING")"},
      {R"("StatusModule":{"StartDateStruct":{"StartDate":"March 15, 2005","StartDateType":"Estimate"}})",
       R"("startDateStruct":{"date":"2005-03-15","type":"ESTIMATED"})"},
      {R"("StatusModule":{"StatusVerifiedDate":"July 2019"})", R"("statusVerifiedDate":"2019-07")"},
      {R"("EligibilityModule":{"HealthyVolunteers":"Accepts Healthy Volunteers","Gender":"Both"})",
       R"("eligibilityModule":{"healthyVolunteers":true,"sex":"ALL"})"},
      {R"("DesignModule":{"StudyType":"N/A","DesignInfo":{"DesignAllocation":"N/A"}})",
       R"("designModule":{"designInfo":{"allocation":"NA"}})"},
      {R"("SponsorCollaboratorsModule":{"LeadSponsor":{"LeadSponsorClass":"U.S. Fed"},"CollaboratorList":{"Collaborator":[{"CollaboratorClass":"Industry"}]}})",
       R"("leadSponsor":{"class":"FED"},"collaborators":[{"class":"INDUSTRY"}])"},
      {R"("ContactsLocationsModule":{"LocationList":{"Location":[{"LocationContactList":{"LocationContact":[{"LocationContactName":"x","LocationContactRole":"Sub-Investigator"}]}}]}})",
       R"("locations":[{"contacts":[{"name":"x","role":"SUB_INVESTIGATOR"}]}])"},
      {R"("DesignModule":{"BioSpec":{"BioSpecRetention":"Frozen tissue"}})", R"("retention":"Frozen tissue")"},
      {R"("OversightModule":{"FDAAA801Violation":"No"})", R"("fdaaa801Violation":false)"},
  };
  StudyV1JsonReader reader;
  for (const auto& c : cases) {
    Result<ApiV1Conversion> got = reader.Convert(V1Study(c.protocol));
    ASSERT_TRUE(got.ok()) << c.protocol << ": " << got.status().ToString();
    EXPECT_NE(got->v2_json.find(c.v2), std::string::npos) << c.protocol << "\n -> " << got->v2_json;
    EXPECT_TRUE(reader.Parse(V1Study(c.protocol)).ok()) << c.protocol;
  }
}

TEST(CtgovV1Test, DroppedAndUnknownFieldsAreNotRead) {
  StudyV1JsonReader reader;
  Result<ApiV1Conversion> c = reader.Convert(V1Study(
      R"("StatusModule":{"NewField":"x","ResultsFirstPostedQCCommentsDateStruct":{"ResultsFirstPostedQCCommentsDate":"May 2020"}})",
      R"(,"FutureSection":{"A":[1]})"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->unknown_fields, (std::vector<std::string>{"Study.ProtocolSection.StatusModule.NewField", "Study.FutureSection"}));
  EXPECT_EQ(c->v2_json.find("QC"), std::string::npos);
  EXPECT_EQ(c->v2_json.find("NewField"), std::string::npos);
}

TEST(CtgovV1Test, ResultsSectionSetsHasResults) {
  StudyV1JsonReader reader;
  Result<Study> s = reader.Parse(V1Study("", R"(,"ResultsSection":{"MoreInfoModule":{"LimitationsAndCaveats":{"LimitationsAndCaveatsDescription":"small"}}})"));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->has_results);
  ASSERT_TRUE(s->results.has_value());
  ASSERT_TRUE(s->results->more_info.has_value());
  EXPECT_EQ(s->results->more_info->limitations_and_caveats, "small");
}

TEST(CtgovV1Test, BadInputNamesTheV1PathAndProblem) {
  struct Case {
    std::string json;
    std::string error;
  } cases[] = {
      {R"({"Study":{"ProtocolSection":)", "invalid JSON"},
      {R"([1,2])", "expected a study object"},
      {V1Study(R"("StatusModule":{"OverallStatus":"Done"})"),
       "Study.ProtocolSection.StatusModule.OverallStatus: unknown OverallStatus value \"Done\""},
      {V1Study(R"("DesignModule":{"PhaseList":{"Phase":["Phase 1","Phase 9"]}})"),
       "Study.ProtocolSection.DesignModule.PhaseList.Phase[1]: unknown Phase value \"Phase 9\""},
      {V1Study(R"("ConditionsModule":{"ConditionList":{"Condition":"Asthma"}})"),
       "Study.ProtocolSection.ConditionsModule.ConditionList.Condition: expected a list"},
      {V1Study(R"("ConditionsModule":{"ConditionList":["Asthma"]})"),
       "Study.ProtocolSection.ConditionsModule.ConditionList: expected an object"},
      {V1Study(R"("DescriptionModule":{"BriefSummary":{"x":1}})"),
       "Study.ProtocolSection.DescriptionModule.BriefSummary: expected a single value, not an object"},
      {V1Study(R"("DescriptionModule":{"BriefSummary":5})"), "Study.ProtocolSection.DescriptionModule.BriefSummary: expected a string"},
      {V1Study(R"("DesignModule":{"EnrollmentInfo":{"EnrollmentCount":"many"}})"),
       "Study.ProtocolSection.DesignModule.EnrollmentInfo.EnrollmentCount: not a whole number: \"many\""},
      {V1Study(R"("DesignModule":{"EnrollmentInfo":{"EnrollmentCount":-3}})"), "EnrollmentCount: must not be negative"},
      {V1Study(R"("StatusModule":{"StartDateStruct":{"StartDate":"Someday"}})"),
       "Study.ProtocolSection.StatusModule.StartDateStruct.StartDate: not a date: \"Someday\""},
      {V1Study(R"("EligibilityModule":{"MinimumAge":"eighteen"})"),
       "Study.ProtocolSection.EligibilityModule.MinimumAge: not an age: \"eighteen\""},
      {V1Study(R"("DesignModule":{"DesignInfo":{"DesignObservationalModelList":{"DesignObservationalModel":["Cohort","Other"]}}})"),
       "DesignObservationalModel[1]: API v2 holds one value here (protocolSection.designModule.designInfo.observationalModel), not a list"},
      {R"({"Study":{"ProtocolSection":{"IdentificationModule":{"BriefTitle":"t"}}}})",
       "Study.ProtocolSection.IdentificationModule.NCTId: missing"},
      {R"({"Study":{"ProtocolSection":{"IdentificationModule":{"NCTId":"NCT1"}}}})",
       "Study.ProtocolSection.IdentificationModule.NCTId: not an NCT ID: \"NCT1\""},
      {R"({"FullStudy":{"Rank":1,"Study":{"ProtocolSection":{"IdentificationModule":{"NCTId":"NCT09900099"},"StatusModule":{"OverallStatus":"x"}}}}})",
       "FullStudy.Study.ProtocolSection.StatusModule.OverallStatus: unknown OverallStatus value \"x\""},
      {R"({"Rank":1,"Study":{"DerivedSection":{}}})", "Study.ProtocolSection: missing"},
      {R"({"Rank":1})", "not a ClinicalTrials.gov API v1 study: no Study"},
      {R"({"FullStudy":[]})", "FullStudy: expected an object"},
      {R"({"FullStudiesResponse":{"NStudiesFound":0}})", "FullStudiesResponse: a page of studies"},
  };
  StudyV1JsonReader reader;
  for (const auto& c : cases) {
    Result<Study> s = reader.Parse(c.json);
    ASSERT_FALSE(s.ok()) << c.json;
    EXPECT_NE(s.status().message().find(c.error), std::string::npos) << c.json << "\n -> " << s.status().message();
  }
  EXPECT_TRUE(reader.Parse(V1Study("")).ok()) << "the reader recovers after errors";
}

}  // namespace
}  // namespace ts
