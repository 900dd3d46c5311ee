// A deterministic generator of studies shaped like real registry records, for benchmarks.
//   CorpusGenerator gen = CorpusGenerator::FromPaths({"../shared/data/ctgov"}, 42);
//   Study s = gen.Make(123456);   // the same study for the same (seed, i), every run
// Each study is a real record (a template) with a fresh ID, and with conditions, interventions,
// status and site coordinates mixed in from other templates, so that term statistics, field
// lengths and facet distributions follow the real corpus at any size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/study.h"

namespace ts {

class CorpusGenerator {
 public:
  static Result<CorpusGenerator> FromPaths(const std::vector<std::string>& paths, uint64_t seed);

  Study Make(uint64_t i) const;
  size_t template_count() const { return templates_.size(); }
  // Words that occur in conditions and titles, for generating queries.
  const std::vector<std::string>& vocabulary() const { return vocabulary_; }
  // Site coordinates found in the templates.
  const std::vector<GeoPoint>& sites() const { return sites_; }
  uint64_t seed() const { return seed_; }

 private:
  std::vector<Study> templates_;
  std::vector<std::string> vocabulary_;
  std::vector<GeoPoint> sites_;
  uint64_t seed_ = 0;
};

// SplitMix64: a small, good, deterministic generator.
inline uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace ts
