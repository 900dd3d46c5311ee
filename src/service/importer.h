// Imports study records from files, directories and zips into a StudyStore.
//   Importer importer(store, {.rejects = &rejects_stream, .progress = &std::cerr});
//   Result<ImportSummary> sum = importer.Run({"../shared/data/ctgov"});
// Every record is parsed on its own: a broken record is rejected (with file, entry or index, the
// study ID when it can be seen, and the reason) and every other record is still imported.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string_view>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/study_store.h"

namespace ts {

struct ImportOptions {
  // Records per transaction. A crash loses at most the open batch; re-running completes it.
  size_t batch_size = 1000;
  std::ostream* rejects = nullptr;   // one JSON object per rejected record (JSONL), if set
  std::ostream* progress = nullptr;  // a progress line redrawn with \r (use on a terminal only)
  size_t kept_rejects = 20;          // how many rejects ImportSummary::first_rejects keeps
};

// One line of the rejects file, or one path that could not be read.
struct RejectRecord {
  std::string origin;    // file, "file.zip!entry", "file.json[12]" (array element), "file.ndjson:7" (line)
  std::string study_id;  // the NCT ID seen in the raw text, or ""
  std::string reason;
};
std::string RejectToJson(const RejectRecord& r);

// The counts add up: read == added + updated + historical + unchanged + rejected (CountsAddUp()).
struct ImportSummary {
  int64_t read = 0;        // records found, and files whose content could not be read as records
  int64_t added = 0;       // studies not stored before
  int64_t updated = 0;     // a new current version
  int64_t historical = 0;  // a new version older than the current one, kept in history
  int64_t unchanged = 0;
  int64_t rejected = 0;    // records (or whole files: empty, damaged zip) that could not be read as studies
  int64_t skipped = 0;     // files that hold no study data
  int64_t unreadable = 0;  // paths the system would not let us read (not counted in `read`)
  double elapsed_seconds = 0;
  std::vector<RejectRecord> first_rejects;  // the first ImportOptions::kept_rejects rejects, in input order
  std::vector<RejectRecord> unreadable_paths;  // every unreadable path, with the system's reason

  bool CountsAddUp() const { return read == added + updated + historical + unchanged + rejected; }
  double StudiesPerSecond() const { return elapsed_seconds > 0 ? static_cast<double>(read) / elapsed_seconds : 0; }
  // "read 7263, new 7252, updated 0, historical 0, unchanged 11, rejected 0, skipped files 2, unreadable paths 0,
  //  elapsed 2.10 s, 3458 studies/s"
  std::string ToString() const;
};

class Importer {
 public:
  Importer(StudyStore& store, ImportOptions options) : store_(store), options_(options) {}

  // Imports everything under `paths`. Returns the summary; an error Status only when the store
  // itself fails (disk full, database locked), never for bad input or unreadable paths (those are
  // counted in the summary, and everything readable is imported).
  Result<ImportSummary> Run(const std::vector<std::string>& paths);

  // Imports the records of one JSON text held in memory (an API v2 page {"studies": [...]}, an array, one
  // study) as ONE transaction, whatever batch_size says; records are named "origin[i]". `before_commit`, if
  // set, runs inside that transaction after the last Put (sync keeps its checkpoint there, so the page and
  // the checkpoint are committed together or not at all). An error Status when the store or before_commit
  // fails; nothing of the text is then committed (the open transaction is left for the caller to abandon).
  Result<ImportSummary> ImportText(const std::string& origin, std::string_view text,
                                   const std::function<Status()>& before_commit = {});

 private:
  StudyStore& store_;
  ImportOptions options_;
};

}  // namespace ts
