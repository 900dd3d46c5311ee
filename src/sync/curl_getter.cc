#include <curl/curl.h>

#include <chrono>
#include <string_view>

#include "common/strings.h"
#include "sync/http_getter.h"

namespace ts {

namespace {

// What a transfer in progress keeps: the body, the Retry-After header, and when a byte last arrived.
struct Transfer {
  FetchResponse response;
  int64_t max_body = 0;
  bool too_large = false;
  int64_t read_timeout_ms = 0;
  bool stalled = false;
  std::chrono::steady_clock::time_point last_byte;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  t->last_byte = std::chrono::steady_clock::now();
  if (static_cast<int64_t>(t->response.body.size() + len) > t->max_body) {
    t->too_large = true;
    return 0;  // aborts the transfer
  }
  t->response.body.append(data, len);
  return len;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  t->last_byte = std::chrono::steady_clock::now();
  std::string_view line(data, len);
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name = ToLowerAscii(Trim(line.substr(0, colon)));
    std::string_view value = Trim(line.substr(colon + 1));
    int64_t length = 0;
    if (name == "retry-after") t->response.retry_after = std::string(value);
    // The body's size is known: one allocation instead of doubling (peak memory is a multiple of the page).
    if (name == "content-length" && ParseInt64(value, &length) && length > 0 && length <= t->max_body) {
      t->response.body.reserve(static_cast<size_t>(length));
    }
  } else if (line.rfind("HTTP/", 0) == 0) {
    t->response.retry_after.clear();  // a new response (after a redirect or 100 Continue)
  }
  return len;
}

// Aborts a transfer that has received nothing for read_timeout_ms (libcurl calls this at least once a second).
int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  auto idle = std::chrono::steady_clock::now() - t->last_byte;
  if (std::chrono::duration_cast<std::chrono::milliseconds>(idle).count() > t->read_timeout_ms) {
    t->stalled = true;
    return 1;
  }
  return 0;
}

bool Permanent(CURLcode rc) {
  switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
      return true;
    default:
      return false;
  }
}

}  // namespace

struct CurlGetter::Impl {
  CurlOptions options;
  CURL* curl = nullptr;
  char error[CURL_ERROR_SIZE] = {};
};

CurlGetter::CurlGetter(CurlOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->curl = curl_easy_init();
}

CurlGetter::~CurlGetter() {
  if (impl_->curl) curl_easy_cleanup(impl_->curl);
}

Result<FetchResponse> CurlGetter::Get(const std::string& url) {
  CURL* c = impl_->curl;
  if (!c) return Status::Internal("libcurl could not be initialised");
  const CurlOptions& o = impl_->options;
  Transfer t;
  t.max_body = o.max_body_bytes;
  t.read_timeout_ms = o.read_timeout_ms;
  t.last_byte = std::chrono::steady_clock::now();
  impl_->error[0] = 0;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, o.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, impl_->error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!o.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, o.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout_ms));
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl decodes (gzip, deflate ...)
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    std::string why = impl_->error[0] ? impl_->error : curl_easy_strerror(rc);
    if (t.stalled) why = "read timeout: nothing received for " + std::to_string(o.read_timeout_ms) + " ms";
    if (t.too_large) why = "body over " + std::to_string(o.max_body_bytes) + " bytes";
    if (rc == CURLE_PARTIAL_FILE) why = "truncated body (shorter than its Content-Length): " + why;
    std::string msg = "GET " + url + ": " + why;
    if (Permanent(rc)) return Status::Unsupported(msg);
    return Status::IoError(msg);
  }
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  t.response.status = code;
  return std::move(t.response);
}

}  // namespace ts
