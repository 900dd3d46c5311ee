// A study's history and the store's change feed, for the API and the site: versions, one version,
// the diff of two, and every version added since a token, with what changed.
//   ChangeLog log(store);                       // a store connection of its own (see below)
//   auto page = log.Changes("c41", 100);        // page->entries, page->next_token ("c141")
//   auto changed = log.ChangedSince("c41");     // studies whose status, sites or criteria changed
// Tokens are "c" and a sequence number (StudyStore::ChangesAfter); "" is the beginning. They are
// exact: a page lists every version numbered after its token, so following next_token never loses or
// repeats a change, across pages and imports.
// Thread-safe: calls are serialised on one mutex, since a StudyStore is one user at a time.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/study.h"
#include "service/study_changes.h"
#include "store/study_diff.h"
#include "store/study_store.h"

namespace ts {

// "c42"; ParseChangeToken("c42") == 42. InvalidArgument naming `param` for anything else, and for a
// token ahead of `last` (the store's last sequence number: a token from another database).
std::string ChangeToken(int64_t seq);
Result<int64_t> ParseChangeToken(std::string_view token, int64_t last, std::string_view param);

struct StudyHistory {
  std::string key;
  std::vector<VersionInfo> versions;  // oldest first
};

// One stored version and what it changed from the version before it (by number).
struct ChangeEntry {
  std::string key;
  std::string nct_id;
  std::string brief_title;
  std::optional<OverallStatus> status;
  VersionInfo info;
  StudyChanges changes;
};

struct ChangePage {
  std::vector<ChangeEntry> entries;  // by sequence number
  std::string next_token;            // the token to ask with next (the last entry's, or the one given)
};

// A study whose current version differs, in status, sites or criteria, from the one it had at a token.
struct ChangedStudy {
  std::string key;
  std::optional<Study> before;  // the study as it was at the token; nullopt: new since
  int before_version = 0;       // 0 when new
  Study after;                  // the current version
  int after_version = 0;
  StudyChanges changes;
};

struct ChangedSinceResult {
  std::vector<ChangedStudy> studies;  // by key
  std::string next_token;             // the store's newest token: ask with it next time
};

class ChangeLog {
 public:
  // `store` must outlive the log and be used by nobody else while it lives (give it its own connection).
  explicit ChangeLog(StudyStore& store) : store_(store) {}

  // NotFound for an unknown study (any ID the store resolves).
  Result<StudyHistory> History(const std::string& id) const;
  Result<StoredVersion> Version(const std::string& id, int version) const;
  // Field changes from version `from` to `to` (DiffStudyJson); NotFound for a missing version.
  Result<std::vector<FieldChange>> Diff(const std::string& id, int from, int to) const;
  // What each version of a study changed from the one before it, oldest first.
  Result<std::vector<ChangeEntry>> StudyChangesOf(const std::string& id) const;

  // Up to `limit` versions added after `token`, in order.
  Result<ChangePage> Changes(std::string_view token, size_t limit) const;
  // Up to `limit` of the newest versions whose change is Relevant() (new, status, sites, criteria),
  // newest first, looking back over at most `scan` versions.
  Result<std::vector<ChangeEntry>> RecentRelevant(size_t limit, size_t scan) const;
  // Studies whose status, sites or criteria differ now from what they were at `token`, or new since.
  // At most `max_studies` studies changed since the token (else InvalidArgument: ask with a later token).
  Result<ChangedSinceResult> ChangedSince(std::string_view token, size_t max_studies) const;
  // The newest token (what a client starts following from).
  Result<std::string> LatestToken() const;

 private:
  Result<ChangeEntry> Entry(const ChangeRecord& record) const;  // caller holds mu_
  Result<Study> ParseStudy(const std::string& key, const std::string& json) const;

  StudyStore& store_;
  mutable std::mutex mu_;
};

}  // namespace ts
