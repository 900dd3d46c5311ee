#include "common/date.h"

#include <gtest/gtest.h>

namespace ts {
namespace {

TEST(PartialDateTest, ParsesIsoAndLegacyForms) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"2026", "2026"},           {"2026-01", "2026-01"},           {"2026-01-31", "2026-01-31"},
      {"January 2005", "2005-01"}, {"March 15, 2005", "2005-03-15"}, {" Sept 3, 2010 ", "2010-09-03"},
      {"2024-02-29", "2024-02-29"},
  };
  for (const auto& c : cases) {
    auto d = PartialDate::Parse(c.in);
    ASSERT_TRUE(d.ok()) << c.in << ": " << d.status().ToString();
    EXPECT_EQ(d->ToString(), c.out) << c.in;
  }
}

TEST(PartialDateTest, RejectsJunkWithTheText) {
  for (const char* bad : {"", "2026-13", "2023-02-29", "Smarch 2005", "20260101", "2026-1-1", "12 2005", "x"}) {
    auto d = PartialDate::Parse(bad);
    EXPECT_FALSE(d.ok()) << bad;
  }
  EXPECT_NE(PartialDate::Parse("2026-13").status().message().find("2026-13"), std::string::npos);
}

TEST(PartialDateTest, OrdersAndConvertsToDays) {
  auto a = *PartialDate::Parse("2026-01");
  auto b = *PartialDate::Parse("2026-01-12");
  EXPECT_LT(a, b);
  EXPECT_EQ(PartialDate::Parse("1970-01-01")->ToDays(), 0);
  EXPECT_EQ(PartialDate::FromDays(b.ToDays()), b);
  EXPECT_EQ(a.ToDays(), PartialDate::Parse("2026-01-01")->ToDays());
}

}  // namespace
}  // namespace ts
