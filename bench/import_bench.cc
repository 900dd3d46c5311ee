// Import benchmark: runs `trialscope import` as a child process on a corpus and reports studies/s
// and the child's peak RSS (from wait4). Usage:
//   import_bench [--smoke] [--scale N] [--bin PATH] [--corpus DIR]
//   --smoke     the seed fixtures only (CI)
//   --scale N   also build a corpus N times the shared one by rewriting the NCT IDs of its real
//               records (copy k turns "NCT0" into "NCT<k>"), and import that
#include <archive.h>
#include <archive_entry.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "ingest/record_source.h"

namespace fs = std::filesystem;

namespace {

struct RunResult {
  int exit_code = -1;
  double seconds = 0;
  long peak_rss_kb = 0;
  std::string summary;
};

RunResult RunImport(const std::string& bin, const std::string& db, const std::vector<std::string>& paths) {
  std::string out_path = db + ".out";
  // --no-index: the import alone (the search-index refresh that follows an import holds the index in
  // memory by design and is measured by search_bench).
  std::vector<std::string> args = {bin, "import", "--quiet", "--no-index", "--db", db};
  args.insert(args.end(), paths.begin(), paths.end());
  std::fflush(stdout);  // the child must not inherit (and repeat) our buffered output
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    FILE* f = std::freopen(out_path.c_str(), "w", stdout);
    (void)f;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  RunResult r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.peak_rss_kb = usage.ru_maxrss;
  std::ifstream in(out_path);
  std::getline(in, r.summary);
  return r;
}

// Writes `scale` copies of every record under `src` into dir: XML into copies.zip, JSON into copies.ndjson.
struct CopyWriter : ts::RecordVisitor {
  archive* zip = nullptr;
  std::ofstream ndjson;
  int copy = 0;
  long records = 0;
  void OnRecord(ts::RawRecord r) override {
    std::string text = r.text;
    std::string to = "NCT" + std::to_string(copy);
    for (size_t p = text.find("NCT0"); p != std::string::npos; p = text.find("NCT0", p + 4)) text.replace(p, 4, to);
    ++records;
    if (r.format != ts::RecordFormat::kCtgovXml) {  // API v2 or v1 JSON: one line each
      for (char& c : text)
        if (c == '\n' || c == '\r') c = ' ';
      ndjson << text << '\n';
      return;
    }
    std::string name = "copy" + std::to_string(copy) + "/" + std::to_string(records) + ".xml";
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(text.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(zip, e);
    archive_write_data(zip, text.data(), text.size());
    archive_entry_free(e);
  }
  void OnBadInput(const std::string& o, const ts::Status& s) override { std::cerr << o << ": " << s.message() << "\n"; }
  void OnSkipped(const std::string&, std::string_view) override {}
};

void BuildScaledCorpus(const std::string& src, const std::string& dir, int scale) {
  fs::create_directories(dir);
  CopyWriter w;
  w.zip = archive_write_new();
  archive_write_set_format_zip(w.zip);
  archive_write_open_filename(w.zip, (dir + "/copies.zip").c_str());
  w.ndjson.open(dir + "/copies.ndjson");
  for (int k = 1; k < scale; ++k) {
    w.copy = k;
    (void)ts::RecordScanner().Scan({src}, w);
  }
  archive_write_close(w.zip);
  archive_write_free(w.zip);
}

void Report(const char* label, long studies, const RunResult& r) {
  std::printf("%-34s %8ld studies  %7.2f s  %7.0f studies/s  peak RSS %6.1f MB  exit %d\n", label, studies, r.seconds,
              static_cast<double>(studies) / r.seconds, static_cast<double>(r.peak_rss_kb) / 1024.0, r.exit_code);
  std::printf("    %s\n", r.summary.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  bool smoke = false;
  int scale = 10;
  std::string bin = (fs::path(argv[0]).parent_path() / "../apps/trialscope").lexically_normal().string();
  std::string source_dir = fs::path(__FILE__).parent_path().parent_path().string();
  std::string corpus = source_dir + "/../shared/data/ctgov";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--smoke") smoke = true;
    else if (a == "--scale" && i + 1 < argc) scale = std::atoi(argv[++i]);
    else if (a == "--bin" && i + 1 < argc) bin = argv[++i];
    else if (a == "--corpus" && i + 1 < argc) corpus = argv[++i];
    else {
      std::cerr << "usage: import_bench [--smoke] [--scale N] [--bin PATH] [--corpus DIR]\n";
      return 2;
    }
  }
  std::string tmp = (fs::temp_directory_path() / ("trialscope-bench-" + std::to_string(getpid()))).string();
  fs::create_directories(tmp);
  std::printf("import benchmark: one process, one core (the importer is single-threaded)\n");
  int rc = 0;
  if (smoke || !fs::exists(corpus)) {
    if (!smoke) std::printf("%s is absent: running the smoke benchmark on the seed fixtures\n", corpus.c_str());
    RunResult r = RunImport(bin, tmp + "/smoke.db", {source_dir + "/tests/fixtures"});
    // The fixtures grow with the tests: count the records the import read rather than a fixed number.
    long read = 0;
    if (size_t at = r.summary.find("read "); at != std::string::npos) read = std::atol(r.summary.c_str() + at + 5);
    Report("test fixtures (records read)", read, r);
    rc = r.exit_code == 0 ? 0 : 1;
  } else {
    RunResult r = RunImport(bin, tmp + "/full.db", {corpus});
    Report("shared corpus (7,263 records)", 7263, r);
    RunResult again = RunImport(bin, tmp + "/full.db", {corpus});
    Report("shared corpus, re-import", 7263, again);
    if (scale > 1) {
      BuildScaledCorpus(corpus, tmp + "/scaled", scale);
      RunResult big = RunImport(bin, tmp + "/scaled.db", {corpus, tmp + "/scaled"});
      Report((std::to_string(scale) + "x corpus (IDs rewritten)").c_str(), 7263L * scale, big);
    }
  }
  std::error_code ec;
  fs::remove_all(tmp, ec);
  return rc;
}
