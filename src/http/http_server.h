// Serves a RequestHandler for /api/... (the API) and another for the rest (the web site) over HTTP/1.1
// with Boost.Beast on Asio: event-driven, so a connection costs no thread while it waits; routes run on a fixed pool of worker threads. Built for the open internet: a deadline for
// each whole request (header and body), an idle timeout between keep-alive requests, caps on connections overall
// and per client address, RFC 9112 framing (pipelining in order, conflicting or invalid lengths refused), an optional
// per-client rate limit, and a graceful Stop() that lets requests in flight finish.
//   HttpServer server(api, {.port = 8080}, clock);
//   Status s = server.Run();   // blocks until Stop()
#pragma once

#include <memory>
#include <string>

#include "common/clock.h"
#include "http/handler.h"

namespace ts {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0: pick a free port (see bound_port())
  int worker_threads = 8;           // threads that run routes; I/O runs on io_threads
  int io_threads = 2;               // threads that run the event loop (reads, writes, timers)
  int listen_backlog = 4096;        // the kernel caps it at net.core.somaxconn
  size_t max_connections = 4096;    // open connections in all; past it a new one gets 503 and is closed
  size_t max_connections_per_client = 128;  // per client address; past it likewise
  int idle_timeout_ms = 5000;       // a connection waiting for (the first byte of) its next request is closed after this
  int request_timeout_ms = 10000;   // from a request's first byte to its last (header and body); not restarted by
                                    // bytes; past it 408 and close
  int write_timeout_ms = 10000;     // to send one whole response; a client that stops reading is disconnected
  int drain_timeout_ms = 10000;     // Stop(): how long requests in flight may take to finish before the loop ends
  size_t max_header_bytes = 8192;   // request line + header fields; past it 431 (414 when the request line alone is)
  size_t max_body_bytes = 1 << 20;  // past it 413
  size_t keep_alive_max_requests = 100;  // then the response says Connection: close
  int rate_limit_per_minute = 0;    // per client address; 0: no limit. Past it 429 with Retry-After
  std::string cors_origin = "";     // non-empty: Access-Control-Allow-Origin on GET/HEAD /api/... ("*" or an origin)
};

class HttpServer {
 public:
  // /api/... goes to `api`; every other path to `site` (the web site) when given, else 404.
  // GET, HEAD (answered as GET without the body) and POST reach the handlers; OPTIONS on /api/ answers the CORS
  // preflight when cors_origin is set; every other method gets 400. Every response carries
  // X-Content-Type-Options: nosniff and (unless the handler sets one) Cache-Control: no-store.
  // The client address is the TCP peer: forwarded headers (X-Forwarded-For, Forwarded) are never trusted.
  // `clock` gives the Date header. `api`, `site` and `clock` must outlive the server.
  HttpServer(const RequestHandler& api, HttpOptions options, const Clock& clock, const RequestHandler* site = nullptr);
  ~HttpServer();  // Stop()s and joins the workers; destroy it only after Run() has returned
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds now (so bound_port() is known) without serving; IoError if the address cannot be bound.
  Status Bind();
  // Binds if needed and serves until Stop(); returns after the requests in flight have been answered.
  Status Run();
  int bound_port() const { return bound_port_; }
  // Thread-safe, idempotent, callable before or during Run(): stops accepting, closes idle connections, lets the
  // requests in flight finish (each response then says Connection: close), at most drain_timeout_ms.
  void Stop();
  bool running() const;
  // Open connections now (thread-safe; for tests and monitoring).
  size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int bound_port_ = 0;
};

}  // namespace ts
