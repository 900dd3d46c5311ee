// The check the snapshot fuzz target makes on one input, shared with its replay test: a damaged
// search-index snapshot is refused with an error, or loads into an index that can be searched
// without crashing. The input damages a small valid snapshot (so the fuzzer reaches deep into it):
//   bytes 0-3: offset (modulo the snapshot's size); byte 4: how (0 overwrite, 1 truncate there,
//   2 insert, 3 bytes-as-whole-snapshot); the rest: the bytes to write or insert.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "common/binary_io.h"
#include "search/searcher.h"

namespace ts::testing {

inline const std::string& FuzzSnapshotBase() {
  static const std::string bytes = [] {  // test-only: built once per process
    SearchIndex index;
    const char* words[] = {"thrombocytopenia", "aplastic anemia", "hetrombopag", "romiplostim", "platelet count"};
    for (int d = 0; d < 300; ++d) {
      Study s;
      s.identification.nct_id = "NCT0" + std::to_string(1000000 + d);
      s.identification.brief_title = std::string(words[d % 5]) + " study " + std::to_string(d);
      s.conditions.push_back(words[(d / 5) % 5]);
      s.brief_summary = std::string(words[d % 3]) + " " + words[(d + 1) % 5] + " in adults";
      Location l;
      l.city = d % 2 ? "Tianjin" : "Hangzhou";
      l.country = "China";
      l.geo_point = GeoPoint{30.0 + d % 7, 120.0 + d % 5};
      s.locations.push_back(l);
      s.status.overall_status = d % 2 ? OverallStatus::kRecruiting : OverallStatus::kCompleted;
      index.Add(s.identification.nct_id, s);
    }
    index.Finalize();
    BinaryWriter w;
    index.Save(&w);
    return w.data();
  }();
  return bytes;
}

inline bool FuzzSnapshot(std::string_view input) {
  std::string bytes = FuzzSnapshotBase();
  if (input.size() >= 5) {
    uint32_t offset;
    std::memcpy(&offset, input.data(), 4);
    const size_t at = offset % bytes.size();
    const std::string_view rest = input.substr(5);
    switch (static_cast<uint8_t>(input[4]) % 4) {
      case 0: bytes.replace(at, std::min(rest.size(), bytes.size() - at), rest.substr(0, bytes.size() - at)); break;
      case 1: bytes.resize(at); break;
      case 2: bytes.insert(at, rest); break;
      default: bytes.assign(rest); break;
    }
  }
  // Both ways the service loads: lists copied, and lists used in place (the bytes kept alive).
  for (bool in_place : {false, true}) {
    auto keep = std::make_shared<std::string>(bytes);
    BinaryReader r(*keep);
    SearchIndex index;
    Status st = index.Load(&r, in_place ? keep : nullptr);
    if (!st.ok()) {
      if (st.message().empty() || index.doc_count() != 0) return false;
      continue;
    }
    Searcher searcher(index);
    for (const char* q : {"thrombocytopenia", "\"aplastic anemia\"", "hetrombopag AND platelet", "romiplostim OR study"}) {
      SearchRequest req;
      req.queries = {{"query.term", q}};
      req.facets = {"overallStatus", "country", "condition"};
      req.filters.geo = GeoFilter{31, 121, 300};
      auto res = searcher.Search(req);
      if (!res.ok() && res.status().message().empty()) return false;
    }
  }
  return true;
}

}  // namespace ts::testing
