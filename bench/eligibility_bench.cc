// Eligibility benchmark and corpus report.
//   eligibility_bench [PATH...]      (default ../shared/data/ctgov)
// Reads every study (API v2 JSON, legacy XML, zips), splits and parses its criteria, and prints:
// studies/s for parsing, the share of top-level criteria typed (wholly or in part) by rule kind,
// and the time to pre-screen one patient against every study with the rules compiled once.
#include <array>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>

#include "common/strings.h"
#include "eligibility/match_plan.h"
#include "eligibility/screening.h"
#include "ingest/ctgov_json.h"
#include "ingest/ctgov_xml.h"
#include "ingest/derive_study.h"
#include "ingest/record_source.h"

namespace ts {
namespace {

using Clock = std::chrono::steady_clock;

struct Collector : RecordVisitor {
  std::vector<Study> studies;
  StudyRecordReader records;
  size_t bad = 0;
  void OnRecord(RawRecord r) override {
    Result<Study> s = records.Parse(r.format, r.text);
    if (s.ok()) studies.push_back(std::move(*s));
    else ++bad;
  }
  void OnBadInput(const std::string&, const Status&) override { ++bad; }
  void OnSkipped(const std::string&, std::string_view) override {}
};

void Kinds(const Rule& r, std::map<std::string, int>* seen) {
  if (r.children.empty()) {
    (*seen)[std::string(RuleKindName(r.kind))] = 1;
    return;
  }
  for (const Rule& c : r.children) Kinds(c, seen);
}

void Reasons(const Rule& r, std::map<std::string, int>* seen) {
  if (r.kind == RuleKind::kNotComputable) (*seen)[std::string(UncertaintyName(r.why))] = 1;
  for (const Rule& c : r.children) Reasons(c, seen);
}

int Main(int argc, char** argv) {
  std::vector<std::string> paths(argv + 1, argv + argc);
  bool smoke = false;
  std::erase_if(paths, [&](const std::string& p) { return p == "--smoke" ? (smoke = true) : false; });
  if (paths.empty()) paths.push_back(std::string(TS_SHARED_DIR) + "/data/ctgov");
  if (!std::filesystem::exists(paths[0])) {
    std::cout << "eligibility_bench: " << paths[0] << " not found, skipped\n";
    return 0;
  }
  Collector c;
  if (Status s = RecordScanner().Scan(paths, c); !s.ok()) {
    std::cerr << s.ToString() << "\n";
    return 1;
  }
  if (smoke && c.studies.size() > 500) c.studies.resize(500);
  auto load_start = Clock::now();
  auto concepts = ConceptTable::Builtin();
  if (!concepts.ok()) return 1;
  std::cout << "concept table with the vocabulary graph: loaded in "
            << std::chrono::duration<double, std::milli>(Clock::now() - load_start).count() << " ms\n";
  CriteriaParser parser(*concepts);
  auto t0 = Clock::now();
  std::vector<CompiledStudy> compiled;
  compiled.reserve(c.studies.size());
  for (const Study& s : c.studies) compiled.push_back(CompileStudy(s, parser));
  double parse_s = std::chrono::duration<double>(Clock::now() - t0).count();

  size_t criteria = 0, typed = 0, whole = 0;
  // A bare list heading ("PATIENT CHARACTERISTICS:", "Hematopoietic:") with no nested items states nothing of its own:
  // also reported apart, so that the shares can be read both ways.
  size_t headings = 0, typed_headings = 0, whole_headings = 0;
  std::map<std::string, size_t> by_kind;
  std::map<std::string, std::array<size_t, 3>> by_section;  // inclusion / exclusion: criteria, typed, whole
  std::map<std::string, size_t> reasons;                      // untyped criteria by the reasons in them
  for (const CompiledStudy& cs : compiled) {
    std::vector<bool> has_items(cs.criteria.size(), false);
    for (const CompiledCriterion& cc : cs.criteria) {
      if (cc.parent >= 0 && static_cast<size_t>(cc.parent) < has_items.size()) has_items[cc.parent] = true;
    }
    for (size_t i = 0; i < cs.criteria.size(); ++i) {
      const CompiledCriterion& cc = cs.criteria[i];
      if (cc.parent >= 0 || cc.label == "age" || cc.label == "sex") continue;
      ++criteria;
      std::string_view text = Trim(cc.text);
      if (!has_items[i] && !text.empty() && text.back() == ':') {
        ++headings;
        typed_headings += cc.computable;
        whole_headings += cc.rule.IsComputable();
      }
      if (cc.computable) ++typed;
      if (cc.rule.IsComputable()) ++whole;
      std::map<std::string, int> seen;
      Kinds(cc.rule, &seen);
      for (const auto& [k, v] : seen) by_kind[k] += static_cast<size_t>(v);
      auto& sec = by_section[std::string(CriterionKindName(cc.kind))];
      ++sec[0];
      sec[1] += cc.computable;
      sec[2] += cc.rule.IsComputable();
      if (!cc.computable) {
        std::map<std::string, int> why;
        Reasons(cc.rule, &why);
        for (const auto& [k, v] : why) reasons[k] += static_cast<size_t>(v);
      }
    }
  }
  std::cout << "studies: " << c.studies.size() << " (unreadable records: " << c.bad << ")\n";
  std::cout << "parse: " << parse_s << " s, " << static_cast<double>(c.studies.size()) / parse_s << " studies/s\n";
  auto pct = [&](size_t n) { return criteria ? 100.0 * static_cast<double>(n) / static_cast<double>(criteria) : 0.0; };
  std::cout << "criteria: " << criteria << "; with a typed rule: " << typed << " (" << pct(typed)
            << "%); wholly typed: " << whole << " (" << pct(whole) << "%)\n";
  const size_t content = criteria - headings;
  auto pct_content = [&](size_t n) { return content ? 100.0 * static_cast<double>(n) / static_cast<double>(content) : 0.0; };
  std::cout << "bare list headings (end in ':', no nested items): " << headings << " (" << pct(headings)
            << "%); without them: " << content << " criteria, with a typed rule " << pct_content(typed - typed_headings)
            << "%, wholly typed " << pct_content(whole - whole_headings) << "%\n";
  std::cout << "criteria holding each rule kind:\n";
  for (const auto& [k, n] : by_kind) std::cout << "  " << k << ": " << n << " (" << pct(n) << "%)\n";
  for (const auto& [k, v] : by_section) {
    std::cout << k << ": " << v[0] << " criteria; with a typed rule " << 100.0 * static_cast<double>(v[1]) / static_cast<double>(v[0])
              << "%; wholly typed " << 100.0 * static_cast<double>(v[2]) / static_cast<double>(v[0]) << "%\n";
  }
  std::cout << "untyped criteria holding each reason (a criterion may hold several):\n";
  for (const auto& [k, n] : reasons) std::cout << "  " << k << ": " << n << " (" << pct(n) << "%)\n";

  Patient p;
  p.birth_date = *PartialDate::Parse("1968-04-12");
  p.sex = "female";
  p.observations.push_back({"labs[0]", "platelets", "platelets", 35, "10*9/L", std::nullopt, std::nullopt,
                            *PartialDate::Parse("2026-11-14")});
  p.conditions.push_back({"conditions[0]", "ctit", {}, "CTIT", RecordStatus::kActive, *PartialDate::Parse("2026-11-01"), {}, false, {}});
  RuleEvaluator ev(*concepts, p, *PartialDate::Parse("2026-11-20"));
  int rounds = smoke ? 1 : 20;
  size_t eligible = 0, possibly = 0;
  auto t1 = Clock::now();
  for (int r = 0; r < rounds; ++r) {
    for (const CompiledStudy& cs : compiled) {
      int open = 0;
      Verdict v = QuickVerdict(cs, ev, &open);
      eligible += v == Verdict::kEligible;
      possibly += v == Verdict::kPossiblyEligible;
    }
  }
  double match_ms = std::chrono::duration<double, std::milli>(Clock::now() - t1).count() / rounds;
  std::cout << "match one patient against " << compiled.size() << " studies: " << match_ms << " ms ("
            << match_ms / static_cast<double>(compiled.size()) * 1e6 << " ns/study; eligible " << eligible / rounds
            << ", possibly " << possibly / rounds << ")\n";

  // The match path the service uses: every distinct leaf once, then flattened trees (MatchPlan).
  auto match_with_plan = [&](const MatchPlan& plan, const char* what) {
    size_t pe = 0, pp = 0;
    auto t = Clock::now();
    for (int r = 0; r < rounds; ++r) {
      MatchPlan::Truths truths = plan.EvaluateLeaves(ev);
      for (size_t i = 0; i < plan.study_count(); ++i) {
        int open = 0;
        Verdict v = plan.VerdictOf(truths, i, &open);
        pe += v == Verdict::kEligible;
        pp += v == Verdict::kPossiblyEligible;
      }
    }
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - t).count() / rounds;
    auto t_leaves = Clock::now();
    for (int r = 0; r < rounds; ++r) (void)plan.EvaluateLeaves(ev);
    double leaves_ms = std::chrono::duration<double, std::milli>(Clock::now() - t_leaves).count() / rounds;
    std::cout << "match with MatchPlan, " << what << ": " << plan.study_count() << " studies, " << plan.leaf_count()
              << " distinct leaves, " << plan.node_count() << " nodes: " << ms << " ms (leaves " << leaves_ms << " ms; "
              << (ms - leaves_ms) / static_cast<double>(plan.study_count()) * 1e6 << " ns/study; eligible " << pe / rounds
              << ", possibly " << pp / rounds << ")\n";
    return std::make_pair(pe / rounds, pp / rounds);
  };
  MatchPlan plan;
  auto tb = Clock::now();
  for (const CompiledStudy& cs : compiled) plan.Add(cs);
  std::cout << "MatchPlan build: " << std::chrono::duration<double, std::milli>(Clock::now() - tb).count() << " ms\n";
  auto counts = match_with_plan(plan, "the corpus");
  if (counts != std::make_pair(eligible / rounds, possibly / rounds)) {
    std::cerr << "MatchPlan verdicts differ from QuickVerdict\n";
    return 1;
  }
  // 500,000 studies: the corpus repeated. Leaves repeat too, so this measures the per-study part; the
  // per-leaf part of a real registry that size is bounded above by (leaves of the corpus) x 69.
  MatchPlan big;
  size_t target = smoke ? 50'000 : 500'000;
  while (big.study_count() < target) big.Add(compiled[big.study_count() % compiled.size()]);
  match_with_plan(big, "the corpus repeated");
  return 0;
}

}  // namespace
}  // namespace ts

int main(int argc, char** argv) { return ts::Main(argc, argv); }
