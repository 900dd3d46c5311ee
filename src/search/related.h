// "More related trials": the studies most similar to one study by its conditions (and their MeSH
// terms), interventions (and theirs) and the distinctive words of its title, each result with a
// score and the shared terms that explain it.
//   auto r = FindRelated(index, doc, study, 10, analyzer, &aliases);
//   // r[0].shared == {"condition: thrombocytopenia", "intervention: hetrombopag"}
#pragma once

#include <string>
#include <vector>

#include "model/study.h"
#include "search/alias_graph.h"
#include "search/search_index.h"

namespace ts {

struct RelatedStudy {
  std::string key;
  std::string brief_title;
  double score = 0;
  std::vector<std::string> shared;  // "condition: aplastic anemia", "intervention: ciclosporin", "title: herombopag"
};

// Up to `k` studies most similar to `study` (indexed as `self`, which is excluded), best first.
std::vector<RelatedStudy> FindRelated(const SearchIndex& index, DocId self, const Study& study, size_t k,
                                      Analyzer& analyzer, const AliasGraph* aliases);

}  // namespace ts
