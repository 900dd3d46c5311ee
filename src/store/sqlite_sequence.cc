#include "store/sqlite_sequence.h"

#include <string>

namespace ts::sqlite_sequence {

namespace {

Status Error(sqlite3* db, const std::string& what) { return Status::IoError(what + ": " + sqlite3_errmsg(db)); }

Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::IoError("sqlite: " + msg + " (adding the change sequence)");
  }
  return Status::Ok();
}

bool HasSeqColumn(sqlite3* db) {
  sqlite3_stmt* q = nullptr;
  bool found = false;
  if (sqlite3_prepare_v2(db, "SELECT 1 FROM pragma_table_info('versions') WHERE name='seq'", -1, &q, nullptr) == SQLITE_OK) {
    found = sqlite3_step(q) == SQLITE_ROW;
  }
  sqlite3_finalize(q);
  return found;
}

std::string Text(sqlite3_stmt* q, int col) {
  const unsigned char* t = sqlite3_column_text(q, col);
  return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(q, col))) : "";
}

Result<std::vector<ChangeRecord>> List(sqlite3* db, const char* sql, int64_t bound, size_t limit) {
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &q, nullptr) != SQLITE_OK) return Error(db, "reading the change sequence");
  sqlite3_bind_int64(q, 1, bound);
  sqlite3_bind_int64(q, 2, static_cast<int64_t>(limit));
  std::vector<ChangeRecord> out;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
    ChangeRecord c;
    c.key = Text(q, 0);
    c.info = {static_cast<int>(sqlite3_column_int64(q, 1)), Text(q, 2), Text(q, 3), Text(q, 4), Text(q, 5), Text(q, 6),
              sqlite3_column_int64(q, 7) != 0, sqlite3_column_int64(q, 8)};
    out.push_back(std::move(c));
  }
  sqlite3_finalize(q);
  if (rc != SQLITE_DONE) return Error(db, "reading the change sequence");
  return out;
}

constexpr const char* kColumns =
    "SELECT v.study_key, v.version, v.content_hash, v.last_update, v.source_format, v.origin, v.imported_at, "
    "v.version = s.current_version, v.seq FROM versions v JOIN studies s USING(study_key) ";

}  // namespace

Status EnsureChangeSequence(sqlite3* db) {
  if (HasSeqColumn(db)) return Status::Ok();
  TS_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
  Status s = Exec(db,
                  "ALTER TABLE versions ADD COLUMN seq INTEGER;"
                  "UPDATE versions SET seq = rowid;"
                  "CREATE UNIQUE INDEX versions_by_seq ON versions(seq);");
  if (!s.ok()) {
    (void)Exec(db, "ROLLBACK");
    return s;
  }
  return Exec(db, "COMMIT");
}

Result<int64_t> LastSequence(sqlite3* db) {
  sqlite3_stmt* q = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(seq), 0) FROM versions", -1, &q, nullptr) != SQLITE_OK) {
    return Error(db, "reading the change sequence");
  }
  int64_t last = -1;
  if (sqlite3_step(q) == SQLITE_ROW) last = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  if (last < 0) return Error(db, "reading the change sequence");
  return last;
}

Result<std::vector<ChangeRecord>> ChangesAfter(sqlite3* db, int64_t after, size_t limit) {
  static const std::string sql = std::string(kColumns) + "WHERE v.seq > ?1 ORDER BY v.seq LIMIT ?2";
  return List(db, sql.c_str(), after, limit);
}

Result<std::vector<ChangeRecord>> ChangesBefore(sqlite3* db, int64_t before, size_t limit) {
  static const std::string sql = std::string(kColumns) + "WHERE v.seq < ?1 ORDER BY v.seq DESC LIMIT ?2";
  return List(db, sql.c_str(), before, limit);
}

}  // namespace ts::sqlite_sequence
