// The "Changes" section of the trial page and the Atom feeds of searches (/search.atom).
#include <gtest/gtest.h>

#include "ingest/ctgov_json.h"
#include "service/importer.h"
#include "test_clock.h"
#include "test_paths.h"
#include "web/site.h"

namespace ts {
namespace {

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class ChangesPageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    store_ = std::move(*OpenSqliteStore(dir_->Path("t.db"), ts::testing::TestClock())).release();
    ASSERT_TRUE(Importer(*store_, {}).Run({testing::FixturePath("studies")}).ok());
    // A second version of NCT07334093: recruiting, inclusion 4 reworded, a site in Hangzhou (a name with <&>).
    Study s = store_->Get("NCT07334093")->study;
    s.status.overall_status = OverallStatus::kRecruiting;
    s.eligibility.criteria.replace(s.eligibility.criteria.find("PLT \\<50"), 8, "PLT \\<20");
    Location h;
    h.facility = "Zhejiang <Cancer> & Hospital";
    h.city = "Hangzhou";
    h.country = "China";
    s.locations.push_back(h);
    s.status.last_update_post_date.date = PartialDate{2026, 11, 30};
    ASSERT_EQ(*store_->Put({s, "ctgov-json", "v2.json", WriteStudyJson(s)}), PutOutcome::kUpdated);
    // A second version of NCT06964971 that changes only its title: no feed entry.
    Study t = store_->Get("NCT06964971")->study;
    t.identification.brief_title += " (renamed)";
    t.status.last_update_post_date.date = PartialDate{2026, 11, 30};
    ASSERT_EQ(*store_->Put({t, "ctgov-json", "v2.json", WriteStudyJson(t)}), PutOutcome::kUpdated);
    log_ = new ChangeLog(*store_);
    service_ = std::move(*SearchService::Build(*store_)).release();
    clock_ = new FixedClock(PartialDate{2026, 11, 21});
    site_ = new WebSite(*service_, nullptr, *clock_, {"2026-11-21"}, log_);
  }
  static void TearDownTestSuite() {
    delete site_;
    delete clock_;
    delete service_;
    delete log_;
    delete store_;
    delete dir_;
  }
  static HttpResponse Get(const std::string& path, Params params = {}) { return site_->Handle({"GET", path, std::move(params), ""}); }

  static testing::TempDir* dir_;
  static StudyStore* store_;
  static ChangeLog* log_;
  static SearchService* service_;
  static FixedClock* clock_;
  static WebSite* site_;
};
testing::TempDir* ChangesPageTest::dir_;
StudyStore* ChangesPageTest::store_;
ChangeLog* ChangesPageTest::log_;
SearchService* ChangesPageTest::service_;
FixedClock* ChangesPageTest::clock_;
WebSite* ChangesPageTest::site_;

TEST_F(ChangesPageTest, TheTrialPageSaysWhatChangedInEachVersionInWords) {
  HttpResponse p = Get("/study/NCT07334093");
  ASSERT_EQ(p.http_status, 200);
  EXPECT_NE(p.body.find("<a href=\"#changes\">Changes</a>"), std::string::npos);
  const size_t section = p.body.find("<section id=\"changes\"");
  ASSERT_NE(section, std::string::npos);
  const std::string changes = p.body.substr(section, p.body.find("</section>", section) - section);
  EXPECT_NE(changes.find("<strong>Version 2</strong> (current)"), std::string::npos) << changes;
  EXPECT_NE(changes.find("<li>Status: Not yet recruiting → Recruiting</li>"), std::string::npos) << changes;
  EXPECT_NE(changes.find("<li>Inclusion 4 changed</li>"), std::string::npos) << changes;
  EXPECT_NE(changes.find("<li>Site added: Hangzhou</li>"), std::string::npos) << changes;
  EXPECT_NE(changes.find("<li>New study</li>"), std::string::npos) << changes;
  EXPECT_LT(changes.find("Version 2"), changes.find("Version 1"));  // newest first
}

TEST_F(ChangesPageTest, ASearchAsAnAtomFeedHasAnEntryPerRelevantChangeOfItsStudies) {
  HttpResponse f = Get("/search.atom", {{"query.intr", "hetrombopag"}, {"pageSize", "3"}, {"start", "10"}});
  ASSERT_EQ(f.http_status, 200) << f.body;
  EXPECT_EQ(f.content_type, "application/atom+xml; charset=utf-8");
  EXPECT_EQ(f.body.rfind("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">", 0), 0u);
  EXPECT_NE(f.body.find("<id>tag:trialscope,2026:study/NCT07334093/version/2</id>"), std::string::npos) << f.body;
  EXPECT_NE(f.body.find("<category term=\"status\"/>"), std::string::npos);
  EXPECT_NE(f.body.find("Status: Not yet recruiting → Recruiting; Inclusion 4 changed; Site added: Hangzhou"), std::string::npos);
  EXPECT_NE(f.body.find("<link rel=\"self\" type=\"application/atom+xml\" href=\"/search.atom?query.intr=hetrombopag\"/>"),
            std::string::npos) << f.body;  // what pages a result is no part of a feed
  EXPECT_EQ(f.body.find("NCT06964971"), std::string::npos);  // luspatercept does not match
  // Every study of the seed is new; the renamed one has no entry for its renaming.
  HttpResponse all = Get("/search.atom");
  ASSERT_EQ(all.http_status, 200);
  EXPECT_EQ(Count(all.body, "<entry>"), 6u) << all.body;  // five new studies and one relevant update
  EXPECT_EQ(all.body.find("NCT06964971/version/2"), std::string::npos);
  EXPECT_EQ(all.body.find("<Cancer>"), std::string::npos);
  HttpResponse none = Get("/search.atom", {{"query.cond", "influenza"}});
  ASSERT_EQ(none.http_status, 200);
  EXPECT_EQ(Count(none.body, "<entry>"), 0u);
  EXPECT_NE(none.body.find("<updated>2026-11-21T00:00:00Z</updated>"), std::string::npos);
  HttpResponse bad = Get("/search.atom", {{"filter.phase", "PHASE9"}});
  EXPECT_EQ(bad.http_status, 400);
}

TEST(AtomFeedTest, ManyRecentChangesAreMatchedInChunksAndTheFeedKeepsTheNewest50) {
  testing::TempDir dir;
  auto store = OpenSqliteStore(dir.Path("many.db"), ts::testing::TestClock());
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->BeginBatch().ok());
  for (int i = 0; i < 360; ++i) {  // 360 IDs of 12 bytes: more than one filter.ids value (4,000 bytes) holds
    Study s;
    s.identification.nct_id = "NCT0" + std::to_string(1000000 + i);
    s.identification.brief_title = i % 2 ? "Aplastic anemia study" : "Influenza study";
    s.conditions = {i % 2 ? "Aplastic Anemia" : "Influenza"};
    ASSERT_TRUE((*store)->Put({s, "ctgov-json", "gen", WriteStudyJson(s)}).ok());
  }
  ASSERT_TRUE((*store)->CommitBatch().ok());
  ChangeLog log(**store);
  auto svc = SearchService::Build(**store);
  ASSERT_TRUE(svc.ok());
  FixedClock clock(PartialDate{2026, 11, 21});
  WebSite site(**svc, nullptr, clock, {"2026-11-21"}, &log);
  HttpResponse f = site.Handle({"GET", "/search.atom", {{"query.cond", "aplastic anemia"}}, ""});
  ASSERT_EQ(f.http_status, 200) << f.body.substr(0, 300);
  EXPECT_EQ(Count(f.body, "<entry>"), 50u);
  EXPECT_EQ(Count(f.body, "Influenza"), 0u);
  EXPECT_NE(f.body.find("study/NCT01000359/version/1"), std::string::npos);  // the newest first
  HttpResponse mine = site.Handle({"GET", "/search.atom", {{"filter.ids", "nct01000359,NCT01000358,NCT01000300"}}, ""});
  ASSERT_EQ(mine.http_status, 200);
  EXPECT_EQ(Count(mine.body, "<entry>"), 3u) << mine.body;
}

}  // namespace
}  // namespace ts
