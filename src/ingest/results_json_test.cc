// The resultsSection reader and writer: fields read into the model, errors with their path, and a
// lossless round trip of every posted result in the shared corpus's API v2 exports.
#include <simdjson.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include "ingest/ctgov_json.h"
#include "test_paths.h"

namespace ts {
namespace {

using ::ts::testing::ReadFileOrDie;

constexpr const char* kStudy = R"({"protocolSection":{"identificationModule":{"nctId":"NCT09999991","briefTitle":"T"}},
 "resultsSection":{
  "participantFlowModule":{"groups":[{"id":"FG000","title":"Drug A","description":"5 mg"}],
   "periods":[{"title":"Overall Study","milestones":[{"type":"STARTED","achievements":[{"groupId":"FG000","numSubjects":"20"}]}],
     "dropWithdraws":[{"type":"Adverse Event","reasons":[{"groupId":"FG000","numSubjects":"2"}]}]}]},
  "baselineCharacteristicsModule":{"groups":[{"id":"BG000","title":"Drug A"}],
   "denoms":[{"units":"Participants","counts":[{"groupId":"BG000","value":"20"}]}],
   "measures":[{"title":"Age","paramType":"MEAN","dispersionType":"STANDARD_DEVIATION","unitOfMeasure":"years",
     "classes":[{"categories":[{"measurements":[{"groupId":"BG000","value":"54.2","spread":"11.3"}]}]}]}]},
  "outcomeMeasuresModule":{"outcomeMeasures":[{"type":"PRIMARY","title":"Platelet response","paramType":"COUNT_OF_PARTICIPANTS",
    "unitOfMeasure":"Participants","timeFrame":"14 days","groups":[{"id":"OG000","title":"Drug A"}],
    "classes":[{"categories":[{"measurements":[{"groupId":"OG000","value":"12"}]}]}],
    "analyses":[{"groupIds":["OG000","OG001"],"statisticalMethod":"Fisher Exact","pValue":"0.003","ciNumSides":"TWO_SIDED",
      "ciPctValue":"95","testedNonInferiority":false,"nonInferiorityType":"SUPERIORITY"}]}]},
  "adverseEventsModule":{"frequencyThreshold":"5","timeFrame":"1 year","eventGroups":[{"id":"EG000","title":"Drug A",
    "seriousNumAffected":1,"seriousNumAtRisk":20}],
   "seriousEvents":[{"term":"Thrombosis","organSystem":"Vascular disorders","assessmentType":"SYSTEMATIC_ASSESSMENT",
     "stats":[{"groupId":"EG000","numEvents":1,"numAffected":1,"numAtRisk":20}]}]},
  "moreInfoModule":{"limitationsAndCaveats":{"description":"Small sample."},
   "certainAgreement":{"piSponsorEmployee":false,"restrictionType":"LTE60","restrictiveAgreement":true},
   "pointOfContact":{"title":"Study Director","organization":"Acme","email":"a@example.org"}}},
 "hasResults":true})";

TEST(ResultsJsonTest, ReadsEveryModule) {
  StudyJsonReader reader;
  auto s = reader.Parse(kStudy);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_TRUE(s->results.has_value());
  const StudyResults& r = *s->results;
  ASSERT_TRUE(r.participant_flow);
  EXPECT_EQ(r.participant_flow->periods.at(0).milestones.at(0).achievements.at(0).num_subjects, "20");
  EXPECT_EQ(r.participant_flow->periods.at(0).drop_withdraws.at(0).type, "Adverse Event");
  ASSERT_TRUE(r.baseline);
  EXPECT_EQ(r.baseline->measures.at(0).param_type, MeasureParam::kMean);
  EXPECT_EQ(r.baseline->measures.at(0).classes.at(0).categories.at(0).measurements.at(0).spread, "11.3");
  ASSERT_EQ(r.outcome_measures.size(), 1u);
  const OutcomeMeasure& om = r.outcome_measures[0];
  EXPECT_EQ(om.type, OutcomeMeasureType::kPrimary);
  EXPECT_EQ(om.analyses.at(0).p_value, "0.003");
  EXPECT_EQ(om.analyses.at(0).group_ids, (std::vector<std::string>{"OG000", "OG001"}));
  EXPECT_EQ(om.analyses.at(0).tested_non_inferiority, false);
  ASSERT_TRUE(r.adverse_events);
  EXPECT_EQ(r.adverse_events->event_groups.at(0).serious_num_at_risk, 20);
  EXPECT_EQ(r.adverse_events->serious_events.at(0).assessment_type, EventAssessment::kSystematic);
  ASSERT_TRUE(r.more_info && r.more_info->certain_agreement);
  EXPECT_EQ(r.more_info->certain_agreement->restriction_type, AgreementRestriction::kLte60);
  EXPECT_EQ(r.more_info->limitations_and_caveats, "Small sample.");

  auto again = reader.Parse(WriteStudyJson(*s));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *s);
}

TEST(ResultsJsonTest, BadValuesNameTheirPath) {
  StudyJsonReader reader;
  std::string bad = kStudy;
  bad.replace(bad.find("\"MEAN\""), 6, "\"AVERAGE\"");
  auto s = reader.Parse(bad);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "resultsSection.baselineCharacteristicsModule.measures[0].paramType: unknown paramType value \"AVERAGE\"");
  bad = kStudy;
  bad.replace(bad.find("\"seriousNumAtRisk\":20"), 21, "\"seriousNumAtRisk\":\"x\"");
  s = reader.Parse(bad);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "resultsSection.adverseEventsModule.eventGroups[0].seriousNumAtRisk: expected an integer");
}

// Every leaf of a JSON value as "path = value" (arrays by index), for comparing two documents.
void Leaves(simdjson::dom::element e, const std::string& path, std::multiset<std::string>* out) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::OBJECT: {
      simdjson::dom::object o;
      if (e.get_object().get(o)) return;
      for (simdjson::dom::key_value_pair kv : o) Leaves(kv.value, path + "." + std::string(kv.key), out);
      break;
    }
    case element_type::ARRAY: {
      simdjson::dom::array a;
      if (e.get_array().get(a)) return;
      size_t i = 0;
      for (simdjson::dom::element v : a) Leaves(v, path + "[" + std::to_string(i++) + "]", out);
      break;
    }
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: {
      // A number by its value: the registry writes 101.0 where a writer may write 101.
      double v = 0;
      if (e.get_double().get(v)) v = 0;
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", v);
      out->insert(path + " = " + buf);
      break;
    }
    default:
      out->insert(path + " = " + simdjson::to_string(e));
  }
}

TEST(ResultsJsonTest, SharedCorpusResultsRoundTripLosslessly) {
  if (!::ts::testing::SharedDataAvailable()) GTEST_SKIP() << ::ts::testing::kSharedSkipMessage;
  StudyJsonReader reader;
  simdjson::dom::parser files, ours;
  size_t studies = 0, leaves = 0;
  for (const auto& f : std::filesystem::directory_iterator(::ts::testing::SharedPath("data/ctgov/v2"))) {
    std::string text = ReadFileOrDie(f.path().string());
    simdjson::dom::element doc;
    ASSERT_FALSE(files.parse(text).get(doc)) << f.path();
    simdjson::dom::array all;
    ASSERT_FALSE(doc.get_array().get(all)) << f.path();
    for (simdjson::dom::element study : all) {
      simdjson::dom::element source;
      if (study["resultsSection"].get(source)) continue;
      std::string one = simdjson::to_string(study);
      auto s = reader.Parse(one);
      ASSERT_TRUE(s.ok()) << f.path() << ": " << s.status().ToString();
      std::string written = WriteStudyJson(*s);
      simdjson::dom::element parsed, back;
      ASSERT_FALSE(ours.parse(written).get(parsed));
      ASSERT_FALSE(parsed["resultsSection"].get(back)) << StudyKey(*s);
      std::multiset<std::string> want, got;
      Leaves(source, "resultsSection", &want);
      Leaves(back, "resultsSection", &got);
      std::vector<std::string> lost;
      std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::back_inserter(lost));
      EXPECT_TRUE(lost.empty()) << StudyKey(*s) << " lost " << lost.size() << " leaves, e.g. " << lost.front();
      EXPECT_EQ(want, got) << StudyKey(*s);
      ++studies;
      leaves += want.size();
    }
  }
  EXPECT_GE(studies, 20u);
  std::cout << "results round trip: " << studies << " studies, " << leaves << " result leaves kept\n";
}

// Every leaf value of every record of the shared v2 exports comes back out of the model (`show --json`,
// the API): numbers by value, and only the export's non-API "locations_nested" copy of the sites left out.
// A loss is reported by its path (array indexes dropped), most frequent first.
TEST(ResultsJsonTest, SharedCorpusWholeRecordsKeepTheirLeaves) {
  if (!::ts::testing::SharedDataAvailable()) GTEST_SKIP() << ::ts::testing::kSharedSkipMessage;
  StudyJsonReader reader;
  simdjson::dom::parser files, ours;
  size_t kept = 0, total = 0;
  std::map<std::string, size_t> lost_paths;
  for (const auto& f : std::filesystem::directory_iterator(::ts::testing::SharedPath("data/ctgov/v2"))) {
    std::string text = ReadFileOrDie(f.path().string());
    simdjson::dom::element doc;
    ASSERT_FALSE(files.parse(text).get(doc));
    simdjson::dom::array all;
    ASSERT_FALSE(doc.get_array().get(all));
    for (simdjson::dom::element study : all) {
      auto s = reader.Parse(simdjson::to_string(study));
      ASSERT_TRUE(s.ok()) << s.status().ToString();
      std::string written = WriteStudyJson(*s);
      simdjson::dom::element back;
      ASSERT_FALSE(ours.parse(written).get(back));
      std::multiset<std::string> want, got;
      Leaves(study, "", &want);
      // "locations_nested" is no API v2 field: the website's export repeats the sites under it.
      for (auto it = want.begin(); it != want.end();) {
        it = it->find(".locations_nested[") != std::string::npos ? want.erase(it) : std::next(it);
      }
      Leaves(back, "", &got);
      std::vector<std::string> lost;
      std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::back_inserter(lost));
      total += want.size();
      kept += want.size() - lost.size();
      for (const std::string& l : lost) {
        std::string path = l.substr(0, l.find(" = "));
        std::string generic;
        for (size_t i = 0; i < path.size(); ++i) {
          if (path[i] == '[') {
            i = path.find(']', i);
            generic += "[]";
          } else {
            generic += path[i];
          }
        }
        ++lost_paths[generic];
      }
    }
  }
  std::vector<std::pair<size_t, std::string>> top;
  for (const auto& [p, n] : lost_paths) top.emplace_back(n, p);
  std::sort(top.rbegin(), top.rend());
  std::cout << "whole records: " << kept << " of " << total << " leaves kept ("
            << (total ? 100.0 * static_cast<double>(kept) / static_cast<double>(total) : 0) << "%); most lost:\n";
  for (size_t i = 0; i < top.size() && i < 80; ++i) std::cout << "  " << top[i].first << "  " << top[i].second << "\n";
  EXPECT_GT(total, 0u);
  EXPECT_EQ(kept, total) << "a field of the API v2 schema is lost on the way out";
}

}  // namespace
}  // namespace ts
