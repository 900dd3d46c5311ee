#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "service/importer.h"
#include "service/search_service.h"
#include "test_paths.h"

namespace ts {
namespace {

std::string Keys(const SearchService& svc, Params params) {
  auto req = ParseSearchParams(params);
  EXPECT_TRUE(req.ok());
  auto res = svc.Search(*req);
  EXPECT_TRUE(res.ok()) << res.status().ToString();
  std::string out = std::to_string(res->total) + ":";
  for (const auto& h : res->hits) {
    out += " " + h.key;
    for (const auto& m : h.matches) out += "/" + m.matched;
  }
  return out;
}

TEST(SearchSnapshotTest, RoundTripStaleAndCorrupt) {
  testing::TempDir dir;
  auto store = std::move(*OpenSqliteStore(dir.Path("t.db")));
  ASSERT_TRUE(Importer(*store, {}).Run({testing::FixturePath("studies"), testing::FixturePath("legacy")}).ok());
  std::string note;
  auto built = SearchService::Open(*store, dir.Path("t.snapshot"), nullptr, &note);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  EXPECT_TRUE(note.empty()) << note;
  int64_t gen = *store->DataGeneration();

  auto loaded = SearchService::LoadSnapshot(dir.Path("t.snapshot"), gen, nullptr);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  for (Params p : {Params{{"query.intr", "Hitrepopar"}}, Params{{"query.term", "recombinant human thrombopoietin"}},
                   Params{{"filter.age", "78"}, {"facets", "all"}}, Params{{"query.cond", "\"aplastic anemia\""}}}) {
    EXPECT_EQ(Keys(**loaded, p), Keys(**built, p)) << p[0].second;
  }
  EXPECT_EQ((*loaded)->FindStudy("2025-KLS-046-02"), (*built)->FindStudy("2025-KLS-046-02"));
  auto rel_a = (*loaded)->Related("NCT07334093", 3);
  auto rel_b = (*built)->Related("NCT07334093", 3);
  ASSERT_TRUE(rel_a.ok() && rel_b.ok());
  EXPECT_EQ(rel_a->size(), rel_b->size());

  // A changed store makes the snapshot stale; Open rebuilds.
  auto stale = SearchService::LoadSnapshot(dir.Path("t.snapshot"), gen + 1, nullptr);
  EXPECT_TRUE(stale.status().IsInvalidArgument()) << stale.status().ToString();

  // Truncations and flipped bytes are errors, never crashes.
  std::string bytes = testing::ReadFileOrDie(dir.Path("t.snapshot"));
  for (size_t cut : {size_t{3}, size_t{30}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 1}) {
    dir.Write("cut.snapshot", bytes.substr(0, cut));
    auto r = SearchService::LoadSnapshot(dir.Path("cut.snapshot"), gen, nullptr);
    EXPECT_FALSE(r.ok()) << cut;
  }
  for (size_t i = 1; i <= 40; ++i) {
    std::string damaged = bytes;
    size_t at = 21 + (i * 7919) % (bytes.size() - 21);
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5A);
    dir.Write("bad.snapshot", damaged);
    auto r = SearchService::LoadSnapshot(dir.Path("bad.snapshot"), gen, nullptr);
    if (r.ok()) (void)Keys(**r, {{"query.term", "thrombocytopenia"}, {"facets", "all"}});  // must not crash either
  }
}

}  // namespace
}  // namespace ts

namespace ts {
namespace {

// A token from one index works on the next: studies imported between two pages neither repeat
// nor hide the studies of the first page, and the last page has no token.
TEST(SearchPagingTest, ConsistentAcrossAnImport) {
  testing::TempDir dir;
  auto store = std::move(*OpenSqliteStore(dir.Path("t.db")));
  ASSERT_TRUE(Importer(*store, {}).Run({testing::FixturePath("studies"), testing::FixturePath("legacy")}).ok());
  auto before = std::move(*SearchService::Build(*store));
  auto req = *ParseSearchParams({{"query.term", "thrombocytopenia OR anemia"}, {"pageSize", "2"},
                                 {"sort", "LastUpdatePostDate:desc"}});
  auto relevance = *ParseSearchParams({{"query.term", "thrombocytopenia OR anemia"}, {"pageSize", "2"}});
  auto relevance_page1 = before->Search(relevance);
  ASSERT_TRUE(relevance_page1.ok());
  auto page1 = before->Search(req);
  ASSERT_TRUE(page1.ok());
  ASSERT_FALSE(page1->next_page_token.empty());

  // An import lands: a new study that would rank first, and the index is rebuilt.
  dir.Write("new/x.json", R"({"protocolSection":{"identificationModule":{"nctId":"NCT09999999",
      "briefTitle":"Thrombocytopenia thrombocytopenia anemia anemia"},"conditionsModule":{"conditions":["Thrombocytopenia","Anemia"]}}})");
  ASSERT_TRUE(Importer(*store, {}).Run({dir.Path("new")}).ok());
  auto after = std::move(*SearchService::Build(*store));

  // A relevance cursor cannot survive changed corpus statistics: a clear error, never a silent repeat.
  relevance.page_token = relevance_page1->next_page_token;
  auto stale = after->Search(relevance);
  ASSERT_FALSE(stale.ok());
  EXPECT_NE(stale.status().message().find("the studies changed since this page was served"), std::string::npos);

  std::set<std::string> seen;
  for (const auto& h : page1->hits) seen.insert(h.key);
  std::string token = page1->next_page_token;
  int pages = 1;
  while (!token.empty()) {
    req.page_token = token;
    auto page = after->Search(req);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ASSERT_FALSE(page->hits.empty()) << "a page after a token is never empty";
    for (const auto& h : page->hits) EXPECT_TRUE(seen.insert(h.key).second) << h.key << " repeated";
    token = page->next_page_token;
    ++pages;
  }
  // Every study of the old result set was seen once; the new one ranked before the cursor is not re-served.
  req.page_token.clear();
  req.page_size = 100;
  auto all_before = before->Search(req);
  for (const auto& h : all_before->hits) EXPECT_TRUE(seen.count(h.key)) << h.key << " skipped";
  EXPECT_GE(pages, 2);
}

}  // namespace
}  // namespace ts
