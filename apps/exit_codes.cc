#include "exit_codes.h"

#include <iostream>

namespace ts {

int ExitCode(const Status& s) {
  switch (s.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kNotFound: return kExitNotFound;
    case StatusCode::kInvalidArgument: return kExitUsage;
    default: return kExitFailure;
  }
}

int Fail(const Status& s, std::string_view command) {
  std::cerr << "trialscope" << (command.empty() ? "" : " ") << command << ": " << s.message() << "\n";
  return ExitCode(s);
}

}  // namespace ts
