#include "service/importer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "test_paths.h"
#include "test_clock.h"

namespace ts {
namespace {

using ::ts::testing::FixturePath;
using ::ts::testing::SharedPath;
using ::ts::testing::TempDir;

struct Env {
  TempDir dir;
  std::unique_ptr<StudyStore> store;
  Env() { store = std::move(*OpenSqliteStore(dir.Path("t.db"), ts::testing::TestClock())); }
  ImportSummary Import(const std::vector<std::string>& paths, std::ostringstream* rejects = nullptr) {
    ImportOptions o;
    o.rejects = rejects;
    auto sum = Importer(*store, o).Run(paths);
    EXPECT_TRUE(sum.ok()) << sum.status().ToString();
    return sum.ok() ? *sum : ImportSummary{};
  }
};

TEST(ImporterTest, SeedFixturesImportAndReimportUnchanged) {
  Env env;
  ImportSummary first = env.Import({FixturePath("studies"), FixturePath("legacy")});
  EXPECT_EQ(first.read, 6);
  EXPECT_EQ(first.added, 6);
  EXPECT_EQ(first.rejected, 0);
  ImportSummary again = env.Import({FixturePath("studies"), FixturePath("legacy")});
  EXPECT_EQ(again.unchanged, 6);
  EXPECT_EQ(again.added + again.updated, 0);
}

TEST(ImporterTest, BrokenRecordInsideAGoodFileIsRejectedAlone) {
  Env env;
  env.dir.Write("in/page.json", R"({"studies":[
    {"protocolSection":{"identificationModule":{"nctId":"NCT00000001","briefTitle":"ok 1"}}},
    {"protocolSection":{"identificationModule":{"nctId":"NCT00000002"},"statusModule":{"overallStatus":"DONE"}}},
    {"protocolSection":{"identificationModule":{"nctId":"NCT00000003","briefTitle":"ok 3"}}}]})");
  env.dir.Write("in/bad.xml", "<clinical_study><id_info><nct_id>NCT00000004</nct_id></id_info><start_date>2020-99</start_date></clinical_study>");
  env.dir.Write("in/README.txt", "not data");
  std::ostringstream rejects;
  ImportSummary s = env.Import({env.dir.Path("in")}, &rejects);
  EXPECT_EQ(s.read, 4);
  EXPECT_EQ(s.added, 2);
  EXPECT_EQ(s.rejected, 2);
  EXPECT_EQ(s.skipped, 1);
  std::string r = rejects.str();
  EXPECT_NE(r.find(R"("origin":")" + env.dir.Path("in/bad.xml") + R"(","studyId":"NCT00000004","reason":"start_date: not a date: \"2020-99\""})"),
            std::string::npos) << r;
  EXPECT_NE(r.find(R"(page.json[1]","studyId":"NCT00000002","reason":"protocolSection.statusModule.overallStatus: unknown overallStatus value \"DONE\""})"),
            std::string::npos) << r;
  EXPECT_TRUE(env.store->Get("NCT00000003").ok());
}

std::string Study(const std::string& nct) {
  return R"({"protocolSection":{"identificationModule":{"nctId":")" + nct + R"(","briefTitle":"t"}}})";
}

// One broken NDJSON line is one reject, the record after it is imported, and the counts add up.
TEST(ImporterTest, BrokenNdjsonLineCostsOnlyItself) {
  Env env;
  env.dir.Write("in/a.ndjson", Study("NCT00000001") + "\n" + R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000002")" +
                                   "\n" + Study("NCT00000003") + "\n");
  std::ostringstream rejects;
  ImportSummary s = env.Import({env.dir.Path("in")}, &rejects);
  EXPECT_EQ(s.read, 3);
  EXPECT_EQ(s.added, 2);
  EXPECT_EQ(s.rejected, 1);
  EXPECT_TRUE(s.CountsAddUp()) << s.ToString();
  EXPECT_TRUE(env.store->Get("NCT00000003").ok());
  ASSERT_EQ(s.first_rejects.size(), 1u);
  EXPECT_EQ(s.first_rejects[0].origin, env.dir.Path("in/a.ndjson") + ":2");
  EXPECT_EQ(s.first_rejects[0].study_id, "");
  EXPECT_EQ(s.first_rejects[0].reason, "truncated: the line ends inside this record");
  EXPECT_EQ(rejects.str(), RejectToJson(s.first_rejects[0]) + "\n");
}

// A 50 MB broken line (many study-like objects with a brace too many) is one reject, not thousands.
TEST(ImporterTest, HugeBrokenLineIsOneReject) {
  Env env;
  std::string line = R"({"protocolSection":)";
  const std::string piece = R"({"identificationModule":{"nctId":"NCT09999999","briefTitle":"x"}}},)";
  while (line.size() < (50u << 20)) line += piece;
  env.dir.Write("big.ndjson", Study("NCT00000001") + "\n" + line + "\n" + Study("NCT00000003") + "\n");
  ImportSummary s = env.Import({env.dir.Path("big.ndjson")});
  EXPECT_EQ(s.rejected, 1);
  EXPECT_EQ(s.read, 3);
  EXPECT_EQ(s.added, 2);
  EXPECT_TRUE(s.CountsAddUp()) << s.ToString();
}

// File-level rejects (an empty file, a damaged zip) count as read, so the counts add up; the summary keeps the
// first rejects in input order, each naming the file and the place.
TEST(ImporterTest, CountsAddUpAndTheFirstRejectsAreKept) {
  Env env;
  env.dir.Write("in/a_empty.json", "");
  env.dir.Write("in/b_empty.xml", "  \n");
  env.dir.Write("in/c.zip", "PK\x03\x04 not really a zip");
  std::string many;
  for (int i = 0; i < 30; ++i) many += "junk " + std::to_string(i) + "\n";
  env.dir.Write("in/d.ndjson", Study("NCT00000001") + "\n" + many);
  ImportOptions o;
  o.kept_rejects = 20;
  auto sum = Importer(*env.store, o).Run({env.dir.Path("in")});
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->rejected, 33);
  EXPECT_EQ(sum->added, 1);
  EXPECT_TRUE(sum->CountsAddUp()) << sum->ToString();
  ASSERT_EQ(sum->first_rejects.size(), 20u);
  EXPECT_EQ(sum->first_rejects[0].origin, env.dir.Path("in/a_empty.json"));
  EXPECT_EQ(sum->first_rejects[0].reason, "empty file");
  EXPECT_EQ(sum->first_rejects[1].origin, env.dir.Path("in/b_empty.xml"));
  EXPECT_EQ(sum->first_rejects[1].reason, "empty file");
  EXPECT_EQ(sum->first_rejects[2].origin, env.dir.Path("in/c.zip"));
  EXPECT_EQ(sum->first_rejects[3].origin, env.dir.Path("in/d.ndjson") + ":2");
  EXPECT_EQ(sum->first_rejects[19].origin, env.dir.Path("in/d.ndjson") + ":18");
}

// Invalid UTF-8 is named by the byte offset in the file (and in the record).
TEST(ImporterTest, InvalidUtf8NamesItsByteOffset) {
  Env env;
  std::string bad = std::string(R"({"protocolSection":{"identificationModule":{"nctId":"NCT00000002","briefTitle":"caf)") +
                    "\xE9" + R"("}}})";
  env.dir.Write("u.ndjson", Study("NCT00000001") + "\n" + bad + "\n");
  ImportSummary s = env.Import({env.dir.Path("u.ndjson")});
  ASSERT_EQ(s.first_rejects.size(), 1u);
  size_t in_record = bad.find('\xE9');
  size_t in_file = Study("NCT00000001").size() + 1 + in_record;
  EXPECT_EQ(s.first_rejects[0].reason, "invalid UTF-8 at byte " + std::to_string(in_file) + " (byte " +
                                           std::to_string(in_record) + " of the record)");
  EXPECT_EQ(s.first_rejects[0].origin, env.dir.Path("u.ndjson") + ":2");
  EXPECT_EQ(s.first_rejects[0].study_id, "NCT00000002");
}

// Unreadable paths are counted apart, with the system's reason; every good record elsewhere is imported.
TEST(ImporterTest, UnreadablePathsAreReportedAndTheRestImported) {
  Env env;
  env.dir.Write("in/good.json", Study("NCT00000001"));
  std::filesystem::create_symlink(env.dir.Path("in/loop.json"), env.dir.Path("in/loop.json"));
  ImportSummary s = env.Import({env.dir.Path("in"), env.dir.Path("missing")});
  EXPECT_EQ(s.added, 1);
  EXPECT_EQ(s.unreadable, 2);
  ASSERT_EQ(s.unreadable_paths.size(), 2u);
  EXPECT_EQ(s.unreadable_paths[0].origin, env.dir.Path("in/loop.json"));
  EXPECT_EQ(s.unreadable_paths[0].reason, "symbolic link loop: Too many levels of symbolic links");
  EXPECT_EQ(s.unreadable_paths[1].reason, "No such file or directory");
  EXPECT_TRUE(s.CountsAddUp()) << s.ToString();
}

TEST(ImporterTest, WholeSharedCorpus) {
  if (!testing::SharedDataAvailable()) GTEST_SKIP() << testing::kSharedSkipMessage;
  Env env;
  std::ostringstream rejects;
  ImportSummary s = env.Import({SharedPath("data/ctgov")}, &rejects);
  EXPECT_EQ(s.read, 6786 + 477);
  EXPECT_EQ(s.rejected, 0) << rejects.str().substr(0, 2000);
  EXPECT_EQ(s.skipped, 2);  // the OpenAPI yaml and its licence
  auto stats = env.store->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->studies, 7252);

  ImportSummary again = env.Import({SharedPath("data/ctgov")});
  EXPECT_EQ(again.added, 0);
  EXPECT_EQ(again.updated, 0);
  EXPECT_EQ(again.historical, 0);
  EXPECT_EQ(again.unchanged, 6786 + 477);

  // Chosen fields against their source files.
  auto xml = env.store->Get("NCT00000102");
  ASSERT_TRUE(xml.ok());
  EXPECT_EQ(xml->study.identification.org_study_id, "NCRR-M01RR01070-0506");
  EXPECT_EQ(xml->study.lead_sponsor.agency_class, AgencyClass::kNih);
  EXPECT_EQ(xml->study.design.phases, (std::vector<Phase>{Phase::kPhase1, Phase::kPhase2}));
  EXPECT_EQ(xml->study.design.masking, Masking::kDouble);
  EXPECT_EQ(xml->study.eligibility.minimum_age->ToString(), "14 Years");
  EXPECT_EQ(xml->study.eligibility.maximum_age->ToString(), "35 Years");
  EXPECT_EQ(xml->study.brief_summary.substr(0, 60), "This study will test the ability of extended release nifedip");
  EXPECT_EQ(xml->study.locations.at(0).facility, "Medical University of South Carolina");

  auto json = env.store->Get("NCT05287867");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->study.identification.organization.full_name, "Regenexx, LLC");
  EXPECT_EQ(json->study.design.intervention_model, InterventionModel::kCrossover);
  EXPECT_EQ(json->study.design.who_masked, std::vector<WhoMasked>{WhoMasked::kParticipant});
  EXPECT_EQ(json->study.design.enrollment_count, 42);
  ASSERT_EQ(json->study.locations.size(), 2u);
  EXPECT_EQ(json->study.locations[0].city, "Broomfield");
  EXPECT_EQ(json->study.locations[0].contacts.at(2).role, ContactRole::kSubInvestigator);
  EXPECT_DOUBLE_EQ(json->study.locations[0].geo_point->lat, 39.92054);

  // The one study in both formats keeps both versions; the raw source of each is kept.
  auto h = env.store->History("NCT00000410");
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0].source_format, "ctgov-xml");
  EXPECT_EQ((*h)[1].source_format, "ctgov-json");
  auto v1 = env.store->GetVersion("NCT00000410", 1);
  ASSERT_TRUE(v1.ok());
  EXPECT_NE(v1->raw.find("<clinical_study"), std::string::npos);
}

// API v1 pages and single-study files import as "ctgov-json-v1", their raw v1 record kept; the v1 study and its
// API v2 twin are one study, unchanged on the second import.
TEST(ImporterTest, ApiV1FilesImportWithTheirRawRecord) {
  Env env;
  ImportSummary sum = env.Import({FixturePath("api_v1/full_studies_page.json"), FixturePath("api_v1/full_studies_results.json"),
                                  FixturePath("api_v1/single_full_study.json"), FixturePath("api_v1/single_study.json")});
  EXPECT_EQ(sum.read, 7);
  EXPECT_EQ(sum.added, 7);
  EXPECT_EQ(sum.rejected, 0);
  auto h = env.store->History("NCT09900004");
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 1u);
  EXPECT_EQ((*h)[0].source_format, "ctgov-json-v1");
  EXPECT_EQ((*h)[0].origin, FixturePath("api_v1/full_studies_results.json") + "#FullStudies[0]");
  auto v = env.store->GetVersion("NCT09900004", 1);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->raw.rfind("{\n        \"Rank\":1,", 0), 0u) << v->raw.substr(0, 40);
  EXPECT_NE(v->study_json.find("\"hasResults\":true"), std::string::npos);
  ImportSummary twins = env.Import({FixturePath("api_v1/v2_twins")});
  EXPECT_EQ(twins.unchanged, 2) << twins.ToString();
}

TEST(ImporterTest, CorruptedBulkZipImportsEveryIntactRecord) {
  if (!testing::SharedDataAvailable()) GTEST_SKIP() << testing::kSharedSkipMessage;
  Env env;
  std::string bytes = testing::ReadFileOrDie(SharedPath("data/ctgov/AllPublicXML-sample.zip"));
  for (size_t off : {5000000u, 9000000u, 20000000u}) bytes.replace(off, 16, "\x01garbage\xff\x01garbage\xff");
  env.dir.Write("corrupt.zip", bytes);
  std::ostringstream rejects;
  ImportSummary s = env.Import({env.dir.Path("corrupt.zip")}, &rejects);
  EXPECT_GT(s.rejected, 0);
  EXPECT_EQ(s.added + s.rejected, 6786) << rejects.str();
  // Every reject names the zip entry and the study.
  std::istringstream lines(rejects.str());
  for (std::string line; std::getline(lines, line);) {
    EXPECT_NE(line.find("corrupt.zip!NCT"), std::string::npos) << line;
    EXPECT_NE(line.find(R"("studyId":"NCT)"), std::string::npos) << line;
  }

  Env cut;
  cut.dir.Write("cut.zip", bytes.substr(0, bytes.size() / 2));
  ImportSummary t = cut.Import({cut.dir.Path("cut.zip")});
  EXPECT_GT(t.added, 3000);
  EXPECT_GE(t.rejected, 1);
}

// One API v2 page held in memory is one transaction, with the hook run inside it before the commit.
TEST(ImporterTest, ImportTextImportsAPageAndRunsTheHookInItsTransaction) {
  Env env;
  std::string page = "{\"studies\":[" + ts::testing::ReadFileOrDie(FixturePath("studies/nct05236582_herombopag_cit.json")) +
                     ",{\"protocolSection\":7}," +
                     ts::testing::ReadFileOrDie(FixturePath("studies/nct07334093_hetrombopag_rhtpo_ctit.json")) +
                     "],\"nextPageToken\":\"x\"}";
  int hooked = 0;
  auto sum = Importer(*env.store, {}).ImportText("page 1", page, [&] {
    ++hooked;
    return env.store->PutSyncCheckpoint({.api = "http://x", .completed_through = "2026-01-12"});
  });
  ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  EXPECT_EQ(hooked, 1);
  EXPECT_EQ(sum->read, 3);
  EXPECT_EQ(sum->added, 2);
  EXPECT_EQ(sum->rejected, 1);
  ASSERT_EQ(sum->first_rejects.size(), 1u);
  EXPECT_EQ(sum->first_rejects[0].origin, "page 1[1]");
  EXPECT_TRUE(env.store->GetSyncCheckpoint("http://x").ok());
  // A page of nothing but rejects still runs the hook in a transaction of its own.
  auto empty = Importer(*env.store, {}).ImportText("page 2", "{\"studies\":[]}", [&] {
    ++hooked;
    return Status::Ok();
  });
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(hooked, 2);
  EXPECT_EQ(empty->read, 0);
}

}  // namespace
}  // namespace ts
