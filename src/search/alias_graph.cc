#include "search/alias_graph.h"

#include <algorithm>
#include <set>

#include "common/strings.h"
#include "search/query.h"

namespace ts {

std::string AliasKey(const std::vector<std::string>& terms) {
  std::string k;
  for (const auto& t : terms) {
    if (!k.empty()) k += ' ';
    k += t;
  }
  return k;
}

size_t AliasGraph::Find(size_t g) const {
  while (parent_[g] != g) {
    parent_[g] = parent_[parent_[g]];
    g = parent_[g];
  }
  return g;
}

size_t AliasGraph::group_count() const {
  size_t n = 0;
  for (size_t g = 0; g < parent_.size(); ++g)
    if (parent_[g] == g) ++n;
  return n;
}

size_t AliasGraph::AddName(const std::string& name, const std::string& source, Analyzer& analyzer) {
  Alternative alt = AnalyzeAlternative(name, analyzer);
  AliasName n;
  n.name = CollapseSpace(name);
  n.source = source;
  n.terms = std::move(alt.terms);
  n.offsets = std::move(alt.offsets);
  // Names that analyse to nothing, or to one or two characters, would match too much.
  std::string key = AliasKey(n.terms);
  if (n.terms.empty() || key.size() < 2) return SIZE_MAX;
  auto it = by_key_.find(key);
  if (it != by_key_.end()) return it->second;
  size_t id = names_.size();
  max_terms_ = std::max(max_terms_, n.terms.size());
  names_.push_back(std::move(n));
  by_key_.emplace(key, id);
  size_t g = parent_.size();
  parent_.push_back(g);
  group_of_.push_back(g);
  members_.push_back({id});
  trees_of_.emplace_back();
  return id;
}

void AliasGraph::Add(const VocabGroup& group, Analyzer& analyzer) {
  std::vector<size_t> ids;
  if (size_t id = AddName(group.canonical, group.source, analyzer); id != SIZE_MAX) ids.push_back(id);
  for (const auto& n : group.names) {
    size_t id = AddName(n, group.source, analyzer);
    if (id != SIZE_MAX) ids.push_back(id);
  }
  if (ids.empty()) return;
  for (const auto& tn : group.tree_numbers) {
    mesh_tree_[tn] = ids[0];
    trees_of_[ids[0]].push_back(tn);
  }
  // Union the groups of all names, unless the result would exceed the cap.
  std::set<size_t> roots;
  for (size_t id : ids) roots.insert(Find(group_of_[id]));
  size_t total = 0;
  for (size_t r : roots) total += members_[r].size();
  if (roots.size() < 2 || total > kMaxGroupNames) return;
  size_t into = *roots.begin();
  for (size_t r : roots) {
    if (r == into) continue;
    parent_[r] = into;
    members_[into].insert(members_[into].end(), members_[r].begin(), members_[r].end());
    members_[r].clear();
  }
}

Status AliasGraph::AddCuratedTsv(std::string_view tsv, Analyzer& analyzer) {
  size_t line_no = 0;
  for (std::string_view line : Split(tsv, '\n')) {
    ++line_no;
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    auto cols = Split(line, '\t');
    if (cols.size() != 3) {
      return Status::InvalidArgument("aliases line " + std::to_string(line_no) + ": expected kind<TAB>name<TAB>aliases");
    }
    VocabGroup g{std::string(Trim(cols[0])), std::string(Trim(cols[1])), {}, "curated", {}};
    for (auto a : Split(cols[2], '|'))
      if (!Trim(a).empty()) g.names.emplace_back(Trim(a));
    Add(g, analyzer);
  }
  return Status::Ok();
}

void AliasGraph::AddFromStudy(const std::string& key, const Study& study, Analyzer& analyzer) {
  for (const auto& iv : study.interventions) {
    if (iv.other_names.empty() || iv.name.size() > 60) continue;
    VocabGroup g{"drug", iv.name, {}, "record:" + key, {}};
    for (const auto& o : iv.other_names)
      if (o.size() <= 60 && !EqualsIgnoreCase(o, iv.name)) g.names.push_back(o);
    if (!g.names.empty()) Add(g, analyzer);
  }
}

std::vector<AliasHit> AliasGraph::Lookup(const std::vector<std::string>& terms, size_t max_narrower) const {
  std::vector<AliasHit> out;
  auto it = by_key_.find(AliasKey(terms));
  if (it == by_key_.end()) return out;
  const size_t self = it->second;
  for (size_t id : members_[Find(group_of_[self])])
    if (id != self) out.push_back({&names_[id], false});
  // Narrower MeSH terms: descendants of the name's tree numbers.
  size_t added = 0;
  for (const auto& tn : trees_of_[self]) {
    std::string prefix = tn + ".";
    for (auto m = mesh_tree_.lower_bound(prefix); m != mesh_tree_.end() && added < max_narrower; ++m) {
      if (!StartsWith(m->first, prefix)) break;
      if (m->second != self) {
        out.push_back({&names_[m->second], true});
        ++added;
      }
    }
  }
  return out;
}

}  // namespace ts

namespace ts {

void AliasGraph::Save(BinaryWriter* w) const {
  w->Put<uint64_t>(names_.size());
  for (size_t i = 0; i < names_.size(); ++i) {
    const AliasName& n = names_[i];
    w->PutString(n.name);
    w->PutString(n.source);
    w->Put<uint64_t>(n.terms.size());
    for (const auto& t : n.terms) w->PutString(t);
    w->PutVector(n.offsets);
    w->Put<uint64_t>(group_of_[i]);
    w->Put<uint64_t>(trees_of_[i].size());
    for (const auto& t : trees_of_[i]) w->PutString(t);
  }
  std::vector<uint64_t> parents(parent_.begin(), parent_.end());
  w->PutVector(parents);
  w->Put<uint64_t>(max_terms_);
}

Status AliasGraph::Load(BinaryReader* r) {
  *this = AliasGraph();
  auto bad = [&] {
    Status s = r->status();
    *this = AliasGraph();
    return s.ok() ? Status::Corruption("snapshot alias graph is inconsistent") : s;
  };
  uint64_t n;
  if (!r->Get(&n) || n > (1ull << 32)) return bad();
  names_.resize(n);
  group_of_.resize(n);
  trees_of_.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    AliasName& a = names_[i];
    uint64_t nterms, group, ntrees;
    if (!r->GetString(&a.name) || !r->GetString(&a.source) || !r->Get(&nterms) || nterms > 1024) return bad();
    a.terms.resize(nterms);
    for (auto& t : a.terms)
      if (!r->GetString(&t)) return bad();
    if (!r->GetVector(&a.offsets) || a.offsets.size() != nterms || !r->Get(&group) || !r->Get(&ntrees) || ntrees > 1024) {
      return bad();
    }
    group_of_[i] = group;
    trees_of_[i].resize(ntrees);
    for (auto& t : trees_of_[i]) {
      if (!r->GetString(&t)) return bad();
      mesh_tree_[t] = i;
    }
    by_key_.emplace(AliasKey(a.terms), i);
  }
  std::vector<uint64_t> parents;
  uint64_t max_terms;
  if (!r->GetVector(&parents) || parents.size() != n || !r->Get(&max_terms)) return bad();
  parent_.assign(parents.begin(), parents.end());
  for (size_t i = 0; i < n; ++i)
    if (parent_[i] >= n || group_of_[i] >= n) return bad();
  max_terms_ = max_terms;
  members_.assign(n, {});
  for (size_t i = 0; i < n; ++i) members_[Find(group_of_[i])].push_back(i);
  return Status::Ok();
}

}  // namespace ts
