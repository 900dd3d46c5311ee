#include "search/search_index.h"

#include <algorithm>

#include "common/strings.h"

namespace ts {

uint32_t StringTable::Intern(const std::string& s) {
  auto [it, inserted] = ids_.emplace(s, static_cast<uint32_t>(values_.size()));
  if (inserted) values_.push_back(s);
  return it->second;
}

uint32_t StringTable::Find(const std::string& s) const {
  auto it = ids_.find(s);
  return it == ids_.end() ? kNone : it->second;
}

SearchIndex::SearchIndex() : analyzer_(std::make_unique<Analyzer>()) {}

void SearchIndex::AddText(Field f, DocId d, std::string_view text, uint32_t* next_pos) {
  if (text.empty()) return;
  const size_t fi = static_cast<size_t>(f);
  uint32_t base = *next_pos;
  uint32_t last = base;
  for (const Token& t : analyzer_->Analyze(text)) {
    auto [it, inserted] = terms_.try_emplace(t.term);
    if (inserted) it->second.fill(-1);
    int32_t& li = it->second[fi];
    if (li < 0) {
      li = static_cast<int32_t>(lists_.size());
      lists_.emplace_back();
    }
    PostingList& pl = lists_[static_cast<size_t>(li)];
    uint32_t pos = base + t.position;
    if (pl.docs.empty() || pl.docs.back() != d) {
      pl.docs.push_back(d);
      pl.freqs.push_back(0);
      pl.pos_end.push_back(static_cast<uint32_t>(pl.positions.size()));
    }
    if (!t.variant) ++pl.freqs.back();
    // Positions stay ascending within a doc (variants repeat the primary's position).
    const size_t doc_start = pl.pos_end.size() > 1 ? pl.pos_end[pl.pos_end.size() - 2] : 0;
    if (pl.positions.size() == doc_start || pl.positions.back() != pos) {
      pl.positions.push_back(pos);
      pl.pos_end.back() = static_cast<uint32_t>(pl.positions.size());
    }
    last = std::max(last, pos + 1);
    if (!t.variant) ++field_len_[fi][d];
  }
  // Separate the values of a multi-valued field so a phrase cannot span two of them.
  *next_pos = last + 8;
}

void SearchIndex::Add(const std::string& key, const Study& s, const std::vector<std::optional<GeoPoint>>* site_geo) {
  const DocId d = static_cast<DocId>(docs_.size());
  for (auto& v : field_len_) v.push_back(0);
  std::array<uint32_t, kFieldCount> pos{};
  auto add = [&](Field f, std::string_view text) { AddText(f, d, text, &pos[static_cast<size_t>(f)]); };

  const Identification& id = s.identification;
  add(Field::kTitle, id.brief_title);
  add(Field::kTitle, id.official_title);
  add(Field::kTitle, id.acronym);
  for (const auto& c : s.conditions) add(Field::kCondition, c);
  for (const auto& k : s.keywords) add(Field::kCondition, k);
  for (const auto& m : s.condition_meshes) add(Field::kCondition, m.term);
  for (const auto& iv : s.interventions) {
    add(Field::kIntervention, iv.name);
    for (const auto& o : iv.other_names) add(Field::kIntervention, o);
    add(Field::kArms, iv.description);
  }
  for (const auto& m : s.intervention_meshes) add(Field::kIntervention, m.term);
  for (const auto& a : s.arm_groups) {
    add(Field::kArms, a.label);
    add(Field::kArms, a.description);
  }
  for (const auto* list : {&s.primary_outcomes, &s.secondary_outcomes, &s.other_outcomes}) {
    for (const auto& o : *list) {
      add(Field::kOutcome, o.measure);
      add(Field::kOutcome, o.description);
    }
  }
  add(Field::kSummary, s.brief_summary);
  add(Field::kSummary, s.detailed_description);
  add(Field::kEligibility, s.eligibility.criteria);
  add(Field::kSponsor, s.lead_sponsor.name);
  for (const auto& c : s.collaborators) add(Field::kSponsor, c.name);
  add(Field::kLead, s.lead_sponsor.name);
  add(Field::kId, id.nct_id);
  add(Field::kId, id.org_study_id);
  for (const auto& sec : id.secondary_ids) add(Field::kId, sec.id);
  for (const auto& a : id.nct_id_aliases) add(Field::kId, a);
  if (id.nct_id.empty()) add(Field::kId, key);
  for (const auto& l : s.locations) {
    add(Field::kLocation, l.facility);
    add(Field::kLocation, l.city);
    add(Field::kLocation, l.state);
    add(Field::kLocation, l.zip);
    add(Field::kLocation, l.country);
  }

  DocAttrs a;
  a.key = key;
  a.brief_title = id.brief_title;
  a.status = s.status.overall_status;
  for (Phase p : s.design.phases) a.phase_mask |= 1u << static_cast<unsigned>(p);
  a.study_type = s.design.study_type;
  a.sex = s.eligibility.sex;
  a.healthy_volunteers = s.eligibility.healthy_volunteers;
  a.has_results = s.has_results;
  a.funder = s.lead_sponsor.agency_class;
  for (const auto& iv : s.interventions)
    if (iv.type) a.intervention_type_mask |= 1u << static_cast<unsigned>(*iv.type);
  if (!s.status.start_date.date.empty()) a.start_days = s.status.start_date.date.ToDays();
  PartialDate lu = LastUpdate(s);
  if (!lu.empty()) a.last_update_days = lu.ToDays();
  if (s.design.enrollment_count) a.enrollment = *s.design.enrollment_count;
  if (s.eligibility.minimum_age) a.min_age_days = s.eligibility.minimum_age->ToDays();
  if (s.eligibility.maximum_age) a.max_age_days = s.eligibility.maximum_age->ToDays();
  for (size_t li = 0; li < s.locations.size(); ++li) {
    const Location& l = s.locations[li];
    SiteAttrs site;
    if (!l.country.empty()) site.country = places_.Intern(l.country);
    if (!l.state.empty()) site.state = places_.Intern(l.state);
    if (!l.city.empty()) site.city = places_.Intern(l.city);
    site.geo = l.geo_point;
    if (!site.geo && site_geo && li < site_geo->size() && (*site_geo)[li]) {
      site.geo = (*site_geo)[li];
      site.geocoded = true;
    }
    site.status = l.status;
    a.sites.push_back(site);
  }
  for (const auto& c : s.conditions) a.conditions.push_back(facet_values_.Intern(CollapseSpace(c)));
  for (const auto& iv : s.interventions) a.interventions.push_back(facet_values_.Intern(CollapseSpace(iv.name)));
  by_key_[key] = d;
  docs_.push_back(std::move(a));
}

void SearchIndex::Finalize() {
  const double n = std::max<double>(1, static_cast<double>(docs_.size()));
  for (size_t f = 0; f < kFieldCount; ++f) {
    double total = 0;
    for (uint32_t len : field_len_[f]) total += len;
    avg_len_[f] = std::max(1.0, total / n);
    constexpr double kB = 0.75;
    inv_norm_[f].resize(field_len_[f].size());
    for (size_t d = 0; d < field_len_[f].size(); ++d) {
      inv_norm_[f][d] = static_cast<float>(1.0 / ((1 - kB) + kB * field_len_[f][d] / avg_len_[f]));
    }
  }
}

const PostingList* SearchIndex::Postings(Field f, const std::string& term) const {
  auto it = terms_.find(term);
  if (it == terms_.end()) return nullptr;
  int32_t li = it->second[static_cast<size_t>(f)];
  return li < 0 ? nullptr : &lists_[static_cast<size_t>(li)];
}

std::optional<DocId> SearchIndex::FindKey(const std::string& key) const {
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return std::nullopt;
  return it->second;
}

}  // namespace ts

namespace ts {

uint64_t SearchIndex::MemoryBytes() const {
  uint64_t b = 0;
  for (const auto& pl : lists_) {
    b += sizeof(PostingList) + pl.docs.capacity() * sizeof(DocId) + pl.freqs.capacity() * 4 +
         pl.pos_end.capacity() * 4 + pl.positions.capacity() * 4;
  }
  for (const auto& [term, ids] : terms_) b += term.capacity() + sizeof(ids) + 32;
  for (const auto& v : field_len_) b += v.capacity() * 4;
  for (const auto& v : inv_norm_) b += v.capacity() * 4;
  for (const auto& d : docs_) {
    b += sizeof(DocAttrs) + d.key.capacity() + d.brief_title.capacity() + d.sites.capacity() * sizeof(SiteAttrs) +
         (d.conditions.capacity() + d.interventions.capacity()) * 4;
  }
  return b;
}

}  // namespace ts
