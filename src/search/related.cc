#include "search/related.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "common/strings.h"
#include "search/doc_iterator.h"
#include "search/query_expansion.h"

namespace ts {

namespace {

bool Generic(const std::string& name) {
  static const std::set<std::string> kGeneric = {"placebo", "standard of care", "control", "usual care",
                                                 "observation", "no intervention", "best supportive care"};
  return name.size() < 3 || kGeneric.count(ToLowerAscii(name)) > 0;
}

QueryNode Leaf(const AreaSpec& area, const std::string& label, Analyzer& analyzer) {
  QueryNode n;
  n.kind = QueryNode::Kind::kMatch;
  n.area = &area;
  n.source = label;
  Alternative alt = AnalyzeAlternative(label, analyzer);
  if (!alt.terms.empty()) n.alternatives.push_back(std::move(alt));
  return n;
}

}  // namespace

std::vector<RelatedStudy> FindRelated(const SearchIndex& index, DocId self, const Study& study, size_t k,
                                      Analyzer& analyzer, const AliasGraph* aliases) {
  QueryNode root;
  root.kind = QueryNode::Kind::kOr;
  std::set<std::string> seen;
  auto add = [&](const AreaSpec& area, const std::string& text, const char* kind) {
    std::string norm = CollapseSpace(text);
    if (norm.empty() || Generic(norm) || !seen.insert(std::string(kind) + ToLowerAscii(norm)).second) return;
    QueryNode n = Leaf(area, norm, analyzer);
    if (n.alternatives.empty()) return;
    n.source = std::string(kind) + ": " + norm;
    if (aliases) ExpandAliases(&n, *aliases);
    root.children.push_back(std::move(n));
  };
  for (const auto& c : study.conditions) {
    // "Cancer Therapy-induced Thrombocytopenia (CTIT)": the name and the abbreviation separately.
    size_t open = c.rfind('(');
    if (open != std::string::npos && open > 0 && c.back() == ')') {
      add(RelatedConditionArea(), c.substr(0, open), "condition");
      add(RelatedConditionArea(), c.substr(open + 1, c.size() - open - 2), "condition");
    } else {
      add(RelatedConditionArea(), c, "condition");
    }
  }
  for (const auto& m : study.condition_meshes) add(RelatedConditionArea(), m.term, "condition");
  for (const auto& iv : study.interventions) add(RelatedInterventionArea(), iv.name, "intervention");
  for (const auto& m : study.intervention_meshes) add(RelatedInterventionArea(), m.term, "intervention");
  // The title's distinctive words: those in at most 2% of titles.
  const double limit = std::max(3.0, 0.02 * static_cast<double>(index.doc_count()));
  std::string word;
  auto title_word = [&] {
    std::vector<Token> tokens = analyzer.Analyze(word);
    if (tokens.size() == 1 && tokens[0].term.size() >= 3) {
      const std::string& term = tokens[0].term;
      const PostingList* pl = index.Postings(Field::kTitle, term);
      if (pl && static_cast<double>(pl->docs.size()) <= limit && seen.insert("title" + term).second) {
        QueryNode n;
        n.kind = QueryNode::Kind::kMatch;
        n.area = &RelatedTitleArea();
        n.source = "title: " + word;
        n.alternatives.push_back({{term}, {0}, word, false});
        root.children.push_back(std::move(n));
      }
    }
    word.clear();
  };
  for (char c : study.identification.brief_title) {
    if (c == ' ' || c == ',' || c == ':' || c == ';' || c == '(' || c == ')' || c == '.' || c == '/') {
      title_word();
    } else {
      word += c;
    }
  }
  title_word();
  std::vector<RelatedStudy> out;
  if (root.children.empty()) return out;
  auto it = BuildIterator(root, index);
  std::vector<std::pair<double, DocId>> scored;
  for (; it->doc() != DocIterator::kEnd; it->Next()) {
    if (it->doc() == self) continue;
    scored.emplace_back(it->Score(), it->doc());
  }
  size_t n = std::min(k, scored.size());
  std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(n), scored.end(),
                    [&](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : index.doc(a.second).key < index.doc(b.second).key;
                    });
  for (size_t i = 0; i < n; ++i) {
    RelatedStudy r{index.doc(scored[i].second).key, index.doc(scored[i].second).brief_title,
                   std::round(scored[i].first * 1000) / 1000, {}};
    auto e = BuildIterator(root, index);
    e->SkipTo(scored[i].second);
    std::vector<MatchExplanation> why;
    if (e->doc() == scored[i].second) e->Explain(&why);
    std::set<std::string> shared;
    for (const auto& m : why)
      if (shared.insert(m.source).second) r.shared.push_back(m.source + (m.via_alias ? " (as " + m.matched + ")" : ""));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace ts
