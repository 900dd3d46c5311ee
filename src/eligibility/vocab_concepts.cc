#include "eligibility/vocab_concepts.h"

#include <algorithm>
#include <cctype>

#include "common/ascii.h"
#include "common/strings.h"

namespace ts {

namespace {

bool IsWordByte(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return ascii::IsAlnum(u) || u >= 0x80;
}

// FNV-1a: prefixes are kept as hashes (a collision only lets Match read a word further).
uint64_t Hash(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

std::string NameKey(std::string_view s) { return ToLowerAscii(CollapseSpace(Trim(s))); }

struct Filter {
  std::unordered_set<std::string> allow;  // disease synonyms read
  std::unordered_set<std::string> stop;   // names never read
  std::unordered_set<std::string> stop_nodes;  // node ids none of whose names is read
  std::vector<std::string> procedure_label;
};

Result<Filter> ParseFilter(std::string_view tsv, std::string_view source) {
  Filter f;
  int line_no = 0;
  for (std::string_view line : Split(tsv, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty() || line[0] == '#') continue;
    std::vector<std::string_view> cols = Split(line, '\t');
    auto where = [&] { return std::string(source) + ":" + std::to_string(line_no); };
    if (cols.size() != 2 || Trim(cols[1]).empty()) {
      return Status::InvalidArgument(where() + ": expected 'action<TAB>text'");
    }
    std::string text = NameKey(cols[1]);
    if (cols[0] == "stop_node") {
      f.stop_nodes.insert(std::string(Trim(cols[1])));
      continue;
    }
    if (cols[0] == "allow") f.allow.insert(text);
    else if (cols[0] == "stop") f.stop.insert(text);
    else if (cols[0] == "procedure_label") f.procedure_label.push_back(text);
    else return Status::InvalidArgument(where() + ": unknown action '" + std::string(cols[0]) + "'");
  }
  return f;
}

std::optional<ConceptKind> KindOf(NodeKind k) {
  switch (k) {
    case NodeKind::kDisease: return ConceptKind::kCondition;
    case NodeKind::kDrug:
    case NodeKind::kDrugClass: return ConceptKind::kTherapy;
    case NodeKind::kProcedure: return ConceptKind::kProcedure;
    case NodeKind::kChemical: return std::nullopt;  // substances in general: mostly lab analytes in criteria
  }
  return std::nullopt;
}

bool HasLetter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return ascii::IsAlpha(static_cast<unsigned char>(c)); });
}

}  // namespace

Result<std::shared_ptr<const VocabConcepts>> VocabConcepts::Build(const ConceptGraph& graph, std::string_view filter_tsv,
                                                                  std::string_view source, const Curated& curated) {
  Result<Filter> filter = ParseFilter(filter_tsv, source);
  if (!filter.ok()) return filter.status();
  for (const std::string& id : filter->stop_nodes) {
    if (!graph.Find(id)) return Status::InvalidArgument(std::string(source) + ": stop_node names no vocabulary node: " + id);
  }
  auto v = std::make_shared<VocabConcepts>();
  graph.ForEachName([&](std::string_view key, NodeId node, bool abbreviation) {
    const GraphNode& n = graph.node(node);
    std::optional<ConceptKind> kind = KindOf(n.kind);
    if (!kind || abbreviation || key.size() < 4 || curated.nodes.count(node) || !HasLetter(key)) return;
    if (filter->stop_nodes.count(n.id)) return;
    if (graph.FindByName(key).nodes.size() != 1) return;  // a name several nodes carry is not read
    std::string k(key);
    if (filter->stop.count(k) || curated.names.count(k)) return;
    if (n.kind == NodeKind::kDisease && !filter->allow.count(k) && k != NameKey(n.label)) return;
    if (n.kind == NodeKind::kProcedure) {
      std::string label = NameKey(n.label);
      for (const std::string& w : filter->procedure_label) {
        if (label.find(w) != std::string::npos) return;
      }
    }
    auto [it, added] = v->by_node_.emplace(node, static_cast<uint32_t>(v->concepts_.size()));
    if (added) {
      Concept c;
      c.kind = *kind;
      c.id = n.id;
      c.label = n.label;
      size_t colon = n.id.find(':');
      c.codes.push_back({n.id.substr(0, colon), n.id.substr(colon + 1)});
      v->by_id_.emplace(c.id, it->second);
      v->concepts_.push_back(std::move(c));
      v->nodes_.push_back(node);
    }
    v->by_name_.emplace(k, it->second);
    v->max_name_ = std::max(v->max_name_, k.size());
    for (size_t i = 1; i < k.size(); ++i) {
      if (IsWordByte(k[i - 1]) && !IsWordByte(k[i])) v->prefixes_.insert(Hash(std::string_view(k).substr(0, i)));
    }
    v->prefixes_.insert(Hash(k));
  });
  return std::shared_ptr<const VocabConcepts>(std::move(v));
}

const Concept* VocabConcepts::Find(std::string_view id) const {
  auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &concepts_[it->second];
}

const Concept* VocabConcepts::FindByName(std::string_view name) const {
  auto it = by_name_.find(NameKey(name));
  return it == by_name_.end() ? nullptr : &concepts_[it->second];
}

const Concept* VocabConcepts::OfNode(NodeId node) const {
  auto it = by_node_.find(node);
  return it == by_node_.end() ? nullptr : &concepts_[it->second];
}

std::vector<std::pair<const Concept*, std::vector<std::string>>> VocabConcepts::Names() const {
  std::vector<std::pair<const Concept*, std::vector<std::string>>> out(concepts_.size());
  for (size_t i = 0; i < concepts_.size(); ++i) out[i].first = &concepts_[i];
  for (const auto& [name, i] : by_name_) out[i].second.push_back(name);
  for (auto& [c, names] : out) std::sort(names.begin(), names.end());
  return out;
}

size_t VocabConcepts::Match(std::string_view text, size_t begin, const Concept** out) const {
  std::string key;
  size_t best = begin;
  auto look = [&](const std::string& k, size_t end) {
    auto it = by_name_.find(k);
    if (it == by_name_.end()) return;
    best = end;
    *out = &concepts_[it->second];
  };
  for (size_t j = begin; j < text.size() && key.size() <= max_name_; ++j) {
    char c = text[j];
    if (ascii::IsSpace(static_cast<unsigned char>(c))) {
      if (key.empty() || key.back() == ' ') continue;
      key += ' ';
      continue;
    }
    // Clause punctuation ends every name.
    if (c == ';' || c == '(' || c == ')' || c == ':' || c == '[' || c == ']') break;
    key += static_cast<char>(ascii::Lower(static_cast<unsigned char>(c)));
    bool word_end = IsWordByte(c) && (j + 1 == text.size() || !IsWordByte(text[j + 1]));
    if (!word_end) continue;
    // prefixes_ holds every name too, so a key outside it is no name and starts none (one integer lookup
    // per word rules out most words before a string lookup).
    const bool prefix = prefixes_.count(Hash(key)) > 0;
    if (prefix) look(key, j + 1);
    // "seizure disorders", "carcinomas": a plural of a name.
    if (best != j + 1 && key.size() > 4 && key.back() == 's' && key[key.size() - 2] != 's') {
      std::string_view singular = std::string_view(key).substr(0, key.size() - 1);
      if (prefixes_.count(Hash(singular))) look(std::string(singular), j + 1);
    }
    if (!prefix) break;
  }
  return best;
}

}  // namespace ts
