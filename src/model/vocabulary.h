// Vocabulary entries: groups of names for one drug or condition, and broader/narrower links.
//   VocabGroup g{"drug", "Hetrombopag", {"Herombopag", "Hetrombopag"}, "drugbank:DB16184", {}};
#pragma once

#include <string>
#include <vector>

namespace ts {

struct VocabGroup {
  std::string kind;       // "drug", "condition", "mesh"
  std::string canonical;  // the preferred name
  std::vector<std::string> names;  // other names (the canonical may repeat here)
  std::string source;     // "curated", "drugbank:DB16184", "mesh:C15.378.140.855", "record:NCT..."
  std::vector<std::string> tree_numbers;  // MeSH tree numbers, for narrower-term expansion
  bool operator==(const VocabGroup&) const = default;
};

}  // namespace ts
