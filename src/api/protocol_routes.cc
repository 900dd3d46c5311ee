// The protocol routes of ApiHandler (see api.h): a study's computable protocol, a subject's timeline, a cohort's
// endpoint rates and a permuted-block randomisation list.
#include <string>

#include "api/api.h"
#include "common/strings.h"
#include "protocol/protocol_json.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

namespace {

Status NoProtocols() { return Status::NotFound("protocols are not served here"); }

// "4,6" -> {4, 6}: at most `max_items` whole numbers from 1 to `max_value`; false otherwise.
bool PositiveInts(const std::string& s, size_t max_items, int64_t max_value, std::vector<int>* out) {
  out->clear();
  for (std::string_view part : Split(s, ',')) {
    int64_t v = 0;
    if (!ParseInt64(Trim(part), &v) || v < 1 || v > max_value || out->size() == max_items) return false;
    out->push_back(static_cast<int>(v));
  }
  return !out->empty();
}

}  // namespace

HttpResponse ApiHandler::ProtocolRoute(const std::string& id, const Params& params) const {
  if (protocols_ == nullptr) return ErrorResponse(NoProtocols());
  if (!params.empty()) return ErrorResponse(Status::InvalidArgument("unknown parameter \"" + params[0].first.substr(0, 60) + "\""));
  auto p = protocols_->ProtocolOf(id);
  if (!p.ok()) return ErrorResponse(p.status());
  return {200, ProtocolJson(*p, false)};
}

// POST /api/v2/studies/{id}/timeline?arm=LABEL&start=YYYY-MM-DD[&days=N], the patient (FHIR or native JSON) in the body.
HttpResponse ApiHandler::TimelineRoute(const std::string& id, const HttpRequest& r) const {
  if (protocols_ == nullptr) return ErrorResponse(NoProtocols());
  TimelineRequest req;
  bool has_arm = false, has_start = false;
  for (const auto& [k, v] : r.params) {
    if (k == "arm") {
      req.arm = v;
      has_arm = true;
    } else if (k == "start") {
      auto d = PartialDate::Parse(v);
      if (!d.ok() || d->day == 0) return ErrorResponse(Status::InvalidArgument("start: must be a date YYYY-MM-DD"));
      req.start = *d;
      has_start = true;
    } else if (k == "days") {
      int64_t days = 0;
      if (!ParseInt64(v, &days) || days < 1 || days > kMaxTimelineDays)
        return ErrorResponse(Status::InvalidArgument("days: must be a whole number from 1 to " + std::to_string(kMaxTimelineDays)));
      req.horizon_days = static_cast<int>(days);
    } else {
      return ErrorResponse(Status::InvalidArgument("unknown parameter \"" + k.substr(0, 60) + "\""));
    }
  }
  if (!has_arm || !has_start) return ErrorResponse(Status::InvalidArgument("arm and start are required (?arm=LABEL&start=YYYY-MM-DD)"));
  auto patient = ParsePatientJson(r.body, protocols_->concepts(), "request body");
  if (!patient.ok()) return ErrorResponse(patient.status());
  auto t = protocols_->TimelineOf(id, *patient, req);
  if (!t.ok()) return ErrorResponse(t.status());
  return {200, TimelineJson(*t, false)};
}

// POST /api/v2/studies/{id}/cohort, the subjects in the body as a cohort file (one JSON object a line:
// {"id", "arm", "start", "patient"}). Per arm and endpoint: met, not met, unknown and the exact 95% interval.
HttpResponse ApiHandler::CohortRoute(const std::string& id, const HttpRequest& r) const {
  if (protocols_ == nullptr) return ErrorResponse(NoProtocols());
  if (!r.params.empty()) return ErrorResponse(Status::InvalidArgument("unknown parameter \"" + r.params[0].first.substr(0, 60) + "\""));
  auto rates = protocols_->CohortOf(id, r.body, "request body");
  if (!rates.ok()) return ErrorResponse(rates.status());
  return {200, CohortRatesJson(*rates, false)};
}

// GET /api/v2/studies/{id}/randomisation?blocks=4,6&perStratum=N[&strata=A,B][&seed=S]: a seeded permuted-block
// allocation list with the study's arms and ratio, its counts and whether the ratio held in every block.
HttpResponse ApiHandler::RandomisationRoute(const std::string& id, const Params& params) const {
  if (protocols_ == nullptr) return ErrorResponse(NoProtocols());
  constexpr int64_t kMaxSubjects = 100000;  // over all strata: the list is the response
  RandomisationPlan plan;
  bool has_blocks = false, has_size = false;
  for (const auto& [k, v] : params) {
    if (k == "blocks") {
      if (!PositiveInts(v, 8, 1000, &plan.block_sizes)) {
        return ErrorResponse(Status::InvalidArgument("blocks: one to 8 block sizes from 1 to 1000, e.g. blocks=4,6"));
      }
      has_blocks = true;
    } else if (k == "perStratum") {
      int64_t n = 0;
      if (!ParseInt64(v, &n) || n < 1 || n > kMaxSubjects) {
        return ErrorResponse(Status::InvalidArgument("perStratum: a whole number from 1 to " + std::to_string(kMaxSubjects)));
      }
      plan.per_stratum = static_cast<int>(n);
      has_size = true;
    } else if (k == "strata") {
      plan.strata.clear();
      for (std::string_view s : Split(v, ',')) {
        if (Trim(s).empty() || Trim(s).size() > 100) {
          return ErrorResponse(Status::InvalidArgument("strata: comma-separated names of 1 to 100 characters"));
        }
        plan.strata.emplace_back(Trim(s));
      }
      if (plan.strata.size() > 100) return ErrorResponse(Status::InvalidArgument("strata: at most 100"));
    } else if (k == "seed") {
      int64_t seed = 0;
      if (!ParseInt64(v, &seed) || seed < 0) return ErrorResponse(Status::InvalidArgument("seed: a whole number >= 0"));
      plan.seed = static_cast<uint64_t>(seed);
    } else {
      return ErrorResponse(Status::InvalidArgument("unknown parameter \"" + k.substr(0, 60) + "\""));
    }
  }
  if (!has_blocks || !has_size) {
    return ErrorResponse(Status::InvalidArgument("blocks and perStratum are required (?blocks=4,6&perStratum=N)"));
  }
  int64_t strata = plan.strata.empty() ? 1 : static_cast<int64_t>(plan.strata.size());
  if (strata * plan.per_stratum > kMaxSubjects) {
    return ErrorResponse(Status::InvalidArgument("at most " + std::to_string(kMaxSubjects) + " subjects over all strata"));
  }
  auto a = protocols_->RandomisationOf(id, &plan);
  if (!a.ok()) return ErrorResponse(a.status());
  return {200, AllocationJson(*a, plan, false)};
}

}  // namespace ts
