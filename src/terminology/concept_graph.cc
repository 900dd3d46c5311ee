#include "terminology/concept_graph.h"

#include <algorithm>
#include <functional>

#include "common/strings.h"

namespace ts {

extern const std::string_view kVocabNodes;
extern const std::string_view kVocabParents;
extern const std::string_view kVocabCodes;
extern const std::string_view kVocabNames;
extern const std::string_view kVocabIcd10cmPrefix;
extern const std::string_view kVocabCuts;

namespace {

struct KindName {
  NodeKind kind;
  std::string_view name;
};
constexpr KindName kKinds[] = {
    {NodeKind::kDisease, "disease"},     {NodeKind::kDrug, "drug"},           {NodeKind::kDrugClass, "drug_class"},
    {NodeKind::kChemical, "chemical"},   {NodeKind::kProcedure, "procedure"},
};

// The names a code system goes by (lower case, no trailing '/') and the system the tables use.
struct SystemAlias {
  std::string_view alias;
  std::string_view system;
};
constexpr SystemAlias kSystems[] = {
    {"icd10cm", "ICD10CM"},
    {"icd-10-cm", "ICD10CM"},
    {"http://hl7.org/fhir/sid/icd-10-cm", "ICD10CM"},
    // WHO ICD-10 shares its categories with ICD-10-CM; its codes are read as ICD-10-CM and walk up.
    {"icd10", "ICD10CM"},
    {"icd-10", "ICD10CM"},
    {"http://hl7.org/fhir/sid/icd-10", "ICD10CM"},
    {"snomed", "SNOMED"},
    {"snomedct", "SNOMED"},
    {"snomed ct", "SNOMED"},
    {"sct", "SNOMED"},
    {"http://snomed.info/sct", "SNOMED"},
    {"rxnorm", "RXNORM"},
    {"http://www.nlm.nih.gov/research/umls/rxnorm", "RXNORM"},
    {"unii", "UNII"},
    {"http://fdasis.nlm.nih.gov", "UNII"},
    {"mesh", "MESH"},
    {"msh", "MESH"},
    {"http://id.nlm.nih.gov/mesh", "MESH"},
    {"doid", "DOID"},
    {"http://purl.obolibrary.org/obo/doid.owl", "DOID"},
    {"ndfrt", "NDFRT"},
    {"med-rt", "NDFRT"},
    {"http://hl7.org/fhir/ndfrt", "NDFRT"},
    {"loinc", "LOINC"},
    {"http://loinc.org", "LOINC"},
};

std::string_view CanonicalSystem(std::string_view system) {
  std::string key = ToLowerAscii(Trim(system));
  while (!key.empty() && key.back() == '/') key.pop_back();
  for (const SystemAlias& s : kSystems) {
    if (s.alias == key) return s.system;
  }
  return {};
}

std::string ToUpperAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

// "C34.90" -> "C3490": the tables write ICD-10-CM with a dot, patients with or without.
std::string CodeKey(std::string_view system, std::string_view code) {
  std::string c = ToUpperAscii(Trim(code));
  if (system == "ICD10CM") c.erase(std::remove(c.begin(), c.end(), '.'), c.end());
  return std::string(system) + ":" + c;
}

std::string NameKey(std::string_view name) { return ToLowerAscii(CollapseSpace(name)); }

// Calls `row(fields, line_no)` for each line after the header; stops at the first error. Lines starting
// with '#' are comments.
Status ForEachRow(std::string_view tsv, std::string_view table, size_t columns,
                  const std::function<Status(const std::vector<std::string_view>&, int)>& row) {
  int line_no = 0;
  bool header = true;
  for (std::string_view line : Split(tsv, '\n')) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    if (line.back() == '\r') line.remove_suffix(1);
    std::vector<std::string_view> f = Split(line, '\t');
    if (f.size() != columns) {
      return Status::InvalidArgument(std::string(table) + ":" + std::to_string(line_no) + ": expected " +
                                     std::to_string(columns) + " tab-separated fields, found " +
                                     std::to_string(f.size()));
    }
    TS_RETURN_IF_ERROR(row(f, line_no));
  }
  return Status::Ok();
}

Status UnknownNode(std::string_view table, int line_no, std::string_view id) {
  return Status::InvalidArgument(std::string(table) + ":" + std::to_string(line_no) + ": unknown node '" +
                                 std::string(id) + "'");
}

}  // namespace

std::string_view NodeKindName(NodeKind kind) {
  for (const KindName& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "?";
}

Result<ConceptGraph> ConceptGraph::Builtin() {
  return Parse({kVocabNodes, kVocabParents, kVocabCodes, kVocabNames, kVocabIcd10cmPrefix, kVocabCuts});
}

Result<ConceptGraph> ConceptGraph::Parse(const VocabTables& tables) {
  ConceptGraph g;
  TS_RETURN_IF_ERROR(g.ParseNodes(tables.nodes));
  TS_RETURN_IF_ERROR(g.ParseParents(tables.parents, tables.cuts));
  TS_RETURN_IF_ERROR(g.ParseCodes(tables.codes, "codes.tsv", false));
  TS_RETURN_IF_ERROR(g.ParseCodes(tables.icd10cm_prefix, "icd10cm_prefix.tsv", true));
  TS_RETURN_IF_ERROR(g.ParseNames(tables.names));
  g.ComputeAncestors();
  return g;
}

Status ConceptGraph::ParseNodes(std::string_view tsv) {
  TS_RETURN_IF_ERROR(ForEachRow(tsv, "nodes.tsv", 3, [&](const std::vector<std::string_view>& f, int line_no) {
    const KindName* kind = std::find_if(std::begin(kKinds), std::end(kKinds),
                                        [&](const KindName& k) { return k.name == f[1]; });
    if (kind == std::end(kKinds)) {
      return Status::InvalidArgument("nodes.tsv:" + std::to_string(line_no) + ": unknown kind '" +
                                     std::string(f[1]) + "'");
    }
    nodes_.push_back({std::string(f[0]), kind->kind, std::string(f[2])});
    return Status::Ok();
  }));
  std::sort(nodes_.begin(), nodes_.end(), [](const GraphNode& a, const GraphNode& b) { return a.id < b.id; });
  for (size_t i = 1; i < nodes_.size(); ++i) {
    if (nodes_[i].id == nodes_[i - 1].id) return Status::InvalidArgument("nodes.tsv: duplicate id '" + nodes_[i].id + "'");
  }
  return Status::Ok();
}

Status ConceptGraph::ParseParents(std::string_view tsv, std::string_view cuts_tsv) {
  std::vector<std::pair<NodeId, NodeId>> links;
  std::vector<std::pair<NodeId, NodeId>> cuts;
  TS_RETURN_IF_ERROR(ForEachRow(cuts_tsv, "vocab_cuts.tsv", 3, [&](const std::vector<std::string_view>& f, int line_no) {
    std::optional<NodeId> child = Find(f[0]);
    std::optional<NodeId> parent = Find(f[1]);
    if (!child) return UnknownNode("vocab_cuts.tsv", line_no, f[0]);
    if (!parent) return UnknownNode("vocab_cuts.tsv", line_no, f[1]);
    cuts.emplace_back(*child, *parent);
    return Status::Ok();
  }));
  TS_RETURN_IF_ERROR(ForEachRow(tsv, "parents.tsv", 2, [&](const std::vector<std::string_view>& f, int line_no) {
    std::optional<NodeId> child = Find(f[0]);
    std::optional<NodeId> parent = Find(f[1]);
    if (!child) return UnknownNode("parents.tsv", line_no, f[0]);
    if (!parent) return UnknownNode("parents.tsv", line_no, f[1]);
    if (*child != *parent) links.emplace_back(*child, *parent);
    return Status::Ok();
  }));
  std::sort(links.begin(), links.end());
  links.erase(std::unique(links.begin(), links.end()), links.end());
  for (const auto& cut : cuts) {
    auto it = std::lower_bound(links.begin(), links.end(), cut);
    if (it == links.end() || *it != cut) {
      return Status::InvalidArgument("vocab_cuts.tsv: no link " + nodes_[cut.first].id + " -> " + nodes_[cut.second].id +
                                     " in parents.tsv to cut");
    }
    links.erase(it);
  }
  parent_begin_.assign(nodes_.size() + 1, 0);
  for (const auto& [child, parent] : links) ++parent_begin_[child + 1];
  for (size_t i = 1; i < parent_begin_.size(); ++i) parent_begin_[i] += parent_begin_[i - 1];
  parents_.reserve(links.size());
  for (const auto& link : links) parents_.push_back(link.second);  // sorted by child, so already in CSR order
  return Status::Ok();
}

Status ConceptGraph::ParseCodes(std::string_view tsv, std::string_view table, bool derived) {
  // codes.tsv is system, code, node; icd10cm_prefix.tsv is prefix, node, via.
  TS_RETURN_IF_ERROR(ForEachRow(tsv, table, 3, [&](const std::vector<std::string_view>& f, int line_no) {
    std::string_view node_id = derived ? f[1] : f[2];
    std::optional<NodeId> node = Find(node_id);
    if (!node) return UnknownNode(table, line_no, node_id);
    codes_.push_back({derived ? CodeKey("ICD10CM", f[0]) : CodeKey(f[0], f[1]), *node, derived});
    return Status::Ok();
  }));
  std::sort(codes_.begin(), codes_.end(), [](const CodeEntry& a, const CodeEntry& b) {
    return a.key != b.key ? a.key < b.key : a.node < b.node;
  });
  return Status::Ok();
}

Status ConceptGraph::ParseNames(std::string_view tsv) {
  names_.reserve(nodes_.size() + static_cast<size_t>(std::count(tsv.begin(), tsv.end(), '\n')));
  for (NodeId i = 0; i < nodes_.size(); ++i) names_.push_back({NameKey(nodes_[i].label), i, false});
  TS_RETURN_IF_ERROR(ForEachRow(tsv, "names.tsv", 3, [&](const std::vector<std::string_view>& f, int line_no) {
    std::optional<NodeId> node = Find(f[1]);
    if (!node) return UnknownNode("names.tsv", line_no, f[1]);
    names_.push_back({NameKey(f[0]), *node, f[2] == "A"});
    return Status::Ok();
  }));
  std::sort(names_.begin(), names_.end(), [](const NameEntry& a, const NameEntry& b) {
    return a.key != b.key ? a.key < b.key : a.node < b.node;
  });
  return Status::Ok();
}

void ConceptGraph::ComputeAncestors() {
  // A walk up from every node, marking what it reached with that node's stamp: linear in the size of the
  // closure, and a cycle only stops the walk where it closes.
  std::vector<NodeId> stamp(nodes_.size(), static_cast<NodeId>(-1));
  std::vector<NodeId> stack;
  ancestor_begin_.assign(nodes_.size() + 1, 0);
  for (NodeId i = 0; i < nodes_.size(); ++i) {
    size_t begin = ancestors_.size();
    stamp[i] = i;
    stack.assign(1, i);
    while (!stack.empty()) {
      NodeId n = stack.back();
      stack.pop_back();
      for (NodeId p : Parents(n)) {
        if (stamp[p] == i) continue;
        stamp[p] = i;
        ancestors_.push_back(p);
        stack.push_back(p);
      }
    }
    std::sort(ancestors_.begin() + static_cast<std::ptrdiff_t>(begin), ancestors_.end());
    ancestor_begin_[i + 1] = static_cast<uint32_t>(ancestors_.size());
  }
}

std::optional<NodeId> ConceptGraph::Find(std::string_view id) const {
  auto it = std::lower_bound(nodes_.begin(), nodes_.end(), id,
                             [](const GraphNode& n, std::string_view key) { return n.id < key; });
  if (it == nodes_.end() || it->id != id) return std::nullopt;
  return static_cast<NodeId>(it - nodes_.begin());
}

GraphStats ConceptGraph::stats() const {
  return {nodes_.size(), parents_.size(), ancestors_.size(), codes_.size(), names_.size()};
}

std::vector<NodeId> ConceptGraph::CodeNodes(const std::string& key, bool derived) const {
  std::vector<NodeId> out;
  auto it = std::lower_bound(codes_.begin(), codes_.end(), key,
                             [](const CodeEntry& e, const std::string& k) { return e.key < k; });
  for (; it != codes_.end() && it->key == key; ++it) {
    if (it->derived == derived && (out.empty() || out.back() != it->node)) out.push_back(it->node);
  }
  return out;
}

std::vector<NodeId> ConceptGraph::FindByCode(std::string_view system, std::string_view code) const {
  std::string_view canonical = CanonicalSystem(system);
  if (canonical.empty() || Trim(code).empty()) return {};
  if (canonical == "DOID") {
    std::string id = ToUpperAscii(Trim(code));
    if (!StartsWith(id, "DOID:")) id = "DOID:" + id;
    std::optional<NodeId> n = Find(id);
    return n ? std::vector<NodeId>{*n} : std::vector<NodeId>{};
  }
  std::string key = CodeKey(canonical, code);
  std::vector<NodeId> out = CodeNodes(key, false);
  if (!out.empty() || canonical != "ICD10CM") return out;
  // Walk up to the three-character category ("ICD10CM:" is 8 bytes).
  for (; key.size() >= 8 + 3; key.pop_back()) {
    out = CodeNodes(key, false);
    if (out.empty()) out = CodeNodes(key, true);
    if (!out.empty()) return out;
  }
  return out;
}

NameMatch ConceptGraph::FindByName(std::string_view name) const {
  NameMatch match;
  std::string key = NameKey(name);
  if (key.empty()) return match;
  auto it = std::lower_bound(names_.begin(), names_.end(), key,
                             [](const NameEntry& e, const std::string& k) { return e.key < k; });
  for (; it != names_.end() && it->key == key; ++it) {
    if (match.nodes.empty() || match.nodes.back() != it->node) match.nodes.push_back(it->node);
    match.abbreviation = match.abbreviation || it->abbreviation;
  }
  return match;
}

std::span<const NodeId> ConceptGraph::Parents(NodeId id) const {
  return {parents_.data() + parent_begin_[id], parent_begin_[id + 1] - parent_begin_[id]};
}

std::span<const NodeId> ConceptGraph::Ancestors(NodeId id) const {
  return {ancestors_.data() + ancestor_begin_[id], ancestor_begin_[id + 1] - ancestor_begin_[id]};
}

bool ConceptGraph::IsA(NodeId id, NodeId ancestor) const {
  if (id == ancestor) return true;
  std::span<const NodeId> a = Ancestors(id);
  return std::binary_search(a.begin(), a.end(), ancestor);
}

}  // namespace ts
