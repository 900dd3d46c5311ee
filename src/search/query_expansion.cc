#include "search/query_expansion.h"

namespace ts {

namespace {

Alternative FromAlias(const AliasHit& h) {
  Alternative a;
  a.terms = h.name->terms;
  a.offsets = h.name->offsets;
  a.label = h.narrower ? h.name->name + " (narrower term)" : h.name->name;
  a.is_alias = true;
  return a;
}

void AddAlternatives(QueryNode* leaf, const std::vector<AliasHit>& hits) {
  for (const AliasHit& h : hits) {
    if (leaf->alternatives.size() >= kMaxAlternatives) return;
    bool dup = false;
    for (const auto& a : leaf->alternatives) dup = dup || a.terms == h.name->terms;
    if (!dup) leaf->alternatives.push_back(FromAlias(h));
  }
}

bool IsSingleWord(const QueryNode& n) {
  return n.kind == QueryNode::Kind::kMatch && n.alternatives.size() == 1 && n.alternatives[0].terms.size() == 1 &&
         !n.alternatives[0].is_alias;
}

// In an AND, runs of single words that form a known multi-word name get that name's aliases.
void ExpandRuns(QueryNode* node, const AliasGraph& graph) {
  std::vector<QueryNode> out;
  auto& kids = node->children;
  size_t i = 0;
  while (i < kids.size()) {
    bool replaced = false;
    for (size_t len = std::min(graph.max_terms(), kids.size() - i); len >= 2 && IsSingleWord(kids[i]); --len) {
      bool run = true;
      std::vector<std::string> terms;
      std::string source;
      for (size_t k = i; k < i + len && run; ++k) {
        run = IsSingleWord(kids[k]) && kids[k].area == kids[i].area;
        if (run) {
          terms.push_back(kids[k].alternatives[0].terms[0]);
          source += (source.empty() ? "" : " ") + kids[k].source;
        }
      }
      if (!run || !graph.Contains(terms)) continue;
      std::vector<AliasHit> hits = graph.Lookup(terms);
      if (hits.empty()) continue;
      QueryNode words;
      words.kind = QueryNode::Kind::kAnd;
      for (size_t k = i; k < i + len; ++k) {
        AddAlternatives(&kids[k], graph.Lookup(kids[k].alternatives[0].terms));  // each word's own aliases
        kids[k].expanded = true;
        words.children.push_back(std::move(kids[k]));
      }
      words.expanded = true;
      QueryNode aliases;
      aliases.kind = QueryNode::Kind::kMatch;
      aliases.area = words.children[0].area;
      aliases.source = source;
      AddAlternatives(&aliases, hits);
      QueryNode either;
      either.kind = QueryNode::Kind::kOr;
      either.children.push_back(std::move(words));
      either.children.push_back(std::move(aliases));
      either.expanded = true;
      out.push_back(std::move(either));
      i += len;
      replaced = true;
      break;
    }
    if (!replaced) out.push_back(std::move(kids[i++]));
  }
  kids = std::move(out);
}

}  // namespace

void ExpandAliases(QueryNode* node, const AliasGraph& graph) {
  if (node->expanded) return;
  node->expanded = true;
  switch (node->kind) {
    case QueryNode::Kind::kMatch:
      if (!node->alternatives.empty() && !node->alternatives[0].is_alias) {
        AddAlternatives(node, graph.Lookup(node->alternatives[0].terms));
      }
      return;
    case QueryNode::Kind::kAnd:
      ExpandRuns(node, graph);
      if (node->children.size() == 1) {
        QueryNode only = std::move(node->children[0]);
        *node = std::move(only);
        return;  // the only child came from ExpandRuns and is expanded
      }
      [[fallthrough]];
    case QueryNode::Kind::kOr:
    case QueryNode::Kind::kNot:
      for (auto& c : node->children) ExpandAliases(&c, graph);
      return;
    case QueryNode::Kind::kAll:
      return;
  }
}

}  // namespace ts
