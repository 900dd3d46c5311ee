// Runs the criteria case files (tests/cases/criteria/*.rules): every criterion of a seed fixture
// must parse into exactly the reviewed rule, and every criterion must be listed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/binary_io.h"
#include "common/strings.h"
#include "eligibility/rule_parser.h"
#include "ingest/ctgov_json.h"

namespace ts {
namespace {

TEST(CriteriaCases, SeedCriteriaParseToReviewedRules) {
  auto concepts = ConceptTable::Builtin();
  ASSERT_TRUE(concepts.ok()) << concepts.status().ToString();
  CriteriaParser parser(*concepts, FormGating::kNone);  // the case files pin the reading, before the form gate
  std::filesystem::path dir = std::filesystem::path(TS_SOURCE_DIR) / "tests/cases/criteria";
  int files = 0, checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".rules") continue;
    ++files;
    auto text = ReadWholeFile(entry.path().string());
    ASSERT_TRUE(text.ok());
    std::string fixture;
    std::map<std::string, std::string> expected;  // "inclusion 3" -> rule
    int line_no = 0;
    for (std::string_view line : Split(*text, '\n')) {
      ++line_no;
      if (Trim(line).empty() || line[0] == '#') continue;
      if (StartsWith(line, "fixture ")) {
        fixture = std::string(Trim(line.substr(8)));
        continue;
      }
      size_t bar = line.find(" | ");
      ASSERT_NE(bar, std::string_view::npos) << entry.path() << ":" << line_no << ": expected 'KIND LABEL | RULE'";
      expected[std::string(line.substr(0, bar))] = std::string(line.substr(bar + 3));
    }
    ASSERT_FALSE(fixture.empty()) << entry.path() << ": no fixture line";
    auto json = ReadWholeFile((std::filesystem::path(TS_SOURCE_DIR) / fixture).string());
    ASSERT_TRUE(json.ok()) << fixture;
    StudyJsonReader reader;
    auto study = reader.Parse(*json);
    ASSERT_TRUE(study.ok()) << study.status().ToString();
    std::vector<ParsedCriterion> parsed = parser.Parse(study->eligibility.criteria);
    EXPECT_EQ(parsed.size(), expected.size()) << entry.path() << ": criteria count";
    for (const ParsedCriterion& p : parsed) {
      std::string key = std::string(CriterionKindName(p.criterion.kind)) + " " + p.criterion.label;
      auto it = expected.find(key);
      if (it == expected.end()) {
        ADD_FAILURE() << entry.path() << ": criterion '" << key << "' is not in the case file: " << p.criterion.text;
        continue;
      }
      EXPECT_EQ(p.rule.ToString(*concepts), it->second) << entry.path() << ": " << key << ": " << p.criterion.text;
      ++checked;
    }
  }
  EXPECT_GT(files, 0) << dir << ": no .rules case file found";
  EXPECT_GT(checked, 80);
}

}  // namespace
}  // namespace ts
