// HTTP GET for the registry client, behind an interface so that the sync logic can be tested without a network.
//   CurlGetter http({.user_agent = "trialscope/0.1.0", .ca_file = "test-ca.pem", .read_timeout_ms = 30000});
//   Result<FetchResponse> r = http.Get("https://clinicaltrials.gov/api/v2/version");
//   if (r.ok() && r->status == 200) Use(r->body);
// An HTTP status of any kind is a response; an error Status means no complete response arrived.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"

namespace ts {

struct FetchResponse {
  long status = 0;          // 200, 429, 503 ...
  std::string body;         // the whole body (only complete bodies are returned)
  std::string retry_after;  // the Retry-After header, "" if absent
};

class HttpGetter {
 public:
  virtual ~HttpGetter() = default;
  // One GET. Errors: IoError for what may pass on a retry (connection refused or reset, connect or read
  // timeout, a body shorter than its Content-Length, a body over the size limit); Unsupported for what will
  // not (a malformed URL, a TLS certificate that does not verify, an unknown scheme). Not thread-safe.
  virtual Result<FetchResponse> Get(const std::string& url) = 0;
};

struct CurlOptions {
  std::string user_agent;            // sent on every request (main: "trialscope/VERSION (+URL)")
  std::string ca_file;               // a PEM bundle to verify servers against; "" for the system's
  int64_t connect_timeout_ms = 15000;
  int64_t read_timeout_ms = 60000;   // no byte received for this long aborts the request
  int64_t max_body_bytes = int64_t{512} << 20;
};

// libcurl (Debian's libcurl4-openssl-dev). TLS peers and host names are always verified. The connection is
// kept alive between requests. libcurl's global init runs on first use (main is single-threaded then).
class CurlGetter final : public HttpGetter {
 public:
  explicit CurlGetter(CurlOptions options);
  ~CurlGetter() override;
  CurlGetter(const CurlGetter&) = delete;
  CurlGetter& operator=(const CurlGetter&) = delete;
  Result<FetchResponse> Get(const std::string& url) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ts
