#include "api/api.h"

#include <algorithm>
#include <map>

#include "common/json_writer.h"
#include "common/strings.h"
#include "service/study_projection.h"

namespace ts {

namespace {

struct CodeEntry {
  StatusCode code;
  int http;
  std::string_view name;
};
constexpr CodeEntry kCodes[] = {
    {StatusCode::kOk, 200, "OK"},
    {StatusCode::kInvalidArgument, 400, "INVALID_ARGUMENT"},
    {StatusCode::kNotFound, 404, "NOT_FOUND"},
    {StatusCode::kAlreadyExists, 409, "ALREADY_EXISTS"},
    {StatusCode::kUnsupported, 400, "UNSUPPORTED"},
    {StatusCode::kIoError, 500, "IO_ERROR"},
    {StatusCode::kCorruption, 500, "DATA_CORRUPTION"},
    {StatusCode::kInternal, 500, "INTERNAL"},
};

struct RefusalEntry {
  HttpRefusal refusal;
  int http;
  std::string_view name;
};
constexpr RefusalEntry kRefusals[] = {
    {HttpRefusal::kBadRequest, 400, "INVALID_ARGUMENT"},
    {HttpRefusal::kPayloadTooLarge, 413, "INVALID_ARGUMENT"},
    {HttpRefusal::kUriTooLong, 414, "INVALID_ARGUMENT"},
    {HttpRefusal::kHeadersTooLarge, 431, "INVALID_ARGUMENT"},
    {HttpRefusal::kRequestTimeout, 408, "DEADLINE_EXCEEDED"},
    {HttpRefusal::kTooManyRequests, 429, "RESOURCE_EXHAUSTED"},
    {HttpRefusal::kUnavailable, 503, "UNAVAILABLE"},
};

const RefusalEntry& RefusalEntryFor(HttpRefusal refusal) {
  for (const auto& e : kRefusals)
    if (e.refusal == refusal) return e;
  return kRefusals[0];
}

std::string ErrorBody(int http, std::string_view name, std::string_view message) {
  JsonWriter w;
  w.BeginObject();
  w.Key("error");
  w.BeginObject();
  w.Key("code");
  w.Int(http);
  w.Key("status");
  w.String(name);
  w.Key("message");
  w.String(message);
  w.EndObject();
  w.EndObject();
  return w.Take();
}

Params WithoutKeys(const Params& params, std::initializer_list<std::string_view> keys) {
  Params out;
  for (const auto& p : params)
    if (std::find(keys.begin(), keys.end(), p.first) == keys.end()) out.push_back(p);
  return out;
}

Result<std::vector<std::string>> FieldsParam(const Params& params) {
  std::vector<std::string> fields;
  for (const auto& [k, v] : params) {
    if (k != "fields") continue;
    for (auto f : Split(v, ','))
      for (auto g : Split(f, '|'))
        if (!Trim(g).empty()) fields.emplace_back(Trim(g));
  }
  return fields;
}

Status CheckFormat(const Params& params) {
  for (const auto& [k, v] : params) {
    if (k == "format" && v != "json") return Status::InvalidArgument("format: only json is supported, got \"" + v.substr(0, 20) + "\"");
  }
  return Status::Ok();
}

}  // namespace

int HttpStatusFor(StatusCode code) {
  for (const auto& e : kCodes)
    if (e.code == code) return e.http;
  return 500;
}

std::string_view ErrorNameFor(StatusCode code) {
  for (const auto& e : kCodes)
    if (e.code == code) return e.name;
  return "INTERNAL";
}

ApiResponse ErrorResponse(const Status& status) {
  int http = HttpStatusFor(status.code());
  return {http, ErrorBody(http, ErrorNameFor(status.code()), status.message())};
}

int HttpStatusFor(HttpRefusal refusal) { return RefusalEntryFor(refusal).http; }

ApiResponse RefusalResponse(HttpRefusal refusal, std::string_view message) {
  const RefusalEntry& e = RefusalEntryFor(refusal);
  return {e.http, ErrorBody(e.http, e.name, message)};
}

ApiResponse ApiHandler::Handle(const ApiRequest& r) const {
  constexpr std::string_view kStudies = "/api/v2/studies";
  if (r.method == "POST") {
    if (r.path == "/api/match") return Match(r);
    if (StartsWith(r.path, std::string(kStudies) + "/") && EndsWith(r.path, "/check")) {
      return Check(r.path.substr(kStudies.size() + 1, r.path.size() - kStudies.size() - 1 - 6), r);
    }
  }
  if (r.method != "GET") return ErrorResponse(Status::InvalidArgument("method " + r.method + " is not allowed on " + r.path.substr(0, 200)));
  if (r.path == kStudies || r.path == std::string(kStudies) + "/") return Studies(r.params);
  if (StartsWith(r.path, std::string(kStudies) + "/")) {
    std::string id = r.path.substr(kStudies.size() + 1);
    if (EndsWith(id, "/related")) return Related(id.substr(0, id.size() - 8), r.params);
    if (EndsWith(id, "/criteria")) return Criteria(id.substr(0, id.size() - 9), r.params);
    if (id.find('/') != std::string::npos) return ErrorResponse(Status::NotFound("no route " + r.path));
    return Study(id, r.params);
  }
  if (r.path == "/api/v2/stats/size") return SizeStats();
  if (r.path == "/api/v2/version") return Version();
  return ErrorResponse(Status::NotFound("no route " + r.path.substr(0, 200)));
}

ApiResponse ApiHandler::Studies(const Params& params) const {
  if (Status s = CheckFormat(params); !s.ok()) return ErrorResponse(s);
  auto fields = FieldsParam(params);
  auto req = ParseSearchParams(WithoutKeys(params, {"fields", "format"}));
  if (!req.ok()) return ErrorResponse(req.status());
  auto res = service_.Search(*req);
  if (!res.ok()) return ErrorResponse(res.status());
  auto body = service_.ToJson(*res, *fields);
  if (!body.ok()) return ErrorResponse(body.status());
  return {200, std::move(*body)};
}

ApiResponse ApiHandler::Study(const std::string& id, const Params& params) const {
  if (Status s = CheckFormat(params); !s.ok()) return ErrorResponse(s);
  for (const auto& [k, v] : params) {
    if (k != "fields" && k != "format") return ErrorResponse(Status::InvalidArgument("unknown parameter \"" + k.substr(0, 60) + "\""));
  }
  auto d = service_.FindStudy(id);
  if (!d) return ErrorResponse(Status::NotFound("no study with ID \"" + id.substr(0, 80) + "\""));
  auto p = ProjectStudyJson(service_.StudyJson(*d), *FieldsParam(params));
  if (!p.ok()) return ErrorResponse(p.status());
  return {200, std::move(*p)};
}

ApiResponse ApiHandler::Related(const std::string& id, const Params& params) const {
  int64_t limit = 10;
  for (const auto& [k, v] : params) {
    if (k == "limit") {
      if (!ParseInt64(v, &limit) || limit < 1 || limit > 100) {
        return ErrorResponse(Status::InvalidArgument("limit: must be a whole number from 1 to 100"));
      }
    } else {
      return ErrorResponse(Status::InvalidArgument("unknown parameter \"" + k.substr(0, 60) + "\""));
    }
  }
  auto d = service_.FindStudy(id);
  if (!d) return ErrorResponse(Status::NotFound("no study with ID \"" + id.substr(0, 80) + "\""));
  auto related = service_.Related(id, static_cast<size_t>(limit));
  if (!related.ok()) return ErrorResponse(related.status());
  return {200, SearchService::RelatedToJson(service_.index().doc(*d).key, *related)};
}

ApiResponse ApiHandler::SizeStats() const {
  const SearchIndex& idx = service_.index();
  std::vector<std::pair<size_t, DocId>> sizes;
  size_t total = 0;
  for (DocId d = 0; d < idx.doc_count(); ++d) {
    sizes.emplace_back(service_.StudyJson(d).size(), d);
    total += sizes.back().first;
  }
  std::sort(sizes.rbegin(), sizes.rend());
  JsonWriter w;
  w.BeginObject();
  w.Key("totalStudies");
  w.Int(static_cast<int64_t>(idx.doc_count()));
  w.Key("averageSizeBytes");
  w.Int(idx.doc_count() ? static_cast<int64_t>(total / idx.doc_count()) : 0);
  w.Key("largestStudies");
  w.BeginArray();
  for (size_t i = 0; i < sizes.size() && i < 10; ++i) {
    w.BeginObject();
    w.Key("id");
    w.String(idx.doc(sizes[i].second).key);
    w.Key("sizeBytes");
    w.Int(static_cast<int64_t>(sizes[i].first));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {200, w.Take()};
}

ApiResponse ApiHandler::Version() const {
  JsonWriter w;
  w.BeginObject();
  w.Key("apiVersion");
  w.String("2.0.0");
  w.Key("trialscopeVersion");
  w.String("0.1.0");
  w.Key("dataTimestamp");
  w.String(data_timestamp_);
  w.EndObject();
  return {200, w.Take()};
}

namespace {

Status NoScreening() { return Status::NotFound("eligibility screening is not enabled on this server"); }

// asOf=YYYY-MM-DD (default `today`).
Result<PartialDate> AsOfParam(const Params& params, PartialDate today) {
  for (const auto& [k, v] : params) {
    if (k != "asOf") continue;
    auto d = PartialDate::Parse(v);
    if (!d.ok() || d->day == 0) return Status::InvalidArgument("asOf: expected a date YYYY-MM-DD");
    return d;
  }
  return today;
}

}  // namespace

ApiResponse ApiHandler::Criteria(const std::string& id, const Params& params) const {
  if (screening_ == nullptr) return ErrorResponse(NoScreening());
  if (!params.empty()) return ErrorResponse(Status::InvalidArgument("unknown parameter \"" + params[0].first.substr(0, 60) + "\""));
  auto study = screening_->Criteria(id);
  if (!study.ok()) return ErrorResponse(study.status());
  return {200, screening_->CriteriaJson(**study)};
}

ApiResponse ApiHandler::Check(const std::string& id, const ApiRequest& r) const {
  if (screening_ == nullptr) return ErrorResponse(NoScreening());
  for (const auto& [k, v] : r.params) {
    if (k != "asOf") return ErrorResponse(Status::InvalidArgument("unknown parameter \"" + k.substr(0, 60) + "\""));
  }
  auto as_of = AsOfParam(r.params, clock_.Today());
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  auto patient = ParsePatientJson(r.body, screening_->concepts(), "request body");
  if (!patient.ok()) return ErrorResponse(patient.status());
  auto check = screening_->Check(id, *patient, *as_of);
  if (!check.ok()) return ErrorResponse(check.status());
  return {200, screening_->CheckJson(*check)};
}

ApiResponse ApiHandler::Match(const ApiRequest& r) const {
  if (screening_ == nullptr) return ErrorResponse(NoScreening());
  int64_t limit = 20;
  Params search;
  for (const auto& [k, v] : r.params) {
    if (k == "asOf") continue;
    if (k == "limit") {
      if (!ParseInt64(v, &limit) || limit < 1 || limit > 1000) {
        return ErrorResponse(Status::InvalidArgument("limit: must be a whole number from 1 to 1000"));
      }
      continue;
    }
    search.emplace_back(k, v);
  }
  auto as_of = AsOfParam(r.params, clock_.Today());
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  auto req = ParseSearchParams(search);
  if (!req.ok()) return ErrorResponse(req.status());
  auto patient = ParsePatientJson(r.body, screening_->concepts(), "request body");
  if (!patient.ok()) return ErrorResponse(patient.status());
  auto m = screening_->Match(*patient, *as_of, *req, !search.empty(), static_cast<size_t>(limit));
  if (!m.ok()) return ErrorResponse(m.status());
  return {200, screening_->MatchJson(*m, *patient)};
}

}  // namespace ts
