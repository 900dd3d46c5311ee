#include "eligibility/concepts.h"

#include <algorithm>

#include "common/ascii.h"
#include "common/strings.h"
#include "eligibility/vocab_concepts.h"

namespace ts {

extern const std::string_view kEligibilityConcepts;
extern const std::string_view kCriteriaVocabFilter;

std::string Concept::PrimaryCode() const {
  if (codes.empty() || codes[0].system == "TS") return "";
  return codes[0].system + " " + codes[0].code;
}

namespace {

bool IsWordByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return ascii::IsAlnum(u) || u >= 0x80;
}

std::optional<ConceptKind> ParseKind(std::string_view s) {
  if (s == "analyte") return ConceptKind::kAnalyte;
  if (s == "score") return ConceptKind::kScore;
  if (s == "condition") return ConceptKind::kCondition;
  if (s == "therapy") return ConceptKind::kTherapy;
  if (s == "procedure") return ConceptKind::kProcedure;
  return std::nullopt;
}

// The code systems of the vocabulary graph; a curated code in one of them names a graph node.
constexpr std::string_view kGraphSystems[] = {"DOID", "MESH", "NDFRT", "RXNORM", "UNII"};

}  // namespace

Result<ConceptTable> ConceptTable::Builtin() {
  Result<ConceptGraph> graph = ConceptGraph::Builtin();
  if (!graph.ok()) return graph.status();
  return Parse(kEligibilityConcepts, "eligibility_concepts.tsv",
               std::make_shared<const ConceptGraph>(std::move(graph).value()));
}

Result<ConceptTable> ConceptTable::Parse(std::string_view tsv, std::string_view source,
                                         std::shared_ptr<const ConceptGraph> graph) {
  Result<ConceptTable> table = Parse(tsv, source);
  if (!table.ok() || graph == nullptr) return table;
  table->graph_ = std::move(graph);
  TS_RETURN_IF_ERROR(table->LinkGraph(source));
  return table;
}

Status ConceptTable::LinkGraph(std::string_view source) {
  nodes_of_.assign(concepts_.size(), {});
  VocabConcepts::Curated curated;
  for (size_t i = 0; i < concepts_.size(); ++i) {
    curated.names.insert(ToLowerAscii(concepts_[i].label));
    for (const std::string& syn : concepts_[i].synonyms) curated.names.insert(ToLowerAscii(CollapseSpace(syn[0] == '!' ? syn.substr(1) : syn)));
    for (const ConceptCode& code : concepts_[i].codes) {
      if (std::find(std::begin(kGraphSystems), std::end(kGraphSystems), code.system) == std::end(kGraphSystems)) {
        continue;
      }
      std::vector<NodeId> nodes = graph_->FindByCode(code.system, code.code);
      if (nodes.empty()) {
        return Status::InvalidArgument(std::string(source) + ": concept '" + concepts_[i].id + "' has code " +
                                       code.system + ":" + code.code + ", which the vocabulary graph does not hold");
      }
      for (NodeId n : nodes) {
        by_node_[n].push_back(i);
        nodes_of_[i].push_back(n);
        curated.nodes.insert(n);
      }
    }
  }
  Result<std::shared_ptr<const VocabConcepts>> vocab =
      VocabConcepts::Build(*graph_, kCriteriaVocabFilter, "criteria_vocab_filter.tsv", curated);
  if (!vocab.ok()) return vocab.status();
  vocab_ = std::move(vocab).value();
  return Status::Ok();
}

Result<ConceptTable> ConceptTable::Parse(std::string_view tsv, std::string_view source) {
  ConceptTable table;
  int line_no = 0;
  for (std::string_view line : Split(tsv, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty() || line[0] == '#') continue;
    std::vector<std::string_view> f = Split(line, '\t');
    auto where = [&] { return std::string(source) + ":" + std::to_string(line_no); };
    if (f.size() != 7) {
      return Status::InvalidArgument(where() + ": expected 7 tab-separated fields, found " + std::to_string(f.size()));
    }
    std::optional<ConceptKind> kind = ParseKind(f[0]);
    if (!kind) return Status::InvalidArgument(where() + ": unknown kind '" + std::string(f[0]) + "'");
    Concept c;
    c.kind = *kind;
    c.id = std::string(f[1]);
    c.label = std::string(f[2]);
    if (f[3] != "-") c.parent = std::string(f[3]);
    if (f[4] != "-") {
      for (std::string_view code : Split(f[4], ',')) {
        size_t colon = code.find(':');
        if (colon == std::string_view::npos) {
          return Status::InvalidArgument(where() + ": code '" + std::string(code) + "' is not SYSTEM:code");
        }
        c.codes.push_back({std::string(code.substr(0, colon)), std::string(code.substr(colon + 1))});
      }
    }
    if (f[5] != "-") {
      for (std::string_view kv : Split(f[5], ';')) {
        if (kv == "uln") c.uln = true;
        else if (StartsWith(kv, "unit=")) c.unit = std::string(kv.substr(5));
        else if (StartsWith(kv, "mm=") && ParseDouble(kv.substr(3), &c.molar_mass)) {}
        else return Status::InvalidArgument(where() + ": unknown extra '" + std::string(kv) + "'");
      }
    }
    for (std::string_view syn : Split(f[6], '|')) {
      if (!syn.empty()) c.synonyms.emplace_back(syn);
    }
    if (table.by_id_.count(c.id)) return Status::InvalidArgument(where() + ": duplicate id '" + c.id + "'");
    table.by_id_[c.id] = table.concepts_.size();
    table.concepts_.push_back(std::move(c));
  }
  for (size_t i = 0; i < table.concepts_.size(); ++i) {
    const Concept& c = table.concepts_[i];
    if (!c.parent.empty() && !table.by_id_.count(c.parent)) {
      return Status::InvalidArgument(std::string(source) + ": concept '" + c.id + "' has unknown parent '" + c.parent + "'");
    }
    table.by_name_.emplace(ToLowerAscii(c.label), i);
    table.by_name_.emplace(ToLowerAscii(c.id), i);
    for (const ConceptCode& code : c.codes) table.by_code_.emplace(ToLowerAscii(code.system + ":" + code.code), i);
    for (const std::string& syn : c.synonyms) {
      bool cs = syn[0] == '!';
      std::string key = cs ? syn.substr(1) : ToLowerAscii(syn);
      table.by_name_.emplace(ToLowerAscii(key), i);
      table.by_first_[BucketKey(key[0], key.size() > 1 ? key[1] : '\0')].push_back({key, cs, c.kind, i});
    }
  }
  for (auto& [first, entries] : table.by_first_) {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.key.size() > b.key.size(); });
  }
  return table;
}

uint16_t ConceptTable::BucketKey(char first, char second) {
  return static_cast<uint16_t>(ascii::Lower(first) << 8 | ascii::Lower(second));
}

const Concept* ConceptTable::Find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  if (it != by_id_.end()) return &concepts_[it->second];
  return vocab_ != nullptr && id.find(':') != std::string_view::npos ? vocab_->Find(id) : nullptr;
}

const Concept* ConceptTable::FindByName(std::string_view name) const {
  auto it = by_name_.find(ToLowerAscii(CollapseSpace(name)));
  if (it != by_name_.end()) return &concepts_[it->second];
  return vocab_ != nullptr ? vocab_->FindByName(name) : nullptr;
}

const Concept* ConceptTable::FindByCode(std::string_view system, std::string_view code) const {
  std::string key = ToLowerAscii(system);
  // FHIR system URIs name the same code systems.
  if (key == "http://loinc.org") key = "loinc";
  else if (key == "http://snomed.info/sct") key = "snomed";
  else if (key == "http://hl7.org/fhir/sid/icd-10" || key == "http://hl7.org/fhir/sid/icd-10-cm" || key == "icd10cm") key = "icd10";
  else if (key == "http://www.whocc.no/atc") key = "atc";
  auto it = by_code_.find(key + ":" + ToLowerAscii(code));
  if (it != by_code_.end()) return &concepts_[it->second];
  // ICD-10 and ATC are hierarchical: "D61.3" falls under "D61", "L04AD01" under "L04".
  if (key == "icd10" || key == "atc") {
    std::string c(code);
    while (c.size() > 1) {
      c.pop_back();
      if (!c.empty() && c.back() == '.') c.pop_back();
      it = by_code_.find(key + ":" + ToLowerAscii(c));
      if (it != by_code_.end()) return &concepts_[it->second];
    }
  }
  return nullptr;
}

bool ConceptTable::CuratedChainHas(const Concept* c, std::string_view ancestor) const {
  for (int depth = 0; c != nullptr && depth < 16; ++depth) {  // the depth bounds a cycle in the curated file
    if (c->id == ancestor) return true;
    c = c->parent.empty() ? nullptr : Find(c->parent);
  }
  return false;
}

bool ConceptTable::IsA(std::string_view id, std::string_view ancestor) const {
  const Concept* start = Find(id);
  if (CuratedChainHas(start, ancestor)) return true;
  const Concept* anc = Find(ancestor);
  if (start == nullptr || anc == nullptr || graph_ == nullptr) return false;
  std::vector<NodeId> from = NodesOf(*start);
  if (from.empty()) return false;
  std::vector<NodeId> to = NodesOf(*anc);
  // An ancestor's node above every reading of `id`.
  for (NodeId a : to) {
    if (std::all_of(from.begin(), from.end(), [&](NodeId n) { return graph_->IsA(n, a); })) return true;
  }
  // A curated ancestor above one of the curated concepts the graph puts `id` under.
  for (size_t i : ConceptsAbove(from)) {
    if (&concepts_[i] != start && CuratedChainHas(&concepts_[i], ancestor)) return true;
  }
  return false;
}

std::vector<NodeId> ConceptTable::NodesOf(const Concept& c) const {
  if (c.id.find(':') != std::string::npos && vocab_ != nullptr && vocab_->Find(c.id) == &c) return {vocab_->NodeOf(c)};
  auto it = by_id_.find(c.id);
  if (it == by_id_.end() || nodes_of_.empty()) return {};
  return nodes_of_[it->second];
}

namespace {

// What every node of `nodes` has at or above it, each node's set gathered by `collect(node, &out)`: the
// readings of an ambiguous fact agree on these. Sorted, unique.
template <typename T, typename Collect>
std::vector<T> CommonAbove(const ConceptGraph& graph, const std::vector<NodeId>& nodes, Collect collect) {
  std::vector<T> common;
  for (size_t k = 0; k < nodes.size(); ++k) {
    std::vector<T> here;
    collect(nodes[k], &here);
    for (NodeId a : graph.Ancestors(nodes[k])) collect(a, &here);
    std::sort(here.begin(), here.end());
    here.erase(std::unique(here.begin(), here.end()), here.end());
    if (k == 0) {
      common = std::move(here);
    } else {
      std::vector<T> both;
      std::set_intersection(common.begin(), common.end(), here.begin(), here.end(), std::back_inserter(both));
      common = std::move(both);
    }
  }
  return common;
}

}  // namespace

std::vector<std::string> ConceptTable::VocabAbove(const std::vector<NodeId>& nodes) const {
  return CommonAbove<std::string>(*graph_, nodes, [&](NodeId n, std::vector<std::string>* out) {
    if (const Concept* c = vocab_->OfNode(n)) out->push_back(c->id);
  });
}

std::vector<size_t> ConceptTable::ConceptsAbove(const std::vector<NodeId>& nodes) const {
  return CommonAbove<size_t>(*graph_, nodes, [&](NodeId n, std::vector<size_t>* out) {
    auto it = by_node_.find(n);
    if (it != by_node_.end()) out->insert(out->end(), it->second.begin(), it->second.end());
  });
}

std::vector<NodeId> ConceptTable::GraphNodes(std::string_view system, std::string_view code,
                                             std::string_view text) const {
  std::vector<NodeId> nodes;
  if (!code.empty()) nodes = graph_->FindByCode(system, code);
  if (nodes.empty() && !text.empty()) {
    NameMatch m = graph_->FindByName(text);
    if (!m.abbreviation) nodes = std::move(m.nodes);
  }
  return nodes;
}

std::vector<std::string> ConceptTable::Classify(std::string_view system, std::string_view code,
                                                std::string_view text) const {
  std::vector<std::string> out;
  auto add = [&](const Concept* c) {
    if (c != nullptr && std::find(out.begin(), out.end(), c->id) == out.end()) out.push_back(c->id);
  };
  if (!code.empty()) add(FindByCode(system, code));
  if (!text.empty()) add(FindByName(text));
  if (graph_ == nullptr) return out;
  std::vector<NodeId> nodes = GraphNodes(system, code, text);
  for (size_t i : ConceptsAbove(nodes)) add(&concepts_[i]);
  if (vocab_ != nullptr) {
    for (const std::string& id : VocabAbove(nodes)) add(vocab_->Find(id));
  }
  return out;
}

std::vector<std::string> ConceptTable::ClassifyPossible(std::string_view system, std::string_view code,
                                                        std::string_view text) const {
  std::vector<std::string> out;
  if (graph_ == nullptr) return out;
  std::vector<NodeId> nodes = GraphNodes(system, code, text);
  if (nodes.size() < 2) return out;
  std::vector<std::string> all = Classify(system, code, text);
  for (NodeId n : nodes) {
    std::vector<std::string> here;
    for (size_t i : ConceptsAbove({n})) here.push_back(concepts_[i].id);
    if (vocab_ != nullptr) {
      for (std::string& id : VocabAbove({n})) here.push_back(std::move(id));
    }
    for (std::string& id : here) {
      if (std::find(all.begin(), all.end(), id) == all.end() && std::find(out.begin(), out.end(), id) == out.end()) {
        out.push_back(std::move(id));
      }
    }
  }
  return out;
}

std::vector<std::pair<const Concept*, std::vector<std::string>>> ConceptTable::VocabNames() const {
  if (vocab_ == nullptr) return {};
  return vocab_->Names();
}

std::vector<std::string> ConceptTable::Broader(std::string_view id) const {
  std::vector<std::string> out;
  const Concept* c = Find(id);
  if (c == nullptr || graph_ == nullptr) return out;
  std::vector<NodeId> nodes = NodesOf(*c);
  if (nodes.empty()) return out;
  for (size_t i : ConceptsAbove(nodes)) {
    if (concepts_[i].id != id) out.push_back(concepts_[i].id);
  }
  for (std::string& v : VocabAbove(nodes)) {
    if (v != id) out.push_back(std::move(v));
  }
  return out;
}

std::vector<ConceptMention> ConceptTable::FindMentions(std::string_view text,
                                                       const std::vector<ConceptKind>& kinds) const {
  std::vector<ConceptMention> out;
  auto wanted = [&](ConceptKind k) { return kinds.empty() || std::find(kinds.begin(), kinds.end(), k) != kinds.end(); };
  const bool vocab = vocab_ != nullptr && (wanted(ConceptKind::kCondition) || wanted(ConceptKind::kTherapy) ||
                                           wanted(ConceptKind::kProcedure));
  size_t i = 0;
  while (i < text.size()) {
    if (i > 0 && IsWordByte(text[i - 1]) && IsWordByte(text[i])) { ++i; continue; }
    // Inside a hyphenated compound ("immuno-chemotherapy", "anti-cancer") is not a word start.
    if (i > 1 && text[i - 1] == '-' && IsWordByte(text[i - 2])) { ++i; continue; }
    size_t matched = 0;
    // Keys of two or more bytes, then the one-byte keys: longest first overall.
    const uint16_t two = BucketKey(text[i], i + 1 < text.size() ? text[i + 1] : '\0');
    const uint16_t one = BucketKey(text[i], '\0');
    const uint16_t buckets[2] = {two, one};
    for (size_t k = 0; k < (two == one ? 1 : 2) && matched == 0; ++k) {
      auto bucket = by_first_.find(buckets[k]);
      if (bucket == by_first_.end()) continue;
      for (const Entry& e : bucket->second) {
        if (i + e.key.size() > text.size()) continue;
        if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), e.kind) == kinds.end()) continue;
        std::string_view cand = text.substr(i, e.key.size());
        bool eq = e.case_sensitive ? cand == e.key : EqualsIgnoreCase(cand, e.key);
        if (!eq) continue;
        size_t end = i + e.key.size();
        // Word boundary at the end; a trailing "+" or "-" belongs to the word ("CD34+").
        if (end < text.size() && IsWordByte(text[end]) && IsWordByte(text[end - 1])) continue;
        out.push_back({i, end, &concepts_[e.concept_index]});
        matched = end;
        break;
      }
    }
    // A longer vocabulary name wins over a curated one at the same place ("lung cancer" in "small cell lung
    // cancer" starts later anyway); a curated name wins a tie.
    if (vocab && IsWordByte(text[i])) {
      const Concept* v = nullptr;
      size_t vend = vocab_->Match(text, i, &v);
      if (v != nullptr && vend > std::max(matched, i) && wanted(v->kind)) {
        if (matched > i) out.pop_back();
        out.push_back({i, vend, v});
        matched = vend;
      }
    }
    i = matched > i ? matched : i + 1;
  }
  return out;
}

}  // namespace ts
