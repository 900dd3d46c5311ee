// Where the studies' sites are, for distance filters: a grid of quarter-degree cells listing the
// studies with a site in each, and every study's site coordinates packed in one array (a distance
// test reads 24 bytes a site instead of the study's attributes).
//   SiteGrid grid;  grid.Build(docs);
//   std::vector<uint64_t> bits = grid.StudiesInBox(30.0, 30.9, 119.7, 120.6);  // bitset over DocIds
//   for (const SitePoint& p : grid.Sites(doc)) ... p.lat, p.lon, p.site (index into the study's sites)
// Derived from DocAttrs (not saved in snapshots); read-only and thread-safe once built.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include "search/doc_attrs.h"

namespace ts {

struct SitePoint {
  double lat = 0;
  double lon = 0;
  uint32_t site = 0;  // index into DocAttrs::sites
};

class SiteGrid {
 public:
  static constexpr double kCellDegrees = 0.25;

  // Replaces the grid with the sites (with coordinates) of `docs`, DocId = index.
  void Build(const std::vector<DocAttrs>& docs);

  // Studies with a site in the cells that cover [lat0, lat1] x [lon0, lon1] (lon may wrap past
  // +-180), as a bitset over DocIds: a superset of those with a site inside any circle in the box.
  std::vector<uint64_t> StudiesInBox(double lat0, double lat1, double lon0, double lon1) const;

  // The study's sites that have coordinates, in site order.
  std::span<const SitePoint> Sites(DocId d) const {
    return {points_.data() + begin_[d], points_.data() + begin_[d + 1]};
  }

  // Starts loading the study's site coordinates into cache (a hint: no effect on results).
  void Prefetch(DocId d) const { __builtin_prefetch(points_.data() + begin_[d]); }

  uint64_t MemoryBytes() const;

 private:
  absl::flat_hash_map<int64_t, std::vector<DocId>> cells_;  // cell -> studies with a site there, ascending
  std::vector<uint32_t> begin_;  // doc -> first of its points; begin_[doc_count] = points_.size()
  std::vector<SitePoint> points_;
};

}  // namespace ts
