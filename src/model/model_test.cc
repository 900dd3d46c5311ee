#include <gtest/gtest.h>

#include "model/age.h"
#include "model/enums.h"
#include "model/study.h"
#include "model/results_due.h"

namespace ts {
namespace {

TEST(EnumsTest, ApiNamesAndLabelsRoundTrip) {
  EXPECT_EQ(ApiName(OverallStatus::kNotYetRecruiting), "NOT_YET_RECRUITING");
  EXPECT_EQ(ParseApiName<OverallStatus>("UNKNOWN"), OverallStatus::kUnknown);
  EXPECT_EQ(ParseApiName<OverallStatus>("recruiting"), std::nullopt);  // API names are exact
  EXPECT_EQ(ParseLabel<OverallStatus>("Active, not recruiting"), OverallStatus::kActiveNotRecruiting);
  EXPECT_EQ(ParseLabel<OverallStatus>("Unknown status"), OverallStatus::kUnknown);
  EXPECT_EQ(ParseLabel<Allocation>("Non-Randomized"), Allocation::kNonRandomized);
  EXPECT_EQ(ParseLabel<AgencyClass>("U.S. Fed"), AgencyClass::kFed);
  EXPECT_EQ(ParseLabel<Phase>("Early Phase 1"), Phase::kEarlyPhase1);
  EXPECT_EQ(ParseLabel<Phase>("Phase 7"), std::nullopt);
  for (const auto& e : EnumTable<InterventionType>::kEntries) {
    EXPECT_EQ(ParseApiName<InterventionType>(e.api), e.value);
    EXPECT_EQ(ParseLabel<InterventionType>(e.label), e.value);
  }
}

TEST(AgeTest, ParsesUnitsAndCompares) {
  EXPECT_EQ(Age::Parse("18 Years")->ToString(), "18 Years");
  EXPECT_EQ(Age::Parse("1 year")->ToString(), "1 Year");
  EXPECT_NEAR(Age::Parse("6 Months")->ToYears(), 0.5, 1e-9);
  EXPECT_LT(Age::Parse("28 Days")->ToDays(), Age::Parse("1 Month")->ToDays());
  EXPECT_FALSE(Age::Parse("N/A").ok());
  EXPECT_FALSE(Age::Parse("18").ok());
  EXPECT_FALSE(Age::Parse("-1 Years").ok());
  EXPECT_FALSE(Age::Parse("18 Parsecs").ok());
  EXPECT_FALSE(Age::Parse("111111111111111111111118 Years").ok());  // found by the XML fuzzer
  EXPECT_EQ(Age::Parse("2.5 Years")->ToString(), "2.5 Years");
  auto odd = Age::Parse("1.23456789 Months");
  EXPECT_EQ(*Age::Parse(odd->ToString()), *odd);  // non-integer ages round-trip exactly
}

TEST(AgeTest, AcceptsAsPeopleCountAges) {
  struct Case {
    double age;
    std::optional<double> min, max;
    bool accepts;
  } cases[] = {
      {75.99, 18, 75, true},    // a maximum of 75 years lasts until the 76th birthday
      {76.0, 18, 75, false},
      {17.99, 18, 75, false},   // a minimum of 18 starts on the 18th birthday
      {18.0, 18, std::nullopt, true},
      {60.5, 1.66, 60, true},   // each bound counted on its own
      {1.6, 1.66, 60, false},   // a fractional bound compares the exact age
      {0.6, std::nullopt, 0.5, false},
      {4.977, 1, 59.0 / 12, true},   // "12-59 months": 59 months lasts until the 60th month
      {5.01, 1, 59.0 / 12, false},  // (a day and a half of slack past the 60th month: 5.0 passes)
      {4.9999, 1.0 / 12, 59 * (1.0 / 12), true},   // "1-59 months": the limit's rounding does not turn it away
      {30 / kDaysPerYear, 1 * (1.0 / 12), 59.0 / 12, true},  // 30 days is a calendar month
      {25 / kDaysPerYear, 1 * (1.0 / 12), 59.0 / 12, false},
      {200, std::nullopt, std::nullopt, true},
  };
  for (const auto& c : cases) EXPECT_EQ(AgeAccepts(c.age, c.min, c.max), c.accepts) << c.age;
  // Ages count calendar years (review round 33: on the 18th birthday, days / 365.25 gave 17.9986).
  auto on = [](const char* birth, const char* as_of) { return AgeInYears(*PartialDate::Parse(birth), *PartialDate::Parse(as_of)); };
  EXPECT_EQ(on("2008-12-01", "2026-12-01"), 18.0);
  EXPECT_TRUE(AgeAccepts(on("2008-12-01", "2026-12-01"), 18, std::nullopt));
  EXPECT_FALSE(AgeAccepts(on("2008-12-02", "2026-12-01"), 18, std::nullopt));
  EXPECT_FALSE(AgeAccepts(on("1960-12-01", "2026-12-01"), 18, 65));  // 66 today
  EXPECT_TRUE(AgeAccepts(on("1960-12-02", "2026-12-01"), 18, 65));
  EXPECT_EQ(on("2008-02-29", "2026-02-28"), 18.0);  // a leap-day birthday falls on 28 February
  EXPECT_NEAR(on("2026-11-01", "2026-12-01"), 30.0 / 365, 1e-9);
  EXPECT_EQ((Age{6, AgeUnit::kMonths}.ToDays()), kDaysPerYear / 2);
}

TEST(StudyTest, KeyFallsBackFromNctToOrgToHash) {
  Study s;
  s.identification.brief_title = "A Prospective, Randomized, Controlled Study of rhTPO";
  s.identification.organization.full_name = "Chinese Academy of Medical Sciences";
  std::string hashed = StudyKey(s);
  EXPECT_EQ(hashed.substr(0, 3), "TS-");
  EXPECT_EQ(hashed, StudyKey(s));  // stable
  s.identification.org_study_id = "B2025-803-01";
  EXPECT_EQ(StudyKey(s), "ORG:B2025-803-01");
  s.identification.nct_id = "NCT07334093";
  EXPECT_EQ(StudyKey(s), "NCT07334093");
  EXPECT_TRUE(IsNctId("NCT07334093"));
  EXPECT_FALSE(IsNctId("NCT0733409"));
}

}  // namespace
}  // namespace ts

namespace ts {
namespace {

TEST(ResultsDueTest, OneYearAfterAnActualPrimaryCompletionOfARegulatedTrial) {
  Study s;
  s.design.study_type = StudyType::kInterventional;
  s.oversight.is_fda_regulated_drug = true;
  s.status.primary_completion_date = {PartialDate{2025, 3, 14}, DateType::kActual};
  ASSERT_TRUE(ResultsDueDate(s).has_value());
  EXPECT_EQ(ResultsDueDate(s)->ToString(), "2026-03-14");
  s.status.primary_completion_date = {PartialDate{2024, 2, 29}, DateType::kActual};
  EXPECT_EQ(ResultsDueDate(s)->ToString(), "2025-02-28");
  s.status.primary_completion_date = {PartialDate{2025, 3, 0}, DateType::kActual};
  EXPECT_EQ(ResultsDueDate(s)->ToString(), "2026-03");
  // Not implied: an estimated date, no FDA-regulated product, an observational study, no date.
  s.status.primary_completion_date.type = DateType::kEstimated;
  EXPECT_FALSE(ResultsDueDate(s));
  s.status.primary_completion_date.type = DateType::kActual;
  s.oversight.is_fda_regulated_drug = false;
  EXPECT_FALSE(ResultsDueDate(s));
  s.oversight.is_fda_regulated_device = true;
  EXPECT_TRUE(ResultsDueDate(s));
  s.design.study_type = StudyType::kObservational;
  EXPECT_FALSE(ResultsDueDate(s));
  s.design.study_type = StudyType::kInterventional;
  s.status.primary_completion_date = {};
  EXPECT_FALSE(ResultsDueDate(s));
}

}  // namespace
}  // namespace ts
