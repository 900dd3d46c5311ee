// Command-line parsing for `trialscope COMMAND [options] [args]`.
//   CliArgs a = ParseCliArgs(argc, argv, {"--db", "--rejects"});  // options that take a value
//   a.Has("--json"); a.Get("--db"); a.positional[0]
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"

namespace ts {

struct CliArgs {
  std::string command;
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // --name value / --name=value
  std::set<std::string> flags;                // --name

  bool Has(const std::string& name) const { return flags.count(name) || values.count(name); }
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
};

// `valued` lists the options that take a value; `known_flags` the boolean ones. Anything else
// starting with "--" is an error naming the option.
Result<CliArgs> ParseCliArgs(const std::vector<std::string>& argv, const std::set<std::string>& valued,
                             const std::set<std::string>& known_flags);

// Where the command is in `argv`: global options (`global`: each takes a value, as "--db X" or "--db=X")
// may come before it, as git and docker users type (`trialscope --db x.db search ...`). InvalidArgument
// naming the word when something else comes first, or when no command follows.
Result<size_t> CommandIndex(const std::vector<std::string>& argv, const std::set<std::string>& global);

}  // namespace ts
