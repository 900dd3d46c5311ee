#include "api/api.h"

#include <gtest/gtest.h>

#include <thread>

#include "http/http_server.h"
#include "api/http_test_support.h"
#include "common/binary_io.h"
#include "service/importer.h"
#include "test_paths.h"
#include "test_clock.h"

namespace ts {
namespace {

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    store_ = std::move(*OpenSqliteStore(dir_->Path("t.db"), ts::testing::TestClock())).release();
    auto sum = Importer(*store_, {}).Run({testing::FixturePath("studies"), testing::FixturePath("legacy"),
                                                   testing::FixturePath("results")});
    ASSERT_TRUE(sum.ok());
    service_ = std::move(*SearchService::Build(*store_)).release();
    screening_ = std::move(*ScreeningService::Build(*service_)).release();
    clock_ = new FixedClock(PartialDate{2026, 11, 21});
    protocols_ = std::move(*ProtocolService::Build(service_->studies())).release();
    api_ = new ApiHandler(*service_, "2026-11-21T00:00:00Z", *clock_, screening_, protocols_);
  }
  static void TearDownTestSuite() {
    delete api_;
    delete clock_;
    delete protocols_;
    delete screening_;
    delete service_;
    delete store_;
    delete dir_;
  }
  static HttpResponse Get(const std::string& path, Params params = {}) {
    return api_->Handle({"GET", path, std::move(params), ""});
  }
  static HttpResponse Post(const std::string& path, Params params, std::string body) {
    return api_->Handle({"POST", path, std::move(params), std::move(body)});
  }

  static HttpResponse PostNote(const std::string& path, Params params, std::string note) {
    return api_->Handle({"POST", path, std::move(params), std::move(note), "text/plain"});
  }

  static testing::TempDir* dir_;
  static StudyStore* store_;
  static SearchService* service_;
  static ScreeningService* screening_;
  static ProtocolService* protocols_;
  static ApiHandler* api_;
  static FixedClock* clock_;
};
ScreeningService* ApiTest::screening_;
ProtocolService* ApiTest::protocols_;
testing::TempDir* ApiTest::dir_;
StudyStore* ApiTest::store_;
SearchService* ApiTest::service_;
ApiHandler* ApiTest::api_;
FixedClock* ApiTest::clock_;

TEST_F(ApiTest, SearchHasTheApiV2ShapeAndPagesHonestly) {
  HttpResponse r = Get("/api/v2/studies", {{"query.intr", "herombopag"}, {"pageSize", "2"}, {"fields", "NCTId,BriefTitle"}});
  ASSERT_EQ(r.http_status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("studies":[{"protocolSection":{"identificationModule":{"nctId":"NCT07334093","briefTitle":)"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("totalCount":3)"), std::string::npos);
  EXPECT_NE(r.body.find(R"("viaAlias":true)"), std::string::npos);
  size_t t = r.body.find(R"("nextPageToken":")");
  ASSERT_NE(t, std::string::npos);
  std::string token = r.body.substr(t + 17, r.body.find('"', t + 17) - t - 17);
  HttpResponse page2 = Get("/api/v2/studies", {{"query.intr", "herombopag"}, {"pageSize", "2"}, {"pageToken", token}});
  ASSERT_EQ(page2.http_status, 200) << page2.body;
  EXPECT_NE(page2.body.find(R"("totalCount":3)"), std::string::npos);
  EXPECT_EQ(page2.body.find("nextPageToken"), std::string::npos) << "the last page has no token";
  EXPECT_NE(page2.body.find(R"("studies":[{)"), std::string::npos) << "a page after a token is never empty";
}

TEST_F(ApiTest, StudyByAnyIdAndErrorsHaveOneShape) {
  HttpResponse r = Get("/api/v2/studies/nct06964971");
  ASSERT_EQ(r.http_status, 200);
  EXPECT_NE(r.body.find(R"("orgStudyIdInfo":{"id":"2025-KLS-046-02"})"), std::string::npos);
  EXPECT_EQ(Get("/api/v2/studies/2025-KLS-046-02").http_status, 200);
  EXPECT_EQ(Get("/api/v2/studies/NCT06964971", {{"fields", "OverallStatus"}}).body,
            R"({"protocolSection":{"statusModule":{"overallStatus":"NOT_YET_RECRUITING"}}})");
  HttpResponse missing = Get("/api/v2/studies/NCT00000000");
  EXPECT_EQ(missing.http_status, 404);
  EXPECT_EQ(missing.body, R"({"error":{"code":404,"status":"NOT_FOUND","message":"no study with ID \"NCT00000000\""}})");
  EXPECT_EQ(Get("/api/v2/nothing").http_status, 404);
  EXPECT_EQ(api_->Handle({"DELETE", "/api/v2/studies", {}, ""}).http_status, 405);
  // A route asked with the other method says which one it answers.
  HttpResponse get_timeline = Get("/api/v2/studies/NCT07334093/timeline");
  EXPECT_EQ(get_timeline.http_status, 405) << get_timeline.body;
  ASSERT_EQ(get_timeline.headers.size(), 1u);
  EXPECT_EQ(get_timeline.headers[0], (std::pair<std::string, std::string>{"Allow", "POST"}));
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/check").http_status, 405);
  HttpResponse post_study = api_->Handle({"POST", "/api/v2/studies/NCT07334093", {}, ""});
  EXPECT_EQ(post_study.http_status, 405);
  EXPECT_NE(post_study.body.find("(use GET)"), std::string::npos) << post_study.body;
  EXPECT_NE(Get("/api/v2/version").body.find(R"("apiVersion":"2.0.0")"), std::string::npos);
  EXPECT_NE(Get("/api/v2/stats/size").body.find(R"("totalStudies":8)"), std::string::npos);
}

TEST_F(ApiTest, ResultsAreServedAndProjected) {
  HttpResponse r = Get("/api/v2/studies/NCT09999991");
  ASSERT_EQ(r.http_status, 200);
  EXPECT_NE(r.body.find(R"("analyses":[{"statisticalMethod":"Fisher Exact","pValue":"0.03","groupIds":["OG000","OG001"]}])"),
            std::string::npos) << r.body.substr(0, 400);
  EXPECT_EQ(Get("/api/v2/studies/NCT09999991", {{"fields", "resultsSection.moreInfoModule.limitationsAndCaveats"}}).body,
            R"({"resultsSection":{"moreInfoModule":{"limitationsAndCaveats":{"description":"Small sample."}}}})");
  // A legacy record's results come out in the API v2 shape.
  HttpResponse legacy = Get("/api/v2/studies/NCT09999992", {{"fields", "resultsSection.adverseEventsModule.eventGroups"}});
  EXPECT_NE(legacy.body.find(R"("id":"E1","title":"Drug A","seriousNumAffected":2,"seriousNumAtRisk":30)"), std::string::npos)
      << legacy.body;
  HttpResponse found = Get("/api/v2/studies", {{"aggFilters", "results:with"}, {"fields", "NCTId"}});
  EXPECT_NE(found.body.find("NCT09999991"), std::string::npos);
  EXPECT_NE(found.body.find("NCT09999992"), std::string::npos);
}

TEST_F(ApiTest, HostileInputsGetCleanErrors) {
  std::string deep = std::string(200, '(') + "x" + std::string(200, ')');
  std::string wide;
  for (int i = 0; i < 300; ++i) {
    wide += 'w';
    wide += std::to_string(i);
    wide += ' ';
  }
  struct Case {
    Params params;
    const char* message;
  } cases[] = {
      {{{"query.term", std::string(5000, 'a')}}, "value longer than 4096 bytes"},
      {{{"query.term", deep}}, "nested too deeply"},
      {{{"query.term", wide}}, "too many terms"},
      {{{"query.term", "\xFF\xFE"}}, "not valid UTF-8"},
      {{{"pageSize", "100000000000000000000"}}, "pageSize: must be a whole number from 1 to 1000"},
      {{{"pageSize", "-1"}}, "pageSize"},
      {{{"pageToken", "!!!"}}, "pageToken is not valid"},
      {{{"pageToken", "cDF8YWJj"}}, "pageToken is not valid"},
      {{{"query.term", "a"}, {"bogus", "1"}}, R"(unknown parameter \"bogus\")"},
      {{{"filter.geo", "distance(99,0,5km)"}}, "latitude"},
      {{{"filter.overallStatus", "<script>"}}, "unknown value"},
      {{{"format", "csv"}}, "only json"},
      {{{"fields", "NoSuchField"}}, "unknown field"},
      {{{"sort", "@distance"}}, "needs filter.geo"},
  };
  for (const auto& c : cases) {
    HttpResponse r = Get("/api/v2/studies", c.params);
    EXPECT_EQ(r.http_status, 400) << c.message << ": " << r.body;
    EXPECT_NE(r.body.find(R"({"error":{"code":400,"status":"INVALID_ARGUMENT","message":")"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find(c.message), std::string::npos) << r.body;
  }
}

TEST_F(ApiTest, RealServerOnLoopback) {
  HttpServer server(*api_, {.port = 0, .worker_threads = 2}, ts::testing::TestClock());
  ASSERT_TRUE(server.Bind().ok());
  std::thread t([&] { (void)server.Run(); });
  const int port = server.bound_port();
  auto r = testing::Exchange(port, testing::Get("/api/v2/studies?query.cond=aplastic%20anemia&pageSize=1"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
  EXPECT_NE(r->body.find(R"("totalCount":)"), std::string::npos);
  auto bad = testing::Exchange(port, testing::Get("/api/v2/studies?query.term=%FF"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  auto long_uri = testing::Exchange(port, testing::Get("/api/v2/studies?query.term=" + std::string(20000, 'a')));
  ASSERT_TRUE(long_uri);
  EXPECT_EQ(long_uri->status, 414);
  EXPECT_NE(long_uri->body.find(R"("status":"INVALID_ARGUMENT")"), std::string::npos) << long_uri->body;
  auto none = testing::Exchange(port, testing::Get("/nothing/here"));
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 404);
  EXPECT_NE(none->body.find(R"("status":"NOT_FOUND")"), std::string::npos);
  server.Stop();
  t.join();
}

TEST_F(ApiTest, CriteriaCheckAndMatch) {
  HttpResponse c = Get("/api/v2/studies/NCT07334093/criteria");
  ASSERT_EQ(c.http_status, 200) << c.body;
  EXPECT_NE(c.body.find("platelet count [LOINC 777-3] < 50 10*9/L"), std::string::npos);
  const std::string patient =
      R"({"birthDate":"1968-04-12","sex":"female","labs":[{"code":"platelets","value":30,"unit":"10*9/L","date":"2026-11-14"}]})";
  HttpResponse k = Post("/api/v2/studies/NCT07334093/check", {{"asOf", "2026-11-20"}}, patient);
  ASSERT_EQ(k.http_status, 200) << k.body;
  EXPECT_NE(k.body.find(R"("study":"NCT07334093")"), std::string::npos);
  EXPECT_NE(k.body.find(R"("verdict":"possibly_eligible")"), std::string::npos);
  EXPECT_NE(k.body.find(R"("criteria":[)"), std::string::npos);
  HttpResponse m = Post("/api/match", {{"asOf", "2026-11-20"}, {"limit", "3"}}, patient);
  ASSERT_EQ(m.http_status, 200) << m.body;
  EXPECT_NE(m.body.find(R"("considered":)"), std::string::npos);
  // Bad patients, dates and IDs get the one error shape.
  EXPECT_EQ(Post("/api/v2/studies/NCT07334093/check", {}, "{not json").http_status, 400);
  EXPECT_EQ(Post("/api/v2/studies/NCT07334093/check", {{"asOf", "soon"}}, patient).http_status, 400);
  EXPECT_EQ(Post("/api/v2/studies/NCT00000000/check", {}, patient).http_status, 404);
  EXPECT_EQ(Post("/api/match", {{"limit", "0"}}, patient).http_status, 400);
  EXPECT_EQ(Get("/api/v2/studies/NCT00000000/criteria").http_status, 404);
}

TEST_F(ApiTest, ANoteAsTextPlainIsCheckedAndMatched) {
  const std::string note = "0. A 57-year-old woman with chemotherapy-induced thrombocytopenia.\n1. Platelets 30,000/uL.\n";
  HttpResponse k = PostNote("/api/v2/studies/NCT07334093/check", {{"asOf", "2026-11-20"}}, note);
  ASSERT_EQ(k.http_status, 200) << k.body;
  EXPECT_NE(k.body.find(R"("presumedVerdict":)"), std::string::npos);
  EXPECT_NE(k.body.find(R"("expertLabel":)"), std::string::npos);
  EXPECT_NE(k.body.find(R"("kind":"observation","context":"affirmed","sentence":1)"), std::string::npos) << k.body;
  HttpResponse m = PostNote("/api/match", {{"asOf", "2026-11-20"}, {"limit", "3"}}, note);
  ASSERT_EQ(m.http_status, 200) << m.body;
  EXPECT_NE(m.body.find(R"("match":{"asOf":)"), std::string::npos);
  // A binary note is refused with the one error shape; a JSON body without the text/plain type is still a patient.
  HttpResponse bad = PostNote("/api/match", {}, std::string("\x01\x02", 2));
  EXPECT_EQ(bad.http_status, 400);
  EXPECT_NE(bad.body.find("binary data"), std::string::npos);
  EXPECT_EQ(Post("/api/match", {}, note).http_status, 400);
}

TEST_F(ApiTest, ProtocolAndTimeline) {
  HttpResponse p = Get("/api/v2/studies/NCT07334093/protocol");
  ASSERT_EQ(p.http_status, 200) << p.body;
  EXPECT_NE(p.body.find(R"("design":{"allocation":"RANDOMIZED","ratio":[1,1],"targetSize":204)"), std::string::npos) << p.body;
  EXPECT_NE(p.body.find(R"("kind":"stop","agent":null)"), std::string::npos) << p.body;
  EXPECT_EQ(Get("/api/v2/studies/NCT00000000/protocol").http_status, 404);
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/protocol", {{"x", "1"}}).http_status, 400);

  std::string patient = R"({"labs":[{"code":"platelets","value":20,"unit":"10*9/L","date":"2026-01-05"},
    {"code":"platelets","value":72,"unit":"10*9/L","date":"2026-01-11"}]})";
  HttpResponse t = Post("/api/v2/studies/NCT07334093/timeline", {{"arm", "Experimental arm"}, {"start", "2026-01-05"}}, patient);
  ASSERT_EQ(t.http_status, 200) << t.body;
  EXPECT_NE(t.body.find(R"("events":[{"date":"2026-01-11","day":7,"kind":"stop")"), std::string::npos) << t.body;
  EXPECT_NE(t.body.find(R"("endpoints":[{"name":"Primary endpoint","met":true,"date":"2026-01-11")"), std::string::npos) << t.body;
  EXPECT_EQ(t.body.find(R"("day":7,"agent")"), std::string::npos) << "no dose on the day of the stop";

  HttpResponse arm = Post("/api/v2/studies/NCT07334093/timeline", {{"arm", "Placebo"}, {"start", "2026-01-05"}}, patient);
  EXPECT_EQ(arm.http_status, 400);
  EXPECT_NE(arm.body.find(R"("error":{"code":400,"status":"INVALID_ARGUMENT","message":"study NCT07334093 has no arm \"Placebo\")"), std::string::npos) << arm.body;
  EXPECT_EQ(Post("/api/v2/studies/NCT07334093/timeline", {{"arm", "Experimental arm"}}, patient).http_status, 400);
  EXPECT_EQ(Post("/api/v2/studies/NCT07334093/timeline", {{"arm", "Experimental arm"}, {"start", "2026-02"}}, patient).http_status, 400);
  EXPECT_EQ(Post("/api/v2/studies/NCT07334093/timeline", {{"arm", "Experimental arm"}, {"start", "2026-01-05"}}, "{").http_status, 400);
  EXPECT_EQ(Post("/api/v2/studies/NCT00000000/timeline", {{"arm", "A"}, {"start", "2026-01-05"}}, patient).http_status, 404);
  HttpResponse heavy = Post("/api/v2/studies/NCT06898983/timeline", {{"arm", "Romiplostim N01"}, {"start", "2026-01-05"}},
                            R"({"labs":[{"code":"weight","value":900,"unit":"kg","date":"2026-01-05"}]})");
  EXPECT_EQ(heavy.http_status, 400);
  EXPECT_NE(heavy.body.find("body weight 900 kg is not possible"), std::string::npos) << heavy.body;
}

TEST_F(ApiTest, CohortAndRandomisation) {
  auto cohort = ReadWholeFile(std::string(TS_SOURCE_DIR) + "/tests/cases/protocol/ctit_cohort.ndjson");
  ASSERT_TRUE(cohort.ok());
  HttpResponse c = Post("/api/v2/studies/NCT07334093/cohort", {}, *cohort);
  ASSERT_EQ(c.http_status, 200) << c.body;
  EXPECT_NE(c.body.find(R"({"arm":"Experimental arm","endpoint":"Primary endpoint","met":2,"notMet":1,"unknown":0,)"),
            std::string::npos) << c.body;
  EXPECT_NE(c.body.find(R"({"arm":"Control arm","endpoint":"Primary endpoint","met":0,"notMet":1,"unknown":1,)"),
            std::string::npos) << c.body;
  // A broken line names the body and its line; an unknown parameter or study is refused.
  HttpResponse broken = Post("/api/v2/studies/NCT07334093/cohort", {}, *cohort + "{\"id\": \"x\"\n");
  EXPECT_EQ(broken.http_status, 400);
  EXPECT_NE(broken.body.find("request body:7: "), std::string::npos) << broken.body;
  EXPECT_EQ(Post("/api/v2/studies/NCT07334093/cohort", {{"x", "1"}}, *cohort).http_status, 400);
  EXPECT_EQ(Post("/api/v2/studies/NCT00000000/cohort", {}, *cohort).http_status, 404);

  Params plan = {{"blocks", "4"}, {"perStratum", "8"}, {"strata", "site 1,site 2"}, {"seed", "7"}};
  HttpResponse r = Get("/api/v2/studies/NCT07334093/randomisation", plan);
  ASSERT_EQ(r.http_status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("counts":{"site 1":{"Experimental arm":4,"Control arm":4},"site 2":{"Experimental arm":4,"Control arm":4}},"ratioHolds":true)"),
            std::string::npos) << r.body;
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/randomization", plan).body, r.body) << "the same seed gives the same list";
  plan[3].second = "8";
  EXPECT_NE(Get("/api/v2/studies/NCT07334093/randomisation", plan).body, r.body) << "another seed, another list";
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/randomisation", {{"blocks", "3"}, {"perStratum", "8"}}).http_status, 400)
      << "a block of 3 cannot hold 1:1";
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/randomisation", {{"blocks", "4"}}).http_status, 400);
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/randomisation", {{"blocks", "4,x"}, {"perStratum", "8"}}).http_status, 400);
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/randomisation", {{"blocks", "4"}, {"perStratum", "100000"}, {"strata", "a,b"}}).http_status, 400);
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/randomisation", {{"blocks", "4"}, {"perStratum", "8"}, {"q", "1"}}).http_status, 400);
  HttpResponse none = Get("/api/v2/studies/NCT06898983/randomisation", {{"blocks", "4"}, {"perStratum", "8"}});
  EXPECT_EQ(none.http_status, 400) << "a single-arm study states no ratio: " << none.body;
}

}  // namespace
}  // namespace ts
