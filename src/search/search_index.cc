#include "search/search_index.h"

#include <algorithm>
#include <cmath>
#include <atomic>
#include <thread>

#include "common/strings.h"
#include "search/bm25_weight.h"
#include "search/text_inverter.h"

namespace ts {

uint32_t StringTable::Intern(const std::string& s) {
  if (auto it = ids_.find(s); it != ids_.end()) return it->second;  // no copy when present
  const uint32_t id = static_cast<uint32_t>(values_.size());
  ids_.emplace(s, id);
  values_.push_back(s);
  return id;
}

uint32_t StringTable::Find(const std::string& s) const {
  auto it = ids_.find(s);
  return it == ids_.end() ? kNone : it->second;
}

namespace {
// Worker threads for building: one per core, within reason.
size_t BuildThreads() { return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8); }
}  // namespace

struct SearchIndex::Builder {
  TextInverter inverter{BuildThreads()};
  std::vector<std::pair<Field, std::string_view>> texts;  // the document being added
};

SearchIndex::SearchIndex() = default;
SearchIndex::~SearchIndex() = default;
SearchIndex::SearchIndex(SearchIndex&&) noexcept = default;
SearchIndex& SearchIndex::operator=(SearchIndex&&) noexcept = default;

void SearchIndex::Add(const std::string& key, const Study& s, const std::vector<std::optional<GeoPoint>>* site_geo) {
  if (!build_) build_ = std::make_unique<Builder>();
  const DocId d = static_cast<DocId>(docs_.size());
  std::vector<std::pair<Field, std::string_view>>& texts = build_->texts;
  texts.clear();
  auto add = [&](Field f, std::string_view text) { texts.emplace_back(f, text); };

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
  // Posted results answer outcome queries too: the measures as reported, and the adverse events seen
  // ("query.outc=thrombosis" finds a trial that reported thrombosis).
  if (s.results) {
    for (const OutcomeMeasure& m : s.results->outcome_measures) {
      add(Field::kOutcome, m.title);
      add(Field::kOutcome, m.description);
    }
    if (const auto& ae = s.results->adverse_events) {
      for (const auto* events : {&ae->serious_events, &ae->other_events}) {
        for (const AdverseEvent& e : *events) add(Field::kOutcome, e.term);
      }
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
  build_->inverter.AddDoc(d, texts);

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
  const bool built = build_ != nullptr;
  std::vector<HugeArena> spare;  // memory the inverter is done with
  if (built) {
    TextInverter::Output out = build_->inverter.Finish(docs_.size());
    build_.reset();
    terms_ = std::move(out.terms);
    lists_ = std::move(out.lists);
    arenas_ = std::move(out.arenas);
    spare = std::move(out.spare);
    field_len_ = std::move(out.field_len);
  }
  std::thread grid([this] { sites_.Build(docs_); });  // beside the rest of Finalize
  hot_.resize(docs_.size());
  for (size_t i = 0; i < docs_.size(); ++i) {
    const DocAttrs& d = docs_[i];
    HotAttrs& h = hot_[i];
    h.status = PackEnum(d.status);
    h.phase_mask = static_cast<uint8_t>(d.phase_mask);
    h.study_type = PackEnum(d.study_type);
    h.sex = PackEnum(d.sex);
    h.funder = PackEnum(d.funder);
    h.healthy = PackEnum(d.healthy_volunteers);
    h.intervention_type_mask = static_cast<uint16_t>(d.intervention_type_mask);
  }
  const double n = std::max<double>(1, static_cast<double>(docs_.size()));
  std::string stats = std::to_string(docs_.size());
  stats += '|';
  stats += std::to_string(terms_.size());
  for (size_t f = 0; f < kFieldCount; ++f) {
    double total = 0;
    for (uint32_t len : field_len_[f]) total += len;
    const double avg_len = std::max(1.0, total / n);
    stats += '|';
    stats += std::to_string(static_cast<uint64_t>(total));
    inv_norm_[f].resize(field_len_[f].size());
    for (size_t d = 0; d < field_len_[f].size(); ++d) {
      inv_norm_[f][d] = Bm25Weight::InverseLengthNorm(field_len_[f][d], avg_len);
    }
  }
  stats_fingerprint_ = Fnv1a64(stats);
  grid.join();
  if (built) WeighLists(std::move(spare));
}

namespace {

// The merged list of `area` for a term with field lists `ids`: every doc where the term occurs in
// a field the area weighs, with tf = sum of weight x normalised tf. Empty if fewer than 2 fields.
// Its arrays go to `arena`; `docs` and `tf` are scratch.
PostingList MergeAreaLists(const TermListIds& ids, const AreaSpec& area, const std::vector<PostingList>& lists,
                           HugeArena* arena, std::vector<DocId>* docs_scratch, std::vector<float>* tf_scratch) {
  struct Head {
    const DocId* doc;
    const DocId* end;
    const float* tf;
    double weight;
  };
  std::vector<Head> heads;
  size_t total = 0;
  for (size_t f = 0; f < kFieldCount; ++f) {
    if (area.weight[f] <= 0 || ids[f] < 0) continue;
    const PostingList& pl = lists[static_cast<size_t>(ids[f])];
    heads.push_back({pl.docs.begin(), pl.docs.end(), pl.tf.begin(), static_cast<double>(area.weight[f])});
    total += pl.docs.size();
  }
  PostingList out;
  if (heads.size() < 2) return out;
  std::vector<DocId>& docs = *docs_scratch;
  std::vector<float>& tf = *tf_scratch;
  docs.clear();
  tf.clear();
  docs.reserve(total);
  tf.reserve(total);
  while (!heads.empty()) {
    DocId d = std::numeric_limits<DocId>::max();
    for (const Head& h : heads) d = std::min(d, *h.doc);
    double sum = 0;
    for (Head& h : heads) {
      if (*h.doc != d) continue;
      sum += h.weight * static_cast<double>(*h.tf);
      ++h.doc;
      ++h.tf;
    }
    docs.push_back(d);
    tf.push_back(static_cast<float>(sum));
    std::erase_if(heads, [](const Head& h) { return h.doc == h.end; });
  }
  DocId* d = arena->AllocateArray<DocId>(docs.size());
  float* t = arena->AllocateArray<float>(tf.size());
  std::copy(docs.begin(), docs.end(), d);
  std::copy(tf.begin(), tf.end(), t);
  out.docs = PodArray<DocId>::Borrow(d, docs.size());
  out.tf = PodArray<float>::Borrow(t, tf.size());
  return out;
}

}  // namespace

void PostingList::BuildSkips(HugeArena* arena) {
  if (docs.size() < 2 * kSkipBlock) {
    skip = PodArray<DocId>();
    return;
  }
  const size_t n = docs.size() / kSkipBlock;
  DocId* v = arena->AllocateArray<DocId>(n);
  for (size_t k = 0; k < n; ++k) v[k] = docs[k * kSkipBlock + kSkipBlock - 1];
  skip = PodArray<DocId>::Borrow(v, n);
}

void PostingList::BuildSkips() {
  std::vector<DocId> v;
  if (docs.size() >= 2 * kSkipBlock) {
    v.reserve(docs.size() / kSkipBlock);
    for (size_t k = kSkipBlock - 1; k < docs.size(); k += kSkipBlock) v.push_back(docs[k]);
  }
  skip = PodArray<DocId>::Adopt(std::move(v));
}

void SearchIndex::WeighLists(std::vector<HugeArena> spare) {
  std::vector<TermListIds*> entries;
  entries.reserve(terms_.size());
  for (auto& [term, ids] : terms_) entries.push_back(&ids);
  struct Made {
    TermListIds* ids;
    int slot;
    PostingList list;
  };
  const size_t threads = BuildThreads();
  std::vector<std::vector<Made>> made(threads);
  std::vector<HugeArena> arenas(threads);  // merged lists and skip entries
  for (size_t i = 0; i < spare.size(); ++i) arenas[i % threads].Adopt(std::move(spare[i]));
  auto work = [&](size_t t) {
    HugeArena* arena = &arenas[t];
    std::vector<DocId> docs_scratch;
    std::vector<float> tf_scratch;
    for (size_t e = t; e < entries.size(); e += threads) {
      TermListIds& ids = *entries[e];
      // Each field list belongs to one term, so threads never share a list.
      for (size_t f = 0; f < kFieldCount; ++f) {
        if (ids[f] < 0) continue;
        PostingList& pl = lists_[static_cast<size_t>(ids[f])];
        float* tf = pl.tf.mutable_data();
        const std::vector<float>& norm = inv_norm_[f];
        for (size_t i = 0; i < pl.docs.size(); ++i) tf[i] *= norm[pl.docs[i]];
        pl.BuildSkips(arena);
      }
      for (int a = 0; a < kMergedAreaCount; ++a) {
        PostingList m = MergeAreaLists(ids, MergedArea(a), lists_, arena, &docs_scratch, &tf_scratch);
        if (m.docs.empty()) continue;
        m.BuildSkips(arena);
        made[t].push_back({&ids, kFieldCount + a, std::move(m)});
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  for (HugeArena& a : arenas) {
    a.ReleaseSpare();
    arenas_.push_back(std::move(a));
  }
  size_t made_count = 0;
  for (const auto& v : made) made_count += v.size();
  lists_.reserve(lists_.size() + made_count);
  for (auto& v : made) {
    for (Made& m : v) {
      (*m.ids)[static_cast<size_t>(m.slot)] = static_cast<int32_t>(lists_.size());
      lists_.push_back(std::move(m.list));
    }
  }
}

const PostingList* SearchIndex::Postings(Field f, const std::string& term) const {
  const auto* ids = TermLists(term);
  if (!ids) return nullptr;
  const int32_t li = (*ids)[static_cast<size_t>(f)];
  return li < 0 ? nullptr : &List(li);
}

const TermListIds* SearchIndex::TermLists(const std::string& term) const {
  auto it = terms_.find(term);
  return it == terms_.end() ? nullptr : &it->second;
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
    b += sizeof(PostingList) + pl.docs.capacity() * sizeof(DocId) + pl.tf.capacity() * 4 +
         pl.pos_end.capacity() * 4 + pl.positions.capacity() + pl.skip.capacity() * 4;
  }
  for (const auto& a : arenas_) b += a.reserved_bytes();
  for (const auto& [term, ids] : terms_) b += term.capacity() + sizeof(ids) + 32;
  for (const auto& v : field_len_) b += v.capacity() * 4;
  for (const auto& v : inv_norm_) b += v.capacity() * 4;
  b += hot_.capacity() * sizeof(HotAttrs);
  b += sites_.MemoryBytes();
  for (const auto& d : docs_) {
    b += sizeof(DocAttrs) + d.key.capacity() + d.brief_title.capacity() + d.sites.capacity() * sizeof(SiteAttrs) +
         (d.conditions.capacity() + d.interventions.capacity()) * 4;
  }
  return b;
}

}  // namespace ts

namespace ts {

namespace {

template <typename E>
void PutEnum(BinaryWriter* w, const std::optional<E>& v) {
  w->Put<uint8_t>(PackEnum(v));
}
// False on a value the enum does not have (filters and facets index arrays by it).
template <typename E>
bool GetEnum(BinaryReader* r, std::optional<E>* v) {
  uint8_t x;
  if (!r->Get(&x)) return false;
  if (x != kUnsetEnum && x >= EnumTable<E>::kEntries.size()) return false;
  if (x == kUnsetEnum) {
    v->reset();
  } else {
    *v = static_cast<E>(x);
  }
  return true;
}

constexpr uint32_t kIndexMagic = 0x54534958;  // "TSIX"
// 2: posting arrays aligned for use in place; 3: normalised tf, merged area lists; 4: skip entries;
// 5: study attributes in a section of known length; 6: positions as varint distances
constexpr uint32_t kIndexFormat = 6;

}  // namespace

void StringTable::Save(BinaryWriter* w) const {
  w->Put<uint64_t>(values_.size());
  for (const auto& v : values_) w->PutString(v);
}

bool StringTable::Load(BinaryReader* r) {
  uint64_t n;
  if (!r->Get(&n)) return false;
  ids_.clear();
  values_.clear();
  for (uint64_t i = 0; i < n; ++i) {
    std::string v;
    if (!r->GetString(&v)) return false;
    Intern(v);
  }
  return true;
}

void SearchIndex::Save(BinaryWriter* w) const {
  w->Put(kIndexMagic);
  w->Put(kIndexFormat);
  // The study attributes go in a section of known length, so that Load can parse them on one
  // thread while another reads the postings.
  w->Put<uint64_t>(docs_.size());
  BinaryWriter section;
  SaveDocs(&section);
  w->PutArray(section.data().data(), section.data().size());
  section.data().clear();
  section.data().shrink_to_fit();
  SaveLists(w);
}

void SearchIndex::SaveDocs(BinaryWriter* w) const {
  for (const DocAttrs& d : docs_) {
    w->PutString(d.key);
    w->PutString(d.brief_title);
    PutEnum(w, d.status);
    w->Put(d.phase_mask);
    PutEnum(w, d.study_type);
    PutEnum(w, d.sex);
    w->Put<uint8_t>(d.healthy_volunteers ? (*d.healthy_volunteers ? 1 : 0) : 2);
    w->Put<uint8_t>(d.has_results);
    PutEnum(w, d.funder);
    w->Put(d.intervention_type_mask);
    w->Put(d.start_days);
    w->Put(d.last_update_days);
    w->Put(d.enrollment);
    w->Put(d.min_age_days);
    w->Put(d.max_age_days);
    w->Put<uint64_t>(d.sites.size());
    for (const SiteAttrs& site : d.sites) {
      w->Put(site.country);
      w->Put(site.state);
      w->Put(site.city);
      w->Put<uint8_t>(site.geo.has_value());
      w->Put(site.geo ? site.geo->lat : 0.0);
      w->Put(site.geo ? site.geo->lon : 0.0);
      w->Put<uint8_t>(site.geocoded);
      PutEnum(w, site.status);
    }
    w->PutVector(d.conditions);
    w->PutVector(d.interventions);
  }
}

void SearchIndex::SaveLists(BinaryWriter* w) const {
  w->Put<uint64_t>(terms_.size());
  for (const auto& [term, ids] : terms_) {
    w->PutString(term);
    w->Put(ids);
  }
  w->Put<uint64_t>(lists_.size());
  for (const PostingList& pl : lists_) {
    w->PutArray(pl.docs.data(), pl.docs.size());
    w->PutArray(pl.tf.data(), pl.tf.size());
    w->PutArray(pl.pos_end.data(), pl.pos_end.size());
    w->PutArray(pl.positions.data(), pl.positions.size());
    w->PutArray(pl.skip.data(), pl.skip.size());
  }
  for (const auto& v : field_len_) w->PutVector(v);
  places_.Save(w);
  facet_values_.Save(w);
}

namespace {

// The PostingList contract: doc IDs ascending and below `doc_count`, tf per doc, position ranges
// ascending within the positions (none for a merged list), skip entries as BuildSkips makes them.
bool ValidList(const PostingList& pl, size_t doc_count) {
  const size_t block = PostingList::kSkipBlock;
  if (pl.skip.size() != (pl.docs.size() >= 2 * block ? pl.docs.size() / block : 0)) return false;
  for (size_t k = 0; k < pl.skip.size(); ++k)
    if (pl.skip[k] != pl.docs[k * block + block - 1]) return false;
  if (pl.tf.size() != pl.docs.size() || (pl.pos_end.size() != pl.docs.size() && !pl.pos_end.empty()) ||
      (!pl.pos_end.empty() && pl.pos_end.back() > pl.positions.size())) {
    return false;
  }
  DocId prev = 0;
  bool bad = false;
  for (size_t i = 0; i < pl.docs.size(); ++i) {
    // Branch-free, so the loop runs at memory speed.
    bad |= pl.docs[i] >= doc_count;
    bad |= i > 0 && pl.docs[i] <= prev;
    prev = pl.docs[i];
  }
  for (size_t i = 1; i < pl.pos_end.size(); ++i) bad |= pl.pos_end[i] < pl.pos_end[i - 1];
  return !bad;
}

}  // namespace

bool SearchIndex::LoadDocs(BinaryReader* r, size_t n) {
  docs_.resize(n);
  by_key_.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    DocAttrs& d = docs_[i];
    uint8_t hv, res;
    uint64_t nsites;
    if (!r->GetString(&d.key) || !r->GetString(&d.brief_title) || !GetEnum(r, &d.status) || !r->Get(&d.phase_mask) ||
        !GetEnum(r, &d.study_type) || !GetEnum(r, &d.sex) || !r->Get(&hv) || !r->Get(&res) || !GetEnum(r, &d.funder) ||
        !r->Get(&d.intervention_type_mask) || !r->Get(&d.start_days) || !r->Get(&d.last_update_days) ||
        !r->Get(&d.enrollment) || !r->Get(&d.min_age_days) || !r->Get(&d.max_age_days) || !r->Get(&nsites) ||
        nsites > (1u << 20)) {
      return false;
    }
    // Masks of enum values: no bits beyond the enum's.
    if (d.phase_mask >> EnumTable<Phase>::kEntries.size() ||
        d.intervention_type_mask >> EnumTable<InterventionType>::kEntries.size() || hv > 2) {
      return false;
    }
    if (hv != 2) d.healthy_volunteers = hv == 1;
    d.has_results = res != 0;
    d.sites.resize(nsites);
    for (SiteAttrs& site : d.sites) {
      uint8_t has_geo, geocoded;
      double lat, lon;
      if (!r->Get(&site.country) || !r->Get(&site.state) || !r->Get(&site.city) || !r->Get(&has_geo) || !r->Get(&lat) ||
          !r->Get(&lon) || !r->Get(&geocoded) || !GetEnum(r, &site.status)) {
        return false;
      }
      if (has_geo) site.geo = GeoPoint{lat, lon};
      site.geocoded = geocoded != 0;
    }
    if (!r->GetVector(&d.conditions) || !r->GetVector(&d.interventions)) return false;
    by_key_[d.key] = static_cast<DocId>(i);
  }
  return true;
}

bool SearchIndex::LoadLists(BinaryReader* r, bool in_place) {
  uint64_t n;
  // Counts are checked against the bytes left (a term takes at least 64, a list 40) before allocating.
  if (!r->Get(&n) || n > r->remaining() / 64) return false;
  terms_.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    std::string term;
    TermListIds ids;
    if (!r->GetString(&term) || !r->Get(&ids)) return false;
    terms_.emplace(std::move(term), ids);
  }
  if (!r->Get(&n) || n > r->remaining() / 40) return false;
  lists_.resize(n);
  for (PostingList& pl : lists_) {
    auto array = [&]<typename T>(PodArray<T>* out) {
      const T* data = nullptr;
      size_t count = 0;
      if (!r->GetArray(&data, &count)) return false;
      *out = in_place ? PodArray<T>::View(data, count) : PodArray<T>::Copy(data, count);
      return true;
    };
    if (!array(&pl.docs) || !array(&pl.tf) || !array(&pl.pos_end) || !array(&pl.positions) || !array(&pl.skip)) {
      return false;
    }
  }
  return true;
}

Status SearchIndex::Load(BinaryReader* r, std::shared_ptr<const void> backing) {
  *this = SearchIndex();
  backing_ = backing;
  auto bad = [&] {
    Status s = r->status();
    *this = SearchIndex();
    return s.ok() ? Status::Corruption("snapshot index is inconsistent") : s;
  };
  uint32_t magic, format;
  if (!r->Get(&magic) || !r->Get(&format) || magic != kIndexMagic || format != kIndexFormat) return bad();
  uint64_t n;
  const char* section = nullptr;
  size_t section_len = 0;
  // A study takes at least 64 bytes of its section: a count beyond that is damage, not a reason
  // to allocate.
  if (!r->Get(&n) || !r->GetArray(&section, &section_len) || n > section_len / 64) return bad();
  const size_t doc_count = static_cast<size_t>(n);

  // Two threads: this one reads the term table and the lists' arrays, the other parses the study
  // attributes; then both check the lists (chunks from a shared counter).
  std::atomic<bool> lists_read{false}, failed{false};
  std::atomic<size_t> next_chunk{0};
  constexpr size_t kChunk = 4096;
  auto validate = [&] {
    while (!failed.load(std::memory_order_relaxed)) {
      const size_t from = next_chunk.fetch_add(kChunk);
      if (from >= lists_.size()) return;
      for (size_t l = from; l < std::min(lists_.size(), from + kChunk); ++l) {
        if (!ValidList(lists_[l], doc_count)) {
          failed = true;
          return;
        }
      }
    }
  };
  bool docs_ok = false;
  std::thread docs_thread([&] {
    BinaryReader dr(std::string_view(section, section_len));
    docs_ok = LoadDocs(&dr, doc_count) && dr.done();
    if (!docs_ok) failed = true;
    lists_read.wait(false);
    validate();
  });
  const bool lists_ok = LoadLists(r, backing != nullptr);
  if (!lists_ok) failed = true;
  lists_read = true;
  lists_read.notify_all();
  if (lists_ok) validate();
  docs_thread.join();
  if (!docs_ok) {
    *this = SearchIndex();
    return Status::Corruption("snapshot: the study attributes are truncated or inconsistent");
  }
  if (!lists_ok || failed) return bad();
  for (const auto& [term, ids] : terms_) {
    for (size_t slot = 0; slot < ids.size(); ++slot) {
      const int32_t li = ids[slot];
      if (li >= static_cast<int64_t>(lists_.size())) return bad();
      // Phrases read the positions of field lists.
      if (li >= 0 && slot < kFieldCount && lists_[static_cast<size_t>(li)].pos_end.size() != lists_[static_cast<size_t>(li)].docs.size()) {
        return bad();
      }
    }
  }
  for (auto& v : field_len_) {
    if (!r->GetVector(&v) || v.size() != docs_.size()) return bad();
  }
  if (!places_.Load(r) || !facet_values_.Load(r)) return bad();
  auto valid = [](uint32_t id, const StringTable& t) { return id == StringTable::kNone || id < t.size(); };
  for (const DocAttrs& d : docs_) {
    for (const SiteAttrs& site : d.sites)
      if (!valid(site.country, places_) || !valid(site.state, places_) || !valid(site.city, places_)) return bad();
    for (uint32_t v : d.conditions)
      if (v >= facet_values_.size()) return bad();
    for (uint32_t v : d.interventions)
      if (v >= facet_values_.size()) return bad();
  }
  Finalize();
  return Status::Ok();
}

}  // namespace ts
