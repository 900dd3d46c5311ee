// Search benchmark: our engine vs Xapian vs SQLite FTS5 on the same generated corpus and the same
// queries, in one run. Prints build time, index size, memory and p50/p99 latency per engine.
//   search_bench [--studies N] [--queries M] [--corpus DIR] [--engines ours,xapian,fts5] [--dump PREFIX]
//                [--index PATH] [--smoke]
// --index PATH keeps our snapshot at PATH and, when it exists, loads it instead of building (so query
// changes can be timed without a rebuild; the snapshot must come from the same --studies).
// Queries: 1-3 words from the corpus vocabulary, in query.term or query.cond; 30% with a status
// filter and status/phase facets, 20% with a phase filter, 10% with a 50 km distance filter.
// Every engine returns the top 10 by BM25 and the exact total count.
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/strings.h"
#include "corpus_gen.h"
#include "search/searcher.h"

namespace fs = std::filesystem;
using namespace ts;

namespace {

struct BenchQuery {
  bool cond_area = false;
  std::vector<std::string> words;
  std::optional<OverallStatus> status;
  std::optional<Phase> phase;
  bool facets = false;
  std::optional<GeoFilter> geo;
};

std::vector<BenchQuery> MakeQueries(const CorpusGenerator& gen, size_t n) {
  std::vector<BenchQuery> out;
  const auto& vocab = gen.vocabulary();
  for (size_t i = 0; i < n; ++i) {
    uint64_t r = SplitMix64(gen.seed() * 7919 + i);
    BenchQuery q;
    q.cond_area = (r % 3) == 0;
    size_t words = 1 + (r >> 8) % 3;
    for (size_t w = 0; w < words; ++w) {
      r = SplitMix64(r);
      q.words.push_back(vocab[r % vocab.size()]);
    }
    uint64_t kind = SplitMix64(r) % 10;
    if (kind < 3) {
      q.status = OverallStatus::kRecruiting;
      q.facets = true;
    } else if (kind < 5) {
      q.phase = Phase::kPhase2;
    } else if (kind == 5 && !gen.sites().empty()) {
      const GeoPoint& p = gen.sites()[SplitMix64(r + 1) % gen.sites().size()];
      q.geo = GeoFilter{p.lat, p.lon, 50};
      q.words.resize(1);
    }
    out.push_back(std::move(q));
  }
  return out;
}

double RssMb() {
  std::ifstream in("/proc/self/statm");
  long pages = 0, resident = 0;
  in >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

uint64_t DirBytes(const std::string& path) {
  uint64_t total = 0;
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return fs::file_size(path, ec);
  for (const auto& e : fs::recursive_directory_iterator(path, ec))
    if (e.is_regular_file(ec)) total += e.file_size(ec);
  return total;
}

// The text every engine indexes, per field.
struct Texts {
  std::string title, cond, intr, summary, elig;
};
Texts TextsOf(const Study& s) {
  Texts t;
  t.title = s.identification.brief_title + " " + s.identification.official_title;
  for (const auto& c : s.conditions) t.cond += c + ". ";
  for (const auto& k : s.keywords) t.cond += k + ". ";
  for (const auto& m : s.condition_meshes) t.cond += m.term + ". ";
  for (const auto& iv : s.interventions) {
    t.intr += iv.name + ". ";
    for (const auto& o : iv.other_names) t.intr += o + ". ";
  }
  t.summary = s.brief_summary + "\n" + s.detailed_description;
  t.elig = s.eligibility.criteria;
  return t;
}

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string name() const = 0;
  virtual void Add(uint32_t id, const Study& s) = 0;
  virtual void Finish() = 0;
  virtual int64_t Run(const BenchQuery& q) = 0;  // returns the total count
  virtual uint64_t SizeBytes() const = 0;
  // True if the index was loaded ready-made (then Add and Finish are not called).
  virtual bool Prebuilt() { return false; }
};

// ---- ours
class OurEngine : public Engine {
 public:
  std::string name() const override { return "trialscope"; }
  void Add(uint32_t, const Study& s) override { index_.Add(s.identification.nct_id, s); }
  void Finish() override { index_.Finalize(); }
  int64_t Run(const BenchQuery& q) override {
    SearchRequest r;
    r.queries.emplace_back(q.cond_area ? "query.cond" : "query.term", Join(q.words, " "));
    if (q.status) r.filters.statuses = {*q.status};
    if (q.phase) r.filters.phases = {*q.phase};
    if (q.facets) r.facets = {"overallStatus", "phase"};
    r.filters.geo = q.geo;
    r.explain = false;
    auto res = Searcher(index_).Search(r);
    return res.ok() ? res->total : -1;
  }
  uint64_t SizeBytes() const override { return index_.MemoryBytes(); }

  // --index PATH: load the snapshot at PATH if it exists (to time queries without rebuilding).
  explicit OurEngine(std::string index_path = "") : index_path_(std::move(index_path)) {}
  bool Prebuilt() override {
    if (index_path_.empty() || !fs::exists(index_path_)) return false;
    auto mapped = MappedFile::Open(index_path_);
    if (!mapped.ok()) return false;
    file_ = std::make_shared<const MappedFile>(std::move(*mapped));
    BinaryReader r(file_->data());
    Status st = index_.Load(&r, file_);
    if (!st.ok()) std::cerr << index_path_ << ": " << st.ToString() << "\n";
    return st.ok();
  }
  bool loaded() const { return file_ != nullptr; }
  // Keeps the snapshot at --index PATH for the next run.
  void Keep() const {
    if (index_path_.empty() || file_) return;
    BinaryWriter w;
    index_.Save(&w);
    std::ofstream out(index_path_, std::ios::binary);
    out.write(w.data().data(), static_cast<std::streamsize>(w.data().size()));
  }

  // Writes the index snapshot and times loading it back (what a restart costs).
  void MeasureSnapshot(const std::string& path) const {
    BinaryWriter w;
    index_.Save(&w);
    {
      std::ofstream out(path, std::ios::binary);
      out.write(w.data().data(), static_cast<std::streamsize>(w.data().size()));
    }
    size_t bytes = w.data().size();
    w.data().clear();
    w.data().shrink_to_fit();
    auto t0 = std::chrono::steady_clock::now();
    auto mapped = MappedFile::Open(path);  // as SearchService::LoadSnapshot does
    if (!mapped.ok()) return;
    auto file = std::make_shared<const MappedFile>(std::move(*mapped));
    BinaryReader r(file->data());
    SearchIndex loaded;
    Status st = loaded.Load(&r, file);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("snapshot: %.1f MB, loaded in %.2f s (%s)\n", static_cast<double>(bytes) / (1024.0 * 1024.0), secs,
                st.ok() ? "ok" : st.ToString().c_str());
    std::error_code ec;
    fs::remove(path, ec);
  }

 private:
  std::string index_path_;
  std::shared_ptr<const MappedFile> file_;
  SearchIndex index_;
};

// ---- Xapian
class XapianEngine : public Engine {
 public:
  explicit XapianEngine(std::string dir) : dir_(std::move(dir)), db_(dir_, Xapian::DB_CREATE_OR_OVERWRITE) {
    tg_.set_stemmer(Xapian::Stem("english"));
    tg_.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  }
  std::string name() const override { return "xapian"; }
  void Add(uint32_t, const Study& s) override {
    Texts t = TextsOf(s);
    Xapian::Document doc;
    tg_.set_document(doc);
    tg_.index_text(t.title, 3);
    tg_.increase_termpos();
    tg_.index_text(t.cond, 2);
    tg_.index_text(t.cond, 1, "XC");
    tg_.increase_termpos();
    tg_.index_text(t.intr, 2);
    tg_.increase_termpos();
    tg_.index_text(t.summary);
    tg_.increase_termpos();
    tg_.index_text(t.elig);
    std::string status = s.status.overall_status ? std::string(ApiName(*s.status.overall_status)) : "";
    doc.add_boolean_term("XS" + status);
    std::string phases;
    for (Phase p : s.design.phases) {
      doc.add_boolean_term("XP" + std::string(ApiName(p)));
      phases += std::string(ApiName(p)) + " ";
    }
    doc.add_value(0, status);
    doc.add_value(1, phases);
    Xapian::LatLongCoords coords;
    for (const auto& l : s.locations)
      if (l.geo_point) coords.append(Xapian::LatLongCoord(l.geo_point->lat, l.geo_point->lon));
    if (!coords.empty()) doc.add_value(2, coords.serialise());
    db_.add_document(doc);
  }
  void Finish() override {
    db_.commit();
    rdb_ = Xapian::Database(dir_);
    qp_.set_stemmer(Xapian::Stem("english"));
    qp_.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp_.set_default_op(Xapian::Query::OP_AND);
    qp_.set_database(rdb_);
  }
  int64_t Run(const BenchQuery& q) override {
    Xapian::Query query = qp_.parse_query(Join(q.words, " "), Xapian::QueryParser::FLAG_DEFAULT, q.cond_area ? "XC" : "");
    if (q.status) query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query("XS" + std::string(ApiName(*q.status))));
    if (q.phase) query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query("XP" + std::string(ApiName(*q.phase))));
    std::unique_ptr<Xapian::LatLongDistancePostingSource> geo;
    if (q.geo) {
      geo = std::make_unique<Xapian::LatLongDistancePostingSource>(
          2, Xapian::LatLongCoords(Xapian::LatLongCoord(q.geo->lat, q.geo->lon)), Xapian::GreatCircleMetric(),
          q.geo->radius_km * 1000);
      query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(geo.get()));
    }
    Xapian::Enquire enq(rdb_);
    enq.set_query(query);
    Xapian::ValueCountMatchSpy s0(0), s1(1);
    if (q.facets) {
      enq.add_matchspy(&s0);
      enq.add_matchspy(&s1);
    }
    // checkatleast = all documents: an exact total and exact facets, as the other engines give.
    Xapian::MSet m = enq.get_mset(0, 10, rdb_.get_doccount());
    return static_cast<int64_t>(m.get_matches_estimated());
  }
  uint64_t SizeBytes() const override { return DirBytes(dir_); }

 private:
  std::string dir_;
  Xapian::WritableDatabase db_;
  Xapian::Database rdb_;
  Xapian::TermGenerator tg_;
  Xapian::QueryParser qp_;
};

// ---- SQLite FTS5
void Haversine(sqlite3_context* ctx, int, sqlite3_value** v) {
  sqlite3_result_double(ctx, HaversineKm(sqlite3_value_double(v[0]), sqlite3_value_double(v[1]),
                                         sqlite3_value_double(v[2]), sqlite3_value_double(v[3])));
}

class Fts5Engine : public Engine {
 public:
  explicit Fts5Engine(std::string path) : path_(std::move(path)) {
    fs::remove(path_);
    sqlite3_open(path_.c_str(), &db_);
    sqlite3_create_function(db_, "km", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, Haversine, nullptr, nullptr);
    Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
         "CREATE VIRTUAL TABLE docs USING fts5(title, cond, intr, summary, elig, tokenize='porter unicode61');"
         "CREATE TABLE meta(id INTEGER PRIMARY KEY, status TEXT, phases TEXT);"
         "CREATE TABLE sites(id INTEGER, lat REAL, lon REAL); BEGIN;");
    sqlite3_prepare_v2(db_, "INSERT INTO docs(rowid, title, cond, intr, summary, elig) VALUES(?,?,?,?,?,?)", -1, &ins_doc_, nullptr);
    sqlite3_prepare_v2(db_, "INSERT INTO meta(id, status, phases) VALUES(?,?,?)", -1, &ins_meta_, nullptr);
    sqlite3_prepare_v2(db_, "INSERT INTO sites(id, lat, lon) VALUES(?,?,?)", -1, &ins_site_, nullptr);
  }
  ~Fts5Engine() override {
    for (sqlite3_stmt* s : {ins_doc_, ins_meta_, ins_site_}) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  std::string name() const override { return "sqlite-fts5"; }
  void Add(uint32_t id, const Study& s) override {
    Texts t = TextsOf(s);
    sqlite3_reset(ins_doc_);
    sqlite3_bind_int64(ins_doc_, 1, id + 1);
    const std::string* cols[] = {&t.title, &t.cond, &t.intr, &t.summary, &t.elig};
    for (int c = 0; c < 5; ++c) sqlite3_bind_text(ins_doc_, c + 2, cols[c]->data(), static_cast<int>(cols[c]->size()), SQLITE_STATIC);
    sqlite3_step(ins_doc_);
    std::string phases;
    for (Phase p : s.design.phases) phases += std::string(ApiName(p)) + " ";
    std::string status = s.status.overall_status ? std::string(ApiName(*s.status.overall_status)) : "";
    sqlite3_reset(ins_meta_);
    sqlite3_bind_int64(ins_meta_, 1, id + 1);
    sqlite3_bind_text(ins_meta_, 2, status.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins_meta_, 3, phases.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(ins_meta_);
    for (const auto& l : s.locations) {
      if (!l.geo_point) continue;
      sqlite3_reset(ins_site_);
      sqlite3_bind_int64(ins_site_, 1, id + 1);
      sqlite3_bind_double(ins_site_, 2, l.geo_point->lat);
      sqlite3_bind_double(ins_site_, 3, l.geo_point->lon);
      sqlite3_step(ins_site_);
    }
  }
  void Finish() override {
    Exec("COMMIT; CREATE INDEX sites_lat ON sites(lat); CREATE INDEX meta_status ON meta(status);"
         "INSERT INTO docs(docs) VALUES('optimize');");
  }
  int64_t Run(const BenchQuery& q) override {
    std::string match;
    for (const auto& w : q.words) match += (match.empty() ? "\"" : " AND \"") + w + "\"";
    if (q.cond_area) match = "cond : (" + match + ")";
    std::string where = "docs MATCH ?1";
    if (q.status) where += " AND meta.status = '" + std::string(ApiName(*q.status)) + "'";
    if (q.phase) where += " AND meta.phases LIKE '%" + std::string(ApiName(*q.phase)) + " %'";
    if (q.geo) {
      double dlat = q.geo->radius_km / 111.0;
      char buf[256];
      std::snprintf(buf, sizeof(buf),
                    " AND docs.rowid IN (SELECT id FROM sites WHERE lat BETWEEN %f AND %f AND km(lat, lon, %f, %f) <= %f)",
                    q.geo->lat - dlat, q.geo->lat + dlat, q.geo->lat, q.geo->lon, q.geo->radius_km);
      where += buf;
    }
    std::string from = " FROM docs JOIN meta ON meta.id = docs.rowid WHERE " + where;
    int64_t total = Scalar("SELECT count(*)" + from, match);
    Scalar("SELECT count(*) FROM (SELECT docs.rowid" + from + " ORDER BY bm25(docs, 3.0, 2.5, 2.0, 1.0, 0.5) LIMIT 10)", match);
    if (q.facets) {
      Scalar("SELECT count(*) FROM (SELECT meta.status, count(*)" + from + " GROUP BY meta.status)", match);
      Scalar("SELECT count(*) FROM (SELECT meta.phases, count(*)" + from + " GROUP BY meta.phases)", match);
    }
    return total;
  }
  uint64_t SizeBytes() const override { return DirBytes(path_) + DirBytes(path_ + "-wal"); }

 private:
  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::cerr << "fts5: " << (err ? err : "?") << "\n";
      sqlite3_free(err);
    }
  }
  int64_t Scalar(const std::string& sql, const std::string& match) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr);
    sqlite3_bind_text(s, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return v;
  }
  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt *ins_doc_ = nullptr, *ins_meta_ = nullptr, *ins_site_ = nullptr;
};

struct Report {
  std::string engine;
  double build_s = 0, finish_s = 0, generate_s = 0, size_mb = 0, rss_mb = 0, p50_ms = 0, p99_ms = 0, mean_ms = 0;
  int64_t total_hits = 0;
  std::string by_class;  // p50/p99 per query class
};

const char* ClassOf(const BenchQuery& q) {
  if (q.geo) return "distance";
  if (q.facets) return "filter+facets";
  if (q.phase) return "phase filter";
  return "text only";
}

std::pair<double, double> P50P99(std::vector<double> ms) {
  if (ms.empty()) return {0, 0};
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]};
}

Report Measure(Engine& e, const CorpusGenerator& gen, size_t studies, const std::vector<BenchQuery>& queries,
               const std::string& dump_path) {
  Report r;
  r.engine = e.name();
  double rss0 = RssMb();
  // Build time is indexing time: generating each study (copying a template) is not counted.
  double indexing_s = 0, generating_s = 0;
  const bool prebuilt = e.Prebuilt();
  if (prebuilt) std::printf("%s: index loaded ready-made (--index): build time not measured\n", e.name().c_str());
  for (size_t i = 0; i < studies && !prebuilt; ++i) {
    auto g0 = std::chrono::steady_clock::now();
    Study s = gen.Make(i);
    auto a0 = std::chrono::steady_clock::now();
    e.Add(static_cast<uint32_t>(i), s);
    auto a1 = std::chrono::steady_clock::now();
    generating_s += std::chrono::duration<double>(a0 - g0).count();
    indexing_s += std::chrono::duration<double>(a1 - a0).count();
  }
  auto f0 = std::chrono::steady_clock::now();
  if (!prebuilt) e.Finish();
  r.finish_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - f0).count();
  r.build_s = indexing_s + r.finish_s;
  r.generate_s = generating_s;
  r.rss_mb = RssMb() - rss0;
  r.size_mb = static_cast<double>(e.SizeBytes()) / (1024.0 * 1024.0);
  std::vector<double> ms;
  std::map<std::string, std::vector<double>> per_class;
  // Warm-up; a mapped snapshot is first touched by all queries, so timings compare with a built index.
  for (size_t i = 0; i < (prebuilt ? queries.size() : std::min<size_t>(20, queries.size())); ++i) e.Run(queries[i]);
  std::ofstream dump;
  if (!dump_path.empty()) dump.open(dump_path + "." + e.name() + ".tsv");
  for (const auto& q : queries) {
    auto a = std::chrono::steady_clock::now();
    int64_t total = e.Run(q);
    r.total_hits += total;
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
    per_class[ClassOf(q)].push_back(ms.back());
    if (dump) {
      dump << ms.back() << '\t' << total << '\t' << ClassOf(q) << '\t' << (q.cond_area ? "query.cond" : "query.term") << '\t'
           << Join(q.words, " ") << '\t';
      if (q.geo) dump << q.geo->lat << ',' << q.geo->lon << ',' << q.geo->radius_km;
      dump << '\n';
    }
  }
  for (const auto& [name, v] : per_class) {
    auto [p50, p99] = P50P99(v);
    char buf[128];
    std::snprintf(buf, sizeof(buf), "  %s (%zu): p50 %.3f ms, p99 %.3f ms;", name.c_str(), v.size(), p50, p99);
    r.by_class += buf;
  }
  std::sort(ms.begin(), ms.end());
  r.p50_ms = ms[ms.size() / 2];
  r.p99_ms = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
  double sum = 0;
  for (double x : ms) sum += x;
  r.mean_ms = sum / static_cast<double>(ms.size());
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  size_t studies = 500000, nqueries = 1000;
  std::string source_dir = fs::path(__FILE__).parent_path().parent_path().string();
  std::string corpus = source_dir + "/../shared/data/ctgov";
  std::string engines = "ours,xapian,fts5";
  std::string index_path;  // --index PATH: our snapshot, reused when it exists (query timing only)
  // --dump PREFIX: per query, latency, total, class, area, words and distance filter to PREFIX.<engine>.tsv
  std::string dump;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--smoke") {
      studies = 2000;
      nqueries = 200;
    } else if (a == "--studies" && i + 1 < argc) {
      studies = std::stoul(argv[++i]);
    } else if (a == "--queries" && i + 1 < argc) {
      nqueries = std::stoul(argv[++i]);
    } else if (a == "--corpus" && i + 1 < argc) {
      corpus = argv[++i];
    } else if (a == "--dump" && i + 1 < argc) {
      dump = argv[++i];
    } else if (a == "--index" && i + 1 < argc) {
      index_path = argv[++i];
    } else if (a == "--engines" && i + 1 < argc) {
      engines = argv[++i];
    } else {
      std::cerr << "usage: search_bench [--studies N] [--queries M] [--corpus DIR] [--engines ours,xapian,fts5] [--dump PREFIX] [--index PATH] [--smoke]\n";
      return 2;
    }
  }
  if (!fs::exists(corpus)) corpus = source_dir + "/tests/fixtures";
  auto gen = CorpusGenerator::FromPaths({corpus}, 20261121);
  if (!gen.ok()) {
    std::cerr << gen.status().ToString() << "\n";
    return 1;
  }
  auto queries = MakeQueries(*gen, nqueries);
  std::string tmp = (fs::temp_directory_path() / ("trialscope-search-bench-" + std::to_string(getpid()))).string();
  fs::create_directories(tmp);
  std::printf("search benchmark: %zu studies generated from %zu templates, %zu queries, one thread\n", studies,
              gen->template_count(), queries.size());
  std::printf("%-12s %10s %10s %12s %11s %9s %9s %9s %12s\n", "engine", "build s", "docs/s", "index MB", "RSS +MB", "p50 ms",
              "p99 ms", "mean ms", "hits total");
  std::vector<Report> reports;
  auto run = [&](Engine& e) {
    Report r = Measure(e, *gen, studies, queries, dump);
    std::printf("%-12s %10.1f %10.0f %12.1f %11.1f %9.3f %9.3f %9.3f %12lld\n", r.engine.c_str(), r.build_s,
                static_cast<double>(studies) / r.build_s, r.size_mb, r.rss_mb, r.p50_ms, r.p99_ms, r.mean_ms,
                static_cast<long long>(r.total_hits));
    std::printf("%-12s%s\n", "", r.by_class.c_str());
    std::printf("%-12s  (build: adding %.1f s, finishing %.1f s; generating the studies took %.1f s more, not counted)\n", "",
                r.build_s - r.finish_s, r.finish_s, r.generate_s);
    std::fflush(stdout);
    reports.push_back(r);
  };
  if (engines.find("ours") != std::string::npos) {
    auto e = std::make_unique<OurEngine>(index_path);
    run(*e);
    if (!e->loaded()) e->MeasureSnapshot(tmp + "/index.snapshot");
    e->Keep();
  }
  if (engines.find("xapian") != std::string::npos) {
    auto e = std::make_unique<XapianEngine>(tmp + "/xapian");
    run(*e);
  }
  if (engines.find("fts5") != std::string::npos) {
    auto e = std::make_unique<Fts5Engine>(tmp + "/fts5.db");
    run(*e);
  }
  if (reports.size() > 1) {
    for (size_t i = 1; i < reports.size(); ++i) {
      std::printf("p50 speed-up of %s over %s: %.1fx\n", reports[0].engine.c_str(), reports[i].engine.c_str(),
                  reports[i].p50_ms / reports[0].p50_ms);
    }
  }
  std::error_code ec;
  fs::remove_all(tmp, ec);
  return 0;
}
