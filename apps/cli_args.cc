#include "cli_args.h"

namespace ts {

Result<CliArgs> ParseCliArgs(const std::vector<std::string>& argv, const std::set<std::string>& valued,
                             const std::set<std::string>& known_flags) {
  CliArgs out;
  bool only_positional = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (only_positional || a.size() < 2 || a[0] != '-' || a == "-") {
      if (out.command.empty() && out.positional.empty() && !only_positional && a[0] != '-') {
        out.command = a;
      } else {
        out.positional.push_back(a);
      }
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    std::string name = a;
    std::string value;
    bool has_value = false;
    if (size_t eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    if (name == "-h") name = "--help";
    if (valued.count(name)) {
      if (!has_value) {
        if (i + 1 >= argv.size()) return Status::InvalidArgument("option " + name + " needs a value");
        value = argv[++i];
      }
      out.values[name] = value;
    } else if (known_flags.count(name) || name == "--help") {
      if (has_value) return Status::InvalidArgument("option " + name + " takes no value");
      out.flags.insert(name);
    } else {
      return Status::InvalidArgument("unknown option " + name);
    }
  }
  return out;
}

Result<size_t> CommandIndex(const std::vector<std::string>& argv, const std::set<std::string>& global) {
  size_t i = 0;
  while (i < argv.size() && !argv[i].empty() && argv[i][0] == '-') {
    const std::string& a = argv[i];
    const size_t eq = a.find('=');
    const std::string name = a.substr(0, eq);
    if (!global.count(name)) {
      std::string word = "\"";  // built in steps: GCC 12 warns falsely on one chain (bug 105329)
      word += a.substr(0, 60);
      word += "\" before the command is not a global option";
      return Status::InvalidArgument(word);
    }
    if (eq != std::string::npos) {
      ++i;
    } else if (i + 1 < argv.size()) {
      i += 2;
    } else {
      return Status::InvalidArgument("option " + name + " needs a value");
    }
  }
  if (i >= argv.size()) return Status::InvalidArgument("no command given");
  return i;
}

}  // namespace ts
