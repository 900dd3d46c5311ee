// The HTTP API as plain functions: a request (method, path, query parameters) in, a response
// (HTTP status, JSON body) out. No sockets here, so routes are unit-tested directly; http_server
// serves them over HTTP/1.1.
//   ApiHandler api(service, "2026-11-21", clock);
//   HttpResponse r = api.Handle({"GET", "/api/v2/studies", {{"query.cond", "aplastic anemia"}}});
// Every error has one shape: {"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": "..."}}.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "http/handler.h"
#include "service/protocol_service.h"
#include "service/change_log.h"
#include "service/screening_service.h"
#include "service/search_service.h"

namespace ts {

class ApiHandler final : public RequestHandler {
 public:
  // `data_timestamp`: when the data was last imported (for /version). `clock` gives the default `asOf`
  // of a check or a match. `screening` (may be null: the eligibility routes then answer 404) serves
  // GET /api/v2/studies/{id}/criteria, POST /api/v2/studies/{id}/check and POST /api/match.
  // `protocols` (may be null: the protocol routes then answer 404) serves GET /api/v2/studies/{id}/protocol,
  // POST .../timeline, POST .../cohort and GET .../randomisation (also spelt randomization). `changes` (may be
  // null: those routes then answer 404) serves GET /api/v2/studies/{id}/history, .../history/{n}, .../diff, GET /api/v2/changes and POST /api/match?changedSince=
  // (with `screening`). `service`, `clock`, `screening`, `protocols` and `changes` must outlive the handler.
  ApiHandler(const SearchService& service, std::string data_timestamp, const Clock& clock,
             const ScreeningService* screening = nullptr, const ProtocolService* protocols = nullptr,
             const ChangeLog* changes = nullptr)
      : service_(service), data_timestamp_(std::move(data_timestamp)), clock_(clock), screening_(screening),
        protocols_(protocols), changes_(changes) {}

  // Thread-safe.
  HttpResponse Handle(const HttpRequest& request) const override;

 private:
  HttpResponse Studies(const Params& params) const;
  HttpResponse Study(const std::string& id, const Params& params) const;
  HttpResponse Related(const std::string& id, const Params& params) const;
  HttpResponse SizeStats() const;
  HttpResponse Version() const;
  HttpResponse Criteria(const std::string& id, const Params& params) const;
  HttpResponse Check(const std::string& id, const HttpRequest& request) const;
  HttpResponse Match(const HttpRequest& request) const;
  // protocol_routes.cc
  HttpResponse ProtocolRoute(const std::string& id, const Params& params) const;
  HttpResponse TimelineRoute(const std::string& id, const HttpRequest& request) const;
  HttpResponse CohortRoute(const std::string& id, const HttpRequest& request) const;
  HttpResponse RandomisationRoute(const std::string& id, const Params& params) const;
  // change_routes.cc
  HttpResponse StudyHistoryRoute(const std::string& id_and_rest, const Params& params) const;
  HttpResponse DiffRoute(const std::string& id, const Params& params) const;
  HttpResponse ChangesRoute(const Params& params) const;
  HttpResponse MatchChanged(const HttpRequest& request) const;

  const SearchService& service_;
  std::string data_timestamp_;
  const Clock& clock_;
  const ScreeningService* screening_;
  const ProtocolService* protocols_;
  const ChangeLog* changes_;
};

}  // namespace ts
