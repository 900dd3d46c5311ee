#include "text/word_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <unordered_map>

namespace ts {
namespace {

TEST(WordCacheTest, FindsWhatWasInsertedAndNothingElse) {
  WordCache cache;
  EXPECT_EQ(cache.Find("platelets", WordCache::Hash("platelets")), nullptr);
  WordCache::Entry* e = cache.Insert("platelets", "platelet", false, 7, WordCache::Hash("platelets"));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(cache.Word(*e), "platelets");
  EXPECT_EQ(cache.Term(*e), "platelet");
  const std::string too_long(WordCache::kMaxWordBytes + 1, 'x');
  EXPECT_EQ(cache.Insert(too_long, too_long, false, 0, WordCache::Hash(too_long)), nullptr);
  EXPECT_EQ(cache.Find(too_long, WordCache::Hash(too_long)), nullptr);
  cache.Insert("the", "the", true, 8, WordCache::Hash("the"));
  WordCache::Entry* p = cache.Find("platelets", WordCache::Hash("platelets"));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(cache.Term(*p), "platelet");
  EXPECT_EQ(p->memo, 7u);
  EXPECT_FALSE(p->stop());
  WordCache::Entry* t = cache.Find("the", WordCache::Hash("the"));
  ASSERT_NE(t, nullptr);
  EXPECT_TRUE(t->stop());
  EXPECT_EQ(cache.Find("platelet", WordCache::Hash("platelet")), nullptr);
  EXPECT_EQ(cache.Find("", WordCache::Hash("")), nullptr);
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.Find("the", WordCache::Hash("the")), nullptr);
}

// Many words, of every length up to 40, across several table growths, checked against a std map.
TEST(WordCacheTest, AgreesWithAMapThroughGrowth) {
  WordCache cache;
  std::unordered_map<std::string, uint32_t> ref;
  uint64_t x = 12345;
  auto next = [&] {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return x >> 33;
  };
  for (uint32_t i = 0; i < 50000; ++i) {
    std::string w(1 + next() % 40, 'a');
    for (char& c : w) c = static_cast<char>('a' + next() % 4);  // a small alphabet: many near-collisions
    const uint64_t h = WordCache::Hash(w);
    WordCache::Entry* e = cache.Find(w, h);
    auto it = ref.find(w);
    ASSERT_EQ(e != nullptr, it != ref.end()) << w;
    if (e) {
      EXPECT_EQ(e->memo, it->second);
      EXPECT_EQ(cache.Word(*e), w);
    } else {
      cache.Insert(w, w + "!", false, i, h);
      ref.emplace(w, i);
    }
  }
  EXPECT_EQ(cache.size(), ref.size());
  size_t seen = 0;
  cache.ForEach([&](const WordCache::Entry& e) {
    EXPECT_EQ(ref.at(std::string(cache.Word(e))), e.memo);
    ++seen;
  });
  EXPECT_EQ(seen, ref.size());
  for (const auto& [w, memo] : ref) {
    WordCache::Entry* e = cache.Find(w, WordCache::Hash(w));
    ASSERT_NE(e, nullptr) << w;
    EXPECT_EQ(e->memo, memo);
    EXPECT_EQ(cache.Term(*e), w + "!");
  }
}

TEST(WordCacheTest, HashDependsOnEveryByteAndTheLength) {
  const std::string base = "thrombocytopenia-associated";
  for (size_t i = 0; i < base.size(); ++i) {
    std::string changed = base;
    changed[i] ^= 1;
    EXPECT_NE(WordCache::Hash(changed), WordCache::Hash(base)) << i;
    EXPECT_NE(WordCache::Hash(std::string_view(base).substr(0, i)), WordCache::Hash(base)) << i;
  }
  EXPECT_NE(WordCache::Hash(std::string_view("a\0", 2)), WordCache::Hash("a"));
}

}  // namespace
}  // namespace ts
