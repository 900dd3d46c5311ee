// The `trialscope sync` command: wiring only (the client, pacer and importer for src/sync's Syncer).
#pragma once

#include <functional>
#include <set>
#include <string>

#include "cli_args.h"
#include "common/clock.h"
#include "store/study_store.h"

namespace ts {

extern const char* const kSyncHelp;
// The options of `sync` that take a value, and its flags (functions: main's command table is built during
// static initialisation, when another file's sets may not be yet).
std::set<std::string> SyncValuedOptions();
std::set<std::string> SyncFlags();

// Returns the process exit code (exit_codes.h: 0 ok, 1 failure, 2 usage, 3 synced with rejected records).
// `refresh_index` rebuilds the search snapshot after studies changed (skipped with --no-index); it returns
// an exit code too.
int RunSync(const CliArgs& args, StudyStore& store, const Clock& clock, const std::function<int()>& refresh_index);

}  // namespace ts
