#include "service/search_params.h"

#include <algorithm>

#include "common/strings.h"

namespace ts {

namespace {

const std::vector<std::string> kNames = {
    "query.cond", "query.term", "query.intr", "query.titles", "query.outc", "query.spons", "query.lead", "query.id",
    "query.locn", "filter.overallStatus", "filter.ids", "filter.geo", "filter.phase", "filter.studyType", "filter.sex",
    "filter.healthyVolunteers", "filter.hasResults", "filter.funderType", "filter.interventionType", "filter.country",
    "filter.state", "filter.city", "filter.startDate", "filter.lastUpdate", "filter.enrollment", "filter.age", "sort",
    "pageSize", "pageToken", "countTotal", "facets", "explain", "aliases", "near", "radius", "aggFilters", "filter.results"};

std::vector<std::string> List(std::string_view v) {
  std::vector<std::string> out;
  for (char sep : {'|', ','}) {
    if (v.find(sep) != std::string_view::npos) {
      for (auto part : Split(v, sep))
        if (!Trim(part).empty()) out.emplace_back(Trim(part));
      return out;
    }
  }
  if (!Trim(v).empty()) out.emplace_back(Trim(v));
  return out;
}

Status Bad(const std::string& param, const std::string& what) { return Status::InvalidArgument(param + ": " + what); }

template <typename E>
Status Enums(const std::string& param, std::string_view v, std::vector<E>* out) {
  for (const auto& s : List(v)) {
    std::string up = s;
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    auto e = ParseApiName<E>(up);
    if (!e) e = ParseLabel<E>(s);
    if (!e) {
      std::vector<std::string> names;
      for (const auto& entry : EnumTable<E>::kEntries) names.emplace_back(entry.api);
      return Bad(param, "unknown value \"" + s.substr(0, 40) + "\"; expected one of " + Join(names, ", "));
    }
    out->push_back(*e);
  }
  return Status::Ok();
}

Result<bool> Bool(const std::string& param, std::string_view v) {
  if (EqualsIgnoreCase(v, "true") || v == "1" || EqualsIgnoreCase(v, "yes")) return true;
  if (EqualsIgnoreCase(v, "false") || v == "0" || EqualsIgnoreCase(v, "no")) return false;
  return Bad(param, "expected true or false, got \"" + std::string(v.substr(0, 20)) + "\"");
}

// "2020-01,2021-12-31", "2020," or ",2021": either side may be open.
Result<DateRange> Range(const std::string& param, std::string_view v) {
  size_t comma = v.find(',');
  if (comma == std::string_view::npos) return Bad(param, "expected FROM,TO (either may be empty)");
  DateRange r;
  std::string_view from = Trim(v.substr(0, comma)), to = Trim(v.substr(comma + 1));
  if (!from.empty() && !EqualsIgnoreCase(from, "MIN")) {
    auto d = PartialDate::Parse(from);
    if (!d.ok()) return Bad(param, d.status().message());
    r.from = *d;
  }
  if (!to.empty() && !EqualsIgnoreCase(to, "MAX")) {
    auto d = PartialDate::Parse(to);
    if (!d.ok()) return Bad(param, d.status().message());
    r.to = *d;
  }
  return r;
}

Result<SortKey> Sort(std::string_view item) {
  std::string_view name = item;
  bool desc = true;
  bool explicit_dir = false;
  if (size_t colon = item.find(':'); colon != std::string_view::npos) {
    name = item.substr(0, colon);
    std::string_view dir = item.substr(colon + 1);
    if (EqualsIgnoreCase(dir, "asc")) desc = false;
    else if (!EqualsIgnoreCase(dir, "desc")) return Bad("sort", "direction must be asc or desc");
    explicit_dir = true;
  }
  SortKey k;
  if (name == "@relevance") k.field = SortField::kRelevance;
  else if (name == "LastUpdatePostDate") k.field = SortField::kLastUpdate;
  else if (name == "StartDate") k.field = SortField::kStartDate;
  else if (name == "EnrollmentCount") k.field = SortField::kEnrollment;
  else if (name == "@distance") k.field = SortField::kDistance;
  else {
    return Bad("sort", "unknown sort field \"" + std::string(name.substr(0, 40)) +
                           "\"; expected @relevance, LastUpdatePostDate, StartDate, EnrollmentCount or @distance");
  }
  k.descending = explicit_dir ? desc : k.field != SortField::kDistance;
  return k;
}

}  // namespace

const std::vector<std::string>& SearchParamNames() { return kNames; }

Result<GeoFilter> ParseGeoDistance(std::string_view text) {
  std::string_view t = Trim(text);
  if (!StartsWith(t, "distance(") || t.back() != ')') return Bad("filter.geo", "expected distance(lat,lon,50km)");
  auto parts = Split(t.substr(9, t.size() - 10), ',');
  if (parts.size() != 3) return Bad("filter.geo", "expected distance(lat,lon,50km)");
  GeoFilter g;
  if (!ParseDouble(parts[0], &g.lat) || g.lat < -90 || g.lat > 90) return Bad("filter.geo", "latitude must be -90..90");
  if (!ParseDouble(parts[1], &g.lon) || g.lon < -180 || g.lon > 180) return Bad("filter.geo", "longitude must be -180..180");
  std::string_view r = Trim(parts[2]);
  double factor = 1;
  if (EndsWith(r, "km")) {
    r.remove_suffix(2);
  } else if (EndsWith(r, "mi")) {
    r.remove_suffix(2);
    factor = 1.609344;
  } else {
    return Bad("filter.geo", "distance needs a unit: km or mi");
  }
  if (!ParseDouble(r, &g.radius_km) || g.radius_km <= 0 || g.radius_km > 20100) {
    return Bad("filter.geo", "distance must be a positive number");
  }
  g.radius_km *= factor;
  return g;
}

Result<SearchQuery> ParseSearchParams(const Params& params) {
  SearchQuery q;
  SearchRequest& r = q.request;
  SearchFilters& f = r.filters;
  for (const auto& [name, value] : params) {
    if (std::find(kNames.begin(), kNames.end(), name) == kNames.end()) {
      return Status::InvalidArgument("unknown parameter \"" + name.substr(0, 60) + "\"");
    }
    if (value.size() > 4096) return Bad(name, "value longer than 4096 bytes");
    if (StartsWith(name, "query.")) {
      r.queries.emplace_back(name, value);
    } else if (name == "filter.overallStatus") {
      TS_RETURN_IF_ERROR(Enums(name, value, &f.statuses));
    } else if (name == "filter.ids") {
      f.ids = List(value);
    } else if (name == "filter.geo") {
      auto g = ParseGeoDistance(value);
      if (!g.ok()) return g.status();
      f.geo = *g;
    } else if (name == "filter.phase") {
      TS_RETURN_IF_ERROR(Enums(name, value, &f.phases));
    } else if (name == "filter.studyType") {
      TS_RETURN_IF_ERROR(Enums(name, value, &f.study_types));
    } else if (name == "filter.sex") {
      std::vector<Sex> v;
      TS_RETURN_IF_ERROR(Enums(name, value, &v));
      if (v.size() != 1) return Bad(name, "give one of FEMALE, MALE, ALL");
      f.sex = v[0];
    } else if (name == "filter.healthyVolunteers" || name == "filter.hasResults" || name == "countTotal" ||
               name == "explain" || name == "aliases") {
      auto b = Bool(name, value);
      if (!b.ok()) return b.status();
      if (name == "filter.healthyVolunteers") f.healthy_volunteers = *b;
      if (name == "filter.hasResults") f.has_results = *b;
      if (name == "explain") r.explain = *b;
      if (name == "aliases") r.expand_aliases = *b;
    } else if (name == "filter.funderType") {
      TS_RETURN_IF_ERROR(Enums(name, value, &f.funder_types));
    } else if (name == "filter.interventionType") {
      TS_RETURN_IF_ERROR(Enums(name, value, &f.intervention_types));
    } else if (name == "filter.country") {
      f.countries = List(value);
    } else if (name == "filter.state") {
      f.states = List(value);
    } else if (name == "filter.city") {
      f.cities = List(value);
    } else if (name == "filter.startDate" || name == "filter.lastUpdate") {
      auto range = Range(name, value);
      if (!range.ok()) return range.status();
      (name == "filter.startDate" ? f.start_date : f.last_update) = *range;
    } else if (name == "filter.enrollment") {
      size_t comma = value.find(',');
      if (comma == std::string::npos) return Bad(name, "expected MIN,MAX (either may be empty)");
      int64_t v;
      std::string lo(Trim(std::string_view(value).substr(0, comma))), hi(Trim(std::string_view(value).substr(comma + 1)));
      if (!lo.empty()) {
        if (!ParseInt64(lo, &v) || v < 0) return Bad(name, "minimum must be a whole number");
        f.enrollment_min = v;
      }
      if (!hi.empty()) {
        if (!ParseInt64(hi, &v) || v < 0) return Bad(name, "maximum must be a whole number");
        f.enrollment_max = v;
      }
    } else if (name == "filter.age") {
      double years;
      if (ParseDouble(value, &years) && years >= 0 && years < 150) {
        f.accepts_age_years = years;
      } else {
        auto age = Age::Parse(value);
        if (!age.ok() || age->ToYears() >= 150) return Bad(name, "expected an age in years (45) or with a unit (6 Months)");
        f.accepts_age_years = age->ToYears();
      }
    } else if (name == "sort") {
      for (const auto& item : List(value)) {
        auto k = Sort(item);
        if (!k.ok()) return k.status();
        r.sort.push_back(*k);
      }
    } else if (name == "pageSize") {
      int64_t n;
      if (!ParseInt64(value, &n) || n < 1 || n > 1000) return Bad(name, "must be a whole number from 1 to 1000");
      r.page_size = static_cast<int>(n);
    } else if (name == "near") {
      if (Trim(value).empty()) return Bad(name, "give a place: near=Hangzhou, China");
      q.near_place = std::string(Trim(value));
    } else if (name == "radius") {
      auto g = ParseGeoDistance("distance(0,0," + value + ")");
      if (!g.ok()) return Bad(name, "expected a distance such as 50km or 30mi");
      q.near_radius_km = g->radius_km;
    } else if (name == "aggFilters" || name == "filter.results") {
      // ClinicalTrials.gov's aggregation filters; of them, results:with|without (filter.results=with|without).
      for (const auto& item : List(value)) {
        std::string v = name == "aggFilters" ? item : "results:" + item;
        if (EqualsIgnoreCase(v, "results:with")) {
          f.has_results = true;
        } else if (EqualsIgnoreCase(v, "results:without")) {
          f.has_results = false;
        } else {
          return Bad(name, "only results:with or results:without is supported, got \"" + item.substr(0, 40) + "\"");
        }
      }
    } else if (name == "pageToken") {
      r.page_token = value;
    } else if (name == "facets") {
      r.facets = EqualsIgnoreCase(value, "all") ? FacetNames() : List(value);
    }
  }
  for (const SortKey& k : r.sort) {
    if (k.field == SortField::kDistance && !f.geo && q.near_place.empty()) {
      return Status::InvalidArgument("sort by @distance needs filter.geo (or a place)");
    }
  }
  return q;
}

}  // namespace ts
