// Cohort files and per-arm endpoint rates (cohort.h).
#include <simdjson.h>

#include <cstdio>

#include "common/json_writer.h"
#include "common/strings.h"
#include "protocol/cohort.h"
#include "protocol/timeline.h"

namespace ts {
namespace {

constexpr size_t kMaxSubjects = 100000;

std::string Percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f%%", v * 100);
  return buf;
}

}  // namespace

Result<std::vector<CohortSubject>> ReadCohort(std::string_view ndjson, const ConceptTable& concepts, std::string_view source) {
  std::vector<CohortSubject> out;
  simdjson::dom::parser parser;
  size_t line_no = 0;
  for (std::string_view line : Split(ndjson, '\n')) {
    ++line_no;
    if (Trim(line).empty()) continue;
    std::string where = std::string(source) + ":" + std::to_string(line_no);
    if (out.size() >= kMaxSubjects) return Status::InvalidArgument(where + ": more than 100000 subjects");
    simdjson::dom::element doc;
    if (parser.parse(line.data(), line.size()).get(doc)) return Status::InvalidArgument(where + ": not a JSON object");
    simdjson::dom::object obj;
    if (doc.get_object().get(obj)) return Status::InvalidArgument(where + ": not a JSON object");
    CohortSubject s;
    std::string_view v;
    if (obj["arm"].get_string().get(v)) return Status::InvalidArgument(where + ": \"arm\" (a string) is required");
    s.arm = std::string(v);
    if (obj["start"].get_string().get(v)) return Status::InvalidArgument(where + ": \"start\" (a date) is required");
    auto d = PartialDate::Parse(v);
    if (!d.ok() || d->day == 0) return Status::InvalidArgument(where + ": start must be a date YYYY-MM-DD");
    s.start = *d;
    if (!obj["id"].get_string().get(v)) s.id = std::string(v);
    else s.id = "line " + std::to_string(line_no);
    simdjson::dom::element patient;
    if (obj["patient"].get(patient)) return Status::InvalidArgument(where + ": \"patient\" is required");
    auto p = ParsePatientJson(simdjson::minify(patient), concepts, where + " patient");
    if (!p.ok()) return p.status();
    s.patient = std::move(*p);
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<EndpointRate>> CohortRates(const Protocol& protocol, const std::vector<CohortSubject>& subjects,
                                              const ProtocolLexicon& lex) {
  std::vector<EndpointRate> rates;
  for (const Arm& arm : protocol.arms)
    for (const Endpoint& e : protocol.endpoints) rates.push_back(EndpointRate{arm.label, e.name, 0, 0, 0, std::nullopt});
  for (const CohortSubject& s : subjects) {
    auto t = BuildTimeline(protocol, s.patient, TimelineRequest{s.arm, s.start, 0}, lex);
    if (!t.ok()) return t.status().WithContext("subject " + s.id);
    for (const EndpointVerdict& v : t->endpoints) {
      for (EndpointRate& r : rates) {
        if (r.arm != t->arm || r.endpoint != v.name) continue;
        (v.met == Truth::kTrue ? r.met : v.met == Truth::kFalse ? r.not_met : r.unknown)++;
      }
    }
  }
  for (EndpointRate& r : rates)
    if (r.met + r.not_met > 0) r.ci = ClopperPearson(r.met, r.met + r.not_met);
  return rates;
}

std::string CohortRatesText(const std::vector<EndpointRate>& rates) {
  std::string out;
  if (rates.empty()) return "no endpoints read for this study\n";
  for (const EndpointRate& r : rates) {
    int64_t n = r.met + r.not_met;
    out += r.arm + " | " + r.endpoint + ": " + std::to_string(r.met) + "/" + std::to_string(n) + " met";
    if (r.ci) out += " = " + Percent(static_cast<double>(r.met) / static_cast<double>(n)) + " (95% CI " + Percent(r.ci->low) + "-" + Percent(r.ci->high) + ", exact)";
    if (r.unknown) out += "; " + std::to_string(r.unknown) + " unknown (not counted)";
    out += "\n";
  }
  return out;
}

std::string CohortRatesJson(const std::vector<EndpointRate>& rates, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("rates");
  w.BeginArray();
  for (const EndpointRate& r : rates) {
    w.BeginObject();
    w.Key("arm"); w.String(r.arm);
    w.Key("endpoint"); w.String(r.endpoint);
    w.Key("met"); w.Int(r.met);
    w.Key("notMet"); w.Int(r.not_met);
    w.Key("unknown"); w.Int(r.unknown);
    w.Key("rate");
    if (r.ci) w.Double(static_cast<double>(r.met) / static_cast<double>(r.met + r.not_met)); else w.Null();
    w.Key("ci95");
    if (r.ci) {
      w.BeginArray(); w.Double(r.ci->low); w.Double(r.ci->high); w.EndArray();
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string AllocationJson(const BlockAllocation& a, const RandomisationPlan& plan, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("seed"); w.Int(static_cast<int64_t>(plan.seed));
  w.Key("ratio"); w.BeginArray(); for (int r : plan.ratio) w.Int(r); w.EndArray();
  w.Key("blockSizes"); w.BeginArray(); for (int b : plan.block_sizes) w.Int(b); w.EndArray();
  w.Key("allocations");
  w.BeginArray();
  for (const AllocationRow& r : a.list) {
    w.BeginObject();
    w.Key("sequence"); w.Int(r.sequence);
    w.Key("stratum"); w.String(r.stratum);
    w.Key("block"); w.Int(r.block);
    w.Key("blockSize"); w.Int(r.block_size);
    w.Key("arm"); w.String(r.arm);
    w.EndObject();
  }
  w.EndArray();
  w.Key("counts");
  w.BeginObject();
  for (const auto& [stratum, counts] : a.counts) {
    w.Key(stratum);
    w.BeginObject();
    for (size_t i = 0; i < counts.size(); ++i) { w.Key(plan.arms[i]); w.Int(counts[i]); }
    w.EndObject();
  }
  w.EndObject();
  w.Key("ratioHolds"); w.Bool(a.ratio_holds);
  w.EndObject();
  return w.Take();
}

}  // namespace ts
