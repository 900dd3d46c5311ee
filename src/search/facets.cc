#include "search/facets.h"

#include <algorithm>

namespace ts {

namespace {

template <typename E>
std::string EnumValueName(const SearchIndex&, uint32_t id) {
  return std::string(ApiName(static_cast<E>(id)));
}
std::string PlaceName(const SearchIndex& index, uint32_t id) { return index.places().Get(id); }
std::string FacetValueName(const SearchIndex& index, uint32_t id) { return index.facet_values().Get(id); }

void Countries(const DocAttrs& d, std::vector<uint32_t>* out) {
  for (const SiteAttrs& s : d.sites) out->push_back(s.country);
}
void Conditions(const DocAttrs& d, std::vector<uint32_t>* out) {
  out->insert(out->end(), d.conditions.begin(), d.conditions.end());
}
// Whether results are posted: value 1 (true) or 0 (false).
void HasResults(const DocAttrs& d, std::vector<uint32_t>* out) { out->push_back(d.has_results ? 1 : 0); }
std::string BoolName(const SearchIndex&, uint32_t id) { return id ? "true" : "false"; }
void Interventions(const DocAttrs& d, std::vector<uint32_t>* out) {
  out->insert(out->end(), d.interventions.begin(), d.interventions.end());
}

constexpr size_t kAllValues = 0;
// Conditions and interventions have many values: only the top 20 are returned.
constexpr size_t kTopValues = 20;

constexpr FacetDescriptor kFacetTable[] = {
    {"overallStatus", FacetKind::kEnum, [](const HotAttrs& h) -> uint32_t { return h.status; }, nullptr,
     EnumValueName<OverallStatus>, kAllValues},
    {"phase", FacetKind::kEnumMask, [](const HotAttrs& h) -> uint32_t { return h.phase_mask; }, nullptr,
     EnumValueName<Phase>, kAllValues},
    {"studyType", FacetKind::kEnum, [](const HotAttrs& h) -> uint32_t { return h.study_type; }, nullptr,
     EnumValueName<StudyType>, kAllValues},
    {"sex", FacetKind::kEnum, [](const HotAttrs& h) -> uint32_t { return h.sex; }, nullptr, EnumValueName<Sex>, kAllValues},
    {"country", FacetKind::kValues, nullptr, Countries, PlaceName, kAllValues},
    {"interventionType", FacetKind::kEnumMask, [](const HotAttrs& h) -> uint32_t { return h.intervention_type_mask; },
     nullptr, EnumValueName<InterventionType>, kAllValues},
    {"funderType", FacetKind::kEnum, [](const HotAttrs& h) -> uint32_t { return h.funder; }, nullptr,
     EnumValueName<AgencyClass>, kAllValues},
    {"condition", FacetKind::kValues, nullptr, Conditions, FacetValueName, kTopValues},
    {"intervention", FacetKind::kValues, nullptr, Interventions, FacetValueName, kTopValues},
    {"hasResults", FacetKind::kValues, nullptr, HasResults, BoolName, kAllValues},
};

}  // namespace

std::span<const FacetDescriptor> Facets() { return kFacetTable; }

const FacetDescriptor* FindFacet(std::string_view name) {
  for (const FacetDescriptor& f : kFacetTable)
    if (f.name == name) return &f;
  return nullptr;
}

const std::vector<std::string>& FacetNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const FacetDescriptor& f : kFacetTable) v.emplace_back(f.name);
    return v;
  }();
  return names;
}

FacetCounter::FacetCounter(const std::vector<std::string>& names) {
  for (const FacetDescriptor& f : kFacetTable) {
    if (std::find(names.begin(), names.end(), f.name) == names.end()) continue;
    tallies_.emplace_back().spec = &f;
    reads_hot_ = reads_hot_ || f.kind != FacetKind::kValues;
  }
}

void FacetCounter::Count(const HotAttrs& hot, const DocAttrs& doc) {
  for (Tally& t : tallies_) {
    switch (t.spec->kind) {
      case FacetKind::kEnum: {
        const uint32_t v = t.spec->hot(hot);
        if (v != kUnsetEnum) ++t.by_enum[v];
        break;
      }
      case FacetKind::kEnumMask:
        for (uint32_t m = t.spec->hot(hot), bit = 0; m; m >>= 1, ++bit)
          if (m & 1) ++t.by_enum[bit];
        break;
      case FacetKind::kValues:
        values_.clear();
        seen_.clear();
        t.spec->values(doc, &values_);
        for (uint32_t v : values_)
          if (v != StringTable::kNone && std::find(seen_.begin(), seen_.end(), v) == seen_.end()) seen_.push_back(v);
        for (uint32_t v : seen_) ++t.by_id[v];
        break;
    }
  }
}

std::map<std::string, std::vector<FacetCount>> FacetCounter::Counts(const SearchIndex& index) const {
  std::map<std::string, std::vector<FacetCount>> out;
  for (const Tally& t : tallies_) {
    std::vector<FacetCount> counts;
    for (uint32_t id = 0; id < kEnumSlots; ++id)
      if (t.by_enum[id] > 0) counts.push_back({t.spec->value_name(index, id), t.by_enum[id]});
    for (const auto& [id, n] : t.by_id) counts.push_back({t.spec->value_name(index, id), n});
    std::sort(counts.begin(), counts.end(), [](const FacetCount& a, const FacetCount& b) {
      return a.count != b.count ? a.count > b.count : a.value < b.value;
    });
    if (t.spec->top > 0 && counts.size() > t.spec->top) counts.resize(t.spec->top);
    out[std::string(t.spec->name)] = std::move(counts);
  }
  return out;
}

}  // namespace ts
