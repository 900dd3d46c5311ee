// Splits a study's free-text eligibility criteria into inclusion and exclusion criteria, each with
// its exact source text, its nesting and its list label.
//   std::vector<CriterionText> c = SplitCriteria(study.eligibility.criteria);
//   c[0].kind == CriterionKind::kInclusion; c[0].text == "Age >= 18 years"
// Handles markdown and legacy layouts: "Inclusion Criteria:" headings (any case, "Key ..."),
// numbered ("1.", "1)", "(1)", "1\."), lettered and bulleted ("*", "-", "•") lists, nesting by
// indentation, and run-on lists written in one line ("1.Age >= 18; 2.According to ...") where a number
// only starts a new criterion when it continues the list's numbering.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ts {

enum class CriterionKind { kInclusion, kExclusion };
std::string_view CriterionKindName(CriterionKind kind);  // "inclusion" / "exclusion"

struct CriterionText {
  CriterionKind kind = CriterionKind::kInclusion;
  std::string source;  // the exact bytes of the record's text for this criterion (marker included)
  std::string text;    // without its list marker, markdown escapes undone, white space collapsed
  std::string label;   // "3", "3.2": its position in the list
  int parent = -1;     // index of the criterion it is nested under, or -1
  int depth = 0;
};

// Text before any heading counts as inclusion. Empty items are dropped; nothing else is.
std::vector<CriterionText> SplitCriteria(std::string_view criteria);

}  // namespace ts
