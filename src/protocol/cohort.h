// Cohorts: seeded, auditable permuted-block randomisation, and per-arm endpoint rates with exact intervals.
//   RandomisationPlan plan{{"A", "B"}, {1, 1}, {4, 6}, {"site 1", "site 2"}, 20, 42};
//   Result<BlockAllocation> a = Randomise(plan);   // a->list: one row per subject; a->check: the ratio held per block
//   Interval ci = ClopperPearson(7, 20);      // exact 95% interval for 7 of 20
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "eligibility/patient.h"
#include "eligibility/screening.h"
#include "protocol/protocol.h"
#include "protocol/protocol_lexicon.h"

namespace ts {

struct RandomisationPlan {
  std::vector<std::string> arms;
  std::vector<int> ratio;            // one weight per arm: {1, 1}, {2, 1}
  std::vector<int> block_sizes;      // each a multiple of the ratio's sum; one is drawn per block
  std::vector<std::string> strata;   // empty: one stratum "all"
  int per_stratum = 0;               // subjects allocated in each stratum
  uint64_t seed = 1;
};

struct AllocationRow {
  int sequence = 0;                  // 1-based within the stratum
  std::string stratum;
  int block = 0;                     // 1-based within the stratum
  int block_size = 0;
  std::string arm;
  bool operator==(const AllocationRow&) const = default;
};

struct BlockAllocation {
  std::vector<AllocationRow> list;
  // Per stratum and arm, the number allocated; and whether every completed block held the ratio exactly.
  std::vector<std::pair<std::string, std::vector<int>>> counts;
  bool ratio_holds = true;
  std::string ToString(const RandomisationPlan& plan) const;  // the allocation list, then the check
};

// InvalidArgument: no arms, a ratio that does not match them or is not positive, a block size that is not a positive
// multiple of the ratio's sum, more than 100000 subjects per stratum. The same plan (seed included) gives the same list:
// blocks are drawn with a 64-bit Mersenne Twister and a Fisher-Yates shuffle written here, not the standard library's
// unspecified shuffle.
Result<BlockAllocation> Randomise(const RandomisationPlan& plan);

struct Interval {
  double low = 0, high = 0;
};
// The exact (Clopper-Pearson) two-sided 95% interval for `successes` of `n` (Boost.Math's beta quantile). n > 0.
Interval ClopperPearson(int64_t successes, int64_t n);

// One endpoint's rate in one arm: met / (met + not met); unknown verdicts are counted apart, never as either.
struct EndpointRate {
  std::string arm, endpoint;
  int64_t met = 0, not_met = 0, unknown = 0;
  std::optional<Interval> ci;        // nullopt when no subject had a known verdict
};

struct CohortSubject {
  std::string id;
  std::string arm;
  PartialDate start;
  Patient patient;
};

// A cohort file: one JSON object a line, {"id": "s1", "arm": "Experimental arm", "start": "2026-01-05", "patient": {...}}
// (the patient native or FHIR, docs/PATIENT.md). Blank lines are skipped. InvalidArgument names `source`, the line
// and the problem; at most 100000 subjects.
Result<std::vector<CohortSubject>> ReadCohort(std::string_view ndjson, const ConceptTable& concepts, std::string_view source);

// Each subject's timeline, then per arm (in protocol order) and endpoint the counts and the exact interval. A subject
// whose timeline cannot be built (unknown arm, impossible weight) is an error naming the subject.
Result<std::vector<EndpointRate>> CohortRates(const Protocol& protocol, const std::vector<CohortSubject>& subjects,
                                              const ProtocolLexicon& lex);
std::string CohortRatesText(const std::vector<EndpointRate>& rates);
std::string CohortRatesJson(const std::vector<EndpointRate>& rates, bool pretty);
std::string AllocationJson(const BlockAllocation& a, const RandomisationPlan& plan, bool pretty);

}  // namespace ts
