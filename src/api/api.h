// The HTTP API as plain functions: a request (method, path, query parameters) in, a response
// (HTTP status, JSON body) out. No sockets here, so routes are unit-tested directly; http_server
// serves them over HTTP/1.1.
//   ApiHandler api(service, "2026-11-21", clock);
//   ApiResponse r = api.Handle({"GET", "/api/v2/studies", {{"query.cond", "aplastic anemia"}}});
// Every error has one shape: {"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": "..."}}.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "service/screening_service.h"
#include "service/search_service.h"

namespace ts {

struct ApiRequest {
  std::string method;  // "GET", ...
  std::string path;    // "/api/v2/studies/NCT01234567"
  Params params;       // decoded query parameters, in order
  std::string body;    // POST body (a patient for the eligibility routes)
};

struct ApiResponse {
  int http_status = 200;
  std::string body;  // JSON (HTML, CSS ... for the web site)
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers = {};  // extra headers (Cache-Control defaults to no-store)
};

// Anything that answers requests: the API, the web site. Implementations are thread-safe.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual ApiResponse Handle(const ApiRequest& request) const = 0;
};

// The one table from Status codes to HTTP statuses and error names.
int HttpStatusFor(StatusCode code);
std::string_view ErrorNameFor(StatusCode code);
ApiResponse ErrorResponse(const Status& status);

// Refusals by the HTTP layer before any route runs (framing, limits, methods), in the same error shape.
enum class HttpRefusal {
  kBadRequest,          // 400 INVALID_ARGUMENT: malformed framing, a bad or conflicting Content-Length, a bad method
  kPayloadTooLarge,     // 413 INVALID_ARGUMENT
  kUriTooLong,          // 414 INVALID_ARGUMENT
  kHeadersTooLarge,     // 431 INVALID_ARGUMENT
  kRequestTimeout,      // 408 DEADLINE_EXCEEDED (the request's header and body did not arrive in time)
  kTooManyRequests,     // 429 RESOURCE_EXHAUSTED (the per-client rate limit)
  kUnavailable,         // 503 UNAVAILABLE (too many connections, shutting down)
};
int HttpStatusFor(HttpRefusal refusal);
ApiResponse RefusalResponse(HttpRefusal refusal, std::string_view message);

class ApiHandler final : public RequestHandler {
 public:
  // `data_timestamp`: when the data was last imported (for /version). `clock` gives the default `asOf`
  // of a check or a match. `screening` (may be null: the eligibility routes then answer 404) serves
  // GET /api/v2/studies/{id}/criteria, POST /api/v2/studies/{id}/check and POST /api/match.
  // `service`, `clock` and `screening` must outlive the handler.
  ApiHandler(const SearchService& service, std::string data_timestamp, const Clock& clock,
             const ScreeningService* screening = nullptr)
      : service_(service), data_timestamp_(std::move(data_timestamp)), clock_(clock), screening_(screening) {}

  // Thread-safe.
  ApiResponse Handle(const ApiRequest& request) const override;

 private:
  ApiResponse Studies(const Params& params) const;
  ApiResponse Study(const std::string& id, const Params& params) const;
  ApiResponse Related(const std::string& id, const Params& params) const;
  ApiResponse SizeStats() const;
  ApiResponse Version() const;
  ApiResponse Criteria(const std::string& id, const Params& params) const;
  ApiResponse Check(const std::string& id, const ApiRequest& request) const;
  ApiResponse Match(const ApiRequest& request) const;

  const SearchService& service_;
  std::string data_timestamp_;
  const Clock& clock_;
  const ScreeningService* screening_;
};

}  // namespace ts
