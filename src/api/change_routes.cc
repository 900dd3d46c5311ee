// The history, diff, change-feed and re-screening routes of ApiHandler (see api.h).
#include <string>

#include "api/api.h"
#include "api/change_json.h"
#include "api/screening_json.h"
#include "common/strings.h"
#include "service/rescreen.h"
#include "service/study_projection.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

namespace {

Status NoChanges() { return Status::NotFound("history and changes are not enabled on this server"); }

Status Unknown(const std::string& k) { return Status::InvalidArgument("unknown parameter \"" + k.substr(0, 60) + "\""); }

// A version number given in the path or a parameter: 1..2^31.
Result<int> VersionNumber(std::string_view text, const std::string& what) {
  int64_t n = 0;
  if (!ParseInt64(text, &n) || n < 1 || n > 2147483647) {
    return Status::InvalidArgument(what + ": expected a version number (1, 2, ...), got \"" + std::string(text.substr(0, 20)) + "\"");
  }
  return static_cast<int>(n);
}

constexpr size_t kMaxRescreenStudies = 5000;

}  // namespace

HttpResponse ApiHandler::StudyHistoryRoute(const std::string& rest, const Params& params) const {
  if (changes_ == nullptr) return ErrorResponse(NoChanges());
  const size_t at = rest.find("/history");
  const std::string id = rest.substr(0, at);
  std::string tail = rest.substr(at + 8);
  if (tail.empty() || tail == "/") {
    for (const auto& [k, v] : params) return ErrorResponse(Unknown(k));
    auto h = changes_->History(id);
    if (!h.ok()) return ErrorResponse(h.status());
    return {200, HistoryJson(*h)};
  }
  if (tail[0] != '/' || tail.find('/', 1) != std::string::npos || id.find('/') != std::string::npos) {
    return ErrorResponse(Status::NotFound("no route /api/v2/studies/" + rest.substr(0, 200)));
  }
  for (const auto& [k, v] : params) {
    if (k != "fields" && k != "format") return ErrorResponse(Unknown(k));
    if (k == "format" && v != "json") return ErrorResponse(Status::InvalidArgument("format: only json is supported"));
  }
  auto n = VersionNumber(std::string_view(tail).substr(1), "version");
  if (!n.ok()) return ErrorResponse(n.status());
  auto v = changes_->Version(id, *n);
  if (!v.ok()) return ErrorResponse(v.status());
  std::vector<std::string> fields;
  for (const auto& [k, val] : params)
    if (k == "fields")
      for (auto f : Split(val, ','))
        if (!Trim(f).empty()) fields.emplace_back(Trim(f));
  auto p = ProjectStudyJson(v->study_json, fields);
  if (!p.ok()) return ErrorResponse(p.status());
  return {200, std::move(*p)};
}

HttpResponse ApiHandler::DiffRoute(const std::string& id, const Params& params) const {
  if (changes_ == nullptr) return ErrorResponse(NoChanges());
  if (id.find('/') != std::string::npos) return ErrorResponse(Status::NotFound("no route for study \"" + id.substr(0, 80) + "\""));
  std::string from_text, to_text;
  for (const auto& [k, v] : params) {
    if (k == "from") from_text = v;
    else if (k == "to") to_text = v;
    else return ErrorResponse(Unknown(k));
  }
  auto h = changes_->History(id);
  if (!h.ok()) return ErrorResponse(h.status());
  // Defaults, as the diff command: from the version before `to`, to the current one.
  int to = 0;
  for (const VersionInfo& v : h->versions)
    if (v.current) to = v.version;
  if (!to_text.empty()) {
    auto n = VersionNumber(to_text, "to");
    if (!n.ok()) return ErrorResponse(n.status());
    to = *n;
  }
  int from = to - 1;
  if (!from_text.empty()) {
    auto n = VersionNumber(from_text, "from");
    if (!n.ok()) return ErrorResponse(n.status());
    from = *n;
  }
  if (from < 1) return ErrorResponse(Status::InvalidArgument("from: study " + h->key + " has no version before " + std::to_string(to)));
  auto d = changes_->Diff(h->key, from, to);
  if (!d.ok()) return ErrorResponse(d.status());
  return {200, DiffJson(h->key, from, to, *d)};
}

HttpResponse ApiHandler::ChangesRoute(const Params& params) const {
  if (changes_ == nullptr) return ErrorResponse(NoChanges());
  std::string since;
  int64_t limit = 100;
  for (const auto& [k, v] : params) {
    if (k == "since") {
      since = v;
    } else if (k == "limit") {
      if (!ParseInt64(v, &limit) || limit < 1 || limit > 1000) {
        return ErrorResponse(Status::InvalidArgument("limit: must be a whole number from 1 to 1000"));
      }
    } else {
      return ErrorResponse(Unknown(k));
    }
  }
  auto page = changes_->Changes(since, static_cast<size_t>(limit));
  if (!page.ok()) return ErrorResponse(page.status());
  return {200, ChangesJson(*page)};
}

HttpResponse ApiHandler::MatchChanged(const HttpRequest& r) const {
  if (changes_ == nullptr) return ErrorResponse(NoChanges());
  std::string token;
  PartialDate as_of = clock_.Today();
  for (const auto& [k, v] : r.params) {
    if (k == "changedSince") {
      token = v;
    } else if (k == "asOf") {
      auto d = PartialDate::Parse(v);
      if (!d.ok() || d->day == 0) return ErrorResponse(Status::InvalidArgument("asOf: expected a date YYYY-MM-DD"));
      as_of = *d;
    } else {
      return ErrorResponse(Status::InvalidArgument("changedSince: cannot be combined with \"" + k.substr(0, 60) +
                                                   "\" (only asOf); it re-screens every study that changed"));
    }
  }
  if (token.empty()) return ErrorResponse(Status::InvalidArgument("changedSince: give a change token (a nextToken of /api/v2/changes)"));
  if (r.content_type == "text/plain") {
    return ErrorResponse(Status::InvalidArgument("changedSince: send the patient as JSON (a clinical note is not taken here)"));
  }
  auto patient = ParsePatientJson(r.body, screening_->concepts(), "request body");
  if (!patient.ok()) return ErrorResponse(patient.status());
  auto result = Rescreen(*changes_, *screening_, *patient, as_of, token, kMaxRescreenStudies);
  if (!result.ok()) return ErrorResponse(result.status());
  return {200, RescreenJson(*result, token)};
}

}  // namespace ts
