#include "search/site_grid.h"

#include <algorithm>
#include <cmath>

namespace ts {

namespace {

constexpr int kLatCells = static_cast<int>(180 / SiteGrid::kCellDegrees);
constexpr int kLonCells = static_cast<int>(360 / SiteGrid::kCellDegrees);

int LatCell(double lat) { return std::clamp(static_cast<int>(std::floor((lat + 90) / SiteGrid::kCellDegrees)), 0, kLatCells - 1); }
// Unwrapped: callers wrap with CellId.
int LonCell(double lon) { return static_cast<int>(std::floor((lon + 180) / SiteGrid::kCellDegrees)); }
int64_t CellId(int lat_cell, int lon_cell) {
  lon_cell = ((lon_cell % kLonCells) + kLonCells) % kLonCells;
  return static_cast<int64_t>(lat_cell) * kLonCells + lon_cell;
}

}  // namespace

void SiteGrid::Build(const std::vector<DocAttrs>& docs) {
  cells_.clear();
  points_.clear();
  begin_.assign(docs.size() + 1, 0);
  for (size_t d = 0; d < docs.size(); ++d) {
    begin_[d] = static_cast<uint32_t>(points_.size());
    const auto& sites = docs[d].sites;
    for (size_t s = 0; s < sites.size(); ++s) {
      if (!sites[s].geo) continue;
      const GeoPoint& g = *sites[s].geo;
      points_.push_back({g.lat, g.lon, static_cast<uint32_t>(s)});
      auto& v = cells_[CellId(LatCell(g.lat), LonCell(g.lon))];
      if (v.empty() || v.back() != d) v.push_back(static_cast<DocId>(d));
    }
  }
  begin_[docs.size()] = static_cast<uint32_t>(points_.size());
}

std::vector<uint64_t> SiteGrid::StudiesInBox(double lat0, double lat1, double lon0, double lon1) const {
  const size_t doc_count = begin_.empty() ? 0 : begin_.size() - 1;
  std::vector<uint64_t> bits((doc_count + 63) / 64, 0);
  auto mark = [&](const std::vector<DocId>& v) {
    for (DocId d : v) bits[d >> 6] |= 1ull << (d & 63);
  };
  const int la0 = LatCell(std::max(-90.0, lat0)), la1 = LatCell(std::min(90.0, lat1));
  int lo0 = LonCell(lon0), lo1 = LonCell(lon1);
  if (lo1 - lo0 >= kLonCells - 1) {
    lo0 = 0;
    lo1 = kLonCells - 1;
  }
  const int64_t box_cells = static_cast<int64_t>(la1 - la0 + 1) * (lo1 - lo0 + 1);
  if (box_cells > static_cast<int64_t>(cells_.size())) {
    // A large box: test the occupied cells rather than look up every cell of the box.
    for (const auto& [id, v] : cells_) {
      const int la = static_cast<int>(id / kLonCells), lo = static_cast<int>(id % kLonCells);
      if (la < la0 || la > la1) continue;
      bool in = false;
      for (int k = -1; k <= 1 && !in; ++k) {  // the box may extend past +-180
        const int x = lo + k * kLonCells;
        in = x >= lo0 && x <= lo1;
      }
      if (in) mark(v);
    }
    return bits;
  }
  for (int la = la0; la <= la1; ++la) {
    for (int lo = lo0; lo <= lo1; ++lo) {
      auto it = cells_.find(CellId(la, lo));
      if (it != cells_.end()) mark(it->second);
    }
  }
  return bits;
}

uint64_t SiteGrid::MemoryBytes() const {
  uint64_t b = begin_.capacity() * sizeof(uint32_t) + points_.capacity() * sizeof(SitePoint);
  for (const auto& [cell, v] : cells_) b += v.capacity() * sizeof(DocId) + 48;
  return b;
}

}  // namespace ts
