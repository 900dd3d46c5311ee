// The history, diff, change-feed and re-screening routes, on the seed trials and a second version of one.
#include <gtest/gtest.h>

#include <set>

#include "api/api.h"
#include "ingest/ctgov_json.h"
#include "service/importer.h"
#include "test_clock.h"
#include "test_paths.h"

namespace ts {
namespace {

const std::string kPatient =
    R"({"birthDate":"1968-04-12","sex":"female","labs":[{"code":"platelets","value":30,"unit":"10*9/L","date":"2026-11-14"}]})";

// All the "changeToken"s of a response, in order.
std::vector<std::string> Tokens(const std::string& body) {
  std::vector<std::string> out;
  for (size_t at = body.find(R"("changeToken":")"); at != std::string::npos; at = body.find(R"("changeToken":")", at + 1)) {
    out.push_back(body.substr(at + 15, body.find('"', at + 15) - at - 15));
  }
  return out;
}

std::string Field(const std::string& body, const std::string& name) {
  size_t at = body.find("\"" + name + "\":\"");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return body.substr(at, body.find('"', at) - at);
}

class ChangeRoutesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    store_ = std::move(*OpenSqliteStore(dir_->Path("t.db"), ts::testing::TestClock())).release();
    ASSERT_TRUE(Importer(*store_, {}).Run({testing::FixturePath("studies")}).ok());
    log_ = new ChangeLog(*store_);
    seeded_ = *log_->LatestToken();
    // A second version of NCT07334093: recruiting, a stricter platelet bound, a site in Hangzhou.
    Study s = store_->Get("NCT07334093")->study;
    s.status.overall_status = OverallStatus::kRecruiting;
    const std::string from = "PLT \\<50", to = "PLT \\<20";
    size_t at = s.eligibility.criteria.find(from);
    ASSERT_NE(at, std::string::npos);
    s.eligibility.criteria.replace(at, from.size(), to);
    Location h;
    h.facility = "Zhejiang Cancer Hospital";
    h.city = "Hangzhou";
    h.country = "China";
    s.locations.push_back(h);
    s.status.last_update_post_date.date = PartialDate{2026, 11, 30};
    ASSERT_EQ(*store_->Put({s, "ctgov-json", "v2.json", WriteStudyJson(s)}), PutOutcome::kUpdated);
    service_ = std::move(*SearchService::Build(*store_)).release();
    screening_ = std::move(*ScreeningService::Build(*service_)).release();
    clock_ = new FixedClock(PartialDate{2026, 11, 21});
    api_ = new ApiHandler(*service_, "2026-11-21", *clock_, screening_, nullptr, log_);
  }
  static void TearDownTestSuite() {
    delete api_;
    delete clock_;
    delete screening_;
    delete service_;
    delete log_;
    delete store_;
    delete dir_;
  }
  static HttpResponse Get(const std::string& path, Params params = {}) { return api_->Handle({"GET", path, std::move(params), ""}); }
  static HttpResponse Post(const std::string& path, Params params, std::string body) {
    return api_->Handle({"POST", path, std::move(params), std::move(body)});
  }

  static testing::TempDir* dir_;
  static StudyStore* store_;
  static ChangeLog* log_;
  static std::string seeded_;
  static SearchService* service_;
  static ScreeningService* screening_;
  static ApiHandler* api_;
  static FixedClock* clock_;
};
testing::TempDir* ChangeRoutesTest::dir_;
StudyStore* ChangeRoutesTest::store_;
ChangeLog* ChangeRoutesTest::log_;
std::string ChangeRoutesTest::seeded_;
SearchService* ChangeRoutesTest::service_;
ScreeningService* ChangeRoutesTest::screening_;
ApiHandler* ChangeRoutesTest::api_;
FixedClock* ChangeRoutesTest::clock_;

TEST_F(ChangeRoutesTest, HistoryListsVersionsAndServesEachOne) {
  HttpResponse h = Get("/api/v2/studies/nct07334093/history");
  ASSERT_EQ(h.http_status, 200) << h.body;
  EXPECT_NE(h.body.find(R"("id":"NCT07334093")"), std::string::npos);
  EXPECT_NE(h.body.find(R"("version":1,"lastUpdatePostDate":)"), std::string::npos) << h.body;
  EXPECT_NE(h.body.find(R"("version":2,"lastUpdatePostDate":"2026-11-30","importedAt":"2026-11-20T00:00:00Z","sourceFormat":"ctgov-json","origin":"v2.json","current":true)"),
            std::string::npos) << h.body;
  EXPECT_EQ(Tokens(h.body).size(), 2u);
  HttpResponse v1 = Get("/api/v2/studies/NCT07334093/history/1");
  ASSERT_EQ(v1.http_status, 200) << v1.body;
  EXPECT_NE(v1.body.find(R"("overallStatus":"NOT_YET_RECRUITING")"), std::string::npos);
  HttpResponse v2 = Get("/api/v2/studies/NCT07334093/history/2", {{"fields", "OverallStatus"}});
  ASSERT_EQ(v2.http_status, 200) << v2.body;
  EXPECT_NE(v2.body.find(R"("overallStatus":"RECRUITING")"), std::string::npos) << v2.body;
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/history/3").http_status, 404);
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/history/two").http_status, 400);
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/history/1/x").http_status, 404);
  EXPECT_EQ(Get("/api/v2/studies/NCT00000000/history").http_status, 404);
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/history", {{"bogus", "1"}}).http_status, 400);
}

TEST_F(ChangeRoutesTest, DiffGivesTheFieldChanges) {
  HttpResponse d = Get("/api/v2/studies/NCT07334093/diff", {{"from", "1"}, {"to", "2"}});
  ASSERT_EQ(d.http_status, 200) << d.body;
  EXPECT_NE(d.body.find(R"({"path":"protocolSection.statusModule.overallStatus","before":"NOT_YET_RECRUITING","after":"RECRUITING"})"),
            std::string::npos) << d.body;
  EXPECT_NE(d.body.find(R"("before":null,"after":"Hangzhou")"), std::string::npos) << d.body;
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/diff").body, d.body);  // default: the version before the current one
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/diff", {{"from", "x"}}).http_status, 400);
  EXPECT_EQ(Get("/api/v2/studies/NCT07334093/diff", {{"from", "1"}, {"to", "5"}}).http_status, 404);
  EXPECT_EQ(Get("/api/v2/studies/NCT06964971/diff").http_status, 400);  // one version: nothing before it
}

TEST_F(ChangeRoutesTest, ChangeFeedPagesExactlyAndRefusesBadTokens) {
  HttpResponse all = Get("/api/v2/changes");
  ASSERT_EQ(all.http_status, 200) << all.body;
  const std::vector<std::string> every = Tokens(all.body);
  ASSERT_EQ(every.size(), 6u);  // five seed trials and a second version
  EXPECT_NE(all.body.find(R"("id":"NCT07334093","nctId":"NCT07334093","version":2,)"), std::string::npos);
  EXPECT_NE(all.body.find(R"("kind":"updated","modules":["statusModule","eligibilityModule","contactsLocationsModule"],"areas":["status","sites","criteria"])"),
            std::string::npos) << all.body;
  EXPECT_NE(all.body.find(R"("Status: Not yet recruiting → Recruiting","Inclusion 4 changed","Site added: Hangzhou")"), std::string::npos) << all.body;
  // Page by two: the same changes in the same order, none twice, and an empty page at the end keeps the token.
  std::vector<std::string> paged;
  std::string token;
  for (int i = 0; i < 10; ++i) {
    HttpResponse p = Get("/api/v2/changes", {{"since", token}, {"limit", "2"}});
    ASSERT_EQ(p.http_status, 200) << p.body;
    auto got = Tokens(p.body);
    paged.insert(paged.end(), got.begin(), got.end());
    std::string next = Field(p.body, "nextToken");
    if (got.empty()) {
      EXPECT_EQ(next, token);
      break;
    }
    token = next;
  }
  EXPECT_EQ(paged, every);
  EXPECT_EQ(token, every.back());
  auto since_seed = Get("/api/v2/changes", {{"since", seeded_}});
  EXPECT_EQ(Tokens(since_seed.body).size(), 1u);
  for (const char* bad : {"yesterday", "c", "c12x", "-1"}) {
    HttpResponse r = Get("/api/v2/changes", {{"since", bad}});
    EXPECT_EQ(r.http_status, 400) << bad;
    EXPECT_NE(r.body.find(R"("status":"INVALID_ARGUMENT")"), std::string::npos);
    EXPECT_NE(r.body.find("since: "), std::string::npos) << r.body;
  }
  EXPECT_NE(Get("/api/v2/changes", {{"since", "c999"}}).body.find("ahead of this database"), std::string::npos);
  EXPECT_EQ(Get("/api/v2/changes", {{"limit", "0"}}).http_status, 400);
  EXPECT_EQ(Get("/api/v2/changes", {{"what", "1"}}).http_status, 400);
}

TEST_F(ChangeRoutesTest, MatchChangedSinceReScreensOnlyWhatChangedAndSaysHowTheVerdictMoved) {
  HttpResponse m = Post("/api/match", {{"changedSince", seeded_}, {"asOf", "2026-11-20"}}, kPatient);
  ASSERT_EQ(m.http_status, 200) << m.body;
  EXPECT_NE(m.body.find(R"("considered":1,"moved":1)"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find(R"("id":"NCT07334093")"), std::string::npos);
  EXPECT_NE(m.body.find(R"("fromVersion":1,"toVersion":2,"changed":["status","sites","criteria"])"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find(R"("verdict":{"before":"possibly_eligible","after":"not_eligible"},"moved":true)"), std::string::npos) << m.body;
  EXPECT_NE(m.body.find(R"("nextToken":")" + Field(Get("/api/v2/changes").body, "nextToken") + "\""), std::string::npos);
  // From the beginning every study is new; from the newest token nothing changed.
  HttpResponse all = Post("/api/match", {{"changedSince", "c0"}}, kPatient);
  ASSERT_EQ(all.http_status, 200) << all.body;
  EXPECT_NE(all.body.find(R"("considered":5)"), std::string::npos);
  EXPECT_NE(all.body.find(R"("before":null)"), std::string::npos);
  HttpResponse none = Post("/api/match", {{"changedSince", Field(m.body, "nextToken")}}, kPatient);
  EXPECT_NE(none.body.find(R"("considered":0,"moved":0,"studies":[])"), std::string::npos) << none.body;
  EXPECT_EQ(Post("/api/match", {{"changedSince", "soon"}}, kPatient).http_status, 400);
  EXPECT_EQ(Post("/api/match", {{"changedSince", seeded_}, {"query.cond", "anemia"}}, kPatient).http_status, 400);
  EXPECT_EQ(Post("/api/match", {{"changedSince", seeded_}}, "{not json").http_status, 400);
}

TEST(ChangeRoutesOffTest, WithoutAChangeLogTheRoutesAnswer404) {
  testing::TempDir dir;
  auto store = OpenSqliteStore(dir.Path("e.db"), ts::testing::TestClock());
  auto svc = SearchService::Build(**store);
  ASSERT_TRUE(svc.ok());
  FixedClock clock(PartialDate{2026, 11, 21});
  ApiHandler api(**svc, "2026-11-21", clock);
  EXPECT_EQ(api.Handle({"GET", "/api/v2/changes", {}, ""}).http_status, 404);
  EXPECT_EQ(api.Handle({"GET", "/api/v2/studies/NCT07334093/history", {}, ""}).http_status, 404);
}

}  // namespace
}  // namespace ts
