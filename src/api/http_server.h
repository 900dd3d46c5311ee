// Serves ApiHandler (and the web site) over HTTP with cpp-httplib, with limits so that slow or hostile clients cannot
// starve the others: read/write timeouts, a body limit, keep-alive limits, a fixed pool of worker
// threads and a bounded queue of accepted connections (when it is full the accept loop waits and
// new connections queue in the kernel's backlog).
//   HttpServer server(api, {.port = 8080});
//   Status s = server.Run();   // blocks until Stop()
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "api/api.h"

namespace ts {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0: pick a free port (see bound_port())
  int worker_threads = 8;
  size_t max_pending_connections = 64;
  int read_timeout_seconds = 5;
  int write_timeout_seconds = 10;
  size_t max_body_bytes = 1 << 20;
  size_t keep_alive_max_requests = 100;
  int keep_alive_timeout_seconds = 5;
};

class HttpServer {
 public:
  // /api/... goes to `api`; every other path to `site` (the web site) when given, else 404.
  HttpServer(const ApiHandler& api, HttpOptions options, const RequestHandler* site = nullptr);
  ~HttpServer();

  // Binds and serves until Stop(); IoError if the address cannot be bound.
  Status Run();
  // Binds now (so bound_port() is known) without serving; Run() then serves.
  Status Bind();
  int bound_port() const { return bound_port_; }
  void Stop();
  bool running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int bound_port_ = 0;
};

}  // namespace ts
