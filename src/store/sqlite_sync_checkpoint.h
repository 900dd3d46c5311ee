// The sync_checkpoints table of the SQLite store (private to store/): one row per endpoint.
//   sync_checkpoints(api PK, completed_through, run_since, page_token, pages_done, studies_done, run_newest,
//                    data_timestamp, updated_at)
// Created on open when absent (no schema version: an older trialscope ignores the table).
#pragma once

#include <sqlite3.h>

#include <string>

#include "common/status.h"
#include "store/sync_checkpoint.h"

namespace ts {

Status CreateSyncCheckpointTable(sqlite3* db);
// NotFound when the endpoint has no checkpoint.
Result<SyncCheckpoint> ReadSyncCheckpoint(sqlite3* db, const std::string& api);
// Inserts or replaces the row; joins the open transaction if there is one. `now` stamps updated_at.
Status WriteSyncCheckpoint(sqlite3* db, const SyncCheckpoint& cp, const std::string& now);

}  // namespace ts
