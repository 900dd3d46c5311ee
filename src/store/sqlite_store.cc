// SQLite implementation of StudyStore. Schema (version 1):
//   meta(key, value)                         -- schema_version
//   studies(study_key PK, current_version, nct_id, org_study_id, overall_status, study_type, phases,
//           last_update, study_json)        -- one row per study, its current version denormalised
//   versions(study_key, version, content_hash, last_update, source_format, origin, imported_at,
//            study_json, raw)  PK(study_key, version)
//   study_countries(study_key, country)      -- current version's countries, for stats and filters
//   study_ids(id, study_key)                 -- secondary lookup: NCT aliases, org and secondary IDs
// Version 2 adds:
//   vocab(source, kind, canonical, names, tree_numbers)  -- loaded vocabularies; lists joined by \x1f
// Version 3 adds:
//   migrations(at, from_reading, to_reading, versions, failed, note)  -- re-derivations done
//   meta derivation_version                  -- the reading (kDerivationVersion) study_json was made by
// Any version gets, on open (sqlite_sequence.h):
//   versions.seq                             -- the change sequence, unique, in commit order
#include <sqlite3.h>
#include <zstd.h>

#include <set>

#include "common/clock.h"
#include "common/strings.h"
#include "ingest/ctgov_json.h"
#include "ingest/derive_study.h"
#include "model/study_ids.h"
#include "store/sqlite_sync_checkpoint.h"
#include "store/sqlite_sequence.h"
#include "store/study_store.h"

namespace ts {

namespace {

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(Stmt&& o) noexcept {
    std::swap(s_, o.s_);
    std::swap(rc_, o.rc_);
    return *this;
  }
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return s_; }
  Stmt& Reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    return *this;
  }
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& BindBlob(int i, std::string_view v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  int Step() { return sqlite3_step(s_); }
  std::string Text(int col) {
    const unsigned char* t = sqlite3_column_text(s_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(s_, col))) : "";
  }
  std::string Blob(int col) {
    const void* b = sqlite3_column_blob(s_, col);
    return b ? std::string(static_cast<const char*>(b), static_cast<size_t>(sqlite3_column_bytes(s_, col))) : "";
  }
  int64_t Int(int col) { return sqlite3_column_int64(s_, col); }

 private:
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

// Raw records are stored zstd-compressed (fast level): kept for fidelity, read rarely.
std::string Compress(std::string_view raw) {
  std::string out(ZSTD_compressBound(raw.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), 1);
  if (ZSTD_isError(n)) return std::string(raw);  // stored as is; raw_size == blob size tells
  out.resize(n);
  return out;
}

Result<std::string> Uncompress(const std::string& blob, size_t size) {
  std::string out(size, '\0');
  size_t n = ZSTD_decompress(out.data(), out.size(), blob.data(), blob.size());
  if (ZSTD_isError(n) || n != size) {
    if (blob.size() == size) return blob;  // stored uncompressed
    return Status::Corruption(std::string("cannot decompress: ") + (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "size mismatch"));
  }
  return out;
}

// What decides whether a record is a new version: everything but the registry's bookkeeping
// (derivedSection.miscInfoModule: its data version stamp changes with every publication of the registry).
std::string ContentHash(const Study& s) {
  if (!s.misc_info) return ToHex64(Fnv1a64(WriteStudyJson(s)));
  Study content = s;
  content.misc_info.reset();
  return ToHex64(Fnv1a64(WriteStudyJson(content)));
}

std::string PhasesOf(const Study& s) {
  std::string out;
  for (Phase p : s.design.phases) {
    if (!out.empty()) out += ',';
    out += ApiName(p);
  }
  return out;
}

}  // namespace

class SqliteStudyStore final : public StudyStore {
 public:
  explicit SqliteStudyStore(const Clock& clock) : clock_(clock) {}
  ~SqliteStudyStore() override {
    stmts_.clear();
    if (db_) sqlite3_close(db_);
  }

  Status Init(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      return Status::IoError("cannot open database " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory"));
    }
    sqlite3_busy_timeout(db_, 5000);
    TS_RETURN_IF_ERROR(Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"));
    TS_RETURN_IF_ERROR(Migrate());
    TS_RETURN_IF_ERROR(CreateSyncCheckpointTable(db_));
    TS_RETURN_IF_ERROR(sqlite_sequence::EnsureChangeSequence(db_));
    TS_RETURN_IF_ERROR(Exec("INSERT OR IGNORE INTO meta(key, value) VALUES('data_generation', '0')"));
    return Rederive();
  }

  Result<int64_t> DataGeneration() override {
    Stmt& q = S("SELECT CAST(value AS INTEGER) FROM meta WHERE key='data_generation'");
    q.Reset();
    if (q.Step() != SQLITE_ROW) return Status::Corruption("meta.data_generation is missing");
    return q.Int(0);
  }

  Status BumpGeneration() {
    Stmt& u = S("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='data_generation'");
    u.Reset();
    return Done(u, "bump data generation");
  }

  Status BeginBatch() override { return Exec("BEGIN IMMEDIATE"); }
  Status CommitBatch() override { return Exec("COMMIT"); }

  Result<SyncCheckpoint> GetSyncCheckpoint(const std::string& api) override { return ReadSyncCheckpoint(db_, api); }
  Status PutSyncCheckpoint(const SyncCheckpoint& cp) override {
    return WriteSyncCheckpoint(db_, cp, IsoTimestampUtc(clock_.NowUnixSeconds()));
  }

  Result<PutOutcome> Put(const StudyVersionInput& in) override {
    const std::string key = StudyKey(in.study);
    const std::string json = WriteStudyJson(in.study);
    const std::string hash = ContentHash(in.study);
    const std::string last_update = LastUpdate(in.study).ToString();

    Stmt& has = S("SELECT 1 FROM versions WHERE study_key=?1 AND content_hash=?2 LIMIT 1");
    has.Reset().Bind(1, key).Bind(2, hash);
    if (has.Step() == SQLITE_ROW) return PutOutcome::kUnchanged;

    Stmt& cur = S("SELECT current_version, last_update FROM studies WHERE study_key=?1");
    cur.Reset().Bind(1, key);
    bool exists = false;
    int64_t max_version = 0;
    std::string current_last_update;
    if (cur.Step() == SQLITE_ROW) {
      exists = true;
      current_last_update = cur.Text(1);
      Stmt& mx = S("SELECT MAX(version) FROM versions WHERE study_key=?1");
      mx.Reset().Bind(1, key);
      if (mx.Step() == SQLITE_ROW) max_version = mx.Int(0);
    }
    const int64_t version = max_version + 1;
    static const std::string insert_sql =
        std::string("INSERT INTO versions(study_key, version, content_hash, last_update, source_format, origin, "
                    "imported_at, study_json, raw, raw_size, seq) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,") +
        sqlite_sequence::kNextSeq + ")";
    Stmt& ins = S(insert_sql.c_str());
    ins.Reset().Bind(1, key).Bind(2, version).Bind(3, hash).Bind(4, last_update).Bind(5, in.source_format)
        .Bind(6, in.origin).Bind(7, IsoTimestampUtc(clock_.NowUnixSeconds())).Bind(8, json).BindBlob(9, Compress(in.raw))
        .Bind(10, static_cast<int64_t>(in.raw.size()));
    TS_RETURN_IF_ERROR(Done(ins, "insert version"));
    TS_RETURN_IF_ERROR(BumpGeneration());

    // ISO dates compare as strings; a partial date sorts before the full dates of its period.
    const bool becomes_current = !exists || last_update >= current_last_update;
    if (!becomes_current) return PutOutcome::kHistorical;

    Stmt& up = S("INSERT OR REPLACE INTO studies(study_key, current_version, nct_id, org_study_id, overall_status, "
                 "study_type, phases, last_update) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)");
    const Study& s = in.study;
    up.Reset().Bind(1, key).Bind(2, version).Bind(3, s.identification.nct_id).Bind(4, s.identification.org_study_id)
        .Bind(5, s.status.overall_status ? ApiName(*s.status.overall_status) : "")
        .Bind(6, s.design.study_type ? ApiName(*s.design.study_type) : "").Bind(7, PhasesOf(s)).Bind(8, last_update);
    TS_RETURN_IF_ERROR(Done(up, "update study"));

    Stmt& delc = S("DELETE FROM study_countries WHERE study_key=?1");
    delc.Reset().Bind(1, key);
    TS_RETURN_IF_ERROR(Done(delc, "clear countries"));
    std::set<std::string> countries;
    for (const Location& l : s.locations)
      if (!l.country.empty()) countries.insert(l.country);
    Stmt& insc = S("INSERT INTO study_countries(study_key, country) VALUES(?1,?2)");
    for (const auto& c : countries) {
      insc.Reset().Bind(1, key).Bind(2, c);
      TS_RETURN_IF_ERROR(Done(insc, "insert country"));
    }

    Stmt& deli = S("DELETE FROM study_ids WHERE study_key=?1");
    deli.Reset().Bind(1, key);
    TS_RETURN_IF_ERROR(Done(deli, "clear ids"));
    Stmt& insi = S("INSERT OR IGNORE INTO study_ids(id, study_key) VALUES(?1,?2)");
    for (const std::string& id : LookupIds(s.identification)) {
      insi.Reset().Bind(1, id).Bind(2, key);
      TS_RETURN_IF_ERROR(Done(insi, "insert id"));
    }
    return exists ? PutOutcome::kUpdated : PutOutcome::kNew;
  }

  Result<std::string> ResolveKey(const std::string& id_in) override {
    std::string id(Trim(id_in));
    Stmt& q = S("SELECT study_key FROM studies WHERE study_key=?1");
    for (const std::string& candidate : {id, ToUpperNct(id), "ORG:" + id, "SEC:" + id}) {
      q.Reset().Bind(1, candidate);
      if (q.Step() == SQLITE_ROW) return q.Text(0);
    }
    Stmt& alt = S("SELECT study_key FROM study_ids WHERE id=?1 ORDER BY study_key LIMIT 1");
    alt.Reset().Bind(1, LookupForm(id));
    if (alt.Step() == SQLITE_ROW) return alt.Text(0);
    return Status::NotFound("no study with ID \"" + id.substr(0, 80) + "\"");
  }

  Result<StoredStudy> Get(const std::string& id) override {
    auto key = ResolveKey(id);
    if (!key.ok()) return key.status();
    Stmt& q = S("SELECT s.current_version, v.study_json FROM studies s JOIN versions v "
                "ON v.study_key = s.study_key AND v.version = s.current_version WHERE s.study_key=?1");
    q.Reset().Bind(1, *key);
    if (q.Step() != SQLITE_ROW) return Status::NotFound("no study with ID \"" + id + "\"");
    StoredStudy out;
    out.key = *key;
    out.version = static_cast<int>(q.Int(0));
    out.study_json = q.Text(1);
    auto study = reader_.Parse(out.study_json);
    if (!study.ok()) return Status::Corruption("stored study " + *key + ": " + study.status().message());
    out.study = std::move(*study);
    return out;
  }

  Result<std::vector<VersionInfo>> History(const std::string& id) override {
    auto key = ResolveKey(id);
    if (!key.ok()) return key.status();
    Stmt q(db_,
           "SELECT v.version, v.content_hash, v.last_update, v.source_format, v.origin, v.imported_at, "
           "v.version = s.current_version, v.seq FROM versions v JOIN studies s USING(study_key) "
           "WHERE v.study_key=?1 ORDER BY v.version");
    q.Bind(1, *key);
    std::vector<VersionInfo> out;
    while (q.Step() == SQLITE_ROW) {
      out.push_back({static_cast<int>(q.Int(0)), q.Text(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5), q.Int(6) != 0,
                     q.Int(7)});
    }
    return out;
  }

  Result<StoredVersion> GetVersion(const std::string& id, int version) override {
    auto key = ResolveKey(id);
    if (!key.ok()) return key.status();
    Stmt q(db_,
           "SELECT v.content_hash, v.last_update, v.source_format, v.origin, v.imported_at, "
           "v.version = s.current_version, v.study_json, v.raw, v.raw_size, v.seq FROM versions v "
           "JOIN studies s USING(study_key) WHERE v.study_key=?1 AND v.version=?2");
    q.Bind(1, *key).Bind(2, static_cast<int64_t>(version));
    if (q.Step() != SQLITE_ROW) {
      return Status::NotFound("study " + *key + " has no version " + std::to_string(version));
    }
    StoredVersion out;
    out.key = *key;
    out.info = {version, q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4), q.Int(5) != 0, q.Int(9)};
    out.study_json = q.Text(6);
    auto raw = Uncompress(q.Blob(7), static_cast<size_t>(q.Int(8)));
    if (!raw.ok()) return Status::Corruption("raw record of " + *key + " v" + std::to_string(version) + ": " + raw.status().message());
    out.raw = std::move(*raw);
    return out;
  }

  Result<StoreStats> Stats() override {
    StoreStats st;
    {
      Stmt q(db_, "SELECT (SELECT COUNT(*) FROM studies), (SELECT COUNT(*) FROM versions)");
      if (q.Step() == SQLITE_ROW) {
        st.studies = q.Int(0);
        st.versions = q.Int(1);
      }
    }
    auto group = [&](const char* sql, std::map<std::string, int64_t>* out) {
      Stmt q(db_, sql);
      while (q.Step() == SQLITE_ROW) (*out)[q.Text(0)] += q.Int(1);
    };
    group("SELECT overall_status, COUNT(*) FROM studies GROUP BY 1", &st.by_status);
    group("SELECT study_type, COUNT(*) FROM studies GROUP BY 1", &st.by_study_type);
    group("SELECT country, COUNT(*) FROM study_countries GROUP BY 1", &st.by_country);
    std::map<std::string, int64_t> phase_sets;
    group("SELECT phases, COUNT(*) FROM studies GROUP BY 1", &phase_sets);
    for (const auto& [phases, n] : phase_sets) {
      if (phases.empty()) {
        st.by_phase[""] += n;
        continue;
      }
      for (std::string_view p : Split(phases, ',')) st.by_phase[std::string(p)] += n;
    }
    return st;
  }

  Status ForEach(const std::function<Status(const StoredStudy&)>& fn) override {
    Stmt q(db_,
           "SELECT s.study_key, s.current_version, v.study_json FROM studies s JOIN versions v "
           "ON v.study_key = s.study_key AND v.version = s.current_version ORDER BY s.study_key");
    StudyJsonReader reader;
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      StoredStudy s;
      s.key = q.Text(0);
      s.version = static_cast<int>(q.Int(1));
      s.study_json = q.Text(2);
      auto study = reader.Parse(s.study_json);
      if (!study.ok()) return Status::Corruption("stored study " + s.key + ": " + study.status().message());
      s.study = std::move(*study);
      TS_RETURN_IF_ERROR(fn(s));
    }
    if (rc != SQLITE_DONE) return Status::IoError(std::string("reading studies: ") + sqlite3_errmsg(db_));
    return Status::Ok();
  }

 private:
  static std::string ToUpperNct(const std::string& id) {
    std::string up = id;
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return up;
  }

  Status Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return Status::IoError(std::string("sqlite: ") + msg + " (in: " + std::string(sql).substr(0, 60) + ")");
    }
    return Status::Ok();
  }

  Status Done(Stmt& s, const char* what) {
    int rc = s.Step();
    if (rc != SQLITE_DONE) return Status::IoError(std::string(what) + ": " + sqlite3_errmsg(db_));
    return Status::Ok();
  }

  // Prepared statements are cached by their SQL text.
  Stmt& S(const char* sql) {
    auto it = stmts_.find(sql);
    if (it == stmts_.end()) it = stmts_.emplace(sql, std::make_unique<Stmt>(db_, sql)).first;
    return *it->second;
  }

  Status Migrate() {
    int version = 0;
    {
      Stmt q(db_, "SELECT value FROM meta WHERE key='schema_version'");
      if (q.ok() && q.Step() == SQLITE_ROW) version = std::stoi(q.Text(0));
    }
    if (version > kSchemaVersion) {
      return Status::Unsupported("database schema version " + std::to_string(version) +
                                 " is newer than this trialscope (" + std::to_string(kSchemaVersion) + ")");
    }
    if (version < 1) {
      TS_RETURN_IF_ERROR(Exec(R"sql(
        BEGIN;
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS studies(
          study_key TEXT PRIMARY KEY, current_version INTEGER NOT NULL, nct_id TEXT, org_study_id TEXT,
          overall_status TEXT, study_type TEXT, phases TEXT, last_update TEXT);
        CREATE TABLE IF NOT EXISTS versions(
          study_key TEXT NOT NULL, version INTEGER NOT NULL, content_hash TEXT NOT NULL, last_update TEXT,
          source_format TEXT, origin TEXT, imported_at TEXT, study_json TEXT NOT NULL, raw BLOB NOT NULL,
          raw_size INTEGER NOT NULL,
          PRIMARY KEY(study_key, version));
        CREATE INDEX IF NOT EXISTS versions_by_hash ON versions(study_key, content_hash);
        CREATE TABLE IF NOT EXISTS study_countries(study_key TEXT NOT NULL, country TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS countries_by_study ON study_countries(study_key);
        CREATE TABLE IF NOT EXISTS study_ids(id TEXT NOT NULL, study_key TEXT NOT NULL, PRIMARY KEY(id, study_key));
        CREATE INDEX IF NOT EXISTS ids_by_study ON study_ids(study_key);
        INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '1');
        COMMIT;)sql"));
    }
    fresh_ = version == 0;
    if (version < 2) {
      TS_RETURN_IF_ERROR(Exec(R"sql(
        BEGIN;
        CREATE TABLE IF NOT EXISTS vocab(source TEXT NOT NULL, kind TEXT NOT NULL, canonical TEXT NOT NULL,
                                         names TEXT NOT NULL, tree_numbers TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS vocab_by_source ON vocab(source);
        INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '2');
        COMMIT;)sql"));
    }
    if (version < 3) {
      TS_RETURN_IF_ERROR(Exec(R"sql(
        BEGIN;
        CREATE TABLE IF NOT EXISTS migrations(at TEXT NOT NULL, from_reading INTEGER NOT NULL,
          to_reading INTEGER NOT NULL, versions INTEGER NOT NULL, failed INTEGER NOT NULL, note TEXT NOT NULL);
        INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '3');
        COMMIT;)sql"));
    }
    // A new database is derived by this reading; one from before version 3 by the first.
    Stmt set(db_, "INSERT OR IGNORE INTO meta(key, value) VALUES('derivation_version', ?1)");
    set.Bind(1, std::to_string(fresh_ ? kDerivationVersion : 1));
    return Done(set, "set derivation version");
  }

  // Re-derives every version from its raw bytes when study_json was made by an older reading, in one
  // transaction (a crash leaves the old derivation and the next open starts again).
  Status Rederive() {
    int from = 1;
    {
      Stmt q(db_, "SELECT CAST(value AS INTEGER) FROM meta WHERE key='derivation_version'");
      if (q.Step() == SQLITE_ROW) from = static_cast<int>(q.Int(0));
    }
    if (from >= kDerivationVersion) return Status::Ok();
    TS_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Status st = RederiveAll(from);
    if (!st.ok()) {
      (void)Exec("ROLLBACK");
      return st;
    }
    return Exec("COMMIT");
  }

  Status RederiveAll(int from) {
    std::vector<std::pair<std::string, int64_t>> ids;
    {
      Stmt q(db_, "SELECT study_key, version FROM versions ORDER BY study_key, version");
      while (q.Step() == SQLITE_ROW) ids.emplace_back(q.Text(0), q.Int(1));
    }
    int64_t done = 0, failed = 0;
    std::string note;
    StudyRecordReader reader;  // one for every version: each format's reader (and the v1 table) loaded once
    for (const auto& [key, version] : ids) {
      Stmt& q = S("SELECT source_format, raw, raw_size FROM versions WHERE study_key=?1 AND version=?2");
      q.Reset().Bind(1, key).Bind(2, version);
      if (q.Step() != SQLITE_ROW) return Status::Corruption("version " + key + " " + std::to_string(version) + " vanished");
      auto raw = Uncompress(q.Blob(1), static_cast<size_t>(q.Int(2)));
      Result<Study> study = raw.ok() ? reader.Parse(q.Text(0), *raw) : Result<Study>(raw.status());
      if (!study.ok()) {
        if (failed++ == 0) note = key + " version " + std::to_string(version) + ": " + study.status().message();
        continue;
      }
      const std::string json = WriteStudyJson(*study);
      Stmt& up = S("UPDATE versions SET study_json=?3, content_hash=?4 WHERE study_key=?1 AND version=?2");
      up.Reset().Bind(1, key).Bind(2, version).Bind(3, json).Bind(4, ContentHash(*study));
      TS_RETURN_IF_ERROR(Done(up, "re-derive version"));
      ++done;
    }
    Stmt rec(db_, "INSERT INTO migrations(at, from_reading, to_reading, versions, failed, note) VALUES(?1,?2,?3,?4,?5,?6)");
    rec.Bind(1, IsoTimestampUtc(clock_.NowUnixSeconds())).Bind(2, from).Bind(3, kDerivationVersion).Bind(4, done)
        .Bind(5, failed).Bind(6, note);
    TS_RETURN_IF_ERROR(Done(rec, "record migration"));
    Stmt set(db_, "UPDATE meta SET value=?1 WHERE key='derivation_version'");
    set.Bind(1, std::to_string(kDerivationVersion));
    TS_RETURN_IF_ERROR(Done(set, "set derivation version"));
    return BumpGeneration();
  }

  Result<std::vector<ChangeRecord>> ChangesAfter(int64_t after, size_t limit) override {
    return sqlite_sequence::ChangesAfter(db_, after, limit);
  }
  Result<std::vector<ChangeRecord>> ChangesBefore(int64_t before, size_t limit) override {
    return sqlite_sequence::ChangesBefore(db_, before, limit);
  }
  Result<int64_t> LastSequence() override { return sqlite_sequence::LastSequence(db_); }
  void EndRead() override {
    for (auto& [sql, stmt] : stmts_) stmt->Reset();
  }

  Result<std::vector<MigrationRecord>> Migrations() override {
    std::vector<MigrationRecord> out;
    Stmt q(db_, "SELECT at, from_reading, to_reading, versions, failed, note FROM migrations ORDER BY rowid");
    int rc;
    while ((rc = q.Step()) == SQLITE_ROW) {
      out.push_back({q.Text(0), static_cast<int>(q.Int(1)), static_cast<int>(q.Int(2)), q.Int(3), q.Int(4), q.Text(5)});
    }
    if (rc != SQLITE_DONE) return Status::IoError(std::string("reading migrations: ") + sqlite3_errmsg(db_));
    return out;
  }

  static std::string JoinList(const std::vector<std::string>& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out += '\x1f';
      out += v[i];
    }
    return out;
  }
  static std::vector<std::string> SplitList(const std::string& s) {
    std::vector<std::string> out;
    if (s.empty()) return out;
    for (auto part : Split(s, '\x1f')) out.emplace_back(part);
    return out;
  }

 public:
  Status ReplaceVocabulary(const std::string& prefix, const std::vector<VocabGroup>& groups) override {
    TS_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
    Stmt del(db_, "DELETE FROM vocab WHERE substr(source, 1, length(?1)) = ?1");
    del.Bind(1, prefix);
    Status s = Done(del, "clear vocabulary");
    Stmt ins(db_, "INSERT INTO vocab(source, kind, canonical, names, tree_numbers) VALUES(?1,?2,?3,?4,?5)");
    for (const auto& g : groups) {
      if (!s.ok()) break;
      ins.Reset().Bind(1, g.source).Bind(2, g.kind).Bind(3, g.canonical).Bind(4, JoinList(g.names))
          .Bind(5, JoinList(g.tree_numbers));
      s = Done(ins, "insert vocabulary");
    }
    if (s.ok()) s = BumpGeneration();
    if (!s.ok()) {
      (void)Exec("ROLLBACK");
      return s;
    }
    return Exec("COMMIT");
  }

  Status ForEachVocabGroup(const std::function<Status(const VocabGroup&)>& fn) override {
    Stmt q(db_, "SELECT source, kind, canonical, names, tree_numbers FROM vocab ORDER BY rowid");
    while (q.Step() == SQLITE_ROW) {
      VocabGroup g{q.Text(1), q.Text(2), SplitList(q.Text(3)), q.Text(0), SplitList(q.Text(4))};
      TS_RETURN_IF_ERROR(fn(g));
    }
    return Status::Ok();
  }

 private:

  const Clock& clock_;
  bool fresh_ = false;  // the database was created by this open
  sqlite3* db_ = nullptr;
  std::map<std::string, std::unique_ptr<Stmt>> stmts_;
  StudyJsonReader reader_;
};

Result<std::unique_ptr<StudyStore>> OpenSqliteStore(const std::string& path, const Clock& clock) {
  auto store = std::make_unique<SqliteStudyStore>(clock);
  Status s = store->Init(path);
  if (!s.ok()) return s;
  return std::unique_ptr<StudyStore>(std::move(store));
}

}  // namespace ts
