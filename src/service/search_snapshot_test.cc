#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "service/importer.h"
#include "service/search_service.h"
#include "test_paths.h"
#include "test_clock.h"

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

// A store in `dir` with the seed trials and the legacy fixture.
std::unique_ptr<StudyStore> SeedStore(const testing::TempDir& dir) {
  auto store = std::move(*OpenSqliteStore(dir.Path("t.db"), ts::testing::TestClock()));
  EXPECT_TRUE(Importer(*store, {}).Run({testing::FixturePath("studies"), testing::FixturePath("legacy")}).ok());
  return store;
}

TEST(SearchSnapshotTest, RoundTripStaleAndCorrupt) {
  testing::TempDir dir;
  PosixFileSystem fs;
  auto store = SeedStore(dir);
  std::string note;
  auto built = SearchService::Open(*store, dir.Path("t.snapshot"), nullptr, fs, &note);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  EXPECT_TRUE(note.empty()) << note;
  int64_t gen = *store->DataGeneration();

  auto loaded = SearchService::LoadSnapshot(fs, dir.Path("t.snapshot"), gen, nullptr);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  for (Params p : {Params{{"query.intr", "Hitrepopar"}}, Params{{"query.term", "recombinant human thrombopoietin"}},
                   Params{{"filter.age", "78"}, {"facets", "all"}}, Params{{"query.cond", "\"aplastic anemia\""}}}) {
    EXPECT_EQ(Keys(**loaded, p), Keys(**built, p)) << p[0].second;
  }
  auto by_org_loaded = (*loaded)->studies().Find("2025-KLS-046-02");
  auto by_org_built = (*built)->studies().Find("2025-KLS-046-02");
  ASSERT_TRUE(by_org_loaded && by_org_built);
  EXPECT_EQ(by_org_loaded->key, by_org_built->key);
  EXPECT_EQ(by_org_loaded->json, by_org_built->json);
  auto rel_a = (*loaded)->Related("NCT07334093", 3);
  auto rel_b = (*built)->Related("NCT07334093", 3);
  ASSERT_TRUE(rel_a.ok() && rel_b.ok());
  EXPECT_EQ(rel_a->size(), rel_b->size());

  // A changed store makes the snapshot stale; Open rebuilds.
  auto stale = SearchService::LoadSnapshot(fs, dir.Path("t.snapshot"), gen + 1, nullptr);
  EXPECT_TRUE(stale.status().IsInvalidArgument()) << stale.status().ToString();

  // Truncations and flipped bytes are errors, never crashes.
  std::string bytes = testing::ReadFileOrDie(dir.Path("t.snapshot"));
  for (size_t cut : {size_t{3}, size_t{30}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 1}) {
    dir.Write("cut.snapshot", bytes.substr(0, cut));
    auto r = SearchService::LoadSnapshot(fs, dir.Path("cut.snapshot"), gen, nullptr);
    EXPECT_FALSE(r.ok()) << cut;
  }
}

// A damaged byte anywhere is detected (before the checksums, 3 of 12 damaged snapshots loaded silently), and
// Open rebuilds from the store with a warning, writing a good snapshot again.
TEST(SearchSnapshotTest, DamageAtAnyOffsetIsDetectedAndRebuilt) {
  testing::TempDir dir;
  PosixFileSystem fs;
  auto store = SeedStore(dir);
  std::string note;
  auto built = SearchService::Open(*store, dir.Path("t.snapshot"), nullptr, fs, &note);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  int64_t gen = *store->DataGeneration();
  const std::string bytes = testing::ReadFileOrDie(dir.Path("t.snapshot"));
  std::vector<size_t> offsets;
  for (size_t at = 0; at < 96; ++at) offsets.push_back(at);  // magic, version, header section, index section start
  for (size_t i = 1; i <= 200; ++i) offsets.push_back((i * 7919) % bytes.size());
  offsets.push_back(bytes.size() - 1);
  for (size_t at : offsets) {
    for (int flip : {0x01, 0x5A, 0x80}) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(static_cast<unsigned char>(damaged[at]) ^ flip);
      dir.Write("bad.snapshot", damaged);
      auto r = SearchService::LoadSnapshot(fs, dir.Path("bad.snapshot"), gen, nullptr);
      ASSERT_FALSE(r.ok()) << "damage at byte " << at << " of " << bytes.size() << " loaded silently";
      // The version field reads as another format (rebuilt all the same); everything else as damage.
      StatusCode want = at >= 4 && at < 8 ? StatusCode::kInvalidArgument : StatusCode::kCorruption;
      EXPECT_EQ(r.status().code(), want) << at << ": " << r.status().ToString();
    }
  }
  std::string damaged = bytes;
  damaged[bytes.size() / 2] = static_cast<char>(damaged[bytes.size() / 2] ^ 0x10);
  dir.Write("t.snapshot", damaged);
  note.clear();
  auto rebuilt = SearchService::Open(*store, dir.Path("t.snapshot"), nullptr, fs, &note);
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(note.rfind("warning: the search snapshot is damaged (" + dir.Path("t.snapshot") + ": checksum mismatch", 0), 0u)
      << note;
  EXPECT_EQ(Keys(**rebuilt, {{"query.term", "thrombocytopenia"}}), Keys(**built, {{"query.term", "thrombocytopenia"}}));
  EXPECT_TRUE(SearchService::LoadSnapshot(fs, dir.Path("t.snapshot"), gen, nullptr).ok()) << "a good snapshot is written again";
}

// Writers finishing together each use their own temporary file: none fails, none is left behind, and the
// snapshot that stays is whole.
TEST(SearchSnapshotTest, ConcurrentWritersNeverCollide) {
  testing::TempDir dir;
  PosixFileSystem fs;
  auto store = SeedStore(dir);
  auto svc = std::move(*SearchService::Build(*store));
  int64_t gen = *store->DataGeneration();
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&] {
      for (int i = 0; i < 10; ++i)
        if (!svc->SaveSnapshot(fs, dir.Path("s.snapshot"), gen).ok()) ++failures;
    });
  }
  for (auto& w : writers) w.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(SearchService::LoadSnapshot(fs, dir.Path("s.snapshot"), gen, nullptr).ok());
  std::vector<std::string> left;
  for (const auto& e : std::filesystem::directory_iterator(dir.Path()))
    if (e.path().filename().string().find(".tmp") != std::string::npos) left.push_back(e.path().string());
  EXPECT_TRUE(left.empty()) << left[0];
}

// Files in memory: what the snapshot code writes and maps, with writes that can be made to fail.
class MemoryFileSystem final : public FileSystem {
 public:
  class Contents final : public FileContents {
   public:
    explicit Contents(std::string bytes) : bytes_(std::move(bytes)) {}
    std::string_view data() const override { return bytes_; }

   private:
    std::string bytes_;
  };
  Result<std::shared_ptr<const FileContents>> Map(const std::string& path) const override {
    std::lock_guard<std::mutex> lock(mu);
    auto it = files.find(path);
    if (it == files.end()) return Status::NotFound("cannot open " + path);
    return std::shared_ptr<const FileContents>(std::make_shared<Contents>(it->second));
  }
  Status WriteAtomically(const std::string& path, std::string_view bytes) const override {
    std::lock_guard<std::mutex> lock(mu);
    if (fail_writes) return Status::IoError("cannot create " + path + ": No space left on device");
    files[path] = std::string(bytes);
    return Status::Ok();
  }
  mutable std::mutex mu;
  mutable std::map<std::string, std::string> files;
  bool fail_writes = false;
};

// The snapshot is read and written only through the FileSystem it is given; a failed write is a note,
// and the service built from the store still serves.
TEST(SearchSnapshotTest, UsesOnlyTheFileSystemItIsGiven) {
  testing::TempDir dir;
  auto store = SeedStore(dir);
  MemoryFileSystem fs;
  const std::string path = dir.Path("mem.snapshot");
  std::string note;
  auto built = SearchService::Open(*store, path, nullptr, fs, &note);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  EXPECT_TRUE(note.empty()) << note;
  ASSERT_EQ(fs.files.count(path), 1u);
  EXPECT_FALSE(std::filesystem::exists(path)) << "nothing written to disk";
  auto loaded = SearchService::LoadSnapshot(fs, path, *store->DataGeneration(), nullptr);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(Keys(**loaded, {{"query.intr", "Hitrepopar"}}), Keys(**built, {{"query.intr", "Hitrepopar"}}));

  fs.files.clear();
  fs.fail_writes = true;
  note.clear();
  auto unsaved = SearchService::Open(*store, path, nullptr, fs, &note);
  ASSERT_TRUE(unsaved.ok()) << unsaved.status().ToString();
  EXPECT_EQ(note, "search snapshot not saved: cannot create " + path + ": No space left on device");
  EXPECT_EQ(Keys(**unsaved, {{"query.intr", "Hitrepopar"}}), Keys(**built, {{"query.intr", "Hitrepopar"}}));
}

}  // namespace
}  // namespace ts

namespace ts {
namespace {

// A token from one index works on the next: studies imported between two pages neither repeat
// nor hide the studies of the first page, and the last page has no token.
TEST(SearchPagingTest, ConsistentAcrossAnImport) {
  testing::TempDir dir;
  auto store = std::move(*OpenSqliteStore(dir.Path("t.db"), ts::testing::TestClock()));
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
  relevance.request.page_token = relevance_page1->next_page_token;
  auto stale = after->Search(relevance);
  ASSERT_FALSE(stale.ok());
  EXPECT_NE(stale.status().message().find("the studies changed since this page was served"), std::string::npos);

  std::set<std::string> seen;
  for (const auto& h : page1->hits) seen.insert(h.key);
  std::string token = page1->next_page_token;
  int pages = 1;
  while (!token.empty()) {
    req.request.page_token = token;
    auto page = after->Search(req);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    ASSERT_FALSE(page->hits.empty()) << "a page after a token is never empty";
    for (const auto& h : page->hits) EXPECT_TRUE(seen.insert(h.key).second) << h.key << " repeated";
    token = page->next_page_token;
    ++pages;
  }
  // Every study of the old result set was seen once; the new one ranked before the cursor is not re-served.
  req.request.page_token.clear();
  req.request.page_size = 100;
  auto all_before = before->Search(req);
  for (const auto& h : all_before->hits) EXPECT_TRUE(seen.count(h.key)) << h.key << " skipped";
  EXPECT_GE(pages, 2);
}

// The engine checks a token in its own words; the service names the API parameter.
TEST(SearchPagingTest, EngineAndServiceWordTokenErrorsApart) {
  testing::TempDir dir;
  auto store = SeedStore(dir);
  auto svc = std::move(*SearchService::Build(*store));
  auto query = *ParseSearchParams({{"query.term", "thrombocytopenia OR anemia"}, {"pageSize", "2"}});
  const Searcher engine(svc->index(), &svc->aliases());
  EXPECT_EQ(engine.CheckPageToken(query.request), Searcher::TokenCheck::kNone);
  auto page1 = svc->Search(query);
  ASSERT_TRUE(page1.ok());
  query.request.page_token = page1->next_page_token;
  EXPECT_EQ(engine.CheckPageToken(query.request), Searcher::TokenCheck::kValid);
  query.request.page_token = "!!!";
  EXPECT_EQ(engine.CheckPageToken(query.request), Searcher::TokenCheck::kMalformed);
  auto raw = engine.Search(query.request);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.status().message().find("pageToken"), std::string::npos) << raw.status().message();
  auto served = svc->Search(query);
  ASSERT_FALSE(served.ok());
  EXPECT_EQ(served.status().message(), "pageToken is not valid for this query (start again without it)");
  // A bad query and a bad token: the query's error, as when the engine checked both.
  query.request.queries = {{"query.bogus", "x"}};
  auto both = svc->Search(query);
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.status().message().find("unknown search area"), std::string::npos) << both.status().message();
}

}  // namespace
}  // namespace ts
