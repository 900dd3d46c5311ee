// Per-study attributes the search index keeps beside its postings, for filters, facets, sorting
// and distance: what a hit needs without parsing the study.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "common/binary_io.h"
#include "model/study.h"

namespace ts {

using DocId = uint32_t;

// Interned strings for facet and filter values (countries, cities, conditions ...).
class StringTable {
 public:
  void Save(BinaryWriter* w) const;
  bool Load(BinaryReader* r);
  uint32_t Intern(const std::string& s);
  // kNone if absent.
  uint32_t Find(const std::string& s) const;
  const std::string& Get(uint32_t id) const { return values_[id]; }
  size_t size() const { return values_.size(); }
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

 private:
  absl::flat_hash_map<std::string, uint32_t> ids_;
  std::vector<std::string> values_;
};

struct SiteAttrs {
  uint32_t country = StringTable::kNone;
  uint32_t state = StringTable::kNone;
  uint32_t city = StringTable::kNone;
  std::optional<GeoPoint> geo;
  bool geocoded = false;  // geo comes from the gazetteer (city level), not the record
  std::optional<OverallStatus> status;
};

// What filters, facets and sorting need of one study, without parsing it.
struct DocAttrs {
  std::string key;
  std::string brief_title;
  std::optional<OverallStatus> status;
  uint32_t phase_mask = 0;  // bit i: Phase with underlying value i
  std::optional<StudyType> study_type;
  std::optional<Sex> sex;
  std::optional<bool> healthy_volunteers;
  bool has_results = false;
  std::optional<AgencyClass> funder;
  uint32_t intervention_type_mask = 0;
  int64_t start_days = kNoDate;
  int64_t last_update_days = kNoDate;
  int64_t enrollment = -1;
  double min_age_days = -1;  // -1: no lower limit
  double max_age_days = -1;  // -1: no upper limit
  std::vector<SiteAttrs> sites;
  std::vector<uint32_t> conditions;     // facet value ids (display forms)
  std::vector<uint32_t> interventions;
  static constexpr int64_t kNoDate = std::numeric_limits<int64_t>::min();
};

// The byte an absent enum (or bool) value is packed as, in HotAttrs and in the index snapshot.
inline constexpr uint8_t kUnsetEnum = 255;

// An optional enum (or bool) packed into a byte: its value, or kUnsetEnum.
template <typename E>
constexpr uint8_t PackEnum(const std::optional<E>& v) {
  return v ? static_cast<uint8_t>(*v) : kUnsetEnum;
}

// The attributes most filters and facets read, packed in 8 bytes per study so that scanning many
// matches stays in cache. kUnsetEnum means "not given".
struct HotAttrs {
  uint8_t status = kUnsetEnum;
  uint8_t phase_mask = 0;
  uint8_t study_type = kUnsetEnum;
  uint8_t sex = kUnsetEnum;
  uint8_t funder = kUnsetEnum;
  uint8_t healthy = kUnsetEnum;  // 0 / 1 / kUnsetEnum
  uint16_t intervention_type_mask = 0;
};
static_assert(sizeof(HotAttrs) == 8);

}  // namespace ts
