// Private to http_server: one HTTP/1.1 connection (Boost.Beast on an Asio strand) and the state the server shares
// with its connections. Not a public header.
//   auto session = std::make_shared<HttpSession>(std::move(socket), context, "192.0.2.7");
//   context.Register(session);  // false: over a cap (the caller refuses the connection)
//   session->Start();
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "common/clock.h"
#include "http/handler.h"
#include "http/http_server.h"
#include "http/rate_limiter.h"

namespace ts {

namespace http_detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using Response = http::response<http::string_body>;

class HttpSession;

// What the server and its connections share. Thread-safe where marked.
struct ServerContext {
  ServerContext(const RequestHandler& a, const RequestHandler* s, HttpOptions o, const Clock& c);

  // Counts a new connection from `client` unless a cap is reached or the server is stopping (then false).
  // Thread-safe.
  bool Register(const std::shared_ptr<HttpSession>& session, const std::string& client);
  // Called by ~HttpSession. Thread-safe. Ends the event loop's work once stopping and nothing is open.
  void Unregister(const HttpSession* session, const std::string& client);
  // Marks the server stopping and asks every open connection to drain. Thread-safe.
  void BeginDrain();
  size_t open() const;

 private:
  // Declared before `io`: sessions destroyed with io's pending handlers still unregister here.
  mutable std::mutex mu_;
  std::unordered_map<const HttpSession*, std::weak_ptr<HttpSession>> sessions_;
  std::unordered_map<std::string, size_t> per_client_;
  bool stopping_ = false;

 public:
  const RequestHandler& api;
  const RequestHandler* site;
  const HttpOptions options;
  const Clock& clock;  // the Date header
  net::io_context io;
  net::thread_pool workers;
  std::optional<RateLimiter> limiter;

 private:
  void Drained();  // with mu_ held
  std::optional<net::executor_work_guard<net::io_context::executor_type>> keep_running_;  // until drained
};

// Builds the wire response for `out`: status, Content-Type, Content-Length (of the body even for HEAD, which sends
// none), Date, X-Content-Type-Options: nosniff, Cache-Control: no-store unless set, CORS when `cors` is set.
struct ReplyShape {
  unsigned version = 11;
  bool head = false;
  bool keep_alive = true;
  std::string_view cors_origin;  // empty: no Access-Control-Allow-Origin
  int64_t now_unix = 0;          // the Date header (seconds since 1970, UTC)
};
Response MakeResponse(HttpResponse out, const ReplyShape& shape);

// One connection: waits for a request (idle timeout: closed without an answer if nothing arrives), reads its
// header and body under one deadline (past it: 408 and close), answers framing errors at once, runs the route on
// the worker pool, writes the answer (write deadline), and repeats for pipelined or keep-alive requests in order.
// All of it on the connection's strand.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, ServerContext& context, std::string client);
  ~HttpSession();

  void Start();
  // Finish the request in flight (its response then says Connection: close); close the connection if idle.
  // Thread-safe (posts to the strand).
  void Drain();
  // Answers 503 with `message` and closes. For a connection that was not registered.
  void Refuse(std::string_view message);

 private:
  enum class State { kIdle, kReading, kBusy, kWriting, kClosed };

  void WaitForRequest();
  void ReadHeader();
  void OnDeadline();
  void ParseHeader();
  void OnHeader(beast::error_code ec);
  void ReadBody();
  void OnBody(beast::error_code ec);
  void Dispatch();
  bool ReadFailed(beast::error_code ec);
  void SendRefusal(HttpRefusal refusal, std::string_view message, bool close,
                   std::vector<std::pair<std::string, std::string>> headers = {});
  void Send(Response response, bool close);
  void OnWritten(beast::error_code ec, bool close);
  void Linger();
  void Discard();
  void Close();

  beast::tcp_stream stream_;
  // The request deadline. Not the stream's own timer: that one closes the socket, and a 408 needs it open.
  net::steady_timer deadline_;
  bool deadline_passed_ = false;  // the pending read was cancelled by deadline_
  ServerContext& context_;
  const std::string client_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<Response> response_;  // alive while it is written
  State state_ = State::kIdle;
  bool draining_ = false;
  size_t served_ = 0;
  size_t header_bytes_ = 0;  // of the request being read
};

}  // namespace http_detail

}  // namespace ts
