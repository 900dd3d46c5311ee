#include <gtest/gtest.h>

#include "search/query.h"

namespace ts {
namespace {

std::string P(std::string_view text, const char* area = "query.term") {
  Analyzer a;
  auto q = ParseQuery(*FindArea(area), text, a);
  return q.ok() ? q->ToString() : "ERROR " + q.status().message();
}

TEST(QueryParserTest, PrintsTheParsedTree) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"herombopag", "query.term:herombopag"},
      {"aplastic anemia", "(query.term:aplast AND query.term:anemia)"},
      {"\"aplastic anemia\"", "query.term:\"aplast anemia\""},
      {"ITP OR CIT", "(query.term:itp OR query.term:cit)"},
      {"a OR b AND c", "(query.term:b AND query.term:c)"},  // "a" is a stop word
      {"romiplostim OR eltrombopag AND NOT MDS", "(query.term:romiplostim OR (query.term:eltrombopag AND NOT query.term:mds))"},
      {"(ITP OR CIT) thrombopoietin", "((query.term:itp OR query.term:cit) AND query.term:thrombopoietin)"},
      {"PLT<30", "query.term:\"plt < 30\""},
      {"IL-11", "query.term:il-11"},
      {"NCT05236582", "query.term:nct05236582"},
  };
  for (const auto& c : cases) EXPECT_EQ(P(c.in), c.out) << c.in;
  EXPECT_EQ(P("thrombocytopenia", "query.cond"), "query.cond:thrombocytopenia");
}

TEST(QueryParserTest, LowerCaseOperatorsAreWordsWithAWarning) {
  Analyzer a;
  auto q = ParseQuery(*FindArea("query.term"), "hetrombopag or romiplostim", a);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->ToString(), "(query.term:hetrombopag AND query.term:romiplostim)");
  ASSERT_EQ(q->warnings.size(), 1u);
  EXPECT_EQ(q->warnings[0],
            "lower-case \"or\" at 13 is searched as a word (a stop word, so ignored); write OR to combine terms");
}

TEST(QueryParserTest, MalformedQueriesNameThePosition) {
  struct Case {
    const char* in;
    const char* error;
  } cases[] = {
      {"(aplastic anemia", "query.term: unbalanced '(' at 1"},
      {"anemia)", "query.term: unbalanced ')' at 7"},
      {"\"aplastic anemia", "query.term: unterminated quote at 1"},
      {"anemia OR", "query.term: OR needs a term after it at 8"},
      {"AND anemia", "query.term: AND needs a term before it at 1"},
      {"NOT", "query.term: NOT needs a term after it at 1"},
      {"()", "query.term: unbalanced ')' at 2"},
      {"the of", "query.term: no searchable words in \"the of\""},
      {"\xFF", "query.term: query is not valid UTF-8"},
  };
  for (const auto& c : cases) {
    std::string got = P(c.in);
    EXPECT_EQ(got.substr(0, 6), "ERROR ") << c.in;
    EXPECT_EQ(got.substr(6), c.error) << c.in;
  }
  EXPECT_EQ(P(std::string(3000, 'a')), "ERROR query.term: query longer than 2048 bytes");
  EXPECT_EQ(P(std::string(40, '(') + "x" + std::string(40, ')')), "ERROR query.term: query nested too deeply at 34");
  std::string many;
  for (int i = 0; i < 200; ++i) {
    many += 'w';
    many += std::to_string(i);
    many += ' ';
  }
  EXPECT_EQ(P(many).substr(0, 32), "ERROR query.term: too many terms");
}

}  // namespace
}  // namespace ts
