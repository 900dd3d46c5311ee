#include "api/api.h"

#include <algorithm>
#include <map>

#include "common/json_writer.h"
#include "common/strings.h"
#include "api/screening_json.h"
#include "api/search_json.h"
#include "service/study_projection.h"

namespace ts {

namespace {

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

HttpResponse ApiHandler::Handle(const HttpRequest& r) const {
  constexpr std::string_view kStudies = "/api/v2/studies";
  // The POST routes under /api/v2/studies/{id}: the suffix and its handler.
  using StudyPost = HttpResponse (ApiHandler::*)(const std::string&, const HttpRequest&) const;
  static constexpr std::pair<std::string_view, StudyPost> kStudyPosts[] = {
      {"/check", &ApiHandler::Check}, {"/timeline", &ApiHandler::TimelineRoute}, {"/cohort", &ApiHandler::CohortRoute}};
  const StudyPost* post_route = nullptr;
  std::string post_id;
  if (StartsWith(r.path, std::string(kStudies) + "/")) {
    for (const auto& [suffix, handler] : kStudyPosts) {
      if (!EndsWith(r.path, suffix)) continue;
      post_route = &handler;
      post_id = r.path.substr(kStudies.size() + 1, r.path.size() - kStudies.size() - 1 - suffix.size());
      break;
    }
  }
  const bool is_post_route = r.path == "/api/match" || post_route != nullptr;
  if (r.method == "POST" && is_post_route) return r.path == "/api/match" ? Match(r) : (this->**post_route)(post_id, r);
  // A route asked with a method it does not answer: 405 with the method it does (not "no route").
  auto not_allowed = [&](const char* allow) {
    HttpResponse e = RefusalResponse(HttpRefusal::kMethodNotAllowed, "method " + r.method + " is not allowed on " +
                                                                         r.path.substr(0, 200) + " (use " + allow + ")");
    e.headers.emplace_back("Allow", allow);
    return e;
  };
  if (is_post_route) return not_allowed("POST");
  if (r.method != "GET") return not_allowed("GET");
  if (r.path == kStudies || r.path == std::string(kStudies) + "/") return Studies(r.params);
  if (StartsWith(r.path, std::string(kStudies) + "/")) {
    std::string id = r.path.substr(kStudies.size() + 1);
    if (EndsWith(id, "/related")) return Related(id.substr(0, id.size() - 8), r.params);
    if (EndsWith(id, "/criteria")) return Criteria(id.substr(0, id.size() - 9), r.params);
    if (EndsWith(id, "/protocol")) return ProtocolRoute(id.substr(0, id.size() - 9), r.params);
    if (EndsWith(id, "/randomisation") || EndsWith(id, "/randomization")) {
      return RandomisationRoute(id.substr(0, id.size() - 14), r.params);
    }
    if (EndsWith(id, "/diff")) return DiffRoute(id.substr(0, id.size() - 5), r.params);
    if (id.find("/history") != std::string::npos) return StudyHistoryRoute(id, r.params);
    if (id.find('/') != std::string::npos) return ErrorResponse(Status::NotFound("no route " + r.path));
    return Study(id, r.params);
  }
  if (r.path == "/api/v2/changes") return ChangesRoute(r.params);
  if (r.path == "/api/v2/stats/size") return SizeStats();
  if (r.path == "/api/v2/version") return Version();
  return ErrorResponse(Status::NotFound("no route " + r.path.substr(0, 200)));
}

HttpResponse ApiHandler::Studies(const Params& params) const {
  if (Status s = CheckFormat(params); !s.ok()) return ErrorResponse(s);
  auto fields = FieldsParam(params);
  auto req = ParseSearchParams(WithoutKeys(params, {"fields", "format"}));
  if (!req.ok()) return ErrorResponse(req.status());
  auto res = service_.Search(*req);
  if (!res.ok()) return ErrorResponse(res.status());
  auto body = SearchResultJson(*res, service_.Listings(*res), *fields);
  if (!body.ok()) return ErrorResponse(body.status());
  return {200, std::move(*body)};
}

HttpResponse ApiHandler::Study(const std::string& id, const Params& params) const {
  if (Status s = CheckFormat(params); !s.ok()) return ErrorResponse(s);
  for (const auto& [k, v] : params) {
    if (k != "fields" && k != "format") return ErrorResponse(Status::InvalidArgument("unknown parameter \"" + k.substr(0, 60) + "\""));
  }
  auto view = service_.studies().Find(id);
  if (!view) return ErrorResponse(Status::NotFound("no study with ID \"" + id.substr(0, 80) + "\""));
  auto p = ProjectStudyJson(view->json, *FieldsParam(params));
  if (!p.ok()) return ErrorResponse(p.status());
  return {200, std::move(*p)};
}

HttpResponse ApiHandler::Related(const std::string& id, const Params& params) const {
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
  auto view = service_.studies().Find(id);
  if (!view) return ErrorResponse(Status::NotFound("no study with ID \"" + id.substr(0, 80) + "\""));
  auto related = service_.Related(id, static_cast<size_t>(limit));
  if (!related.ok()) return ErrorResponse(related.status());
  return {200, RelatedJson(view->key, *related)};
}

HttpResponse ApiHandler::SizeStats() const {
  const StudyCatalog& studies = service_.studies();
  std::vector<std::pair<size_t, size_t>> sizes;  // (bytes, ordinal)
  size_t total = 0;
  for (size_t i = 0; i < studies.size(); ++i) {
    sizes.emplace_back(studies.at(i).json.size(), i);
    total += sizes.back().first;
  }
  std::sort(sizes.rbegin(), sizes.rend());
  JsonWriter w;
  w.BeginObject();
  w.Key("totalStudies");
  w.Int(static_cast<int64_t>(studies.size()));
  w.Key("averageSizeBytes");
  w.Int(studies.size() ? static_cast<int64_t>(total / studies.size()) : 0);
  w.Key("largestStudies");
  w.BeginArray();
  for (size_t i = 0; i < sizes.size() && i < 10; ++i) {
    w.BeginObject();
    w.Key("id");
    w.String(studies.at(sizes[i].second).key);
    w.Key("sizeBytes");
    w.Int(static_cast<int64_t>(sizes[i].first));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {200, w.Take()};
}

HttpResponse ApiHandler::Version() const {
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

// A body sent as text/plain is a clinical note; anything else is a JSON patient (as before).
bool IsNote(const HttpRequest& r) { return r.content_type == "text/plain"; }

}  // namespace

HttpResponse ApiHandler::Criteria(const std::string& id, const Params& params) const {
  if (screening_ == nullptr) return ErrorResponse(NoScreening());
  if (!params.empty()) return ErrorResponse(Status::InvalidArgument("unknown parameter \"" + params[0].first.substr(0, 60) + "\""));
  auto study = screening_->Criteria(id);
  if (!study.ok()) return ErrorResponse(study.status());
  return {200, CriteriaJson(**study, screening_->concepts())};
}

HttpResponse ApiHandler::Check(const std::string& id, const HttpRequest& r) const {
  if (screening_ == nullptr) return ErrorResponse(NoScreening());
  for (const auto& [k, v] : r.params) {
    if (k != "asOf") return ErrorResponse(Status::InvalidArgument("unknown parameter \"" + k.substr(0, 60) + "\""));
  }
  auto as_of = AsOfParam(r.params, clock_.Today());
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  if (IsNote(r)) {
    auto reading = screening_->ReadNote(r.body, *as_of);
    if (!reading.ok()) return ErrorResponse(Status::InvalidArgument("request body: " + reading.status().message()));
    auto check = screening_->CheckNote(id, *reading, *as_of);
    if (!check.ok()) return ErrorResponse(check.status());
    return {200, NoteCheckJson(*check, *reading, screening_->concepts())};
  }
  auto patient = ParsePatientJson(r.body, screening_->concepts(), "request body");
  if (!patient.ok()) return ErrorResponse(patient.status());
  auto check = screening_->Check(id, *patient, *as_of);
  if (!check.ok()) return ErrorResponse(check.status());
  return {200, CheckJson(*check, screening_->concepts())};
}

HttpResponse ApiHandler::Match(const HttpRequest& r) const {
  if (screening_ == nullptr) return ErrorResponse(NoScreening());
  for (const auto& [k, v] : r.params)
    if (k == "changedSince") return MatchChanged(r);
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
  if (IsNote(r)) {
    auto reading = screening_->ReadNote(r.body, *as_of);
    if (!reading.ok()) return ErrorResponse(Status::InvalidArgument("request body: " + reading.status().message()));
    auto m = screening_->Match(reading->patient, *as_of, *req, !search.empty(), static_cast<size_t>(limit));
    if (!m.ok()) return ErrorResponse(m.status());
    return {200, NoteMatchJson(*m, *reading, screening_->concepts())};
  }
  auto patient = ParsePatientJson(r.body, screening_->concepts(), "request body");
  if (!patient.ok()) return ErrorResponse(patient.status());
  auto m = screening_->Match(*patient, *as_of, *req, !search.empty(), static_cast<size_t>(limit));
  if (!m.ok()) return ErrorResponse(m.status());
  return {200, MatchJson(*m, *patient, screening_->concepts())};
}

}  // namespace ts
