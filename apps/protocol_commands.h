// The protocol commands of the CLI (protocol, timeline): wiring only.
#pragma once

#include "cli_args.h"
#include "store/study_store.h"

namespace ts {

extern const char* const kProtocolHelp;
extern const char* const kTimelineHelp;

// Each returns the process exit code (exit_codes.h: 0 ok, 1 failure, 2 usage, 4 not found).
int RunProtocol(const CliArgs& args, StudyStore& store);
int RunTimeline(const CliArgs& args, StudyStore& store);

}  // namespace ts
