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

// Non-ASCII runs are folded one by one; the result must equal folding the whole text.
TEST(AnalyzerTest, FoldsNonAsciiRunsInsideAsciiText) {
  EXPECT_EQ(NormalizeText("Cafe\xCC\x81 au lait"), "cafe au lait");                 // combining acute after ASCII
  EXPECT_EQ(NormalizeText("\xEF\xAC\x81nal PLT \xE2\x89\xA5 50\xC3\x97" "10\xE2\x81\xB9/L"),  // ﬁ, ≥, ×, ⁹
            "final plt  >=  50 x 10^9/l");
  EXPECT_EQ(NormalizeText("10\xE2\x81\xB9 and 10\xC2\xB9\xC2\xB2"), "10^9 and 10^12");  // one ^ per exponent
  EXPECT_EQ(NormalizeText("STRA\xC3\x9F" "E"), "strasse");                           // ß case-folds to ss
  EXPECT_EQ(NormalizeText("soft\xC2\xADhyphen zero\xE2\x80\x8Bwidth"), "softhyphen zerowidth");  // ignorables
  // Invalid UTF-8 blanks only its own run; valid letters elsewhere in the text keep their folding.
  EXPECT_EQ(NormalizeText("An\xC3\xA9mia \xFF\xFE PLT"), "anemia    plt");
  Analyzer a;
  EXPECT_EQ(Show(a.Analyze("An\xC3\xA9mia \xC3 \\<30")), "anemia@0 <@1 30@2");
}

// ASCII is folded eight bytes at a time; every printable character, at every offset, must come
// out as the one-at-a-time rule says (upper case lowered, a backslash before punctuation dropped).
TEST(AnalyzerTest, FoldsAsciiEightBytesAtATimeLikeOneAtATime) {
  std::string all;
  for (char c = ' '; c <= '~'; ++c) all += c;
  for (size_t shift = 0; shift < 9; ++shift) {
    const std::string text = std::string(shift, 'Q') + all + "\\<" + all + "@[`{AZaz";
    std::string expected;
    for (size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '\\' && i + 1 < text.size() && std::ispunct(static_cast<unsigned char>(text[i + 1]))) continue;
      expected += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    EXPECT_EQ(NormalizeText(text), expected) << shift;
  }
}

TEST(AnalyzerTest, CachedWordsGiveTheSameTokensEveryTime) {
  Analyzer a;
  const std::string text = "The patients' platelets and the platelet counts; Patients with ITP/MDS";
  const std::string first = Show(a.Analyze(text));
  EXPECT_EQ(first, "patient@1 platelet@2 platelet@5 count@6 patient@7 itp@9 mds@10");
  EXPECT_EQ(Show(a.Analyze(text)), first);
  EXPECT_EQ(Show(a.Analyze("Patients", false)), "patients@0");  // the unstemmed cache is apart
  EXPECT_EQ(Show(a.Analyze("Patients")), "patient@0");
  std::string long_word(3000, 'x');
  EXPECT_EQ(Show(a.Analyze(long_word + " " + long_word)), long_word + "@0 " + long_word + "@1");
}

}  // namespace
}  // namespace ts
