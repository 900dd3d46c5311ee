#include "protocol/cohort.h"

#include <boost/math/distributions/beta.hpp>
#include <numeric>
#include <random>
#include <sstream>

#include "common/strings.h"
#include "eligibility/units.h"

namespace ts {
namespace {

constexpr int kMaxPerStratum = 100000;

// A uniform integer in [0, n) by rejection, so the draw is the same on every standard library.
uint64_t Uniform(std::mt19937_64& rng, uint64_t n) {
  uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = rng(); while (x >= limit);
  return x % n;
}

Status CheckPlan(const RandomisationPlan& p) {
  if (p.arms.empty()) return Status::InvalidArgument("randomisation: no arms");
  if (p.ratio.size() != p.arms.size())
    return Status::InvalidArgument("randomisation: the ratio has " + std::to_string(p.ratio.size()) + " parts for " +
                                   std::to_string(p.arms.size()) + " arms");
  for (int r : p.ratio)
    if (r < 1 || r > 100) return Status::InvalidArgument("randomisation: each part of the ratio must be 1-100");
  int sum = std::accumulate(p.ratio.begin(), p.ratio.end(), 0);
  if (p.block_sizes.empty()) return Status::InvalidArgument("randomisation: no block sizes");
  for (int b : p.block_sizes)
    if (b < sum || b % sum != 0 || b > 1000)
      return Status::InvalidArgument("randomisation: block size " + std::to_string(b) + " is not a multiple of the ratio's sum " +
                                     std::to_string(sum) + " (at most 1000)");
  if (p.per_stratum < 1 || p.per_stratum > kMaxPerStratum)
    return Status::InvalidArgument("randomisation: subjects per stratum must be 1-" + std::to_string(kMaxPerStratum));
  return Status::Ok();
}

}  // namespace

Result<BlockAllocation> Randomise(const RandomisationPlan& plan) {
  if (Status s = CheckPlan(plan); !s.ok()) return s;
  std::vector<std::string> strata = plan.strata.empty() ? std::vector<std::string>{"all"} : plan.strata;
  int sum = std::accumulate(plan.ratio.begin(), plan.ratio.end(), 0);
  BlockAllocation out;
  std::mt19937_64 rng(plan.seed);
  for (const std::string& stratum : strata) {
    std::vector<int> counts(plan.arms.size(), 0);
    int seq = 0, block = 0;
    while (seq < plan.per_stratum) {
      int size = plan.block_sizes[Uniform(rng, plan.block_sizes.size())];
      std::vector<size_t> cells;
      for (size_t a = 0; a < plan.arms.size(); ++a)
        for (int k = 0; k < plan.ratio[a] * (size / sum); ++k) cells.push_back(a);
      for (size_t i = cells.size() - 1; i > 0; --i) std::swap(cells[i], cells[Uniform(rng, i + 1)]);
      ++block;
      std::vector<int> in_block(plan.arms.size(), 0);
      int used = 0;
      for (size_t a : cells) {
        if (seq >= plan.per_stratum) break;
        out.list.push_back(AllocationRow{++seq, stratum, block, size, plan.arms[a]});
        ++counts[a];
        ++in_block[a];
        ++used;
      }
      if (used == size) {  // a completed block must hold the ratio exactly
        for (size_t a = 0; a < plan.arms.size(); ++a)
          if (in_block[a] != plan.ratio[a] * (size / sum)) out.ratio_holds = false;
      }
    }
    out.counts.emplace_back(stratum, counts);
  }
  return out;
}

std::string BlockAllocation::ToString(const RandomisationPlan& plan) const {
  std::ostringstream o;
  o << "Permuted-block randomisation, seed " << plan.seed << ", ratio ";
  for (size_t i = 0; i < plan.ratio.size(); ++i) o << (i ? ":" : "") << plan.ratio[i];
  o << ", block sizes ";
  for (size_t i = 0; i < plan.block_sizes.size(); ++i) o << (i ? "," : "") << plan.block_sizes[i];
  o << "\nseq\tstratum\tblock\tsize\tarm\n";
  for (const AllocationRow& r : list)
    o << r.sequence << "\t" << r.stratum << "\t" << r.block << "\t" << r.block_size << "\t" << r.arm << "\n";
  for (const auto& [stratum, n] : counts) {
    o << "stratum " << stratum << ":";
    for (size_t a = 0; a < n.size(); ++a) o << " " << plan.arms[a] << " " << n[a];
    o << "\n";
  }
  o << (ratio_holds ? "check: every completed block holds the ratio exactly\n"
                    : "check: FAILED: a completed block does not hold the ratio\n");
  return o.str();
}

Interval ClopperPearson(int64_t successes, int64_t n) {
  const double alpha = 0.05;
  auto x = static_cast<double>(successes), m = static_cast<double>(n);
  Interval ci;
  ci.low = successes == 0 ? 0.0 : boost::math::quantile(boost::math::beta_distribution<double>(x, m - x + 1), alpha / 2);
  ci.high = successes == n ? 1.0 : boost::math::quantile(boost::math::beta_distribution<double>(x + 1, m - x), 1 - alpha / 2);
  return ci;
}

}  // namespace ts
