// The query language and its parsed form.
//   Result<Query> q = ParseQuery("query.cond", "(aplastic anemia OR \"TD-NSAA\") NOT MDS", analyzer);
//   q->ToString()  // (query.cond:(aplast anemia) OR query.cond:"td-nsaa") AND NOT query.cond:md
// Syntax: words, "quoted phrases", AND, OR, NOT (upper case only), parentheses; juxtaposed words
// are ANDed. Lower-case and/or/not are ordinary words (and/or are stop words, so they are dropped)
// and the result carries a warning, so a query never silently changes meaning.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "search/fields.h"
#include "text/analyzer.h"

namespace ts {

// One way a leaf can match: a single term, or a phrase of terms at relative offsets.
struct Alternative {
  std::vector<std::string> terms;
  std::vector<uint32_t> offsets;  // offsets[i]: position of terms[i] relative to terms[0]
  std::string label;              // what matched, as written: the user's word or an alias name
  bool is_alias = false;
  bool operator==(const Alternative&) const = default;
};

// `text` analysed into one alternative: its primary terms with offsets relative to the first
// (stop words keep their gaps); `label` is the text itself. No terms if it is only stop words.
Alternative AnalyzeAlternative(std::string_view text, Analyzer& analyzer);

struct QueryNode {
  enum class Kind { kMatch, kAnd, kOr, kNot, kAll };
  Kind kind = Kind::kAll;
  const AreaSpec* area = nullptr;          // kMatch: the fields searched
  std::string source;                      // kMatch: the word or phrase as typed
  std::vector<Alternative> alternatives;   // kMatch: [0] is what was typed; then aliases
  std::vector<QueryNode> children;         // kAnd / kOr: 2+; kNot: 1
  bool expanded = false;                   // alias expansion already applied to this subtree
  std::string ToString() const;
};

struct Query {
  QueryNode root;
  std::vector<std::string> warnings;
  std::string ToString() const { return root.ToString(); }
};

struct QueryLimits {
  size_t max_bytes = 2048;
  size_t max_depth = 32;
  size_t max_leaves = 128;
};

// Parses `text` searched in `area`. InvalidArgument with the 1-based character position on a
// malformed query ("unbalanced '(' at 7"), an over-long or over-deep one, or one with no words.
Result<Query> ParseQuery(const AreaSpec& area, std::string_view text, Analyzer& analyzer, const QueryLimits& limits = {});

// Combines several area queries with AND (as ClinicalTrials.gov does for query.cond + query.term ...).
Query CombineQueries(std::vector<Query> parts);

}  // namespace ts
