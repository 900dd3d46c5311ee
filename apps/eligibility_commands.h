// The eligibility commands of the CLI (criteria, check, match): wiring only.
#pragma once

#include "cli_args.h"
#include "common/clock.h"
#include "service/search_service.h"

namespace ts {

extern const char* const kCriteriaHelp;
extern const char* const kCheckHelp;
extern const char* const kMatchHelp;

// Each returns the process exit code (exit_codes.h: 0 ok, 1 failure, 2 usage, 4 not found). `clock` gives the
// default --as-of date.
int RunCriteria(const CliArgs& args, const SearchService& search);
int RunCheck(const CliArgs& args, const SearchService& search, const Clock& clock);
int RunMatch(const CliArgs& args, const SearchService& search, const Clock& clock);

}  // namespace ts
