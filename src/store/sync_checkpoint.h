// Where `trialscope sync` stands with one registry endpoint, kept in the database beside the studies.
//   SyncCheckpoint cp{.api = "https://clinicaltrials.gov", .completed_through = "2026-11-01"};
//   TS_RETURN_IF_ERROR(store.PutSyncCheckpoint(cp));   // inside an open batch: committed with the page
// A run asks for RANGE[run_since, MAX]; each page it imports advances page_token in the same
// transaction, so after a crash the next run resumes at the first page not committed.
#pragma once

#include <cstdint>
#include <string>

namespace ts {

struct SyncCheckpoint {
  std::string api{};                // the endpoint's base URL, as given to --api (the key)
  std::string completed_through{};  // YYYY-MM-DD: every study updated before it, and on it as of the last
                                  // completed run, is stored; the next run asks RANGE[completed_through, MAX]
  std::string run_since{};          // the run in progress asks RANGE[run_since, MAX]; "" when no run is open
  std::string page_token{};         // the next page of the run in progress; "" for its first page
  int64_t pages_done = 0;         // pages of the run in progress committed so far
  int64_t studies_done = 0;       // studies in those pages
  std::string run_newest{};         // the newest LastUpdatePostDate seen in the run in progress
  std::string data_timestamp{};     // /api/v2/version dataTimestamp the run in progress (or the last run) read
  std::string updated_at{};         // UTC, ISO 8601, stamped by the store on write

  bool InRun() const { return !run_since.empty(); }
  bool operator==(const SyncCheckpoint&) const = default;
};

}  // namespace ts
