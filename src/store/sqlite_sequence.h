// The change sequence of the SQLite store (private to src/store): a column versions.seq numbering every
// stored version in commit order, added to a database from before it on open.
//   TS_RETURN_IF_ERROR(EnsureChangeSequence(db));            // at open, after the schema migration
//   INSERT INTO versions(..., seq) VALUES(..., (SELECT COALESCE(MAX(seq), 0) + 1 FROM versions))
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "store/study_store.h"

namespace ts::sqlite_sequence {

// Adds versions.seq and its unique index if missing, numbering the existing versions by rowid
// (the order they were inserted: versions are never deleted; numbers may have gaps), in one transaction. Does nothing on a database that has it.
Status EnsureChangeSequence(sqlite3* db);

// A version's number is one more than the greatest, taken by the INSERT itself (kNextSeq): SQLite
// holds one writer at a time from its first write to its commit, so numbers follow commit order.
inline constexpr const char* kNextSeq = "(SELECT COALESCE(MAX(seq), 0) + 1 FROM versions)";
Result<int64_t> LastSequence(sqlite3* db);

// See StudyStore::ChangesAfter / ChangesBefore.
Result<std::vector<ChangeRecord>> ChangesAfter(sqlite3* db, int64_t after, size_t limit);
Result<std::vector<ChangeRecord>> ChangesBefore(sqlite3* db, int64_t before, size_t limit);

}  // namespace ts::sqlite_sequence
