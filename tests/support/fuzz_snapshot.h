// The check the snapshot fuzz target makes on one input, shared with its replay test. The snapshot is
// checksummed (a search index in one BinaryWriter section, as SearchService writes it): a damaged one is
// refused with an error, and whatever passes the checksum loads into an index that can be searched without
// crashing, or is refused with an error. The input damages a small valid snapshot:
//   bytes 0-3: offset (modulo the snapshot's size); byte 4: how, in its low two bits (0 overwrite,
//   1 truncate there, 2 insert, 3 bytes-as-whole-snapshot), and bit 2: reseal (recompute the section's
//   checksum after the damage, so that the fuzzer reaches deep into the index reader); the rest: the bytes
//   to write or insert. Without reseal, overwriting, truncating or inserting must always be detected.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "common/binary_io.h"
#include "common/crc32c.h"
#include "search/searcher.h"

namespace ts::testing {

// A small index's own bytes (SearchIndex::Save), without the section around them.
inline const std::string& FuzzIndexBytes() {
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

// The index in one checksummed section: the snapshot the fuzzer damages.
inline const std::string& FuzzSnapshotBase() {
  static const std::string bytes = [] {  // test-only: built once per process
    BinaryWriter w;
    size_t section = w.BeginSection();
    w.data().append(FuzzIndexBytes());  // the payload starts aligned, as the index's own arrays expect
    w.EndSection(section);
    return w.data();
  }();
  return bytes;
}

// Recomputes the checksum of the section at the start of `bytes` (as BinaryWriter::EndSection does), if its
// length field still fits.
inline void FuzzResealSection(std::string* bytes) {
  constexpr size_t kHeader = 12, kAlign = BinaryWriter::kSectionAlign;
  constexpr size_t kPayloadAt = kHeader + (kAlign - kHeader % kAlign) % kAlign;
  if (bytes->size() < kPayloadAt) return;
  uint64_t n;
  std::memcpy(&n, bytes->data(), sizeof n);
  if (n > bytes->size() - kPayloadAt) return;
  uint32_t crc = Crc32cExtend(Crc32c(std::string_view(*bytes).substr(0, 8)),
                              std::string_view(*bytes).substr(kHeader, kPayloadAt - kHeader + n));
  std::memcpy(bytes->data() + 8, &crc, sizeof crc);
}

inline bool FuzzSnapshot(std::string_view input) {
  const std::string& base = FuzzSnapshotBase();
  std::string bytes = base;
  bool must_refuse = false;
  if (input.size() >= 5) {
    uint32_t offset;
    std::memcpy(&offset, input.data(), 4);
    const size_t at = offset % bytes.size();
    const std::string_view rest = input.substr(5);
    const uint8_t how = static_cast<uint8_t>(input[4]);
    switch (how % 4) {
      case 0: bytes.replace(at, std::min(rest.size(), bytes.size() - at), rest.substr(0, bytes.size() - at)); break;
      case 1: bytes.resize(at); break;
      case 2: bytes.insert(at, rest); break;
      default: bytes.assign(rest); break;
    }
    if (how & 4) FuzzResealSection(&bytes);
    must_refuse = !(how & 4) && how % 4 != 3 && bytes != base;
  }
  // Both ways the service loads: lists copied, and lists used in place (the bytes kept alive).
  for (bool in_place : {false, true}) {
    auto keep = std::make_shared<std::string>(bytes);
    BinaryReader file(*keep);
    std::string_view section;
    if (!file.GetSection(&section) || !file.done()) {
      if (!file.status().ok() && file.status().message().empty()) return false;
      continue;  // refused: a checksum mismatch, a truncation, or trailing bytes
    }
    if (must_refuse) return false;  // a damaged snapshot passed its checksum
    BinaryReader r(section);
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
