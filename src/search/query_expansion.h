// Alias expansion of a parsed query: each word or phrase also matches its aliases (and narrower
// MeSH terms), recorded as alternatives so every hit can say which alias matched.
//   ExpandAliases(&query.root, graph);   // query.cond:herombopag -> query.cond:(herombopag | hetrombopag | ...)
// Words typed without quotes that together form a known name ("recombinant human thrombopoietin")
// also match that name's aliases (rhTPO): (recombinant AND human AND thrombopoietin) OR rhtpo.
#pragma once

#include "search/alias_graph.h"
#include "search/query.h"

namespace ts {

inline constexpr size_t kMaxAlternatives = 24;

void ExpandAliases(QueryNode* node, const AliasGraph& graph);

}  // namespace ts
