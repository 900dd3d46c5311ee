#include "search/facets.h"

#include <gtest/gtest.h>

namespace ts {
namespace {

TEST(FacetsTest, TableNamesAndKinds) {
  EXPECT_EQ(FacetNames(), (std::vector<std::string>{"overallStatus", "phase", "studyType", "sex", "country",
                                                    "interventionType", "funderType", "condition", "intervention",
                                                    "hasResults"}));
  EXPECT_EQ(FindFacet("hasResults")->kind, FacetKind::kValues);
  ASSERT_NE(FindFacet("phase"), nullptr);
  EXPECT_EQ(FindFacet("phase")->kind, FacetKind::kEnumMask);
  EXPECT_EQ(FindFacet("country")->kind, FacetKind::kValues);
  EXPECT_EQ(FindFacet("bogus"), nullptr);
}

TEST(FacetsTest, CountsEnumsAndMasksSkippingUnset) {
  FacetCounter counter({"overallStatus", "phase", "overallStatus"});  // a repeat counts once
  EXPECT_TRUE(counter.reads_hot());
  HotAttrs a;
  a.status = static_cast<uint8_t>(OverallStatus::kRecruiting);
  a.phase_mask = (1u << static_cast<unsigned>(Phase::kPhase2)) | (1u << static_cast<unsigned>(Phase::kPhase3));
  HotAttrs b;  // no status
  b.phase_mask = 1u << static_cast<unsigned>(Phase::kPhase2);
  const DocAttrs doc;
  counter.Count(a, doc);
  counter.Count(b, doc);
  SearchIndex index;
  auto counts = counter.Counts(index);
  ASSERT_EQ(counts.size(), 2u);
  ASSERT_EQ(counts["overallStatus"].size(), 1u);
  EXPECT_EQ(counts["overallStatus"][0].value, "RECRUITING");
  EXPECT_EQ(counts["overallStatus"][0].count, 1);
  ASSERT_EQ(counts["phase"].size(), 2u);
  EXPECT_EQ(counts["phase"][0].value, "PHASE2");
  EXPECT_EQ(counts["phase"][0].count, 2);
  EXPECT_EQ(counts["phase"][1].value, "PHASE3");
}

TEST(FacetsTest, ValueFacetsReadNoHotAttrs) {
  EXPECT_FALSE(FacetCounter({"condition", "country"}).reads_hot());
  EXPECT_TRUE(FacetCounter({}).empty());
}

}  // namespace
}  // namespace ts
