// Incremental sync of a StudyStore from a ClinicalTrials.gov API v2 endpoint, resumable after any crash.
//   PoliteClient client(http, pacer, clock, {.per_minute = 50}, seed, &std::cerr);
//   Importer importer(store, {.rejects = &rejects});
//   Syncer syncer(store, importer, client, {.api = "https://clinicaltrials.gov", .page_size = 1000});
//   Result<SyncSummary> sum = syncer.Run();
// A run asks for every study whose LastUpdatePostDate is on or after the checkpoint's date
// (AREA[LastUpdatePostDate]RANGE[since,MAX]) page by page. Each page is checked whole, then imported with
// the checkpoint's advance in ONE transaction: a crash at any moment leaves the database at a page
// boundary, and the next Run continues at the first page not committed (same dataTimestamp) or restarts the
// run (the registry's data changed, so its page tokens may not hold). Re-imported records change nothing.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "common/status.h"
#include "service/importer.h"
#include "store/study_store.h"
#include "sync/ctgov_page.h"
#include "sync/polite_client.h"

namespace ts {

struct SyncOptions {
  std::string api = "https://clinicaltrials.gov";  // base URL, no trailing slash
  std::string since;     // YYYY-MM-DD: start a new run from this date, whatever the checkpoint says
  int page_size = 1000;  // 1..1000 (the API's limit)
  int max_restarts = 5;  // dataTimestamp changes tolerated in one Run before giving up
  int64_t max_pages = -1;  // stop (resumably) after this many pages; < 0: no limit (tests, benches)
  std::ostream* log = nullptr;  // one line per page and per restart
};

struct SyncSummary {
  int64_t pages = 0;       // pages imported by this Run
  int64_t restarts = 0;    // runs restarted because dataTimestamp changed
  bool resumed = false;    // this Run continued a run a previous process left open
  bool complete = false;   // the run reached the last page (false only when max_pages stopped it)
  ImportSummary import;    // the importer's counts, added up over the pages
  std::string completed_through;  // the checkpoint's date after the Run
  std::string data_timestamp;
  int64_t requests = 0;    // HTTP requests, retries included
  int64_t retries = 0;

  // "pages 3, studies 2500 (new 2400, updated 100, unchanged 0, rejected 0), restarts 0, requests 8, retries 2,
  //  completed through 2026-11-19 (data 2026-11-20T09:00:05)"
  std::string ToString() const;
};

class Syncer {
 public:
  // Everything must outlive the Syncer.
  Syncer(StudyStore& store, Importer& importer, PoliteClient& client, SyncOptions options)
      : store_(store), importer_(importer), client_(client), options_(std::move(options)) {}

  // Runs (or resumes) a sync to the end. Errors: InvalidArgument when the endpoint has no checkpoint and
  // no `since` was given, or `since` is not a date; the client's error when a request fails for good; the
  // store's when it fails. Whatever pages were committed before an error stay committed and checkpointed.
  Result<SyncSummary> Run();

 private:
  Result<std::string> FetchDataTimestamp();
  // The stored checkpoint, or a new one from options_.since; no request is made.
  Result<SyncCheckpoint> LoadCheckpoint();
  // Resumes the open run (same dataTimestamp), restarts it (another), or opens a run from completed_through.
  Status OpenRun(SyncCheckpoint& cp, const std::string& data_timestamp, SyncSummary& sum);
  Status ImportPage(SyncCheckpoint& cp, const std::string& body, const StudiesPage& page, SyncSummary& sum);

  StudyStore& store_;
  Importer& importer_;
  PoliteClient& client_;
  SyncOptions options_;
};

// Sets the endpoint's checkpoint after a bulk seed import: completed_through becomes the newest
// LastUpdatePostDate of the current studies in the store (InvalidArgument if none has one), and any open
// run is dropped.
Result<SyncCheckpoint> CheckpointFromStore(StudyStore& store, const std::string& api);

}  // namespace ts
