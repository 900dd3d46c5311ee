#include "change_commands.h"

#include <iostream>

#include "api/change_json.h"
#include "common/binary_io.h"
#include "common/strings.h"
#include "exit_codes.h"
#include "service/change_log.h"
#include "service/rescreen.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

const char* const kChangesHelp = R"(Usage: trialscope changes [--db PATH] [--since TOKEN] [--limit N] [--json]

Lists, in order, every version stored after the change token TOKEN (from the beginning without
one): the study, the version, the modules that changed and what changed in words, then the token
to ask with next time. Tokens are "c" and a number; `changes --limit 1 --since cN` pages exactly.
`match --changed-since TOKEN` re-screens a patient against the studies that changed since a token.
  --limit N   at most N versions (1..100000, default 1000)
  --json      print the GET /api/v2/changes response
)";

namespace {

std::string Areas(const StudyChanges& c) {
  std::vector<std::string> a;
  if (c.is_new) a.emplace_back("new");
  if (c.status) a.emplace_back("status");
  if (c.sites) a.emplace_back("sites");
  if (c.criteria) a.emplace_back("criteria");
  return a.empty() ? "other" : Join(a, ",");
}

}  // namespace

int RunChanges(const CliArgs& args, StudyStore& store) {
  int64_t limit = 1000;
  if (!args.positional.empty() || (args.Has("--limit") && (!ParseInt64(args.Get("--limit"), &limit) || limit < 1 || limit > 100000))) {
    std::cerr << "trialscope changes: takes no study ID, and --limit 1..100000\n";
    return kExitUsage;
  }
  ChangeLog log(store);
  auto page = log.Changes(args.Get("--since", ""), static_cast<size_t>(limit));
  if (!page.ok()) return Fail(page.status(), "changes");
  if (args.Has("--json")) {
    std::cout << ChangesJson(*page, true) << "\n";
    return kExitOk;
  }
  for (const ChangeEntry& e : page->entries) {
    std::cout << ChangeToken(e.info.seq) << "  " << e.key << "  v" << e.info.version << "  " << Areas(e.changes) << "  "
              << Join(e.changes.words, "; ") << "\n";
  }
  std::cout << page->entries.size() << " versions; next token: " << page->next_token << "\n";
  return kExitOk;
}

int RunRescreen(const CliArgs& args, StudyStore& store, const SearchService& search, const Clock& clock) {
  for (const auto& [name, value] : args.values) {
    if (name != "--db" && name != "--patient" && name != "--as-of" && name != "--changed-since") {
      std::cerr << "trialscope match: --changed-since takes --patient FILE and --as-of DATE only, not " << name << "\n";
      return kExitUsage;
    }
  }
  PartialDate as_of = clock.Today();
  if (args.Has("--as-of")) {
    auto d = PartialDate::Parse(args.Get("--as-of"));
    if (!d.ok() || d->day == 0) return Fail(Status::InvalidArgument("--as-of must be a date YYYY-MM-DD"), "match");
    as_of = *d;
  }
  if (!args.Has("--patient")) return Fail(Status::InvalidArgument("--patient FILE is required"), "match");
  auto scr = ScreeningService::Build(search);
  if (!scr.ok()) return Fail(scr.status(), "match");
  auto text = ReadWholeFile(args.Get("--patient"));
  if (!text.ok()) return Fail(text.status(), "match");
  auto patient = ParsePatientJson(*text, (*scr)->concepts(), args.Get("--patient"));
  if (!patient.ok()) return Fail(patient.status(), "match");
  ChangeLog log(store);
  const std::string token = args.Get("--changed-since");
  auto r = Rescreen(log, **scr, *patient, as_of, token, 100000);
  if (!r.ok()) return Fail(r.status(), "match");
  if (args.Has("--json")) {
    std::cout << RescreenJson(*r, token, true) << "\n";
    return kExitOk;
  }
  size_t moved = 0;
  for (const RescreenItem& i : r->items) moved += i.Moved() ? 1 : 0;
  std::cout << r->items.size() << " studies changed in status, sites or criteria since " << token << " (as of "
            << as_of.ToString() << "); " << moved << " verdicts moved\n";
  for (const RescreenItem& i : r->items) {
    std::cout << "  " << i.study->key << "  " << (i.before ? std::string(VerdictName(*i.before)) : std::string("(new)")) << " -> "
              << VerdictName(i.after) << "  " << Join(i.study->changes.words, "; ") << "\n";
  }
  std::cout << "next token: " << r->changed.next_token << "\n";
  return kExitOk;
}

}  // namespace ts
