// GETs from a registry politely: a rate limit on request starts, retries with backoff and jitter, and
// only bodies the caller accepts count as fetched.
//   PoliteClient client(http, pacer, clock, {.per_minute = 50}, /*seed=*/7, &std::cerr);
//   Result<std::string> body = client.Fetch(url, [](const std::string& b) { return ReadStudiesPage(b).status(); });
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "sync/http_getter.h"
#include "sync/pacing.h"

namespace ts {

struct PolitenessOptions {
  double per_minute = 50;  // request starts a minute (every try counts); <= 0: no limit
  BackoffOptions backoff;
};

class PoliteClient {
 public:
  // `clock` reads Retry-After dates; `log` (optional) gets one line per retry. All must outlive the client.
  PoliteClient(HttpGetter& http, Pacer& pacer, const Clock& clock, PolitenessOptions options, uint64_t jitter_seed,
               std::ostream* log = nullptr)
      : http_(http), pacer_(pacer), clock_(clock), limit_(options.per_minute), backoff_(options.backoff, jitter_seed),
        log_(log) {}

  // GETs `url` until a 200 whose body `accept` returns OK for, and returns that body. A 429, a 5xx, a transport
  // error (IoError from the getter) or a refused body is retried after Backoff::DelayMs (honouring
  // Retry-After), up to backoff.max_attempts tries. Errors: IoError after the last try (naming it and the
  // cause); InvalidArgument at once for another 4xx (with the start of its body); Unsupported at once for
  // a permanent transport error (bad URL, TLS verification).
  Result<std::string> Fetch(const std::string& url, const std::function<Status(const std::string&)>& accept);

  int64_t requests() const { return requests_; }
  int64_t retries() const { return retries_; }

 private:
  HttpGetter& http_;
  Pacer& pacer_;
  const Clock& clock_;
  RequestRateLimit limit_;
  Backoff backoff_;
  std::ostream* log_;
  int64_t requests_ = 0;
  int64_t retries_ = 0;
};

}  // namespace ts
