#include "sync/polite_client.h"

namespace ts {

Result<std::string> PoliteClient::Fetch(const std::string& url,
                                        const std::function<Status(const std::string&)>& accept) {
  const int max_attempts = std::max(1, backoff_.options().max_attempts);
  std::string last_problem;
  for (int attempt = 1;; ++attempt) {
    limit_.Wait(pacer_);
    ++requests_;
    Result<FetchResponse> r = http_.Get(url);
    std::optional<int64_t> retry_after;
    if (!r.ok()) {
      if (r.status().code() != StatusCode::kIoError) return r.status();
      last_problem = r.status().message();
    } else if (r->status == 200) {
      Status ok = accept ? accept(r->body) : Status::Ok();
      if (ok.ok()) return std::move(r->body);
      last_problem = "GET " + url + ": refused the body (" + std::to_string(r->body.size()) + " bytes): " + ok.message();
    } else if (r->status == 429 || r->status >= 500) {
      last_problem = "GET " + url + ": HTTP " + std::to_string(r->status);
      if (!r->retry_after.empty()) {
        retry_after = ParseRetryAfter(r->retry_after, clock_.NowUnixSeconds());
        last_problem += " (Retry-After: " + r->retry_after + ")";
      }
    } else {
      return Status::InvalidArgument("GET " + url + ": HTTP " + std::to_string(r->status) + ": " +
                                     r->body.substr(0, 300));
    }
    if (attempt >= max_attempts) {
      return Status::IoError("gave up after " + std::to_string(attempt) + " tries: " + last_problem);
    }
    int64_t wait = backoff_.DelayMs(attempt, retry_after);
    ++retries_;
    if (log_) *log_ << "sync: " << last_problem << "; retry " << attempt << " in " << wait << " ms\n";
    pacer_.SleepMs(wait);
  }
}

}  // namespace ts
