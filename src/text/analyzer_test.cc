#include "text/analyzer.h"

#include <gtest/gtest.h>

namespace ts {
namespace {

// "term@pos" for primaries, "(term)@pos" for variants.
std::string Show(const std::vector<Token>& tokens) {
  std::string out;
  for (const auto& t : tokens) {
    if (!out.empty()) out += ' ';
    out += (t.variant ? "(" + t.term + ")" : t.term) + "@" + std::to_string(t.position);
  }
  return out;
}

TEST(AnalyzerTest, ClinicalNotationSurvives) {
  Analyzer a;
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"Platelet <30×10⁹/L", "platelet@0 <@1 30@2 x@3 10^9/l@4 (10^9)@4 (l)@4"},
      {"PLT<30", "plt@0 <@1 30@2"},
      {"ALT \\>= 2 × ULN", "alt@0 >=@1 2@2 x@3 uln@4"},
      {"ECOG ≤ 2", "ecog@0 <=@1 2@2"},
      {"IL-11 and CD34+ cells", "il-11@0 (il)@0 (11)@0 cd34+@2 (cd34)@2 cell@3"},
      {"NCT05236582", "nct05236582@0"},
      {"2-year survival", "2-year@0 (2)@0 (year)@0 surviv@1"},
      {"Non-severe Aplastic Anémia", "nonsever@0 (non)@0 (sever)@0 aplast@1 anemia@2"},
      {"ALT/AST", "alt@0 ast@1"},
      {"1.5 mg/kg", "1.5@0 mg@1 kg@2"},
      {"5 µg/kg", "5@0 ug@1 kg@2"},
      {"the investigator's opinion", "investig@1 opinion@2"},
      {"^9 x^2 ^", "^9@0 x^2@1"},
  };
  for (const auto& c : cases) EXPECT_EQ(Show(a.Analyze(c.in)), c.out) << c.in;
}

TEST(AnalyzerTest, FoldsCaseAndDiacriticsAndStems) {
  Analyzer a;
  EXPECT_EQ(Show(a.Analyze("THROMBOCYTOPENIAS Thrombocytopenia")), "thrombocytopenia@0 thrombocytopenia@1");
  EXPECT_EQ(Show(a.Analyze("Hetrombopag", false)), "hetrombopag@0");
  EXPECT_EQ(NormalizeText("Ångström ÉCOG"), "angstrom ecog");
  EXPECT_TRUE(a.Analyze("").empty());
  EXPECT_TRUE(a.Analyze("   , ; ").empty());
  EXPECT_EQ(Show(a.Analyze("\xFF\xFE bad")), "bad@0");  // invalid UTF-8 does not throw
  EXPECT_EQ(Show(a.Analyze("rhTPO\xE2\x80\x93treated \xE2\x80\x9Cresponders\xE2\x80\x9D")),
            "rhtpotreat@0 (rhtpo)@0 (treat)@0 respond@1");  // en dash, curly quotes
}

}  // namespace
}  // namespace ts
