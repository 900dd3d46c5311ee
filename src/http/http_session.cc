#include "http/http_session.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <ctime>

#include "http/http_message.h"
#include "common/strings.h"

namespace ts {
namespace http_detail {

namespace {

constexpr std::chrono::milliseconds Ms(int ms) { return std::chrono::milliseconds(ms); }

bool IsApiPath(std::string_view path) { return path == "/api" || StartsWith(path, "/api/"); }

// Routes one decoded request (HEAD already turned into GET); never throws.
// "Text/Plain; charset=utf-8" -> "text/plain".
std::string MediaType(std::string_view header) {
  std::string out(header.substr(0, header.find(';')));
  while (!out.empty() && out.back() == ' ') out.pop_back();
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

HttpResponse Route(const ServerContext& context, HttpRequest request) {
  try {
    if (IsApiPath(request.path)) return context.api.Handle(request);
    if (context.site != nullptr) return context.site->Handle(request);
    return ErrorResponse(Status::NotFound("no route " + request.path.substr(0, 200)));
  } catch (const std::exception&) {
    return ErrorResponse(Status::Internal("unexpected error"));
  }
}

// The CORS preflight answer for OPTIONS /api/... (cors_origin set).
Response PreflightResponse(unsigned version, bool keep_alive, const std::string& origin, int64_t now_unix) {
  Response res{http::status::no_content, version};
  res.set(http::field::access_control_allow_origin, origin);
  if (origin != "*") res.set(http::field::vary, "Origin");
  res.set(http::field::access_control_allow_methods, "GET, HEAD");
  res.set(http::field::access_control_allow_headers, "Accept, Content-Type");
  res.set(http::field::access_control_max_age, "600");
  res.set(http::field::date, HttpDate(static_cast<std::time_t>(now_unix)));
  res.set("X-Content-Type-Options", "nosniff");
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(keep_alive);
  return res;
}

}  // namespace

Response MakeResponse(HttpResponse out, const ReplyShape& shape) {
  Response res{static_cast<http::status>(out.http_status), shape.version};
  res.set(http::field::content_type, out.content_type);
  res.set(http::field::date, HttpDate(static_cast<std::time_t>(shape.now_unix)));
  res.set("X-Content-Type-Options", "nosniff");
  bool cache_set = false;
  for (auto& [k, v] : out.headers) {
    cache_set = cache_set || beast::iequals(k, "Cache-Control");
    res.insert(k, v);
  }
  if (!cache_set) res.set(http::field::cache_control, "no-store");
  if (!shape.cors_origin.empty()) {
    res.set(http::field::access_control_allow_origin, std::string(shape.cors_origin));
    if (shape.cors_origin != "*") res.set(http::field::vary, "Origin");
  }
  res.keep_alive(shape.keep_alive);
  size_t length = out.body.size();
  if (!shape.head) res.body() = std::move(out.body);
  res.content_length(length);
  return res;
}

HttpSession::HttpSession(tcp::socket socket, ServerContext& context, std::string client)
    : stream_(std::move(socket)), deadline_(stream_.get_executor()), context_(context), client_(std::move(client)) {}

HttpSession::~HttpSession() { context_.Unregister(this, client_); }

void HttpSession::Start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->WaitForRequest(); });
}

void HttpSession::Drain() {
  net::post(stream_.get_executor(), [self = shared_from_this()] {
    self->draining_ = true;
    if (self->state_ == State::kIdle || self->state_ == State::kReading) self->Close();
  });
}

void HttpSession::Refuse(std::string_view message) {
  net::dispatch(stream_.get_executor(), [self = shared_from_this(), m = std::string(message)] {
    self->SendRefusal(HttpRefusal::kUnavailable, m, true, {{"Retry-After", "5"}});
  });
}

// Waits for the first byte of the next request: at most idle_timeout_ms.
void HttpSession::WaitForRequest() {
  if (draining_) return Close();
  if (buffer_.size() > 0) return ReadHeader();  // pipelined: the next request is already here
  state_ = State::kIdle;
  stream_.expires_after(Ms(context_.options.idle_timeout_ms));
  stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, size_t n) {
    if (ec) return self->Close();  // idle timeout, the client went away, or draining
    self->buffer_.commit(n);
    self->ReadHeader();
  });
}

// From the request's first byte, one deadline covers the header and the body (a trickle of bytes does not move it).
void HttpSession::ReadHeader() {
  state_ = State::kReading;
  stream_.expires_never();
  deadline_passed_ = false;
  deadline_.expires_after(Ms(context_.options.request_timeout_ms));
  deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->OnDeadline();
  });
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(context_.options.max_header_bytes));
  parser_->body_limit(context_.options.max_body_bytes);
  header_bytes_ = 0;
  ParseHeader();
}

// The request did not arrive in time: the pending read is cancelled, and its handler answers 408 (ReadFailed).
void HttpSession::OnDeadline() {
  if (state_ != State::kReading) return;
  deadline_passed_ = true;
  beast::error_code ignored;
  stream_.socket().cancel(ignored);
}

// Feeds buffered bytes to the parser and reads more until the header is complete. The parser's own header_limit
// counts only the bytes of one read, so the limit on the whole header section is kept here.
void HttpSession::ParseHeader() {
  while (buffer_.size() > 0 && !parser_->is_header_done()) {
    beast::error_code ec;
    size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    header_bytes_ += used;
    if (ec == http::error::need_more) break;
    if (ec) return OnHeader(ec);
    if (used == 0) break;
  }
  bool done = parser_->is_header_done();
  if (done ? header_bytes_ > context_.options.max_header_bytes
           : header_bytes_ + buffer_.size() >= context_.options.max_header_bytes) {
    return OnHeader(http::error::header_limit);
  }
  if (done) return OnHeader({});
  if (deadline_passed_) return OnHeader(beast::error::timeout);  // it fired as the last read completed
  stream_.async_read_some(buffer_.prepare(8192), [self = shared_from_this()](beast::error_code ec, size_t n) {
    self->buffer_.commit(n);
    if (ec == net::error::eof) ec = http::error::partial_message;
    if (ec) return self->OnHeader(ec);
    self->ParseHeader();
  });
}

// Handles a failed read; true when `ec` was an error (the connection is then answered or closed).
bool HttpSession::ReadFailed(beast::error_code ec) {
  if (!ec) return false;
  if (deadline_passed_) {
    SendRefusal(HttpRefusal::kRequestTimeout,
                "the request did not arrive within " + std::to_string(context_.options.request_timeout_ms) + " ms", true);
  } else if (ec == http::error::header_limit) {
    bool uri = parser_->get().target().empty();  // the request line itself did not end in time
    SendRefusal(uri ? HttpRefusal::kUriTooLong : HttpRefusal::kHeadersTooLarge,
                uri ? "request line longer than " + std::to_string(context_.options.max_header_bytes) + " bytes"
                    : "header section longer than " + std::to_string(context_.options.max_header_bytes) + " bytes",
                true);
  } else if (ec == http::error::body_limit) {
    SendRefusal(HttpRefusal::kPayloadTooLarge,
                "body longer than " + std::to_string(context_.options.max_body_bytes) + " bytes", true);
  } else if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
             ec.category() != http::make_error_code(http::error::bad_method).category()) {
    Close();  // the client closed, the deadline passed (beast::error::timeout), or a socket error
  } else {
    SendRefusal(HttpRefusal::kBadRequest, "malformed request: " + ec.message(), true);  // framing: RFC 9112 says 400
  }
  return true;
}

void HttpSession::OnHeader(beast::error_code ec) {
  if (ReadFailed(ec)) return;
  const auto& req = parser_->get();
  bool has_body = !parser_->is_done();
  bool close = has_body || !req.keep_alive();  // a refusal leaves an unread body: the connection cannot continue
  auto target = ParseRequestTarget(std::string_view(req.target().data(), req.target().size()));
  if (!target.ok()) return SendRefusal(HttpRefusal::kBadRequest, target.status().message(), close);
  http::verb method = req.method();
  if (method == http::verb::options && IsApiPath(target->path) && !context_.options.cors_origin.empty()) {
    state_ = State::kBusy;
    return Send(PreflightResponse(req.version(), !close && !draining_, context_.options.cors_origin,
                              context_.clock.NowUnixSeconds()), close);
  }
  if (method != http::verb::get && method != http::verb::head && method != http::verb::post) {
    std::string name(req.method_string().substr(0, 20));
    return SendRefusal(HttpRefusal::kBadRequest, "method " + name + " is not allowed on " + target->path.substr(0, 200),
                       close, {{"Allow", "GET, HEAD, POST"}});
  }
  if (context_.limiter) {
    RateDecision d = context_.limiter->Take(client_, RateLimiter::Clock::now());
    if (!d.allowed) {
      return SendRefusal(HttpRefusal::kTooManyRequests,
                         "rate limit of " + std::to_string(context_.options.rate_limit_per_minute) +
                             " requests per minute exceeded; retry after " + std::to_string(d.retry_after_seconds) + " s",
                         close, {{"Retry-After", std::to_string(d.retry_after_seconds)}});
    }
  }
  if (!has_body) return Dispatch();
  if (beast::iequals(req[http::field::expect], "100-continue")) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    return net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                            [self = shared_from_this()](beast::error_code wec, size_t) {
                              if (wec) return self->Close();
                              self->ReadBody();
                            });
  }
  ReadBody();
}

void HttpSession::ReadBody() {
  if (deadline_passed_) return OnBody(beast::error::timeout);
  http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
    self->OnBody(ec);
  });
}

void HttpSession::OnBody(beast::error_code ec) {
  if (ReadFailed(ec)) return;
  Dispatch();
}

// Runs the route on the worker pool; the answer comes back to this connection's strand.
void HttpSession::Dispatch() {
  state_ = State::kBusy;
  deadline_.cancel();
  auto req = parser_->release();
  ++served_;
  bool close = !req.keep_alive() || served_ >= context_.options.keep_alive_max_requests;
  net::post(context_.workers, [self = shared_from_this(), req = std::move(req), close]() mutable {
    bool head = req.method() == http::verb::head;
    auto target = ParseRequestTarget(std::string_view(req.target().data(), req.target().size()));
    auto content_type = req[http::field::content_type];
    HttpRequest request{head ? "GET" : std::string(req.method_string()), std::move(target->path),
                       std::move(target->params), std::move(req.body()),
                       MediaType(std::string_view(content_type.data(), content_type.size()))};
    bool cors = !self->context_.options.cors_origin.empty() && IsApiPath(request.path) && request.method == "GET";
    HttpResponse out = Route(self->context_, std::move(request));
    Response res = MakeResponse(std::move(out), {req.version(), head, !close,
                                                 cors ? std::string_view(self->context_.options.cors_origin) : "",
                                                 self->context_.clock.NowUnixSeconds()});
    net::post(self->stream_.get_executor(), [self, res = std::move(res), close]() mutable {
      self->Send(std::move(res), close);
    });
  });
}

void HttpSession::SendRefusal(HttpRefusal refusal, std::string_view message, bool close,
                              std::vector<std::pair<std::string, std::string>> headers) {
  state_ = State::kBusy;
  deadline_.cancel();
  HttpResponse out = RefusalResponse(refusal, message);
  out.headers = std::move(headers);
  unsigned version = parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
  Send(MakeResponse(std::move(out), {version, false, !close, "", context_.clock.NowUnixSeconds()}), close);
}

// Writes one response under write_timeout_ms; then the next request, or a lingering close.
void HttpSession::Send(Response response, bool close) {
  if (state_ == State::kClosed) return;
  close = close || draining_;
  if (close) response.keep_alive(false);
  state_ = State::kWriting;
  response_.emplace(std::move(response));
  stream_.expires_after(Ms(context_.options.write_timeout_ms));
  http::async_write(stream_, *response_, [self = shared_from_this(), close](beast::error_code ec, size_t) {
    self->OnWritten(ec, close);
  });
}

void HttpSession::OnWritten(beast::error_code ec, bool close) {
  response_.reset();
  if (ec) return Close();  // the client stopped reading (write deadline) or went away
  if (close) return Linger();
  WaitForRequest();
}

// Half-closes, then discards what the client still sends for up to a second, so that the answer is not lost to a
// reset caused by unread request bytes (RFC 9112 9.6).
void HttpSession::Linger() {
  state_ = State::kClosed;
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  stream_.expires_after(std::chrono::seconds(1));
  Discard();
}

void HttpSession::Discard() {
  buffer_.clear();
  stream_.async_read_some(buffer_.prepare(16384), [self = shared_from_this()](beast::error_code ec, size_t) {
    if (ec) return self->Close();
    self->Discard();
  });
}

void HttpSession::Close() {
  state_ = State::kClosed;
  deadline_.cancel();
  beast::error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
}

}  // namespace http_detail
}  // namespace ts
