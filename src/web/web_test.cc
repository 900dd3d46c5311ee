#include <gtest/gtest.h>

#include <regex>

#include "service/importer.h"
#include "test_paths.h"
#include "web/html.h"
#include "web/plain_language.h"
#include "web/site.h"
#include "test_clock.h"

namespace ts {
namespace {

TEST(Html, EscapesEveryValueAndUndoesMarkdownEscapes) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  HtmlWriter h;
  h << Markup("<p>") << std::string("PLT \\<30 & <script>") << Markup("</p>");
  EXPECT_EQ(h.str(), "<p>PLT \\&lt;30 &amp; &lt;script&gt;</p>");  // plain values are escaped as they are
  HtmlWriter r;
  r.RichText("Platelets \\<30 \\& ALT \\>2\n\n* one \\<b\\>\n* two\n1. first\n2. second");
  EXPECT_EQ(r.str(),
            "<p>Platelets &lt;30 &amp; ALT &gt;2</p>\n<ul><li>one &lt;b&gt;</li><li>two</li></ul>\n"
            "<ol><li>first</li><li>second</li></ol>\n");
}

TEST(Html, UrlsRoundTrip) {
  EXPECT_EQ(UrlFor("/search", {{"query.cond", "aplastic anemia"}, {"near", ""}, {"x", "a&b=<c>"}}),
            "/search?query.cond=aplastic%20anemia&x=a%26b%3D%3Cc%3E");
  EXPECT_EQ(UrlDecode("a%26b%3D%3Cc%3E+d%zz"), "a&b=<c> d%zz");
}

TEST(PlainLanguage, UnitsDurationsDates) {
  EXPECT_EQ(PlainUnit("10*9/L"), "\xC3\x97" "10\xE2\x81\xB9/L");
  EXPECT_EQ(PlainDuration({1, "mo"}), "1 month");
  EXPECT_EQ(PlainDuration({12, "wk"}), "12 weeks");
  EXPECT_EQ(PlainDate(*PartialDate::Parse("2026-01-31")), "31 January 2026");
  EXPECT_EQ(PlainDate(*PartialDate::Parse("2026-05")), "May 2026");
}

TEST(PlainLanguage, RulesReadAsPhrases) {
  auto concepts = ConceptTable::Builtin();
  ASSERT_TRUE(concepts.ok());
  EXPECT_EQ(PlainRule(Rule::Lab("platelets", Comparator::kLt, 30, "10*9/L"), *concepts),
            "has a platelet count below 30\xC3\x97" "10\xE2\x81\xB9/L");
  EXPECT_EQ(PlainRule(Rule::LabMultiple("alt", Comparator::kLt, 2, LimitBase::kUln), *concepts),
            "has an ALT below 2 \xC3\x97 the upper limit of normal");
  EXPECT_EQ(PlainRule(Rule::Concept(RuleKind::kTherapy, "tpo_ra", TimeScope::kWithin, Duration{1, "mo"}), *concepts),
            "has received thrombopoietin receptor agonist in the last 1 month");
  EXPECT_EQ(PlainRule(Rule::Not(Rule::Any({Rule::Simple(RuleKind::kPregnant), Rule::Simple(RuleKind::kBreastfeeding)})), *concepts),
            "is not pregnant and is not breastfeeding");
  EXPECT_EQ(PlainRule(Rule::NotComputable("judgement"), *concepts), "");
}

class SiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    store_ = std::move(*OpenSqliteStore(dir_->Path("t.db"), ts::testing::TestClock())).release();
    auto sum = Importer(*store_, {}).Run({testing::FixturePath("studies"), testing::FixturePath("legacy"),
                                          testing::FixturePath("hostile"), testing::FixturePath("results")});
    ASSERT_TRUE(sum.ok());
    service_ = std::move(*SearchService::Build(*store_)).release();
    screening_ = std::move(*ScreeningService::Build(*service_)).release();
    clock_ = new FixedClock(PartialDate{2026, 11, 22});
    site_ = new WebSite(*service_, screening_, *clock_, {"2026-11-22"});
  }
  static void TearDownTestSuite() {
    delete site_;
    delete clock_;
    delete screening_;
    delete service_;
    delete store_;
    delete dir_;
  }
  static HttpResponse Get(const std::string& path, Params params = {}) { return site_->Handle({"GET", path, std::move(params), ""}); }

  static testing::TempDir* dir_;
  static StudyStore* store_;
  static SearchService* service_;
  static ScreeningService* screening_;
  static WebSite* site_;
  static FixedClock* clock_;
};
testing::TempDir* SiteTest::dir_;
StudyStore* SiteTest::store_;
SearchService* SiteTest::service_;
ScreeningService* SiteTest::screening_;
WebSite* SiteTest::site_;
FixedClock* SiteTest::clock_;

std::string Header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

TEST_F(SiteTest, HomeAndAssets) {
  HttpResponse r = Get("/");
  ASSERT_EQ(r.http_status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(Header(r, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_NE(r.body.find("name=\"query.cond\""), std::string::npos);
  EXPECT_EQ(Get("/static/site.css").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(Get("/nope").http_status, 404);
  EXPECT_EQ(Get("/study/NCT00000000").http_status, 404);
}

TEST_F(SiteTest, SearchShowsAliasMatchesFacetsAndPages) {
  HttpResponse r = Get("/search", {{"query.intr", "herombopag"}, {"pageSize", "2"}});
  ASSERT_EQ(r.http_status, 200) << r.body;
  EXPECT_NE(r.body.find("trials</h2>"), std::string::npos);
  EXPECT_NE(r.body.find("(alias of"), std::string::npos);   // hetrombopag found through herombopag
  EXPECT_NE(r.body.find("data-facet=\"overallStatus\""), std::string::npos);
  EXPECT_NE(r.body.find("rel=\"next\""), std::string::npos);
  // A malformed query is a page with the error, not a crash.
  HttpResponse bad = Get("/search", {{"query.term", "(herombopag"}});
  EXPECT_EQ(bad.http_status, 400);
  EXPECT_NE(bad.body.find("role=\"alert\""), std::string::npos);
  // Repeated checkbox values become one filter.
  HttpResponse two = Get("/search", {{"filter.overallStatus", "RECRUITING"}, {"filter.overallStatus", "NOT_YET_RECRUITING"}});
  EXPECT_EQ(two.http_status, 200) << two.body;
}

TEST_F(SiteTest, HostileQueryStringsGetAPageNotACrash) {
  const Params hostile[] = {
      {{"pageSize", "100000000"}},
      {{"pageToken", "not-a-token"}},
      {{"query.term", std::string(5000, 'a')}},
      {{"query.term", "\xff\xfe<script>"}},
      {{"query.term", std::string(300, '(')}},
      {{"filter.overallStatus", "<b>"}},
      {{"near", "Nowhere-at-all-xyz"}},
      {{"sort", "@distance:sideways"}},
      {{"start", "-7"}},
      {{"unknown", "1"}},
  };
  for (const Params& p : hostile) {
    HttpResponse r = Get("/search", p);
    EXPECT_TRUE(r.http_status == 200 || r.http_status == 400) << p[0].first << " -> " << r.http_status;
    EXPECT_EQ(r.body.find("<script>"), std::string::npos) << p[0].first;
    EXPECT_NE(r.body.find("</html>"), std::string::npos) << p[0].first;  // a whole page
  }
  EXPECT_EQ(Get("/search", {{"unknown", "1"}}).http_status, 400);
  EXPECT_EQ(Get("/locations/%3Cscript%3E").http_status, 404);
  EXPECT_EQ(site_->Handle({"DELETE", "/", {}, ""}).http_status, 405);
}

TEST_F(SiteTest, TrialPageHasEverySection) {
  for (const char* id : {"NCT07334093", "NCT05236582", "NCT06898983", "NCT06964971"}) {
    HttpResponse r = Get(std::string("/study/") + id);
    ASSERT_EQ(r.http_status, 200) << id;
    for (const char* section : {"facts", "summary", "conditions", "design", "groups", "interventions", "plan", "outcomes", "eligibility",
                                "sponsors", "contacts", "locations", "identifiers", "related"}) {
      EXPECT_NE(r.body.find(std::string("<section id=\"") + section + "\""), std::string::npos) << id << " " << section;
    }
    EXPECT_NE(r.body.find("Inclusion criteria"), std::string::npos) << id;
  }
}

TEST_F(SiteTest, TrialPageShowsWhatHappens) {
  HttpResponse r = Get("/study/NCT07334093");
  ASSERT_EQ(r.http_status, 200);
  EXPECT_NE(r.body.find("What happens in this trial"), std::string::npos);
  EXPECT_NE(r.body.find("<svg class=\"dose-strip\""), std::string::npos);
  EXPECT_NE(r.body.find("14 dose days"), std::string::npos) << "rhTPO daily for up to 14 days";
  EXPECT_NE(r.body.find("Stop all study drugs when platelet count is at or above 100 ×10⁹/L, or platelet count has risen from "
                        "the start by at least 50 ×10⁹/L."), std::string::npos);
  EXPECT_NE(r.body.find("Give rescue treatment (platelet transfusion or investigator-chosen alternative) when platelet count "
                        "is at or below 10 ×10⁹/L, or platelet count is below 20 ×10⁹/L and there is a bleeding risk."),
            std::string::npos);
  HttpResponse romi = Get("/study/NCT06898983");
  EXPECT_NE(romi.body.find("8 dose days"), std::string::npos) << "at most 8 weekly doses";
  EXPECT_NE(romi.body.find("never more than 250 ug at once"), std::string::npos);
  HttpResponse none = Get("/study/NCT05236582");
  EXPECT_NE(none.body.find("does not describe the treatment in words trialscope can read"), std::string::npos);
  // A dose that depends on a lab says when (the page had dropped the deferasirox conditions).
  HttpResponse lusp = Get("/study/NCT06964971");
  EXPECT_NE(lusp.body.find("8-10 mg/kg/day when platelet count is below 50 ×10⁹/L"), std::string::npos) << lusp.body;
}

TEST_F(SiteTest, TimelineAndCohortPages) {
  EXPECT_NE(Get("/study/NCT07334093").body.find("href=\"/study/NCT07334093/timeline\""), std::string::npos);
  HttpResponse form = Get("/study/NCT07334093/timeline");
  ASSERT_EQ(form.http_status, 200);
  EXPECT_NE(form.body.find("<option value=\"Experimental arm\">"), std::string::npos) << form.body;
  // Baseline 20, then 72 on day 7 (a rise of 52): both drugs stop that day and the endpoint is met.
  HttpResponse t = site_->Handle({"POST", "/study/NCT07334093/timeline", {},
                                  "form=timeline&arm=Experimental+arm&start=2026-01-05&labs=2026-01-05+platelets+20+10*9%2FL%0D%0A"
                                  "2026-01-11+platelets+72+10*9%2FL"});
  ASSERT_EQ(t.http_status, 200);
  EXPECT_NE(t.body.find("<strong>Primary endpoint:</strong> met on 2026-01-11"), std::string::npos) << t.body;
  EXPECT_NE(t.body.find("2026-01-11 (day 7) <strong>stop</strong>"), std::string::npos) << t.body;
  EXPECT_NE(t.body.find("<td>2026-01-05</td><td>1</td><td>rhTPO</td><td>15000 IU/day"), std::string::npos) << t.body;
  // A bad line is named; an impossible weight is refused; an unknown study is a 404.
  HttpResponse bad = site_->Handle({"POST", "/study/NCT07334093/timeline", {}, "form=timeline&arm=Experimental+arm&start=2026-01-05&labs=platelets+lots"});
  EXPECT_NE(bad.body.find("lab results, line 1: expected DATE TEST VALUE UNIT"), std::string::npos) << bad.body;
  HttpResponse heavy = site_->Handle({"POST", "/study/NCT06898983/timeline", {}, "form=timeline&arm=Romiplostim+N01&start=2026-01-05&weight=900"});
  EXPECT_NE(heavy.body.find("body weight 900 kg is not possible"), std::string::npos) << heavy.body;
  HttpResponse capped = site_->Handle({"POST", "/study/NCT06898983/timeline", {}, "form=timeline&arm=Romiplostim+N01&start=2026-01-05&weight=60"});
  EXPECT_NE(capped.body.find("250 ug (capped)"), std::string::npos) << capped.body;
  EXPECT_EQ(Get("/study/NCT00000000/timeline").http_status, 404);

  std::string cohort = "form=cohort&subjects=" + UrlEncode(R"({"id": "e1", "arm": "Experimental arm", "start": "2026-01-05", "patient": {"labs": [{"code": "platelets", "value": 20, "unit": "10*9/L", "date": "2026-01-05"}, {"code": "platelets", "value": 72, "unit": "10*9/L", "date": "2026-01-11"}]}})");
  HttpResponse c = site_->Handle({"POST", "/study/NCT07334093/cohort", {}, cohort});
  ASSERT_EQ(c.http_status, 200);
  EXPECT_NE(c.body.find("<td>Experimental arm</td><td>Primary endpoint</td><td>1</td><td>0</td><td>0</td><td>100% (2.5"), std::string::npos) << c.body;
  HttpResponse broken = site_->Handle({"POST", "/study/NCT07334093/cohort", {}, "form=cohort&subjects=%7B"});
  EXPECT_NE(broken.body.find("the subjects box:1: "), std::string::npos) << broken.body;
  HttpResponse r = Get("/study/NCT07334093/cohort", {{"form", "randomise"}, {"blocks", "4"}, {"per_stratum", "8"}, {"seed", "7"}});
  EXPECT_NE(r.body.find("Every completed block holds the ratio."), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<td>all</td><td>8</td><td>2</td><td>4</td>"), std::string::npos) << r.body;
  HttpResponse big = Get("/study/NCT07334093/cohort", {{"form", "randomise"}, {"blocks", "4"}, {"per_stratum", "5000"}});
  EXPECT_NE(big.body.find("at most 2000 over all strata"), std::string::npos) << big.body;
  EXPECT_NE(Get("/study/NCT06898983/cohort").body.find("The record states no randomisation ratio."), std::string::npos);
}

TEST_F(SiteTest, TrialPageShowsPostedResults) {
  HttpResponse r = Get("/study/NCT09999991");
  ASSERT_EQ(r.http_status, 200);
  const std::string& b = r.body;
  size_t at = b.find("id=\"results\"");
  ASSERT_NE(at, std::string::npos);
  std::string section = b.substr(at, b.find("id=\"eligibility\"") - at);
  for (const char* want : {"What the trial found", "Drug A &lt;5 mg&gt;: 12 of 20 participants (60%)",
                           "Placebo: 5 of 21 participants (24%)", "p = 0.03", "<h3>Participant flow</h3>",
                           "<th>Left: Adverse Event</th><td>2</td><td>4</td>", "54.2 (11.3)",
                           "<svg class=\"chart\"", "<svg class=\"flow\"", "Not posted yet (expected 2026-09)",
                           "<th>Thrombosis</th><td>Vascular disorders</td><td>1 / 20</td><td>0 / 21</td>",
                           "1 of 20 had a serious adverse event", "Limitations and caveats:</strong> Small sample.",
                           "<a href=\"https://cdn.clinicaltrials.gov/large-docs/91/NCT09999991/Prot_SAP_000.pdf\">Study Protocol "
                           "and Statistical Analysis Plan</a> <small>(protocol, statistical analysis plan; dated 2024-01-15; 278 KB)",
                           ">Informed consent form</a>"}) {
    EXPECT_NE(section.find(want), std::string::npos) << "missing " << want;
  }
  EXPECT_EQ(section.find("<5 mg>"), std::string::npos) << "a group title must be escaped";
  // The plain-language page says what the trial found, each sentence with its field.
  HttpResponse plain = Get("/study/NCT09999991/plain");
  ASSERT_EQ(plain.http_status, 200);
  EXPECT_NE(plain.body.find("Drug A &lt;5 mg&gt;: 12 of 20 participants (60%); Placebo: 5 of 21 participants (24%)"),
            std::string::npos);
  EXPECT_NE(plain.body.find("resultsSection.outcomeMeasuresModule.outcomeMeasures[0]"), std::string::npos);
  EXPECT_NE(plain.body.find("Serious side effects or other serious medical events were reported in 1 of 20 in Drug A"),
            std::string::npos);
  EXPECT_NE(Get("/study/NCT07334093/plain").body.find("The trial has not posted results in this record."), std::string::npos);
  // "How similar studies have performed": related trials with posted results, linked, with their findings.
  size_t similar = plain.body.find("<section id=\"similar\">");
  ASSERT_NE(similar, std::string::npos);
  std::string section_similar = plain.body.substr(similar, plain.body.find("</section>", similar) - similar);
  EXPECT_NE(section_similar.find("href=\"/study/NCT09999992/plain\""), std::string::npos) << section_similar;
  EXPECT_NE(section_similar.find("their results are not this trial"), std::string::npos);
  EXPECT_NE(section_similar.find("resultsSection.outcomeMeasuresModule.outcomeMeasures[0]"), std::string::npos);
  EXPECT_EQ(section.find("Results pending"), std::string::npos);
}

TEST_F(SiteTest, PlainLanguagePageTracesEverySentence) {
  HttpResponse r = Get("/study/NCT05236582/plain");
  ASSERT_EQ(r.http_status, 200);
  for (const char* part : {"What this trial studies", "Who should consider this trial", "Good fit", "Not a fit", "How to participate"})
    EXPECT_NE(r.body.find(part), std::string::npos) << part;
  // Every sentence carries its source field.
  std::regex li("<li><span data-source=\"protocolSection\\.[^\"]+\"");
  auto n = std::distance(std::sregex_iterator(r.body.begin(), r.body.end(), li), std::sregex_iterator());
  EXPECT_GE(n, 8);
  EXPECT_NE(r.body.find("Testing Herombopag for Chemotherapy-induced Thrombocytopenia"), std::string::npos);
  EXPECT_NE(r.body.find("has a platelet count below 30"), std::string::npos);  // the typed part of inclusion 4
  EXPECT_NE(r.body.find("has an ALT below 1.5 \xC3\x97 the upper limit of normal"), std::string::npos);
}

TEST_F(SiteTest, CheckFormRoundTrip) {
  HttpResponse form = Get("/study/NCT05236582/check");
  ASSERT_EQ(form.http_status, 200);
  EXPECT_NE(form.body.find("name=\"lab.platelets\""), std::string::npos);
  HttpResponse r = site_->Handle({"POST", "/study/NCT05236582/check", {{"form", "check"}, {"age", "45"}, {"lab.platelets", "80"}}, ""});
  ASSERT_EQ(r.http_status, 200);
  EXPECT_NE(r.body.find("You probably do not qualify"), std::string::npos);  // PLT must be < 30
  HttpResponse body = site_->Handle({"POST", "/study/NCT05236582/check", {}, "form=check&age=45&lab.platelets=abc"});
  // A pasted note: the facts read are marked in the text before the verdict; a binary note is an error on the page.
  HttpResponse note = site_->Handle({"POST", "/study/NCT05236582/check", {},
                                     "form=note&note=0.+A+62-year-old+man.%0A1.+He+denies+diabetes.+Platelets+22%2C000%2FuL."});
  EXPECT_EQ(note.http_status, 200);
  EXPECT_NE(note.body.find("What we read in your note"), std::string::npos) << note.body;
  EXPECT_NE(note.body.find(R"(<mark class="fact negated" title="condition, negated">diabetes</mark>)"), std::string::npos) << note.body;
  EXPECT_LT(note.body.find("What we read in your note"), note.body.find("class=\"verdict "));
  HttpResponse bad_note = site_->Handle({"POST", "/study/NCT05236582/check", {}, "form=note&note=%01%02"});
  EXPECT_NE(bad_note.body.find("Please check your note"), std::string::npos);
  EXPECT_NE(body.body.find("is not a number"), std::string::npos);
}

TEST_F(SiteTest, LocationsBrowseByCountryThenCity) {
  HttpResponse r = Get("/locations");
  ASSERT_EQ(r.http_status, 200);
  EXPECT_NE(r.body.find("href=\"/locations/China\""), std::string::npos);
  HttpResponse c = Get("/locations/China");
  ASSERT_EQ(c.http_status, 200);
  EXPECT_NE(c.body.find("filter.city=Tianjin"), std::string::npos);
}

TEST_F(SiteTest, HostileRecordIsInertEverywhere) {
  for (const std::string& path : {std::string("/study/NCT09999999"), std::string("/study/NCT09999999/plain"),
                                   std::string("/study/NCT09999999/check"), std::string("/search?query.term=hetrombopag"),
                                   std::string("/locations/China")}) {
    size_t q = path.find('?');
    Params params;
    if (q != std::string::npos) params.emplace_back("query.term", "hetrombopag");
    HttpResponse r = Get(path.substr(0, q), params);
    ASSERT_EQ(r.http_status, 200) << path;
    // Our only script tag is the site's own file; no record text became markup.
    std::regex tag("<(script|img|svg|iframe|b)[\\s>]", std::regex::icase);
    std::string body = r.body;
    std::string own = "<script src=\"/static/site.js\" defer></script>";
    body.erase(body.find(own), own.size());
    // The day strips of "What happens in this trial" are our own SVG (protocol_html.cc).
    for (size_t at; (at = body.find("<svg class=\"dose-strip\"")) != std::string::npos;) body.erase(at, 4);
    EXPECT_FALSE(std::regex_search(body, tag)) << path;
    EXPECT_EQ(body.find("onerror=\""), std::string::npos) << path;
    EXPECT_EQ(body.find("href=\"javascript:"), std::string::npos) << path;
  }
  HttpResponse r = Get("/study/NCT09999999");
  EXPECT_NE(r.body.find("&lt;script&gt;window.__pwned"), std::string::npos);  // shown as text
}

}  // namespace
}  // namespace ts
