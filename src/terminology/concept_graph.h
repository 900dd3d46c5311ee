// The vocabulary concept graph: diseases (Human Disease Ontology), drugs and drug classes (DrugCentral, MeSH 2024
// pharmacological actions and chemical classes) and procedures (MeSH), with their codes, names and is-a links.
//   Result<ConceptGraph> g = ConceptGraph::Builtin();
//   g->IsA(g->FindByName("docetaxel").nodes[0], *g->Find("MESH:D000970"));  // true: an antineoplastic agent
//
// The tables are derived by scripts/vocab/build_tables.py into resources/vocab/ (see its NOTICE.md) and built into
// the binary. A graph is an immutable value: every const member is safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ts {

enum class NodeKind { kDisease, kDrug, kDrugClass, kChemical, kProcedure };
std::string_view NodeKindName(NodeKind kind);

// A node's position in the graph that returned it (not meaningful for another graph).
using NodeId = uint32_t;

struct GraphNode {
  std::string id;     // "DOID:3908", "DC:939" (DrugCentral), "MESH:D000970", "NDFRT:N0000175973" (FDA class)
  NodeKind kind = NodeKind::kDisease;
  std::string label;  // "lung non-small cell carcinoma", "docetaxel", "Antineoplastic Agents"
};

// The result of a name lookup. A name several concepts carry returns all of them; a short all-caps abbreviation
// ("PE", "MS", "CR") is flagged, because text elsewhere may mean something the vocabularies do not list.
struct NameMatch {
  std::vector<NodeId> nodes;  // ascending; empty when no node carries the name
  bool abbreviation = false;  // the name matched a node only as a short all-caps abbreviation

  // Exactly one node and not an abbreviation: safe to use without looking at the context.
  bool Unique() const { return nodes.size() == 1 && !abbreviation; }
};

// The texts of the tables in resources/vocab/ (each with its header line).
struct VocabTables {
  std::string_view nodes;           // id, kind, label; sorted by id
  std::string_view parents;         // child, parent
  std::string_view codes;           // system, code, node
  std::string_view names;           // key, node, flag (A = abbreviation, - = name)
  std::string_view icd10cm_prefix;  // ICD-10-CM header code, node, the child code it came from
  std::string_view cuts;            // child, parent, reason: parents.tsv links criteria do not mean (hand-kept,
                                    // resources/vocab_cuts.tsv); a cut naming no link is an error
};

struct GraphStats {
  size_t nodes = 0;
  size_t parent_links = 0;
  size_t ancestor_links = 0;  // the precomputed transitive closure
  size_t codes = 0;
  size_t names = 0;           // names.tsv entries plus each node's label
};

class ConceptGraph {
 public:
  // Builds the graph from the tables. InvalidArgument names the table and line of a malformed row, an unknown
  // node id or kind. Ancestors are precomputed here, so later queries do no graph walks.
  static Result<ConceptGraph> Parse(const VocabTables& tables);

  // The graph of the tables built into the binary (resources/vocab/). Each call parses them again (tens of
  // milliseconds); callers keep the value.
  static Result<ConceptGraph> Builtin();

  // The node with this id ("DOID:162"), or nullopt.
  std::optional<NodeId> Find(std::string_view id) const;
  const GraphNode& node(NodeId id) const { return nodes_[id]; }
  size_t size() const { return nodes_.size(); }
  GraphStats stats() const;

  // The nodes holding this code, ascending; empty when none. `system` is a short name (ICD10CM, SNOMED, RXNORM,
  // UNII, MESH, DOID, NDFRT, LOINC; case-insensitive) or a FHIR system URI (http://snomed.info/sct,
  // http://hl7.org/fhir/sid/icd-10-cm, http://www.nlm.nih.gov/research/umls/rxnorm, http://fdasis.nlm.nih.gov,
  // ...). ICD-10-CM (and ICD-10, read as ICD-10-CM) codes without a node walk up their prefix ("C34.90" ->
  // "C34.9" -> "C34") down to the three-character category, taking a header's "unspecified" child where the
  // Disease Ontology has no cross-reference for the header itself. An unknown system returns nothing (the
  // vocabularies carry no LOINC codes: those stay with the curated concept table).
  std::vector<NodeId> FindByCode(std::string_view system, std::string_view code) const;

  // Every node whose label or synonym equals `name`, ASCII case-insensitively, with runs of white space
  // collapsed. Never picks one of several: check NameMatch::Unique().
  NameMatch FindByName(std::string_view name) const;
  // Calls fn(key, node, abbreviation) for every name (labels included), in key order; `key` is lower-cased with
  // white space collapsed, as FindByName compares. A name several nodes carry comes once per node.
  template <typename Fn>
  void ForEachName(Fn&& fn) const {
    for (const NameEntry& e : names_) fn(std::string_view(e.key), e.node, e.abbreviation);
  }

  // The direct is-a parents of a node (several are allowed), ascending.
  std::span<const NodeId> Parents(NodeId id) const;
  // Every node above `id` through is-a links, without `id` itself, ascending. Cycles in the sources are harmless.
  std::span<const NodeId> Ancestors(NodeId id) const;
  // True when `id` is `ancestor` or lies below it. O(log n) in the number of ancestors.
  bool IsA(NodeId id, NodeId ancestor) const;

 private:
  struct CodeEntry {
    std::string key;  // "ICD10CM:C341" (dots removed), "SNOMED:254637007", "RXNORM:72962"
    NodeId node;
    bool derived;     // an ICD-10-CM header that took the node of its "unspecified" child
  };
  struct NameEntry {
    std::string key;  // lower-cased, spaces collapsed
    NodeId node;
    bool abbreviation;
  };

  Status ParseNodes(std::string_view tsv);
  Status ParseParents(std::string_view tsv, std::string_view cuts_tsv);
  Status ParseCodes(std::string_view tsv, std::string_view table, bool derived);
  Status ParseNames(std::string_view tsv);
  void ComputeAncestors();
  std::vector<NodeId> CodeNodes(const std::string& key, bool derived) const;

  std::vector<GraphNode> nodes_;          // sorted by id
  std::vector<uint32_t> parent_begin_;    // CSR: parents of node i are parents_[parent_begin_[i] .. [i+1])
  std::vector<NodeId> parents_;
  std::vector<uint32_t> ancestor_begin_;  // CSR of the transitive closure
  std::vector<NodeId> ancestors_;
  std::vector<CodeEntry> codes_;          // sorted by key, then node
  std::vector<NameEntry> names_;          // sorted by key, then node
};

}  // namespace ts
