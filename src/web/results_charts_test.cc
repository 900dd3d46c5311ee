#include "web/results_charts.h"

#include <gtest/gtest.h>

#include <string>

namespace ts {
namespace {

OutcomeMeasure TwoGroups(const std::string& dispersion, Measurement a, Measurement b) {
  OutcomeMeasure m;
  m.title = "Change in score";
  m.dispersion_type = dispersion;
  m.unit_of_measure = "points";
  m.groups = {{"OG000", "Drug", ""}, {"OG001", "Placebo", ""}};
  a.group_id = "OG000";
  b.group_id = "OG001";
  m.classes = {MeasureClass{"", {}, {MeasureCategory{"", {a, b}}}}};
  return m;
}

std::string Chart(const OutcomeMeasure& m) {
  HtmlWriter h;
  OutcomeChart(h, m);
  return h.Take();
}

TEST(OutcomeChartTest, StandardDeviationDrawsValuePlusMinusSpread) {
  Measurement a{"", "10", "2", "", "", ""}, b{"", "4", "1.5", "", "", ""};
  std::string svg = Chart(TwoGroups("Standard Deviation", a, b));
  EXPECT_NE(svg.find("10 (8 to 12)"), std::string::npos) << svg;
  EXPECT_NE(svg.find("4 (2.5 to 5.5)"), std::string::npos);
  EXPECT_NE(svg.find("lines: ± standard deviation"), std::string::npos);
  EXPECT_NE(svg.find("class=\"whisker\""), std::string::npos);
}

TEST(OutcomeChartTest, IntervalLimitsAndNegativeValuesAreDrawnFromZero) {
  Measurement a{"", "-5.08", "", "-6.72", "-3.42", ""}, b{"", "1.5", "", "-0.5", "3", ""};
  std::string svg = Chart(TwoGroups("95% Confidence Interval", a, b));
  EXPECT_NE(svg.find("-5.08 (-6.72 to -3.42)"), std::string::npos) << svg;
  EXPECT_NE(svg.find("lines: 95% Confidence Interval"), std::string::npos);
  EXPECT_NE(svg.find("class=\"axis\""), std::string::npos);
}

TEST(OutcomeChartTest, SpreadWithoutAKnownMeaningDrawsNoWhisker) {
  Measurement a{"", "3", "40", "", "", ""}, b{"", "4", "35", "", "", ""};
  std::string svg = Chart(TwoGroups("Geometric Coefficient of Variation", a, b));
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_EQ(svg.find("class=\"whisker\""), std::string::npos);
  EXPECT_EQ(svg.find("lines:"), std::string::npos);
}

TEST(OutcomeChartTest, NonNumericValuesOrOneGroupDrawNothing) {
  EXPECT_EQ(Chart(TwoGroups("", {"", "NA", "", "", "", ""}, {"", "4", "", "", "", ""})), "");
  OutcomeMeasure one = TwoGroups("", {"", "3", "", "", "", ""}, {"", "4", "", "", "", ""});
  one.classes[0].categories[0].measurements.pop_back();
  EXPECT_EQ(Chart(one), "");
  EXPECT_EQ(Chart(TwoGroups("", {"", "0", "", "", "", ""}, {"", "0", "", "", "", ""})), "");
}

TEST(OutcomeChartTest, GroupTitlesAreEscaped) {
  OutcomeMeasure m = TwoGroups("", {"", "3", "", "", "", ""}, {"", "4", "", "", "", ""});
  m.groups[0].title = "Drug <5 mg>";
  std::string svg = Chart(m);
  EXPECT_NE(svg.find("Drug &lt;5 mg&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<5 mg>"), std::string::npos);
}

ParticipantFlow Flow() {
  ParticipantFlow f;
  f.groups = {{"FG000", "Drug", ""}, {"FG001", "Placebo", ""}};
  FlowPeriod p;
  p.title = "Overall Study";
  p.milestones = {{"STARTED", "", {{"FG000", "", "20", ""}, {"FG001", "", "21", ""}}},
                  {"COMPLETED", "", {{"FG000", "", "17", ""}, {"FG001", "", "16", ""}}},
                  {"NOT COMPLETED", "", {{"FG000", "", "3", ""}, {"FG001", "", "5", ""}}}};
  p.drop_withdraws = {{"Adverse Event", "", {{"FG000", "", "2", ""}, {"FG001", "", "4", ""}}},
                      {"Withdrawal by Subject", "", {{"FG000", "", "1", ""}, {"FG001", "", "1", ""}}},
                      {"Lost to Follow-up", "", {{"FG000", "", "0", ""}, {"FG001", "", "0", ""}}}};
  f.periods = {p};
  return f;
}

TEST(FlowDiagramTest, SumsGroupsAndListsReasonsForLeaving) {
  HtmlWriter h;
  FlowDiagram(h, Flow(), 45);
  std::string svg = h.Take();
  for (const char* want : {"Enrolled", "45 participants", ">started<", ">41<", ">completed<", ">33<", "Left: 8",
                           "Adverse Event: 6", "Withdrawal by Subject: 2"}) {
    EXPECT_NE(svg.find(want), std::string::npos) << "missing " << want << "\n" << svg;
  }
  EXPECT_EQ(svg.find("Lost to Follow-up"), std::string::npos) << "a reason nobody gave is not drawn";
}

TEST(FlowDiagramTest, NumbersThatAreNotCountsDrawNothing) {
  ParticipantFlow f = Flow();
  f.periods[0].milestones[0].achievements[1].num_subjects = "NA";
  HtmlWriter h;
  FlowDiagram(h, f, std::nullopt);
  EXPECT_EQ(h.str(), "");
  FlowDiagram(h, ParticipantFlow{}, 10);
  EXPECT_EQ(h.str(), "");
}

}  // namespace
}  // namespace ts
