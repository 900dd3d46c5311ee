// The concepts eligibility rules name (lab analytes, scores, conditions, therapies, procedures), with
// their codes, a broader-than hierarchy and the synonyms the criteria parser looks for.
//   Result<ConceptTable> t = ConceptTable::Parse(kEligibilityConcepts, "eligibility_concepts.tsv");
//   const Concept* c = t->FindByName("Hitrepopar");   // c->id == "hetrombopag"
//   t->IsA("hetrombopag", "tpo_ra");                  // true
//   ConceptTable::Builtin()->Classify("RXNORM", "72962", "docetaxel");  // {"chemotherapy", "anticancer"}
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "terminology/concept_graph.h"

namespace ts {

class VocabConcepts;

enum class ConceptKind { kAnalyte, kScore, kCondition, kTherapy, kProcedure };

struct ConceptCode {
  std::string system;  // LOINC, ICD10, SNOMED, ATC, TS; DOID, MESH, NDFRT, RXNORM, UNII link to the vocabulary graph
  std::string code;
};

struct Concept {
  ConceptKind kind = ConceptKind::kCondition;
  std::string id;
  std::string label;
  std::string parent;               // "" when none
  std::vector<ConceptCode> codes;
  std::string unit;                 // analytes: the UCUM unit rules are stated in
  double molar_mass = 0;            // analytes with mass <-> molar conversion (g/mol)
  bool uln = false;                 // analytes often stated as multiples of the ULN
  std::vector<std::string> synonyms;  // as written in the table (a leading '!' = case-sensitive)

  // "LOINC 777-3" for the first code, or "" when there is none.
  std::string PrimaryCode() const;
};

// A synonym found in a text: [begin, end) byte offsets and the concept.
struct ConceptMention {
  size_t begin = 0;
  size_t end = 0;
  const Concept* concept_ref = nullptr;
};

class ConceptTable {
 public:
  // Parses the TSV format documented at the top of resources/eligibility_concepts.tsv. Errors name
  // `source` and the line. Without a graph, Classify() knows only the curated codes and names.
  static Result<ConceptTable> Parse(std::string_view tsv, std::string_view source);
  // The same, linked to a vocabulary graph: a concept's DOID, MESH, NDFRT, RXNORM and UNII codes name graph
  // nodes, and a code naming no node is an InvalidArgument error (a typo in the curated file).
  static Result<ConceptTable> Parse(std::string_view tsv, std::string_view source,
                                    std::shared_ptr<const ConceptGraph> graph);

  // With a graph, the table also holds vocabulary concepts (vocab_concepts.h): graph nodes criteria text may
  // name that no curated concept names, with the graph node's id ("DOID:3908", "DC:939") as their id. Find,
  // FindByName, FindMentions, IsA and Classify know them; concepts() lists the curated ones only.
  //
  // The table built into the binary (resources/eligibility_concepts.tsv), linked to the built-in vocabulary
  // graph (resources/vocab). Callers own the copy; copies share the graph.
  static Result<ConceptTable> Builtin();

  const Concept* Find(std::string_view id) const;
  // Exact (case-insensitive) name or synonym match of a whole string, e.g. a FHIR Condition's text.
  const Concept* FindByName(std::string_view name) const;
  // The concept holding this code ("LOINC", "777-3"); systems compare case-insensitively.
  const Concept* FindByCode(std::string_view system, std::string_view code) const;
  // True if `id` is `ancestor` or lies below it: through curated parents, and through the vocabulary graph
  // for concepts linked to it (curated concepts by their codes, vocabulary concepts by their node).
  bool IsA(std::string_view id, std::string_view ancestor) const;

  // The curated concepts an external fact (a coded or named condition, drug, procedure) falls under: the
  // concept holding the code, the concept named by `text`, then every concept whose vocabulary code is the
  // fact's graph node or one of its ancestors, in the order of the curated file. The graph node comes from the
  // code (any system ConceptGraph::FindByCode reads), else from `text` when the name is not an abbreviation.
  // When the code or name has several graph nodes, only the concepts all of them fall under are returned (what
  // holds whichever reading is right). Curated parents are not repeated (IsA gives them). Empty when nothing
  // is known; `system`, `code` and `text` may each be empty. Then the vocabulary concepts of the fact's node and
  // of its ancestors (again those all readings share).
  std::vector<std::string> Classify(std::string_view system, std::string_view code, std::string_view text) const;
  // The other side of Classify() for a code or name with several graph nodes: the concepts that some readings
  // fall under but not all ("ICD10CM:D65" is disseminated intravascular coagulation or purpura fulminans).
  // The fact may be one of them, so it can neither show nor rule one out. Empty for a single reading.
  std::vector<std::string> ClassifyPossible(std::string_view system, std::string_view code, std::string_view text) const;

  // Classify() for a concept of this table: what its graph nodes fall under (curated, then vocabulary
  // concepts), without `id` itself. Empty without a graph or for an unknown id.
  std::vector<std::string> Broader(std::string_view id) const;

  // The vocabulary concepts and the names criteria text may use for each; empty without a graph.
  std::vector<std::pair<const Concept*, std::vector<std::string>>> VocabNames() const;

  // The vocabulary graph the table is linked to, or null.
  const ConceptGraph* graph() const { return graph_.get(); }

  // Every non-overlapping synonym mention in `text`, longest first at each position, on word
  // boundaries. Only concepts of the given kinds (all kinds when `kinds` is empty).
  std::vector<ConceptMention> FindMentions(std::string_view text, const std::vector<ConceptKind>& kinds = {}) const;

  size_t size() const { return concepts_.size(); }
  const std::vector<Concept>& concepts() const { return concepts_; }

 private:
  struct Entry {
    std::string key;  // lower-cased synonym, or exact synonym when case-sensitive
    bool case_sensitive;
    ConceptKind kind;  // the concept's, to skip unwanted kinds before comparing text
    size_t concept_index;
  };
  // The bucket of a synonym or text position: its first two bytes lower-cased (0 for a one-byte key).
  static uint16_t BucketKey(char first, char second);
  std::vector<Concept> concepts_;
  std::unordered_map<std::string, size_t> by_id_;
  std::unordered_map<std::string, size_t> by_name_;  // lower-cased
  std::unordered_map<std::string, size_t> by_code_;  // "loinc:777-3"
  // Synonyms grouped by BucketKey, longest first.
  std::unordered_map<uint16_t, std::vector<Entry>> by_first_;
  // Shared, not owned: the graph is immutable and large (about 14 MB resident with its indexes); a ConceptTable is
  // returned and copied by value; every copy reads the same const graph, which is safe from several threads.
  std::shared_ptr<const ConceptGraph> graph_;
  std::unordered_map<NodeId, std::vector<size_t>> by_node_;  // graph node -> concepts whose code names it
  std::vector<std::vector<NodeId>> nodes_of_;                // curated concept -> the graph nodes its codes name
  std::shared_ptr<const VocabConcepts> vocab_;               // shared like the graph; null without one

  Status LinkGraph(std::string_view source);
  // The curated concepts (indexes, ascending) at or above every node in `nodes`.
  std::vector<size_t> ConceptsAbove(const std::vector<NodeId>& nodes) const;
  // The vocabulary concepts at or above every node in `nodes`, ids ascending.
  std::vector<std::string> VocabAbove(const std::vector<NodeId>& nodes) const;
  // True if `c` or one of its curated parents is `ancestor`.
  bool CuratedChainHas(const Concept* c, std::string_view ancestor) const;
  // The graph nodes of a concept: a curated concept's coded nodes, a vocabulary concept's node.
  std::vector<NodeId> NodesOf(const Concept& c) const;
  // The graph nodes of a fact: its code's, else its name's (an ambiguous abbreviation names none). Needs graph_.
  std::vector<NodeId> GraphNodes(std::string_view system, std::string_view code, std::string_view text) const;
};


}  // namespace ts
