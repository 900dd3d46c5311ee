// The alias graph: names that mean the same drug or condition ("hetrombopag", "herombopag",
// "Hitrepopar"), from a curated file, the records (intervention other names) and loaded
// vocabularies (DrugBank, MeSH). Names are keyed by their analysed form, so case, accents,
// plurals and hyphens do not matter. Groups sharing a name are merged, unless the merge would
// make a group larger than kMaxGroupNames (a guard against chains of ambiguous abbreviations).
//   AliasGraph g;  g.Add({"drug", "hetrombopag", {"herombopag", "Hitrepopar"}, "curated", {}}, analyzer);
//   for (const AliasHit& h : g.Lookup({"herombopag"})) ...   // hetrombopag, hitrepopar
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/binary_io.h"
#include "common/status.h"
#include "model/study.h"
#include "model/vocabulary.h"
#include "text/analyzer.h"

namespace ts {

// Joins analysed terms into a lookup key.
std::string AliasKey(const std::vector<std::string>& terms);

struct AliasName {
  std::string name;                // as written in its source
  std::vector<std::string> terms;  // analysed
  std::vector<uint32_t> offsets;
  std::string source;              // where it came from
};

struct AliasHit {
  const AliasName* name;
  bool narrower;  // a narrower MeSH term rather than a synonym
};

class AliasGraph {
 public:
  static constexpr size_t kMaxGroupNames = 64;

  // Adds a group of equivalent names; MeSH groups with tree numbers also link narrower terms.
  void Add(const VocabGroup& group, Analyzer& analyzer);
  // The curated TSV format of resources/aliases.tsv; InvalidArgument names the line.
  Status AddCuratedTsv(std::string_view tsv, Analyzer& analyzer);
  // Intervention names with their other names ("Eltrombopag" = "Promacta").
  void AddFromStudy(const std::string& key, const Study& study, Analyzer& analyzer);

  // Names equivalent to the analysed term sequence (not including itself), then its narrower
  // MeSH terms (at most `max_narrower`). Empty when it is in no group.
  std::vector<AliasHit> Lookup(const std::vector<std::string>& terms, size_t max_narrower = 20) const;
  // True if the analysed term sequence is a known name.
  bool Contains(const std::vector<std::string>& terms) const { return by_key_.count(AliasKey(terms)) > 0; }
  // The longest name, in terms (for multi-word detection in queries).
  size_t max_terms() const { return max_terms_; }
  size_t group_count() const;
  // Snapshot support; Load replaces the graph, Corruption on bad input.
  void Save(BinaryWriter* w) const;
  Status Load(BinaryReader* r);
  size_t name_count() const { return names_.size(); }

 private:
  size_t Find(size_t g) const;
  size_t AddName(const std::string& name, const std::string& source, Analyzer& analyzer);

  std::vector<AliasName> names_;
  std::unordered_map<std::string, size_t> by_key_;  // analysed key -> name index
  mutable std::vector<size_t> parent_;              // union-find over groups
  std::vector<size_t> group_of_;                    // name -> group
  std::vector<std::vector<size_t>> members_;        // group root -> names
  std::map<std::string, size_t> mesh_tree_;            // tree number -> name index (ordered: prefix scans)
  std::vector<std::vector<std::string>> trees_of_;     // name -> tree numbers
  size_t max_terms_ = 1;
};

}  // namespace ts
