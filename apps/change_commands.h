// The change-feed commands of trialscope: `changes` (every version added since a token) and
// `match --changed-since TOKEN` (re-screening a patient against what changed).
//   if (name == "changes") return RunChanges(args, store);
#pragma once

#include "cli_args.h"
#include "common/clock.h"
#include "service/search_service.h"
#include "store/study_store.h"

namespace ts {

extern const char* const kChangesHelp;

// Each returns the process exit code (exit_codes.h).
int RunChanges(const CliArgs& args, StudyStore& store);
int RunRescreen(const CliArgs& args, StudyStore& store, const SearchService& search, const Clock& clock);

}  // namespace ts
