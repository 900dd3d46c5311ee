// The check the query fuzz target makes on one input, shared with its replay test: any text, as a
// user may type it, is tokenised consistently and searched without crashing.
// - Analyzer: the same tokens from a fresh analyzer, and again from one whose word caches the text
//   itself has filled (stemmed and unstemmed); terms are never empty; positions never go back; a
//   variant form shares the position of the token before it.
// - Searcher: in each search area, the text is searched (with facets) over a small index, or
//   refused with a message.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/binary_io.h"
#include "fuzz_snapshot.h"
#include "search/searcher.h"
#include "text/analyzer.h"

namespace ts::testing {

inline bool TokensHold(const std::vector<Token>& tokens) {
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].term.empty()) return false;
    if (i > 0 && tokens[i].position < tokens[i - 1].position) return false;
    if (tokens[i].variant && (i == 0 || tokens[i - 1].position != tokens[i].position)) return false;
  }
  return true;
}

inline bool FuzzQuery(std::string_view input) {
  for (bool stem : {true, false}) {
    Analyzer warm;
    const std::vector<Token> first = warm.Analyze(input, stem);
    if (!TokensHold(first)) return false;
    if (warm.Analyze(input, stem) != first) return false;  // now from the word cache
    Analyzer fresh;
    fresh.Analyze(input, !stem);  // the other cache filled first must not matter
    if (fresh.Analyze(input, stem) != first) return false;
  }
  static const SearchIndex* const index = [] {  // test-only: loaded once per process
    auto* idx = new SearchIndex();
    BinaryReader r(FuzzIndexBytes());
    if (!idx->Load(&r, nullptr).ok()) return static_cast<SearchIndex*>(nullptr);
    return idx;
  }();
  if (!index) return false;
  Searcher searcher(*index);
  for (const char* area : {"query.term", "query.cond", "query.intr", "query.titles", "query.id", "query.locn"}) {
    SearchRequest req;
    req.queries = {{area, std::string(input)}};
    req.facets = {"overallStatus", "condition"};
    auto res = searcher.Search(req);
    if (!res.ok() && res.status().message().empty()) return false;
    if (res.ok() && res->total < 0) return false;
  }
  return true;
}

}  // namespace ts::testing
