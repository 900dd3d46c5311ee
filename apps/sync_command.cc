#include "sync_command.h"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <random>

#include "common/strings.h"
#include "exit_codes.h"
#include "service/importer.h"
#include "sync/http_getter.h"
#include "sync/pacing.h"
#include "sync/polite_client.h"
#include "sync/syncer.h"

#ifndef TRIALSCOPE_VERSION
#define TRIALSCOPE_VERSION "0"
#endif

namespace ts {

const char* const kSyncHelp = R"(Usage: trialscope sync [--db PATH] [--api URL] [--since DATE | --seed FILE] [options]

Brings the database up to date from a ClinicalTrials.gov API v2 endpoint: asks /api/v2/studies for every
study with AREA[LastUpdatePostDate]RANGE[<since>,MAX], page by page, and imports each page as the import
command does (new versions, rejects, raw bytes), one page per transaction. The checkpoint (the date synced
through, the page reached, the registry's dataTimestamp) is kept in the database: an interrupted sync
(Ctrl-C, kill -9, power loss) loses nothing and the next `trialscope sync` resumes it. See docs/SYNC.md.

  --api URL              the endpoint (default https://clinicaltrials.gov)
  --since DATE           sync studies updated on or after DATE (YYYY-MM-DD); needed for the first sync
                         unless --seed is given; later syncs start from the checkpoint
  --seed FILE            first import a bulk download (ctg-studies.json.zip, AllPublicXML.zip, any path the
                         import command reads), then sync from the newest LastUpdatePostDate it held
  --page-size N          studies a page (1..1000, default 1000)
  --rate N               at most N requests a minute (default 50; 0: no limit, for a local stand-in only)
  --retries N            tries of one request, the first included (1..100, default 8)
  --backoff-ms N         the first retry's wait; each next one doubles, with jitter (default 1000)
  --max-backoff-ms N     the longest computed wait (default 300000); a server's Retry-After is honoured
  --max-retry-after-ms N the longest Retry-After honoured (default 3600000)
  --jitter-seed N        seed of the jitter (default: a random one)
  --connect-timeout-ms N (default 15000)
  --read-timeout-ms N    a response silent this long is abandoned and retried (default 60000)
  --ca-file FILE         verify TLS servers against this PEM bundle instead of the system's
  --max-pages N          stop after N pages (the next sync resumes there)
  --rejects FILE         write each rejected record as a JSON line {origin, studyId, reason}
  --no-index             do not refresh the search index snapshot afterwards
  --quiet                no line per page on stderr
)";

std::set<std::string> SyncValuedOptions() {
  return {"--api", "--since", "--seed", "--page-size", "--rate", "--retries",
                                           "--backoff-ms", "--max-backoff-ms", "--max-retry-after-ms",
                                           "--jitter-seed", "--connect-timeout-ms", "--read-timeout-ms",
                                           "--ca-file", "--max-pages", "--rejects"};
}
std::set<std::string> SyncFlags() { return {"--no-index", "--quiet"}; }

namespace {

// Reads an integer option in [lo, hi]; false (with a message) when it is not one.
bool IntOption(const CliArgs& args, const std::string& name, int64_t lo, int64_t hi, int64_t* out) {
  if (!args.Has(name)) return true;
  if (!ParseInt64(args.Get(name), out) || *out < lo || *out > hi) {
    std::cerr << "trialscope sync: " << name << " must be an integer in " << lo << ".." << hi << ", not \""
              << args.Get(name) << "\"\n";
    return false;
  }
  return true;
}

struct SyncSettings {
  SyncOptions sync;
  PolitenessOptions polite;
  CurlOptions curl;
  uint64_t jitter_seed = 0;
};

bool ReadSettings(const CliArgs& args, SyncSettings* s) {
  s->sync.api = args.Get("--api", "https://clinicaltrials.gov");
  while (EndsWith(s->sync.api, "/")) s->sync.api.pop_back();
  if (!StartsWith(s->sync.api, "http://") && !StartsWith(s->sync.api, "https://")) {
    std::cerr << "trialscope sync: --api " << s->sync.api << ": give an http:// or https:// URL\n";
    return false;
  }
  s->sync.since = args.Get("--since", "");
  int64_t page = 1000, rate = 50, retries = 8, backoff = 1000, max_backoff = 300000, max_ra = 3600000;
  int64_t connect = 15000, read = 60000, max_pages = -1;
  int64_t seed = static_cast<int64_t>(std::random_device{}() >> 1);
  if (!IntOption(args, "--page-size", 1, 1000, &page) || !IntOption(args, "--rate", 0, 100000, &rate) ||
      !IntOption(args, "--retries", 1, 100, &retries) || !IntOption(args, "--backoff-ms", 0, 3600000, &backoff) ||
      !IntOption(args, "--max-backoff-ms", 0, 86400000, &max_backoff) ||
      !IntOption(args, "--max-retry-after-ms", 0, 86400000, &max_ra) ||
      !IntOption(args, "--jitter-seed", 0, INT64_MAX, &seed) ||
      !IntOption(args, "--connect-timeout-ms", 1, 600000, &connect) ||
      !IntOption(args, "--read-timeout-ms", 1, 3600000, &read) ||
      !IntOption(args, "--max-pages", 0, INT64_MAX, &max_pages)) {
    return false;
  }
  s->sync.page_size = static_cast<int>(page);
  s->sync.max_pages = args.Has("--max-pages") ? max_pages : -1;
  s->polite.per_minute = static_cast<double>(rate);
  s->polite.backoff = {.base_ms = backoff, .max_ms = max_backoff, .max_retry_after_ms = max_ra,
                       .max_attempts = static_cast<int>(retries)};
  s->curl.user_agent = std::string("trialscope/") + TRIALSCOPE_VERSION + " (registry sync; libcurl)";
  s->curl.ca_file = args.Get("--ca-file", "");
  s->curl.connect_timeout_ms = connect;
  s->curl.read_timeout_ms = read;
  s->jitter_seed = static_cast<uint64_t>(seed);
  return true;
}

void PrintRejects(const ImportSummary& sum, const std::string& rejects_file) {
  if (sum.rejected == 0) return;
  if (!rejects_file.empty()) {
    std::cerr << "trialscope sync: " << sum.rejected << " rejected records written to " << rejects_file << "\n";
    return;
  }
  for (const auto& r : sum.first_rejects) {
    std::cerr << "trialscope sync: rejected " << r.origin << (r.study_id.empty() ? "" : " (" + r.study_id + ")")
              << ": " << r.reason << "\n";
  }
}

}  // namespace

int RunSync(const CliArgs& args, StudyStore& store, const Clock& clock, const std::function<int()>& refresh_index) {
  SyncSettings settings;
  if (!args.positional.empty()) {
    std::cerr << "trialscope sync: unexpected argument \"" << args.positional[0] << "\"\n";
    return kExitUsage;
  }
  if (!ReadSettings(args, &settings)) return kExitUsage;
  if (args.Has("--since") && args.Has("--seed")) {
    std::cerr << "trialscope sync: give --since or --seed, not both\n";
    return kExitUsage;
  }
  ImportOptions import_options;
  std::ofstream rejects;
  if (args.Has("--rejects")) {
    rejects.open(args.Get("--rejects"));
    if (!rejects) {
      std::cerr << "trialscope sync: cannot write " << args.Get("--rejects") << "\n";
      return kExitFailure;
    }
    import_options.rejects = &rejects;
  }
  Importer importer(store, import_options);
  int64_t seeded = 0, seed_rejected = 0;
  if (args.Has("--seed")) {
    Result<ImportSummary> seed = importer.Run({args.Get("--seed")});
    if (!seed.ok()) return Fail(seed.status(), "sync");
    if (seed->unreadable > 0) {
      std::cerr << "trialscope sync: cannot read the seed " << args.Get("--seed") << ": "
                << (seed->unreadable_paths.empty() ? "" : seed->unreadable_paths[0].reason) << "\n";
      return kExitFailure;
    }
    std::cout << "seed: " << seed->ToString() << std::endl;
    seeded = seed->added + seed->updated + seed->historical;
    seed_rejected = seed->rejected;
    Result<SyncCheckpoint> cp = CheckpointFromStore(store, settings.sync.api);
    if (!cp.ok()) return Fail(cp.status(), "sync");
  }
  settings.sync.log = args.Has("--quiet") ? nullptr : &std::cerr;
  CurlGetter http(settings.curl);
  SteadyPacer pacer;
  PoliteClient client(http, pacer, clock, settings.polite, settings.jitter_seed, &std::cerr);
  Syncer syncer(store, importer, client, settings.sync);
  Result<SyncSummary> sum = syncer.Run();
  if (!sum.ok()) return Fail(sum.status(), "sync");
  PrintRejects(sum->import, args.Get("--rejects", ""));
  std::cout << "sync: " << sum->ToString() << std::endl;
  if (seeded + sum->import.added + sum->import.updated + sum->import.historical > 0 && !args.Has("--no-index")) {
    if (int rc = refresh_index(); rc != kExitOk) return rc;
  }
  return sum->import.rejected + seed_rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace ts
