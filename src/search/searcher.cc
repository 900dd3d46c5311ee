#include "search/searcher.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "common/base64.h"
#include "common/strings.h"
#include "model/age.h"
#include "search/facets.h"
#include "search/query_expansion.h"

namespace ts {

namespace {

constexpr const char* kTokenVersion = "p1";

bool Contains(const std::vector<uint32_t>& ids, uint32_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool InRange(int64_t days, const DateRange& r) {
  if (days == DocAttrs::kNoDate) return false;
  if (!r.from.empty() && days < r.from.ToDays()) return false;
  if (!r.to.empty()) {
    // An open-ended partial "to" date covers its whole period ("2024" to the end of 2024).
    PartialDate end = r.to;
    int64_t limit;
    if (end.month == 0) {
      limit = PartialDate{end.year + 1, 1, 1}.ToDays();
    } else if (end.day == 0) {
      limit = (end.month == 12 ? PartialDate{end.year + 1, 1, 1} : PartialDate{end.year, end.month + 1, 1}).ToDays();
    } else {
      limit = end.ToDays() + 1;
    }
    if (days >= limit) return false;
  }
  return true;
}

// Resolved filter values (place names to ids) for fast per-document checks.
struct CompiledFilters {
  const SearchFilters& f;
  std::vector<uint32_t> countries, states, cities;
  bool impossible = false;  // a place filter names no indexed place

  uint32_t status_mask = 0, phase_mask = 0, type_mask = 0, funder_mask = 0, itype_mask = 0;
  bool needs_cold = false;  // some filter reads DocAttrs (ids, places, dates, enrollment, age)
  bool needs_hot = false;   // some filter reads HotAttrs

  CompiledFilters(const SearchFilters& filters, const SearchIndex& index) : f(filters) {
    for (auto v : f.statuses) status_mask |= 1u << static_cast<unsigned>(v);
    for (auto v : f.phases) phase_mask |= 1u << static_cast<unsigned>(v);
    for (auto v : f.study_types) type_mask |= 1u << static_cast<unsigned>(v);
    for (auto v : f.funder_types) funder_mask |= 1u << static_cast<unsigned>(v);
    for (auto v : f.intervention_types) itype_mask |= 1u << static_cast<unsigned>(v);
    needs_cold = !f.ids.empty() || !f.countries.empty() || !f.states.empty() || !f.cities.empty() ||
                 f.start_date.has_value() || f.last_update.has_value() || f.enrollment_min.has_value() ||
                 f.enrollment_max.has_value() || f.accepts_age_years.has_value() || f.has_results.has_value();
    auto resolve = [&](const std::vector<std::string>& names, std::vector<uint32_t>* out) {
      for (const auto& n : names) {
        // Case-insensitive: try the exact form, then scan (place tables are small).
        uint32_t id = index.places().Find(n);
        if (id == StringTable::kNone) {
          for (uint32_t i = 0; i < index.places().size(); ++i)
            if (EqualsIgnoreCase(index.places().Get(i), n)) out->push_back(i);
        } else {
          out->push_back(id);
        }
      }
      if (!names.empty() && out->empty()) impossible = true;
    };
    resolve(f.countries, &countries);
    resolve(f.states, &states);
    resolve(f.cities, &cities);
    needs_hot = impossible || status_mask || phase_mask || type_mask || funder_mask || itype_mask || f.sex.has_value() ||
                f.healthy_volunteers.has_value();
  }

  // The filters on packed attributes.
  bool PassHot(const HotAttrs& h) const {
    if (impossible) return false;
    if (status_mask && (h.status == kUnsetEnum || !(status_mask & (1u << h.status)))) return false;
    if (phase_mask && !(phase_mask & h.phase_mask)) return false;
    if (type_mask && (h.study_type == kUnsetEnum || !(type_mask & (1u << h.study_type)))) return false;
    if (f.sex) {
      if (h.sex == kUnsetEnum) return false;
      const uint8_t all = static_cast<uint8_t>(Sex::kAll);
      if (*f.sex == Sex::kAll && h.sex != all) return false;
      if (*f.sex != Sex::kAll && h.sex != all && h.sex != static_cast<uint8_t>(*f.sex)) return false;
    }
    if (f.healthy_volunteers && h.healthy != static_cast<uint8_t>(*f.healthy_volunteers)) return false;
    if (funder_mask && (h.funder == kUnsetEnum || !(funder_mask & (1u << h.funder)))) return false;
    if (itype_mask && !(itype_mask & h.intervention_type_mask)) return false;
    return true;
  }

  // The remaining filters (but geo, which also computes the distance); call only when needs_cold.
  bool PassCold(const DocAttrs& d) const {
    if (!f.ids.empty()) {
      bool any = false;
      for (const auto& id : f.ids) any = any || EqualsIgnoreCase(id, d.key);
      if (!any) return false;
    }
    if (f.has_results && d.has_results != *f.has_results) return false;
    if (!countries.empty() || !states.empty() || !cities.empty()) {
      bool any = false;
      for (const auto& s : d.sites) {
        bool ok = (countries.empty() || Contains(countries, s.country)) && (states.empty() || Contains(states, s.state)) &&
                  (cities.empty() || Contains(cities, s.city));
        any = any || ok;
      }
      if (!any) return false;
    }
    if (f.start_date && !InRange(d.start_days, *f.start_date)) return false;
    if (f.last_update && !InRange(d.last_update_days, *f.last_update)) return false;
    if (f.enrollment_min && (d.enrollment < 0 || d.enrollment < *f.enrollment_min)) return false;
    if (f.enrollment_max && (d.enrollment < 0 || d.enrollment > *f.enrollment_max)) return false;
    if (f.accepts_age_years) {
      // The screening rule (model/age.h): a maximum of "75 Years" lasts until the 76th birthday.
      auto years = [](double days) { return days >= 0 ? std::optional<double>(days / kDaysPerYear) : std::nullopt; };
      if (!AgeAccepts(*f.accepts_age_years, years(d.min_age_days), years(d.max_age_days))) return false;
    }
    return true;
  }
};

// Sort values, oriented so that smaller sorts first (at most two keys; unused ones are 0).
using SortValues = std::array<double, 2>;

struct Candidate {
  DocId doc;
  SortValues keys;
  double score;
  std::optional<double> distance;
  std::optional<size_t> site;
};

// Smaller sorts first: compare oriented keys, then the study key.
struct Order {
  const SearchIndex& index;
  bool operator()(const Candidate& a, const Candidate& b) const {
    if (a.keys[0] != b.keys[0]) return a.keys[0] < b.keys[0];
    if (a.keys[1] != b.keys[1]) return a.keys[1] < b.keys[1];
    return index.doc(a.doc).key < index.doc(b.doc).key;
  }
};

constexpr double kMissing = 1e300;  // missing sort values go last in either direction

double Oriented(double v, bool present, bool descending) {
  if (!present) return kMissing;
  return descending ? -v : v;
}

std::string Fingerprint(const SearchRequest& r) {
  std::string basis;
  for (const auto& [k, v] : r.queries) basis += k + "=" + v + "\n";
  for (const auto& s : r.sort) basis += std::to_string(static_cast<int>(s.field)) + (s.descending ? "d" : "a");
  basis += r.expand_aliases ? "x1" : "x0";
  // Filters are part of the identity of a result set.
  char buf[64];
  const SearchFilters& f = r.filters;
  for (auto s : f.statuses) basis += std::string(ApiName(s)) + ",";
  for (const auto& s : f.ids) basis += s + ",";
  for (auto p : f.phases) basis += std::string(ApiName(p)) + ",";
  for (auto t : f.study_types) basis += std::string(ApiName(t)) + ",";
  if (f.sex) basis += std::string(ApiName(*f.sex));
  basis += f.healthy_volunteers ? (*f.healthy_volunteers ? "hv1" : "hv0") : "";
  basis += f.has_results ? (*f.has_results ? "r1" : "r0") : "";
  for (auto t : f.funder_types) basis += std::string(ApiName(t)) + ",";
  for (auto t : f.intervention_types) basis += std::string(ApiName(t)) + ",";
  for (const auto* v : {&f.countries, &f.states, &f.cities})
    for (const auto& s : *v) basis += s + ";";
  if (f.start_date) basis += "sd" + f.start_date->from.ToString() + "-" + f.start_date->to.ToString();
  if (f.last_update) basis += "lu" + f.last_update->from.ToString() + "-" + f.last_update->to.ToString();
  if (f.enrollment_min) basis += "emin" + std::to_string(*f.enrollment_min);
  if (f.enrollment_max) basis += "emax" + std::to_string(*f.enrollment_max);
  if (f.accepts_age_years) {
    std::snprintf(buf, sizeof(buf), "age%.6g", *f.accepts_age_years);
    basis += buf;
  }
  if (f.geo) {
    std::snprintf(buf, sizeof(buf), "geo%.6f,%.6f,%.3f", f.geo->lat, f.geo->lon, f.geo->radius_km);
    basis += buf;
  }
  basis += "near";  // where the place name was; kept so that tokens of earlier versions stay valid
  return ToHex64(Fnv1a64(basis)).substr(0, 10);
}

std::string EncodeToken(const std::string& fingerprint, const Candidate& last, size_t nkeys, const SearchIndex& index) {
  std::string t = std::string(kTokenVersion) + "|" + fingerprint;
  char buf[40];
  for (size_t i = 0; i < nkeys; ++i) {
    double k = last.keys[i];
    std::snprintf(buf, sizeof(buf), "|%.17g", k);
    t += buf;
  }
  t += "|" + index.doc(last.doc).key;
  return Base64UrlEncode(t);
}

struct After {
  SortValues keys{};
  std::string key;
};

// Reads `token` into *after if it continues the result set of `fingerprint`.
Searcher::TokenCheck ReadToken(const std::string& token, const std::string& fingerprint, size_t nkeys, After* after) {
  using TC = Searcher::TokenCheck;
  if (token.empty()) return TC::kNone;
  auto raw = Base64UrlDecode(token);
  if (!raw.ok()) return TC::kMalformed;
  std::vector<std::string_view> parts = Split(*raw, '|');
  if (parts.size() != nkeys + 3 || parts[0] != kTokenVersion) return TC::kMalformed;
  if (parts[1] != fingerprint) {
    // Same query, but the data changed under a relevance order: say so rather than repeat or skip studies.
    size_t s = fingerprint.find('s');
    if (s != std::string::npos && parts[1].substr(0, s) == std::string_view(fingerprint).substr(0, s)) return TC::kStale;
    return TC::kMalformed;
  }
  for (size_t i = 0; i < nkeys; ++i) {
    double v;
    if (!ParseDouble(parts[2 + i], &v)) return TC::kMalformed;
    after->keys[i] = v;
  }
  after->key = std::string(parts.back());
  return TC::kValid;
}

// The sort keys of a request (relevance when none) and the fingerprint its tokens carry. A relevance order
// depends on corpus statistics, so its tokens are bound to this index's statistics.
std::vector<SortKey> SortOf(const SearchRequest& req) {
  return req.sort.empty() ? std::vector<SortKey>{SortKey{}} : req.sort;
}
std::string TokenFingerprint(const SearchRequest& req, const std::vector<SortKey>& sort, const SearchIndex& index) {
  std::string fingerprint = Fingerprint(req);
  bool by_relevance = false;
  for (const auto& s : sort) by_relevance = by_relevance || s.field == SortField::kRelevance;
  if (by_relevance) {
    fingerprint += 's';
    fingerprint += ToHex64(index.stats_fingerprint()).substr(0, 8);
  }
  return fingerprint;
}

// ---- The steps of a search: validate, plan, collect, hits, facets.

// The checks that need only the request.
Status Validate(const SearchRequest& req) {
  if (req.page_size < 1 || req.page_size > 1000) {
    return Status::InvalidArgument("the page size must be from 1 to 1000, got " + std::to_string(req.page_size));
  }
  if (req.sort.size() > 2) return Status::InvalidArgument("sort takes at most two keys");
  for (const auto& name : req.facets) {
    if (!FindFacet(name)) {
      return Status::InvalidArgument("unknown facet \"" + name.substr(0, 40) + "\"; known: " + Join(FacetNames(), ", "));
    }
  }
  for (const auto& s : req.sort) {
    if (s.field == SortField::kDistance && !req.filters.geo) {
      return Status::InvalidArgument("sorting by distance needs a geo filter");
    }
  }
  return Status::Ok();
}

// The latitude/longitude box around a geo filter's circle (degrees), for a cheap first test: a site
// outside the box cannot be within the radius. Without a geo filter, the whole globe.
struct GeoBox {
  double lat = 180, lon = 360;

  explicit GeoBox(const std::optional<GeoFilter>& geo) {
    if (!geo) return;
    lat = geo->radius_km / 111.0 + 0.01;
    double c = std::cos(std::min(89.0, std::fabs(geo->lat) + lat) * M_PI / 180.0);
    lon = c > 0.01 ? lat / c : 360;
  }
  bool Outside(const GeoFilter& g, const SitePoint& p) const {
    return std::fabs(p.lat - g.lat) > lat || (lon < 180 && std::fabs(std::remainder(p.lon - g.lon, 360.0)) > lon);
  }
};

// A validated request resolved against the index: the parsed query, the sort keys, where the page
// starts, the compiled filters and the geo box.
struct SearchPlan {
  const SearchRequest& req;
  Query query;
  std::vector<SortKey> sort;  // 1 or 2 keys
  std::string fingerprint;    // of the result set, for page tokens
  std::optional<After> after;  // from the page token
  CompiledFilters filters;
  GeoBox box;
  std::vector<uint64_t> in_box;  // with a geo filter: studies with a site in the box's grid cells
};

// InvalidArgument for an unknown area, a malformed query or a bad page token.
Result<SearchPlan> Plan(const SearchRequest& req, const SearchIndex& index, const AliasGraph* aliases) {
  Analyzer analyzer;
  std::vector<Query> parts;
  for (const auto& [area_name, text] : req.queries) {
    const AreaSpec* area = FindArea(area_name);
    if (!area) return Status::InvalidArgument("unknown search area \"" + area_name.substr(0, 40) + "\"");
    if (Trim(text).empty()) continue;
    auto q = ParseQuery(*area, text, analyzer);
    if (!q.ok()) return q.status();
    parts.push_back(std::move(*q));
  }
  Query query = CombineQueries(std::move(parts));
  if (aliases && req.expand_aliases) ExpandAliases(&query.root, *aliases);

  std::vector<SortKey> sort = SortOf(req);
  std::string fingerprint = TokenFingerprint(req, sort, index);
  std::optional<After> after;
  After a;
  switch (ReadToken(req.page_token, fingerprint, sort.size(), &a)) {
    case Searcher::TokenCheck::kNone: break;
    case Searcher::TokenCheck::kValid: after = std::move(a); break;
    case Searcher::TokenCheck::kMalformed:
      return Status::InvalidArgument("the page token is not valid for this query (start again without it)");
    case Searcher::TokenCheck::kStale:
      return Status::InvalidArgument("the page token is stale: the studies changed since its page, so relevance ranks "
                                     "changed (start again without it, or page in a sort order that is not relevance)");
  }

  SearchPlan plan{req,         std::move(query), std::move(sort), std::move(fingerprint), std::move(after),
                  CompiledFilters(req.filters, index), GeoBox(req.filters.geo), {}};
  if (const auto& g = req.filters.geo) {
    plan.in_box = index.sites().StudiesInBox(g->lat - plan.box.lat, g->lat + plan.box.lat, g->lon - plan.box.lon,
                                             g->lon + plan.box.lon);
  }
  return plan;
}

// Takes the matches of a plan through the filters and the distance test, counts the facets over all
// that pass, and keeps the best page_size of those after the page token.
class Collector {
 public:
  Collector(const SearchPlan& plan, const SearchIndex& index)
      : plan_(plan), index_(index), order_{index}, k_(static_cast<size_t>(plan.req.page_size)),
        facets_(plan.req.facets), read_hot_(plan.filters.needs_hot || facets_.reads_hot()) {}

  // Takes every match of the plan's query.
  void Collect() {
    auto it = BuildIterator(plan_.query.root, index_);
    if (!plan_.in_box.empty()) it = RestrictTo(std::move(it), plan_.in_box);  // the sparser side drives
    // Matches are taken in batches whose attributes are prefetched together: the random reads per
    // match (packed attributes, site coordinates) then overlap instead of stalling one by one.
    constexpr size_t kBatch = 64;
    std::array<DocId, kBatch> docs;
    std::array<double, kBatch> scores;
    const bool needs_distance = plan_.req.filters.geo.has_value();
    while (true) {
      const size_t n = it->NextBatch(docs.data(), scores.data(), kBatch);
      if (n == 0) break;
      if (read_hot_)
        for (size_t i = 0; i < n; ++i) __builtin_prefetch(&index_.hot(docs[i]));
      if (needs_distance)
        for (size_t i = 0; i < n; ++i) index_.sites().Prefetch(docs[i]);
      for (size_t i = 0; i < n; ++i) Consider(docs[i], scores[i]);
    }
  }

  int64_t total() const { return total_; }
  const FacetCounter& facets() const { return facets_; }
  // The kept candidates, best first (call once, after Collect).
  std::vector<Candidate> TakeTop() {
    std::sort_heap(heap_.begin(), heap_.end(), order_);
    more_ = after_count_ > static_cast<int64_t>(heap_.size()) && !heap_.empty();
    return std::move(heap_);
  }
  // After TakeTop: whether matches past the kept ones remain (a next page).
  bool more() const { return more_; }

 private:
  // One match: filters, distance, facets, sort keys, the top-k heap.
  void Consider(DocId d, double score) {
    // Packed attributes are a random read per match: only when a filter or a facet needs them.
    const HotAttrs hot = read_hot_ ? index_.hot(d) : HotAttrs{};
    const CompiledFilters& filters = plan_.filters;
    if (filters.needs_hot && !filters.PassHot(hot)) return;
    const DocAttrs& a = index_.doc(d);  // a reference only: fields are read below when needed
    if (filters.needs_cold && !filters.PassCold(a)) return;
    Candidate c{d, {}, score, std::nullopt, std::nullopt};
    if (plan_.req.filters.geo && !Near(*plan_.req.filters.geo, &c)) return;
    ++total_;
    // Facets count the whole filtered result set.
    if (!facets_.empty()) facets_.Count(hot, a);
    SetSortKeys(a, &c);
    const std::optional<After>& after = plan_.after;
    if (after && (c.keys < after->keys || (c.keys == after->keys && a.key <= after->key))) return;
    ++after_count_;
    if (heap_.size() < k_) {
      heap_.push_back(std::move(c));
      std::push_heap(heap_.begin(), heap_.end(), order_);
    } else if (order_(c, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), order_);
      heap_.back() = std::move(c);
      std::push_heap(heap_.begin(), heap_.end(), order_);
    }
  }

  // Sets the distance to the candidate's nearest site; false when no site is within the radius.
  bool Near(const GeoFilter& g, Candidate* c) const {
    for (const SitePoint& p : index_.sites().Sites(c->doc)) {
      if (plan_.box.Outside(g, p)) continue;
      double km = HaversineKm(g.lat, g.lon, p.lat, p.lon);
      if (!c->distance || km < *c->distance) {
        c->distance = km;
        c->site = p.site;
      }
    }
    if (!c->distance || *c->distance > g.radius_km) return false;
    return true;
  }

  void SetSortKeys(const DocAttrs& a, Candidate* c) const {
    c->keys = {0, 0};
    for (size_t si = 0; si < plan_.sort.size(); ++si) {
      const SortKey& s = plan_.sort[si];
      double& key = c->keys[si];
      switch (s.field) {
        case SortField::kRelevance: key = Oriented(c->score, true, s.descending); break;
        case SortField::kLastUpdate:
          key = Oriented(static_cast<double>(a.last_update_days), a.last_update_days != DocAttrs::kNoDate, s.descending);
          break;
        case SortField::kStartDate:
          key = Oriented(static_cast<double>(a.start_days), a.start_days != DocAttrs::kNoDate, s.descending);
          break;
        case SortField::kEnrollment: key = Oriented(static_cast<double>(a.enrollment), a.enrollment >= 0, s.descending); break;
        case SortField::kDistance: key = Oriented(c->distance.value_or(0), c->distance.has_value(), s.descending); break;
      }
    }
  }

  const SearchPlan& plan_;
  const SearchIndex& index_;
  Order order_;
  std::vector<Candidate> heap_;  // max-heap by `order_`: the worst kept candidate on top
  const size_t k_;
  int64_t total_ = 0;
  int64_t after_count_ = 0;  // matches after the page token
  bool more_ = false;
  FacetCounter facets_;
  const bool read_hot_;
};

// The page's hits, with what matched on each when the request asks for it.
std::vector<Hit> Hits(const SearchPlan& plan, const std::vector<Candidate>& top, const SearchIndex& index) {
  std::vector<Hit> hits;
  for (const Candidate& c : top) {
    Hit h;
    h.key = index.doc(c.doc).key;
    h.brief_title = index.doc(c.doc).brief_title;
    h.score = c.score;
    h.distance_km = c.distance;
    h.nearest_site = c.site;
    if (plan.req.explain && plan.query.root.kind != QueryNode::Kind::kAll) {
      auto e = BuildIterator(plan.query.root, index);
      e->SkipTo(c.doc);
      if (e->doc() == c.doc) e->Explain(&h.matches);
    }
    hits.push_back(std::move(h));
  }
  return hits;
}

}  // namespace

double HaversineKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kR = 6371.0088;
  constexpr double kRad = M_PI / 180.0;
  double dlat = (lat2 - lat1) * kRad;
  double dlon = (lon2 - lon1) * kRad;
  double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kR * std::asin(std::min(1.0, std::sqrt(a)));
}

Searcher::TokenCheck Searcher::CheckPageToken(const SearchRequest& req) const {
  const std::vector<SortKey> sort = SortOf(req);
  After ignored;
  return ReadToken(req.page_token, TokenFingerprint(req, sort, index_), sort.size(), &ignored);
}

Result<SearchResult> Searcher::Search(const SearchRequest& req) const {
  if (Status st = Validate(req); !st.ok()) return st;
  Result<SearchPlan> plan = Plan(req, index_, aliases_);
  if (!plan.ok()) return plan.status();
  Collector collector(*plan, index_);
  collector.Collect();
  std::vector<Candidate> top = collector.TakeTop();

  SearchResult out;
  out.query = plan->query.ToString();
  out.warnings = plan->query.warnings;
  out.total = collector.total();
  if (collector.more()) out.next_page_token = EncodeToken(plan->fingerprint, top.back(), plan->sort.size(), index_);
  out.hits = Hits(*plan, top, index_);
  out.facets = collector.facets().Counts(index_);
  return out;
}

}  // namespace ts
