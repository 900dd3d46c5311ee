#include "corpus_gen.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

#include "ingest/ctgov_json.h"
#include "ingest/ctgov_xml.h"
#include "ingest/derive_study.h"
#include "ingest/record_source.h"

namespace ts {

namespace {

struct Collector : RecordVisitor {
  std::vector<Study> studies;
  StudyRecordReader records;
  void OnRecord(RawRecord r) override {
    auto s = records.Parse(r.format, r.text);
    if (s.ok()) studies.push_back(std::move(*s));
  }
  void OnBadInput(const std::string&, const Status&) override {}
  void OnSkipped(const std::string&, std::string_view) override {}
};

constexpr OverallStatus kStatuses[] = {OverallStatus::kRecruiting,    OverallStatus::kCompleted,
                                       OverallStatus::kNotYetRecruiting, OverallStatus::kActiveNotRecruiting,
                                       OverallStatus::kTerminated,    OverallStatus::kUnknown,
                                       OverallStatus::kWithdrawn,     OverallStatus::kCompleted};

}  // namespace

Result<CorpusGenerator> CorpusGenerator::FromPaths(const std::vector<std::string>& paths, uint64_t seed) {
  Collector c;
  TS_RETURN_IF_ERROR(RecordScanner().Scan(paths, c));
  if (c.studies.empty()) return Status::NotFound("no study templates under the given paths");
  CorpusGenerator g;
  g.seed_ = seed;
  g.templates_ = std::move(c.studies);
  std::map<std::string, int> counts;
  for (const Study& s : g.templates_) {
    std::string text = s.identification.brief_title;
    for (const auto& cnd : s.conditions) text += " " + cnd;
    std::string w;
    for (char ch : text + " ") {
      if (std::isalpha(static_cast<unsigned char>(ch))) {
        w += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      } else {
        if (w.size() >= 5) ++counts[w];
        w.clear();
      }
    }
    for (const auto& l : s.locations)
      if (l.geo_point) g.sites_.push_back(*l.geo_point);
  }
  // Words seen at least 3 times: queries that real users could type, common and rare.
  for (const auto& [word, n] : counts)
    if (n >= 3) g.vocabulary_.push_back(word);
  return g;
}

Study CorpusGenerator::Make(uint64_t i) const {
  uint64_t r = SplitMix64(seed_ ^ (i * 0x9e3779b97f4a7c15ull));
  const size_t n = templates_.size();
  Study s = templates_[r % n];
  char id[16];
  std::snprintf(id, sizeof(id), "NCT%08llu", static_cast<unsigned long long>(i % 100000000ull));
  s.identification.nct_id = id;
  s.identification.nct_id_aliases.clear();
  r = SplitMix64(r);
  // Mix in a condition and an intervention from other templates.
  const Study& other = templates_[r % n];
  if (!other.conditions.empty()) s.conditions.push_back(other.conditions[r % other.conditions.size()]);
  r = SplitMix64(r);
  const Study& third = templates_[r % n];
  if (!third.interventions.empty() && (r & 1)) s.interventions.push_back(third.interventions[(r >> 1) % third.interventions.size()]);
  r = SplitMix64(r);
  s.status.overall_status = kStatuses[r % 8];
  // Sites keep their cities; coordinates are drawn from real sites, so distance queries find them.
  for (auto& l : s.locations) {
    r = SplitMix64(r);
    if (!sites_.empty() && (r % 4 != 0)) l.geo_point = sites_[(r >> 2) % sites_.size()];
  }
  return s;
}

}  // namespace ts
