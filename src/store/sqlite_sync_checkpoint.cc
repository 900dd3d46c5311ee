#include "store/sqlite_sync_checkpoint.h"

namespace ts {

namespace {

// A prepared statement that finalizes itself.
class Query {
 public:
  Query(sqlite3* db, const char* sql) : db_(db) { rc_ = sqlite3_prepare_v2(db, sql, -1, &s_, nullptr); }
  ~Query() { sqlite3_finalize(s_); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  void Bind(int i, const std::string& v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void Bind(int i, int64_t v) { sqlite3_bind_int64(s_, i, v); }
  int Step() { return sqlite3_step(s_); }
  std::string Text(int col) {
    const unsigned char* t = sqlite3_column_text(s_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(s_, col))) : "";
  }
  int64_t Int(int col) { return sqlite3_column_int64(s_, col); }
  Status Error(const char* what) const { return Status::IoError(std::string(what) + ": " + sqlite3_errmsg(db_)); }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

}  // namespace

Status CreateSyncCheckpointTable(sqlite3* db) {
  char* err = nullptr;
  const char* sql =
      "CREATE TABLE IF NOT EXISTS sync_checkpoints(api TEXT PRIMARY KEY, completed_through TEXT NOT NULL,"
      " run_since TEXT NOT NULL, page_token TEXT NOT NULL, pages_done INTEGER NOT NULL,"
      " studies_done INTEGER NOT NULL, run_newest TEXT NOT NULL, data_timestamp TEXT NOT NULL,"
      " updated_at TEXT NOT NULL)";
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::IoError("sqlite: cannot create sync_checkpoints: " + msg);
  }
  return Status::Ok();
}

Result<SyncCheckpoint> ReadSyncCheckpoint(sqlite3* db, const std::string& api) {
  Query q(db,
          "SELECT completed_through, run_since, page_token, pages_done, studies_done, run_newest, data_timestamp,"
          " updated_at FROM sync_checkpoints WHERE api = ?1");
  if (!q.ok()) return q.Error("read sync checkpoint");
  q.Bind(1, api);
  int rc = q.Step();
  if (rc == SQLITE_DONE) return Status::NotFound("no sync checkpoint for " + api);
  if (rc != SQLITE_ROW) return q.Error("read sync checkpoint");
  SyncCheckpoint cp;
  cp.api = api;
  cp.completed_through = q.Text(0);
  cp.run_since = q.Text(1);
  cp.page_token = q.Text(2);
  cp.pages_done = q.Int(3);
  cp.studies_done = q.Int(4);
  cp.run_newest = q.Text(5);
  cp.data_timestamp = q.Text(6);
  cp.updated_at = q.Text(7);
  return cp;
}

Status WriteSyncCheckpoint(sqlite3* db, const SyncCheckpoint& cp, const std::string& now) {
  Query q(db,
          "INSERT OR REPLACE INTO sync_checkpoints(api, completed_through, run_since, page_token, pages_done,"
          " studies_done, run_newest, data_timestamp, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!q.ok()) return q.Error("write sync checkpoint");
  q.Bind(1, cp.api);
  q.Bind(2, cp.completed_through);
  q.Bind(3, cp.run_since);
  q.Bind(4, cp.page_token);
  q.Bind(5, cp.pages_done);
  q.Bind(6, cp.studies_done);
  q.Bind(7, cp.run_newest);
  q.Bind(8, cp.data_timestamp);
  q.Bind(9, now);
  if (q.Step() != SQLITE_DONE) return q.Error("write sync checkpoint");
  return Status::Ok();
}

}  // namespace ts
