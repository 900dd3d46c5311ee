// trialscope: the command-line entry point. Wiring only: parse arguments, open the store, call
// the service, print. Exit codes: 0 ok; 1 failure (I/O, database, an import path that could not be read);
// 2 usage error; 3 import finished but some records were rejected; 4 the study asked for does not exist.
#include <condition_variable>
#include <mutex>
#include <optional>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include "api/api.h"
#include "api/search_json.h"
#include "http/http_server.h"
#include "serving/live_index.h"
#include "service/change_log.h"
#include "web/site.h"
#include "change_commands.h"
#include "cli_args.h"
#include "eligibility_commands.h"
#include "protocol_commands.h"
#include "exit_codes.h"
#include "search_text.h"
#include "common/file_system.h"
#include "common/strings.h"
#include "ingest/ctgov_json.h"
#include "ingest/vocab_reader.h"
#include "service/study_projection.h"
#include "service/importer.h"
#include "service/search_service.h"
#include "study_text.h"
#include "sync_command.h"
#include "store/study_diff.h"
#include "store/study_store.h"

namespace ts {
namespace {

constexpr const char* kUsage = R"(trialscope - a clinical-trial registry engine

Usage: trialscope COMMAND [options]

Commands:
  import PATH...         import ClinicalTrials.gov records (API v2 JSON, legacy XML, zips, directories)
  show ID                print a study (NCT ID, org study ID or secondary ID)
  results ID             a study's posted results as tables (--json: its resultsSection)
  history ID             list the stored versions of a study
  diff ID [V1 V2]        show field by field what changed between two versions (default: last two)
  stats                  counts by status, phase, study type and country
  search [PARAMS]        search like ClinicalTrials.gov API v2 (--query.cond, --filter.overallStatus, ...)
  related ID             the studies most like this one, with the shared terms that explain each
  sync                   bring the database up to date from a ClinicalTrials.gov API v2 endpoint (resumable)
  serve                  serve the web site and the HTTP API on --host/--port (default 127.0.0.1:8080)
  vocab import FILE...   load drug and condition names (DrugBank vocabulary CSV, MeSH tree files) as aliases
  criteria ID            a study's eligibility criteria beside the typed rules they became
  check                  pre-screen a patient for a study (--patient FILE | --note FILE, --study ID [--as-of DATE])
  match                  rank every study for a patient (--patient FILE | --note FILE [--status S] [--near PLACE])
  protocol ID            a study's doses, schedules, stop / rescue rules and endpoints beside their source text
  timeline               a subject's dose calendar, rule events and endpoint verdicts (--study ID --arm LABEL
                         --start DATE --patient FILE)
  randomise              seeded permuted-block randomisation with strata, its allocation list and ratio check
  cohort                 per-arm endpoint rates with exact 95% intervals over a file of subjects (--study ID --subjects FILE)

Global options:
  --db PATH              database file (default: $TRIALSCOPE_DB, else ~/.local/share/trialscope/trialscope.db);
                         before the command or after it (trialscope --db x.db search ...)
  -h, --help             help for a command: trialscope COMMAND --help

Exit codes: 0 ok, 1 failure (also: an import path could not be read), 2 usage error, 3 import finished
with rejected records, 4 study not found.
)";

struct Command {
  const char* name;
  const char* help;
  std::set<std::string> valued;
  std::set<std::string> flags;
};

// serve's options, with those of the sync it can run in the background (--sync-every), but not --seed.
std::set<std::string> ServeValuedOptions() {
  std::set<std::string> v = {"--host", "--port", "--threads", "--io-threads", "--rate-limit", "--cors-origin",
                             "--max-client-connections", "--reload-every", "--sync-every"};
  for (const std::string& o : SyncValuedOptions()) v.insert(o);
  v.erase("--seed");
  return v;
}

// "90s", "30m", "6h", "1d" or a number of seconds: the seconds, or nullopt.
std::optional<int64_t> ParseEvery(const std::string& text) {
  if (text.empty()) return std::nullopt;
  int64_t scale = 1;
  std::string number = text;
  switch (text.back()) {
    case 's': scale = 1; number.pop_back(); break;
    case 'm': scale = 60; number.pop_back(); break;
    case 'h': scale = 3600; number.pop_back(); break;
    case 'd': scale = 86400; number.pop_back(); break;
    default: break;
  }
  int64_t n = 0;
  if (!ParseInt64(number, &n) || n < 1 || n > 30 * 86400 / scale) return std::nullopt;
  return n * scale;
}

const Command kCommands[] = {
    {"import",
     R"(Usage: trialscope import [--db PATH] [--rejects FILE] [--batch N] [--quiet] PATH...

Reads ClinicalTrials.gov records from files, directories (recursively) and zip archives:
API v2 JSON (one study, an array, a {"studies": [...]} page, or NDJSON) and legacy XML
(<clinical_study>, e.g. the AllPublicXML bulk zip). Other files are skipped and counted.
Unchanged records change nothing; changed records add a version.

  --rejects FILE   write each rejected record as a JSON line {origin, studyId, reason}
                   (without it, the first 20 rejects are printed on stderr, then how many more)
  --batch N        records per transaction (default 1000)
  --quiet          no progress bar (it is shown only on a terminal anyway)
  --no-index       do not refresh the search index snapshot (DB.snapshot) after the import

A rejected record is named by file and place: "file.json[3]" (4th element of an array or page),
"file.ndjson:12" (line 12), "bulk.zip!entry.xml"; invalid UTF-8 by its byte offset. A broken NDJSON
line costs only itself. An empty file is rejected ("empty file") whatever its extension.
The summary line is printed (and flushed) before the search index is refreshed.

Exit code 3 when any record was rejected, 1 when a path could not be read (missing, permission
denied, a dangling link or a link loop: each is printed with the system's reason); every record
that could be read is imported all the same.
)",
     {"--db", "--rejects", "--batch"},
     {"--quiet", "--no-index"}},
    {"show", R"(Usage: trialscope show [--db PATH] [--json] ID

Prints the current version of a study with every section of its page.
  --json   print the study as ClinicalTrials.gov API v2 JSON
)",
     {"--db"},
     {"--json"}},
    {"results", R"(Usage: trialscope results [--db PATH] [--json] ID

Prints a study's posted results: participant flow, baseline characteristics, each outcome measure as a
table of its groups with the statistical analyses, and the adverse events. Legacy XML results are read
onto the same tables. A study without posted results says so.
  --json   print {"nctId", "resultsSection"} in the ClinicalTrials.gov API v2 shape
)",
     {"--db"},
     {"--json"}},
    {"history", R"(Usage: trialscope history [--db PATH] [--json] ID

Lists the versions of a study, oldest first; '*' marks the current one.
)",
     {"--db"},
     {"--json"}},
    {"diff", R"(Usage: trialscope diff [--db PATH] [--raw] ID [V1 V2]

Shows field by field what changed from version V1 to V2 (default: the last two versions).
  --raw    print the two raw source records instead
)",
     {"--db"},
     {"--raw"}},
    {"search", R"(Usage: trialscope search [--db PATH] [--json] [--PARAM VALUE ...]

Searches like ClinicalTrials.gov API v2, with the same parameter names (docs/API.md):
  --query.cond --query.term --query.intr --query.titles --query.outc --query.spons --query.lead
  --query.id --query.locn          text in that area: words, "phrases", AND, OR, NOT, ( )
                                   (only upper-case AND/OR/NOT are operators)
  --filter.overallStatus RECRUITING,NOT_YET_RECRUITING   --filter.phase PHASE2,PHASE3
  --filter.studyType --filter.sex --filter.healthyVolunteers --filter.hasResults --filter.funderType
  --aggFilters results:with|results:without (or --filter.results with|without)
  --filter.interventionType --filter.country --filter.state --filter.city --filter.ids
  --filter.startDate FROM,TO --filter.lastUpdate FROM,TO --filter.enrollment MIN,MAX
  --filter.age YEARS               studies that accept a patient of that age
  --filter.geo distance(LAT,LON,50km)
  --near "Hangzhou, China" [--radius 100km]   studies with a site near a place (GeoNames gazetteer)
  --sort @relevance|LastUpdatePostDate|StartDate|EnrollmentCount|@distance[:asc|:desc][,second]
  --pageSize N (1..1000)  --pageToken TOKEN  --facets all|overallStatus,phase,...
  --aliases false                   do not expand aliases (by default every hit says which alias matched)
  --json                           print the API v2 response shape instead of a table
)",
     {},
     {"--json"}},
    {"related", R"(Usage: trialscope related [--db PATH] [--limit N] [--json] ID

Lists the studies most similar to ID by conditions, interventions (with their aliases and MeSH
terms) and distinctive title words; each with a score and the shared terms that explain it.
)",
     {"--limit"},
     {"--json"}},
    {"serve", R"(Usage: trialscope serve [--db PATH] [--host ADDR] [--port N] [--threads N] [--io-threads N]
                        [--rate-limit N] [--cors-origin ORIGIN] [--max-client-connections N]
                        [--reload-every SECONDS] [--sync-every DURATION [sync options]]

Serves the web site (open http://HOST:PORT/ in a browser: search, trial pages, plain-language
summaries, trials by location, eligibility pre-screening) and the ClinicalTrials.gov-compatible
API (docs/API.md: GET /api/v2/studies, /api/v2/studies/{id}, ...) from an in-memory index of the
database. --port 0 picks a free port (printed). Stops cleanly on Ctrl-C (SIGINT) or SIGTERM,
after answering the requests in flight.
  --threads N            worker threads that run requests (1..256, default 8)
  --io-threads N         threads that read and write connections (1..64, default 2)
  --max-client-connections N   open connections per client address (1..100000, default 128)
  --rate-limit N         at most N requests per minute per client address (429 past it); default: no limit
  --cors-origin ORIGIN   send Access-Control-Allow-Origin: ORIGIN (an origin, or *) on the read-only API
  --reload-every SECONDS how often to look for new data in the database (an import or sync by another
                         process); a new index is built beside the served one and swapped in, with no
                         restart (1..86400, default 5; 0: never)
  --sync-every DURATION  also run `trialscope sync` in the background every DURATION (a number with s, m, h
                         or d: "6h"; 1 minute to 30 days), on its own database connection; the index follows
                         each sync through --reload-every. The sync options (--api, --rate, --page-size,
                         --ca-file, --since for a database with no checkpoint, ...) are those of `sync`;
                         --seed is not (run `trialscope sync --seed FILE` once first)
The client address is the TCP peer: behind a reverse proxy every request comes from the proxy, and
forwarded headers (X-Forwarded-For, Forwarded) are not trusted (see README).
)",
     ServeValuedOptions(),
     SyncFlags()},
    {"sync", kSyncHelp, SyncValuedOptions(), SyncFlags()},
    {"changes", kChangesHelp, {"--since", "--limit"}, {"--json"}},
    {"vocab", R"(Usage: trialscope vocab import [--db PATH] FILE...

Loads names that search treats as aliases: the DrugBank open vocabulary CSV (common name +
synonyms) and MeSH tree files (descriptor names; a search also matches narrower terms).
Loading a file of a kind replaces what was loaded of that kind before.
)",
     {},
     {}},
    {"stats", R"(Usage: trialscope stats [--db PATH]

Counts studies by overall status, phase, study type and country.
)",
     {"--db"},
     {}},
    {"criteria", kCriteriaHelp, {"--sample", "--seed"}, {"--json", "--untyped", "--ungated"}},
    {"check", kCheckHelp, {"--patient", "--note", "--study", "--as-of"}, {"--json", "--ungated"}},
    {"match", kMatchHelp, {"--patient", "--note", "--as-of", "--limit", "--status", "--near", "--radius", "--changed-since"},
     {"--json"}},
    {"protocol", kProtocolHelp, {}, {"--json"}},
    {"timeline", kTimelineHelp, {"--study", "--arm", "--start", "--patient", "--days"}, {"--json"}},
    {"randomise", kRandomiseHelp, {"--study", "--arms", "--ratio", "--blocks", "--per-stratum", "--strata", "--seed"}, {"--json"}},
    {"cohort", kCohortHelp, {"--study", "--subjects"}, {"--json"}},
};

std::string DefaultDbPath() {
  if (const char* env = std::getenv("TRIALSCOPE_DB"); env && *env) return env;
  const char* home = std::getenv("HOME");
  std::string base = std::getenv("XDG_DATA_HOME") ? std::getenv("XDG_DATA_HOME")
                                                  : std::string(home ? home : ".") + "/.local/share";
  return base + "/trialscope/trialscope.db";
}

Result<std::unique_ptr<StudyStore>> OpenStore(const CliArgs& args, const Clock& clock) {
  std::string path = args.Get("--db", DefaultDbPath());
  std::error_code ec;
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  return OpenSqliteStore(path, clock);
}

Result<std::unique_ptr<SearchService>> BuildSearch(StudyStore& store, const CliArgs& args, const std::string& exe,
                                                   std::optional<Gazetteer>* gazetteer);

// On stderr: every unreadable path with the system's reason; without a rejects file, the first rejects
// (file and place, study, reason) and how many more there were; with one, where they went.
void PrintImportProblems(const ImportSummary& sum, const std::string& rejects_file) {
  for (const auto& u : sum.unreadable_paths) std::cerr << "trialscope import: cannot read " << u.origin << ": " << u.reason << "\n";
  if (sum.rejected == 0) return;
  if (!rejects_file.empty()) {
    std::cerr << "trialscope import: " << sum.rejected << " rejected records written to " << rejects_file << "\n";
    return;
  }
  for (const auto& r : sum.first_rejects) {
    std::cerr << "trialscope import: rejected " << r.origin << (r.study_id.empty() ? "" : " (" + r.study_id + ")") << ": "
              << r.reason << "\n";
  }
  int64_t more = sum.rejected - static_cast<int64_t>(sum.first_rejects.size());
  if (more > 0) std::cerr << "trialscope import: ... and " << more << " more (--rejects FILE writes them all)\n";
}

int RunImport(const CliArgs& args, StudyStore& store, const std::string& exe) {
  if (args.positional.empty()) {
    std::cerr << "trialscope import: give at least one PATH\n";
    return kExitUsage;
  }
  ImportOptions options;
  std::ofstream rejects;
  if (args.Has("--rejects")) {
    rejects.open(args.Get("--rejects"));
    if (!rejects) {
      std::cerr << "trialscope import: cannot write " << args.Get("--rejects") << "\n";
      return kExitFailure;
    }
    options.rejects = &rejects;
  }
  if (args.Has("--batch")) {
    int64_t n = std::atoll(args.Get("--batch").c_str());
    if (n < 1 || n > 1000000) {
      std::cerr << "trialscope import: --batch must be 1..1000000\n";
      return kExitUsage;
    }
    options.batch_size = static_cast<size_t>(n);
  }
  if (!args.Has("--quiet") && isatty(STDERR_FILENO)) options.progress = &std::cerr;
  Importer importer(store, options);
  auto sum = importer.Run(args.positional);
  if (!sum.ok()) return Fail(sum.status());
  PrintImportProblems(*sum, args.Get("--rejects", ""));
  std::cout << "import: " << sum->ToString() << std::endl;  // flushed: indexing may take a while
  if (sum->added + sum->updated + sum->historical > 0 && !args.Has("--no-index")) {
    std::optional<Gazetteer> gazetteer;
    auto svc = BuildSearch(store, args, exe, &gazetteer);  // refreshes the search snapshot
    if (!svc.ok()) return Fail(svc.status());
    std::cout << "search index: " << (*svc)->studies().size() << " studies\n";
  }
  if (sum->unreadable > 0) return kExitFailure;
  return sum->rejected > 0 ? kExitRejected : kExitOk;
}

int RunShow(const CliArgs& args, StudyStore& store) {
  if (args.positional.size() != 1) {
    std::cerr << "trialscope show: give one study ID\n";
    return kExitUsage;
  }
  auto s = store.Get(args.positional[0]);
  if (!s.ok()) return Fail(s.status());
  if (args.Has("--json")) {
    std::cout << WriteStudyJson(s->study, true) << "\n";
  } else {
    std::cout << RenderStudyText(s->study);
  }
  return kExitOk;
}

int RunResults(const CliArgs& args, StudyStore& store) {
  if (args.positional.size() != 1) {
    std::cerr << "trialscope results: give one study ID\n";
    return kExitUsage;
  }
  auto s = store.Get(args.positional[0]);
  if (!s.ok()) return Fail(s.status());
  if (args.Has("--json")) {
    auto j = ProjectStudyJson(WriteStudyJson(s->study), {"NCTId", "resultsSection", "HasResults"});
    if (!j.ok()) return Fail(j.status());
    std::cout << *j << "\n";
    return kExitOk;
  }
  std::cout << RenderResultsText(s->study);
  return kExitOk;
}

int RunHistory(const CliArgs& args, StudyStore& store) {
  if (args.positional.size() != 1) {
    std::cerr << "trialscope history: give one study ID\n";
    return kExitUsage;
  }
  auto key = store.ResolveKey(args.positional[0]);
  if (!key.ok()) return Fail(key.status());
  auto h = store.History(*key);
  if (!h.ok()) return Fail(h.status());
  if (args.Has("--json")) {
    JsonWriter w(true);
    w.BeginArray();
    for (const auto& v : *h) {
      w.BeginObject();
      w.Key("version"); w.Int(v.version);
      w.Key("current"); w.Bool(v.current);
      w.Key("lastUpdate"); w.String(v.last_update);
      w.Key("sourceFormat"); w.String(v.source_format);
      w.Key("importedAt"); w.String(v.imported_at);
      w.Key("origin"); w.String(v.origin);
      w.Key("contentHash"); w.String(v.content_hash);
      w.EndObject();
    }
    w.EndArray();
    std::cout << w.str() << "\n";
  } else {
    std::cout << RenderHistoryText(*key, *h);
  }
  return kExitOk;
}

int RunDiff(const CliArgs& args, StudyStore& store) {
  if (args.positional.size() != 1 && args.positional.size() != 3) {
    std::cerr << "trialscope diff: give an ID, optionally followed by two version numbers\n";
    return kExitUsage;
  }
  auto key = store.ResolveKey(args.positional[0]);
  if (!key.ok()) return Fail(key.status());
  int v1, v2;
  if (args.positional.size() == 3) {
    v1 = std::atoi(args.positional[1].c_str());
    v2 = std::atoi(args.positional[2].c_str());
  } else {
    auto h = store.History(*key);
    if (!h.ok()) return Fail(h.status());
    if (h->size() < 2) {
      std::cout << *key << ": only one version; nothing to compare\n";
      return kExitOk;
    }
    v1 = (*h)[h->size() - 2].version;
    v2 = h->back().version;
  }
  auto a = store.GetVersion(*key, v1);
  if (!a.ok()) return Fail(a.status());
  auto b = store.GetVersion(*key, v2);
  if (!b.ok()) return Fail(b.status());
  if (args.Has("--raw")) {
    std::cout << "=== version " << v1 << " (" << a->info.origin << ")\n" << a->raw << "\n=== version " << v2 << " ("
              << b->info.origin << ")\n" << b->raw << "\n";
    return kExitOk;
  }
  auto changes = DiffStudyJson(a->study_json, b->study_json);
  if (!changes.ok()) {  // stored versions that are not JSON: damaged data, not a usage error
    Fail(changes.status());
    return kExitFailure;
  }
  std::cout << RenderDiffText(*key, v1, v2, *changes);
  return kExitOk;
}

// The gazetteer's directory: $TRIALSCOPE_GAZETTEER, else the installed one (Gazetteer::FindDefaultDir).
std::optional<std::string> GazetteerDir(const std::string& exe) {
  if (const char* env = std::getenv("TRIALSCOPE_GAZETTEER"); env && *env) return std::string(env);
  return Gazetteer::FindDefaultDir(exe);
}

// The search service over `store`, with the gazetteer when one is found (GazetteerDir).
// The index is kept in a snapshot beside the database (DB.snapshot) and rebuilt when the data changed.
// A gazetteer already loaded in *gazetteer is used as it is (serve builds again on new data while the
// previous service, which points to it, still answers).
Result<std::unique_ptr<SearchService>> BuildSearch(StudyStore& store, const CliArgs& args, const std::string& exe,
                                                   std::optional<Gazetteer>* gazetteer) {
  if (auto dir = GazetteerDir(exe); dir && !gazetteer->has_value()) {
    auto g = Gazetteer::Load(*dir);
    if (g.ok()) {
      gazetteer->emplace(std::move(*g));
    } else {
      std::cerr << "trialscope: gazetteer not loaded: " << g.status().message() << "\n";
    }
  }
  std::string note;
  PosixFileSystem fs;
  auto svc = SearchService::Open(store, args.Get("--db", DefaultDbPath()) + ".snapshot",
                                 gazetteer->has_value() ? &**gazetteer : nullptr, fs, &note);
  if (!note.empty()) std::cerr << "trialscope: " << note << "\n";
  return svc;
}

int RunSearch(const CliArgs& args, StudyStore& store, const std::string& exe) {
  if (!args.positional.empty()) {
    std::cerr << "trialscope search: give the query as --query.term \"" << args.positional[0] << "\" (see --help)\n";
    return kExitUsage;
  }
  Params params;
  for (const auto& [name, value] : args.values) {
    if (name != "--db") params.emplace_back(name.substr(2), value);
  }
  auto req = ParseSearchParams(params);
  if (!req.ok()) {
    std::cerr << "trialscope search: " << req.status().message() << "\n";
    return kExitUsage;
  }
  std::optional<Gazetteer> gazetteer;
  auto svc = BuildSearch(store, args, exe, &gazetteer);
  if (!svc.ok()) return Fail(svc.status());
  auto res = (*svc)->Search(*req);
  if (!res.ok()) {
    std::cerr << "trialscope search: " << res.status().message() << "\n";
    return kExitUsage;
  }
  if (args.Has("--json")) {
    auto json = SearchResultJson(*res, (*svc)->Listings(*res), {}, true);
    if (!json.ok()) return Fail(json.status());
    std::cout << *json << "\n";
  } else {
    std::cout << SearchResultTable(*res, (*svc)->Listings(*res));
  }
  return kExitOk;
}

int RunVocab(const CliArgs& args, StudyStore& store, const std::string& exe) {
  if (args.positional.size() < 2 || args.positional[0] != "import") {
    std::cerr << "trialscope vocab: usage: trialscope vocab import FILE...\n";
    return kExitUsage;
  }
  int rc = kExitOk;
  for (size_t i = 1; i < args.positional.size(); ++i) {
    auto file = ReadVocabularyFile(args.positional[i]);
    if (!file.ok()) {
      std::cerr << "trialscope vocab: " << file.status().message() << "\n";
      rc = kExitFailure;
      continue;
    }
    for (const auto& p : file->problems) std::cerr << args.positional[i] << ": " << p << "\n";
    Status s = store.ReplaceVocabulary(file->format == "drugbank" ? "drugbank:" : "mesh:", file->groups);
    if (!s.ok()) return Fail(s);
    std::cout << "vocab: " << args.positional[i] << ": " << file->format << ", " << file->groups.size() << " groups, "
              << file->problems.size() << " bad lines\n";
    if (!file->problems.empty() && rc == kExitOk) rc = kExitRejected;
  }
  if (rc != kExitFailure) {
    std::optional<Gazetteer> gazetteer;
    auto svc = BuildSearch(store, args, exe, &gazetteer);  // refreshes the search snapshot with the new aliases
    if (!svc.ok()) return Fail(svc.status());
    std::cout << "search index: " << (*svc)->aliases().name_count() << " alias names\n";
  }
  return rc;
}

int RunRelated(const CliArgs& args, StudyStore& store, const std::string& exe) {
  if (args.positional.size() != 1) {
    std::cerr << "trialscope related: give one study ID\n";
    return kExitUsage;
  }
  int64_t limit = 10;
  if (args.Has("--limit") && (!ParseInt64(args.Get("--limit"), &limit) || limit < 1 || limit > 100)) {
    std::cerr << "trialscope related: --limit must be 1..100\n";
    return kExitUsage;
  }
  std::optional<Gazetteer> gazetteer;
  auto svc = BuildSearch(store, args, exe, &gazetteer);
  if (!svc.ok()) return Fail(svc.status());
  auto related = (*svc)->Related(args.positional[0], static_cast<size_t>(limit));
  if (!related.ok()) return Fail(related.status());
  const std::string key((*svc)->studies().Find(args.positional[0])->key);  // Related found it
  if (args.Has("--json")) {
    std::cout << RelatedJson(key, *related, true) << "\n";
    return kExitOk;
  }
  std::cout << "Studies related to " << key << ":\n";
  for (const auto& r : *related) {
    std::cout << "  " << r.key << "  " << r.brief_title.substr(0, 80) << "  (score " << r.score << ")\n";
    std::cout << "      shared: " << Join(r.shared, "; ") << "\n";
  }
  return kExitOk;
}

// One snapshot of what serve answers with: the search service, screening (its criteria compiled first when
// `prepare`) and the API and site handlers over them. *gazetteer is loaded by the first call.
Result<std::unique_ptr<ServedSnapshot>> BuildServed(StudyStore& store, const CliArgs& args, const std::string& exe,
                                                    std::optional<Gazetteer>* gazetteer, const Clock& clock,
                                                    const ChangeLog* changes, bool prepare) {
  auto snap = std::make_unique<ServedSnapshot>();
  auto svc = BuildSearch(store, args, exe, gazetteer);
  if (!svc.ok()) return svc.status();
  snap->search = std::move(*svc);
  auto screening = ScreeningService::Build(*snap->search);
  if (!screening.ok()) return screening.status();
  snap->screening = std::move(*screening);
  if (prepare) snap->screening->PrepareMatch();
  auto protocols = ProtocolService::Build(snap->search->studies());
  if (!protocols.ok()) return protocols.status();
  snap->protocols = std::move(*protocols);
  const std::string loaded = clock.Today().ToString();
  snap->api = std::make_unique<ApiHandler>(*snap->search, loaded, clock, snap->screening.get(), snap->protocols.get(), changes);
  snap->site = std::make_unique<WebSite>(*snap->search, snap->screening.get(), clock, SiteOptions{loaded}, changes);
  return snap;
}

int RunServe(const CliArgs& args, StudyStore& store, const std::string& exe, const Clock& clock) {
  HttpOptions options;
  options.host = args.Get("--host", "127.0.0.1");
  int64_t port = 8080, threads = 8, io_threads = 2, rate = 0, per_client = 128, reload = 5;
  auto bad = [&](const char* name, int64_t* value, int64_t lo, int64_t hi) {
    return args.Has(name) && (!ParseInt64(args.Get(name), value) || *value < lo || *value > hi);
  };
  if (bad("--port", &port, 0, 65535) || bad("--threads", &threads, 1, 256) || bad("--io-threads", &io_threads, 1, 64) ||
      bad("--rate-limit", &rate, 1, 1000000) || bad("--max-client-connections", &per_client, 1, 100000) ||
      bad("--reload-every", &reload, 0, 86400)) {
    std::cerr << "trialscope serve: --port must be 0..65535, --threads 1..256, --io-threads 1..64, --rate-limit "
                 "1..1000000, --max-client-connections 1..100000 and --reload-every 0..86400\n";
    return kExitUsage;
  }
  std::optional<int64_t> sync_every;
  if (args.Has("--sync-every")) {
    sync_every = ParseEvery(args.Get("--sync-every"));
    if (!sync_every || *sync_every < 60) {
      std::cerr << "trialscope serve: --sync-every takes a duration from 1m to 30d (\"6h\", \"30m\", \"1d\"), not \""
                << args.Get("--sync-every") << "\"\n";
      return kExitUsage;
    }
  } else {
    for (const std::string& o : SyncValuedOptions()) {
      if (args.Has(o) && o != "--seed") {
        std::cerr << "trialscope serve: " << o << " is a sync option: give it with --sync-every\n";
        return kExitUsage;
      }
    }
  }
  options.port = static_cast<int>(port);
  options.worker_threads = static_cast<int>(threads);
  options.io_threads = static_cast<int>(io_threads);
  options.rate_limit_per_minute = static_cast<int>(rate);
  options.max_connections_per_client = static_cast<size_t>(per_client);
  options.cors_origin = args.Get("--cors-origin", "");
  if (args.Has("--cors-origin") && options.cors_origin.find_first_of("\r\n") != std::string::npos) {
    std::cerr << "trialscope serve: --cors-origin must be one line\n";
    return kExitUsage;
  }
  // Block SIGINT/SIGTERM in every thread; one thread waits for them and stops the server.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // The poller's store is `store`; request threads read history through `changes` (a connection of its own,
  // behind ChangeLog's mutex): a StudyStore is one user at a time.
  auto history_store = OpenStore(args, clock);
  if (!history_store.ok()) return Fail(history_store.status());
  const ChangeLog changes(**history_store);
  // The background sync's connection (--sync-every), opened before any thread starts.
  Result<std::unique_ptr<StudyStore>> sync_store = std::unique_ptr<StudyStore>();
  if (sync_every) sync_store = OpenStore(args, clock);
  if (!sync_store.ok()) return Fail(sync_store.status());
  std::optional<Gazetteer> gazetteer;
  bool first = true;  // the first snapshot's criteria are compiled while it serves (below); the next ones before
  auto build = [&](int64_t) {
    auto snap = BuildServed(store, args, exe, &gazetteer, clock, &changes, !first);
    first = false;
    return snap;
  };
  LiveIndex live(
      [&] {
        store.EndRead();  // a read left open by the last build would pin the old snapshot (StudyStore::EndRead)
        return store.DataGeneration();
      },
      build,
                 [](const std::string& line) { std::cout << "trialscope: " << line << std::endl; });
  if (Status s = live.Start(); !s.ok()) return Fail(s);
  HttpServer server(live.api(), options, clock, &live.site());
  if (Status s = server.Bind(); !s.ok()) {  // whatever the reason (--host not an address, port taken): a failure
    Fail(s);
    return kExitFailure;
  }
  // Compile every study's criteria for /api/match in the background; requests meanwhile are served
  // (a match that arrives first waits for it). Then look for new data every --reload-every seconds; a new
  // snapshot is compiled before it is swapped in, off the request threads.
  std::thread poll([&] {
    if (auto first_snap = live.current()) first_snap->screening->PrepareMatch();  // released here, not held while polling
    if (reload > 0) live.Poll(live.Every(std::chrono::seconds(reload)));
  });
  std::cout << "trialscope: serving " << live.current()->search->studies().size() << " studies: web site http://" << options.host << ":"
            << server.bound_port() << "/ , API http://" << options.host << ":" << server.bound_port() << "/api/v2/studies"
            << std::endl;
  // --sync-every: sync on a connection of its own; the poller above sees the new generation and swaps.
  std::mutex sync_mu;
  std::condition_variable sync_cv;
  bool stopping = false, in_sync = false;
  std::thread syncing;
  if (sync_every) {
    syncing = std::thread([&, owned = std::move(*sync_store)]() mutable {
      std::unique_lock<std::mutex> lock(sync_mu);
      while (!stopping) {
        in_sync = true;
        lock.unlock();
        std::cout << "trialscope: sync from " << args.Get("--api", "https://clinicaltrials.gov") << std::endl;
        owned->EndRead();  // start each sync on the newest snapshot
        int rc = RunSync(args, *owned, clock, [] { return kExitOk; });
        std::cout << "trialscope: sync finished (exit " << rc << "); next in " << *sync_every << " s" << std::endl;
        lock.lock();
        in_sync = false;
        sync_cv.wait_for(lock, std::chrono::seconds(*sync_every), [&] { return stopping; });
      }
    });
  }
  std::thread waiter([&] {
    int sig;
    sigwait(&signals, &sig);
    server.Stop();
  });
  Status s = server.Run();
  pthread_kill(waiter.native_handle(), SIGTERM);  // wake the waiter if the server stopped by itself
  waiter.join();
  live.StopPolling();
  poll.join();
  {
    std::lock_guard<std::mutex> lock(sync_mu);
    stopping = true;
    if (in_sync) {
      // A sync may take hours at its request rate: stop now. Each page is one transaction with its checkpoint,
      // so the page in flight is rolled back and the next sync resumes from the last one committed.
      std::cout << "trialscope: stopped during a sync (the next sync resumes from its checkpoint)" << std::endl;
      std::_Exit(s.ok() ? kExitOk : kExitFailure);
    }
  }
  sync_cv.notify_all();
  if (syncing.joinable()) syncing.join();
  if (!s.ok()) return Fail(s);
  std::cout << "trialscope: stopped" << std::endl;
  return kExitOk;
}

int RunStats(const CliArgs&, StudyStore& store) {
  auto st = store.Stats();
  if (!st.ok()) return Fail(st.status());
  std::cout << RenderStatsText(*st);
  auto migrations = store.Migrations();
  if (!migrations.ok()) return Fail(migrations.status());
  for (const MigrationRecord& m : *migrations) {
    std::cout << "Re-derived " << m.versions << " stored versions from their raw records (reading " << m.from_reading
              << " -> " << m.to_reading << ") at " << m.at;
    if (m.failed) std::cout << "; " << m.failed << " kept their earlier reading (first: " << m.note << ")";
    std::cout << "\n";
  }
  return kExitOk;
}

int Main(int argc, char** argv) {
  std::vector<std::string> raw(argv + 1, argv + argc);
  if (raw.empty() || raw[0] == "--help" || raw[0] == "-h" || raw[0] == "help") {
    std::cout << kUsage;
    return raw.empty() ? kExitUsage : kExitOk;
  }
  // Global options may come before the command: `trialscope --db x.db search ...`.
  auto at = CommandIndex(raw, {"--db"});
  if (!at.ok()) {
    std::cerr << "trialscope: " << at.status().message() << "\n\n" << kUsage;
    return kExitUsage;
  }
  const Command* cmd = nullptr;
  for (const Command& c : kCommands)
    if (raw[*at] == c.name) cmd = &c;
  if (!cmd) {
    std::cerr << "trialscope: unknown command \"" << raw[*at] << "\"\n\n" << kUsage;
    return kExitUsage;
  }
  std::set<std::string> valued = cmd->valued;
  valued.insert("--db");
  if (std::string(cmd->name) == "search" || std::string(cmd->name) == "match") {
    for (const auto& p : SearchParamNames()) valued.insert("--" + p);
  }
  auto args = ParseCliArgs(raw, valued, cmd->flags);
  if (!args.ok()) {
    std::cerr << "trialscope " << cmd->name << ": " << args.status().message() << "\n\n" << cmd->help;
    return kExitUsage;
  }
  if (args->Has("--help")) {
    std::cout << cmd->help;
    return kExitOk;
  }
  const SystemClock clock;  // the only reader of the system clock; library code is given it
  auto store = OpenStore(*args, clock);
  if (!store.ok()) return Fail(store.status());
  std::string name = cmd->name;
  if (name == "import") return RunImport(*args, **store, argv[0]);
  if (name == "show") return RunShow(*args, **store);
  if (name == "results") return RunResults(*args, **store);
  if (name == "history") return RunHistory(*args, **store);
  if (name == "diff") return RunDiff(*args, **store);
  if (name == "search") return RunSearch(*args, **store, argv[0]);
  if (name == "vocab") return RunVocab(*args, **store, argv[0]);
  if (name == "sync") {
    return RunSync(*args, **store, clock, [&] {
      std::optional<Gazetteer> gazetteer;
      auto svc = BuildSearch(**store, *args, argv[0], &gazetteer);  // refreshes the search snapshot
      if (!svc.ok()) return Fail(svc.status());
      std::cout << "search index: " << (*svc)->studies().size() << " studies\n";
      return kExitOk;
    });
  }
  if (name == "serve") return RunServe(*args, **store, argv[0], clock);
  if (name == "related") return RunRelated(*args, **store, argv[0]);
  if (name == "protocol") return RunProtocol(*args, **store);
  if (name == "timeline") return RunTimeline(*args, **store);
  if (name == "randomise") return RunRandomise(*args, **store);
  if (name == "cohort") return RunCohort(*args, **store);
  if (name == "changes") return RunChanges(*args, **store);
  if (name == "criteria" || name == "check" || name == "match") {
    std::optional<Gazetteer> gazetteer;
    auto svc = BuildSearch(**store, *args, argv[0], &gazetteer);
    if (!svc.ok()) return Fail(svc.status());
    if (name == "criteria") return RunCriteria(*args, **svc);
    if (name == "check") return RunCheck(*args, **svc, clock);
    if (args->Has("--changed-since")) return RunRescreen(*args, **store, **svc, clock);
    return RunMatch(*args, **svc, clock);
  }
  return RunStats(*args, **store);
}

}  // namespace
}  // namespace ts

int main(int argc, char** argv) { return ts::Main(argc, argv); }
