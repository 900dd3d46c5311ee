// Durable, versioned storage of studies. SQLite (WAL) is the embedded implementation.
//   auto store = SqliteStudyStore::Open("trialscope.db");
//   Result<PutOutcome> o = (*store)->Put(version_input);   // kNew / kUpdated / kUnchanged
//   Result<StoredStudy> s = (*store)->Get("NCT05236582");
// A study's versions are the distinct contents it has arrived with; its current version is the one
// with the newest registry update date (ties: the later import). Re-putting a content that any
// version already has changes nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "model/study.h"
#include "model/vocabulary.h"
#include "store/sync_checkpoint.h"

namespace ts {

// One arriving record: the normalised study and where it came from.
struct StudyVersionInput {
  Study study;
  std::string source_format;  // "ctgov-json", "ctgov-xml" or "ctgov-json-v1" (RecordFormatName)
  std::string origin;         // file / zip entry / array index
  std::string raw;            // exact source bytes
};

enum class PutOutcome {
  kNew,        // the study was not stored before
  kUpdated,    // a new version became current
  kHistorical, // a new version older than the current one: kept in history, not current
  kUnchanged,  // a version with this content exists already
};

struct VersionInfo {
  int version = 0;
  std::string content_hash;
  std::string last_update;  // registry's last update date of that version
  std::string source_format;
  std::string origin;
  std::string imported_at;  // UTC, ISO 8601
  bool current = false;
  int64_t seq = 0;  // the version's place in the store's change sequence (see StudyStore::ChangesAfter)
};

// One stored version as the change sequence lists it.
struct ChangeRecord {
  std::string key;
  VersionInfo info;  // info.seq: the version's sequence number
};

struct StoredStudy {
  std::string key;
  int version = 0;
  Study study;
  std::string study_json;  // API v2 JSON of `study`
};

struct StoredVersion {
  std::string key;
  VersionInfo info;
  std::string study_json;
  std::string raw;
};

// One re-derivation the database recorded (StudyStore::Migrations): every stored version re-read from
// its raw bytes by a newer reading (ingest/derive_study.h's kDerivationVersion).
struct MigrationRecord {
  std::string at;  // UTC, ISO 8601
  int from_reading = 0, to_reading = 0;
  int64_t versions = 0;  // versions re-derived
  int64_t failed = 0;    // versions the newer reading refused; they keep their earlier derivation
  std::string note;      // the first refusal, if any
};

struct StoreStats {
  int64_t studies = 0;
  int64_t versions = 0;
  std::map<std::string, int64_t> by_status;      // API enum name ("RECRUITING"), "" when unset
  std::map<std::string, int64_t> by_phase;       // each phase of a study counts once
  std::map<std::string, int64_t> by_study_type;
  std::map<std::string, int64_t> by_country;     // a study counts once per country
};

class StudyStore {
 public:
  virtual ~StudyStore() = default;

  // Groups the following Puts into one transaction (much faster; a crash loses only the open batch).
  virtual Status BeginBatch() = 0;
  virtual Status CommitBatch() = 0;

  virtual Result<PutOutcome> Put(const StudyVersionInput& input) = 0;

  // Looks a study up by key, NCT ID (any case), org study ID or secondary ID. NotFound if absent.
  virtual Result<StoredStudy> Get(const std::string& id) = 0;
  // The key a user-given ID resolves to; NotFound if none.
  virtual Result<std::string> ResolveKey(const std::string& id) = 0;
  // Versions oldest first.
  virtual Result<std::vector<VersionInfo>> History(const std::string& id) = 0;
  virtual Result<StoredVersion> GetVersion(const std::string& id, int version) = 0;
  virtual Result<StoreStats> Stats() = 0;
  // The re-derivations done on this database, oldest first.
  virtual Result<std::vector<MigrationRecord>> Migrations() = 0;
  // Calls fn for each current study in key order; stops early and returns fn's error if any.
  virtual Status ForEach(const std::function<Status(const StoredStudy&)>& fn) = 0;

  // A number that changes whenever the current studies or the vocabularies change (for caches
  // such as the search snapshot).
  virtual Result<int64_t> DataGeneration() = 0;

  // The change sequence: every version ever stored has a number, unique and increasing in the order the
  // versions were committed (a version committed by another connection later always gets a greater
  // number), never reused or renumbered. ChangesAfter lists up to `limit` versions with seq > `after`,
  // by seq; ChangesBefore lists up to `limit` versions with seq < `before`, newest first.
  // LastSequence is the greatest number given (0 for an empty store).
  virtual Result<std::vector<ChangeRecord>> ChangesAfter(int64_t after, size_t limit) = 0;
  virtual Result<std::vector<ChangeRecord>> ChangesBefore(int64_t before, size_t limit) = 0;
  virtual Result<int64_t> LastSequence() = 0;
  // Ends any read the store still holds open after a call (a cached statement left on a row keeps an SQLite
  // connection on the snapshot it started, so a long-lived reader would not see later commits by other
  // processes). Call it when a batch of reads is done; cheap.
  virtual void EndRead() {}

  // Replaces every vocabulary group whose source starts with `source_prefix` ("drugbank:", "mesh:").
  virtual Status ReplaceVocabulary(const std::string& source_prefix, const std::vector<VocabGroup>& groups) = 0;
  virtual Status ForEachVocabGroup(const std::function<Status(const VocabGroup&)>& fn) = 0;

  // The sync checkpoint of an endpoint (store/sync_checkpoint.h); NotFound if it has none.
  virtual Result<SyncCheckpoint> GetSyncCheckpoint(const std::string& api) = 0;
  // Inserts or replaces the endpoint's checkpoint (updated_at is stamped from the store's clock). Inside an
  // open batch it is committed, or lost, with the batch.
  virtual Status PutSyncCheckpoint(const SyncCheckpoint& checkpoint) = 0;
};

// Opens (creating or migrating) the database at `path`. Thread-compatible: one user at a time.
// A database whose versions were derived by an older reading than kDerivationVersion is upgraded on
// open: every version is re-derived from its kept raw bytes (nothing is downloaded), its JSON and
// content hash replaced, and a MigrationRecord kept. A version the newer reading refuses keeps its
// earlier derivation, so nothing is lost.
// A database from before the change sequence gets it on open: its versions are numbered in the order
// they were stored (rowid order), once, in one transaction.
// `clock` stamps each version's imported_at and must outlive the store.
Result<std::unique_ptr<StudyStore>> OpenSqliteStore(const std::string& path, const Clock& clock);

// The schema version this build writes; older databases are migrated on open.
inline constexpr int kSchemaVersion = 3;

}  // namespace ts
