// The protocol commands of the CLI (protocol, timeline, randomise, cohort): wiring only.
#pragma once

#include "cli_args.h"
#include "store/study_store.h"

namespace ts {

extern const char* const kProtocolHelp;
extern const char* const kTimelineHelp;
extern const char* const kRandomiseHelp;
extern const char* const kCohortHelp;

// Each returns the process exit code (exit_codes.h: 0 ok, 1 failure, 2 usage, 4 not found).
int RunProtocol(const CliArgs& args, StudyStore& store);
int RunTimeline(const CliArgs& args, StudyStore& store);
int RunRandomise(const CliArgs& args, StudyStore& store);
int RunCohort(const CliArgs& args, StudyStore& store);

}  // namespace ts
