// The exit codes of trialscope, and the one table from a failed Status to its exit code.
//   if (!study.ok()) return Fail(study.status(), "show");  // "trialscope show: ..." on stderr; 4 when not found
#pragma once

#include <string_view>

#include "common/status.h"

namespace ts {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;   // I/O, database, an import path that could not be read
constexpr int kExitUsage = 2;     // a malformed command line or input
constexpr int kExitRejected = 3;  // the import finished but some records were rejected
constexpr int kExitNotFound = 4;  // the study asked for does not exist

// kExitNotFound for NotFound, kExitUsage for InvalidArgument, kExitFailure for every other error.
int ExitCode(const Status& s);

// Prints "trialscope COMMAND: message" ("trialscope: message" without a command) on stderr and
// returns ExitCode(s).
int Fail(const Status& s, std::string_view command = {});

}  // namespace ts
