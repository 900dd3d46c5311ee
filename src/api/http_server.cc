#include "api/http_server.h"

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace ts {

namespace {

// A fixed pool of workers over a bounded queue: enqueue blocks while the queue is full.
class BoundedPool final : public httplib::TaskQueue {
 public:
  BoundedPool(size_t threads, size_t max_pending) : max_pending_(max_pending) {
    for (size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }
  ~BoundedPool() override { shutdown(); }

  void enqueue(std::function<void()> fn) override {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return pending_.size() < max_pending_ || stop_; });
    if (stop_) return;
    pending_.push_back(std::move(fn));
    not_empty_.notify_one();
  }

  void shutdown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      stop_ = true;
    }
    not_empty_.notify_all();
    not_full_.notify_all();
    for (auto& t : workers_) t.join();
  }

 private:
  void Work() {
    while (true) {
      std::function<void()> fn;
      {
        std::unique_lock<std::mutex> lock(mu_);
        not_empty_.wait(lock, [&] { return !pending_.empty() || stop_; });
        if (pending_.empty()) return;  // stopping and drained
        fn = std::move(pending_.front());
        pending_.pop_front();
        not_full_.notify_one();
      }
      fn();
    }
  }

  const size_t max_pending_;
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<std::function<void()>> pending_;
  std::vector<std::thread> workers_;
  bool stop_ = false;
};

}  // namespace

struct HttpServer::Impl {
  const ApiHandler& api;
  HttpOptions options;
  const RequestHandler* site;
  httplib::Server server;
  bool bound = false;
  Impl(const ApiHandler& a, HttpOptions o, const RequestHandler* s) : api(a), options(std::move(o)), site(s) {}
};

HttpServer::HttpServer(const ApiHandler& api, HttpOptions options, const RequestHandler* site)
    : impl_(std::make_unique<Impl>(api, std::move(options), site)) {
  httplib::Server& s = impl_->server;
  const HttpOptions& o = impl_->options;
  s.new_task_queue = [o] { return new BoundedPool(static_cast<size_t>(o.worker_threads), o.max_pending_connections); };
  s.set_read_timeout(o.read_timeout_seconds, 0);
  s.set_write_timeout(o.write_timeout_seconds, 0);
  s.set_payload_max_length(o.max_body_bytes);
  s.set_keep_alive_max_count(o.keep_alive_max_requests);
  s.set_keep_alive_timeout(o.keep_alive_timeout_seconds);
  s.set_tcp_nodelay(true);  // small JSON / HTML responses must not wait for Nagle's delayed ACK
  auto answer = [](const RequestHandler& handler, const httplib::Request& req, httplib::Response& res) {
    ApiRequest r{req.method, req.path, {}, req.body};
    for (const auto& [k, v] : req.params) r.params.emplace_back(k, v);
    ApiResponse out = handler.Handle(r);
    res.status = out.http_status;
    bool cache_set = false;
    for (const auto& [k, v] : out.headers) {
      res.set_header(k, v);
      cache_set = cache_set || k == "Cache-Control";
    }
    if (!cache_set) res.set_header("Cache-Control", "no-store");
    res.set_content(out.body, out.content_type.c_str());
  };
  auto to_api = [this, answer](const httplib::Request& req, httplib::Response& res) { answer(impl_->api, req, res); };
  s.Get(R"(/api/.*)", to_api);
  s.Post(R"(/api/.*)", to_api);
  if (impl_->site != nullptr) {
    auto to_site = [this, answer](const httplib::Request& req, httplib::Response& res) { answer(*impl_->site, req, res); };
    s.Get(R"(/.*)", to_site);
    s.Post(R"(/.*)", to_site);
  }
  s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    // Routing and protocol errors (404 for unknown paths, 413, 414 ...) in the one error shape.
    if (!res.body.empty()) return;
    StatusCode code = res.status == 404 ? StatusCode::kNotFound : StatusCode::kInvalidArgument;
    std::string msg = res.status == 404 ? "no route " + req.path.substr(0, 200)
                                         : "request rejected (HTTP " + std::to_string(res.status) + ")";
    ApiResponse out = ErrorResponse(code == StatusCode::kNotFound ? Status::NotFound(msg) : Status::InvalidArgument(msg));
    res.set_content(out.body, "application/json");
  });
  s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    ApiResponse out = ErrorResponse(Status::Internal("unexpected error"));
    res.status = 500;
    res.set_content(out.body, "application/json");
  });
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Bind() {
  const HttpOptions& o = impl_->options;
  if (o.port == 0) {
    bound_port_ = impl_->server.bind_to_any_port(o.host);
    if (bound_port_ <= 0) return Status::IoError("cannot bind " + o.host);
  } else {
    if (!impl_->server.bind_to_port(o.host, o.port)) {
      return Status::IoError("cannot bind " + o.host + ":" + std::to_string(o.port) + " (in use?)");
    }
    bound_port_ = o.port;
  }
  impl_->bound = true;
  return Status::Ok();
}

Status HttpServer::Run() {
  if (!impl_->bound) TS_RETURN_IF_ERROR(Bind());
  if (!impl_->server.listen_after_bind()) return Status::IoError("server stopped with an error");
  return Status::Ok();
}

void HttpServer::Stop() {
  if (impl_->server.is_running()) impl_->server.stop();
}

bool HttpServer::running() const { return impl_->server.is_running(); }

}  // namespace ts
