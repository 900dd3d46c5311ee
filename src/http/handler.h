// What an HTTP route sees: a request (method, path, decoded query parameters, body) in, a response
// (status, body, content type, extra headers) out, and the one error shape every refusal and failure
// uses: {"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": "..."}}. The API (api/) and
// the web site (web/) implement RequestHandler; the server (http_server.h) serves any handler.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/params.h"
#include "common/status.h"

namespace ts {

struct HttpRequest {
  std::string method;  // "GET", ...
  std::string path;    // "/api/v2/studies/NCT01234567"
  Params params;       // decoded query parameters, in order
  std::string body;    // POST body (a patient for the eligibility routes)
  std::string content_type = "";  // the Content-Type header's media type, lower-cased ("text/plain"); "" when none
};

struct HttpResponse {
  int http_status = 200;
  std::string body;  // JSON (HTML, CSS ... for the web site)
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers = {};  // extra headers (Cache-Control defaults to no-store)
};

// Anything that answers requests: the API, the web site. Implementations are thread-safe.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual HttpResponse Handle(const HttpRequest& request) const = 0;
};

// The one table from Status codes to HTTP statuses and error names.
int HttpStatusFor(StatusCode code);
std::string_view ErrorNameFor(StatusCode code);
HttpResponse ErrorResponse(const Status& status);

// Refusals by the HTTP layer before any route runs (framing, limits, methods), in the same error shape.
enum class HttpRefusal {
  kBadRequest,          // 400 INVALID_ARGUMENT: malformed framing, a bad or conflicting Content-Length, a bad method
  kPayloadTooLarge,     // 413 INVALID_ARGUMENT
  kUriTooLong,          // 414 INVALID_ARGUMENT
  kHeadersTooLarge,     // 431 INVALID_ARGUMENT
  kRequestTimeout,      // 408 DEADLINE_EXCEEDED (the request's header and body did not arrive in time)
  kTooManyRequests,     // 429 RESOURCE_EXHAUSTED (the per-client rate limit)
  kUnavailable,         // 503 UNAVAILABLE (too many connections, shutting down)
  kMethodNotAllowed,    // 405 INVALID_ARGUMENT (a route asked with a method it does not answer; add an Allow header)
};
int HttpStatusFor(HttpRefusal refusal);
HttpResponse RefusalResponse(HttpRefusal refusal, std::string_view message);

}  // namespace ts
