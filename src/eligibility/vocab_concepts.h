// Vocabulary concepts: the nodes of the concept graph (src/terminology) that criteria text may name, as Concepts
// the rules can refer to ("DOID:3908" = lung non-small cell carcinoma, "DC:939" = docetaxel). They fill what the
// curated table (resources/eligibility_concepts.tsv) does not name; a curated concept always wins.
//   Result<std::shared_ptr<const VocabConcepts>> v = VocabConcepts::Build(graph, filter_tsv, "filter.tsv", skip);
//   const Concept* c = nullptr;
//   size_t end = (*v)->Match("non-small cell lung cancer stage IV", 0, &c);  // end == 26, c->id == "DOID:3908"
//
// Which names are read is set by resources/criteria_vocab_filter.tsv (see its header): the Disease Ontology's
// synonyms are often broader or merely related, so a disease is read by its label and by reviewed synonyms only.
// An immutable value, safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "eligibility/concepts.h"
#include "terminology/concept_graph.h"

namespace ts {

class VocabConcepts {
 public:
  // What Build leaves to the curated table: graph nodes a curated concept's code names, and names (lower-cased)
  // a curated concept carries.
  struct Curated {
    std::unordered_set<NodeId> nodes;
    std::unordered_set<std::string> names;
  };

  // Builds the concepts from `graph` and the filter table. InvalidArgument names `source` and the line of a
  // malformed filter row. `graph` must outlive the result.
  static Result<std::shared_ptr<const VocabConcepts>> Build(const ConceptGraph& graph, std::string_view filter_tsv,
                                                            std::string_view source, const Curated& curated);

  // The concept with this id ("DOID:3908"), or null.
  const Concept* Find(std::string_view id) const;
  // The concept a whole name (case-insensitive, white space collapsed) names, or null.
  const Concept* FindByName(std::string_view name) const;
  // The concept of a graph node, or null when the node is not read in criteria text.
  const Concept* OfNode(NodeId node) const;
  // The graph node of a concept this object returned.
  NodeId NodeOf(const Concept& c) const { return nodes_[static_cast<size_t>(&c - concepts_.data())]; }

  // The longest name starting at byte `begin` of `text` (which must be a word start) and ending on a word
  // boundary; a final plural "s" is tried too. Returns the end offset and sets *out, or returns `begin`.
  size_t Match(std::string_view text, size_t begin, const Concept** out) const;

  size_t size() const { return concepts_.size(); }
  // The concepts with the names criteria text may use for each (lower-cased; the label among them).
  std::vector<std::pair<const Concept*, std::vector<std::string>>> Names() const;

 private:
  std::vector<Concept> concepts_;
  std::vector<NodeId> nodes_;                           // parallel to concepts_
  std::unordered_map<std::string, uint32_t> by_id_;     // "DOID:3908" -> index
  std::unordered_map<NodeId, uint32_t> by_node_;
  std::unordered_map<std::string, uint32_t> by_name_;   // lower-cased name -> index
  std::unordered_set<uint64_t> prefixes_;               // hashes of every whole-word prefix of a name
  size_t max_name_ = 0;
};

}  // namespace ts
