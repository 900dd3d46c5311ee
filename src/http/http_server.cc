#include "http/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <atomic>
#include <thread>
#include <vector>

#include "http/http_session.h"

namespace ts {

namespace http_detail {

ServerContext::ServerContext(const RequestHandler& a, const RequestHandler* s, HttpOptions o, const Clock& c)
    : api(a), site(s), options(std::move(o)), clock(c), workers(static_cast<size_t>(std::max(1, options.worker_threads))) {
  if (options.rate_limit_per_minute > 0) limiter.emplace(options.rate_limit_per_minute);
  keep_running_.emplace(io.get_executor());
}

bool ServerContext::Register(const std::shared_ptr<HttpSession>& session, const std::string& client) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_ || sessions_.size() >= options.max_connections) return false;
  size_t& n = per_client_[client];
  if (n >= options.max_connections_per_client) return false;
  ++n;
  sessions_.emplace(session.get(), session);
  return true;
}

void ServerContext::Unregister(const HttpSession* session, const std::string& client) {
  std::lock_guard<std::mutex> lock(mu_);
  if (sessions_.erase(session) == 0) return;  // a refused connection was never counted
  auto it = per_client_.find(client);
  if (it != per_client_.end() && --it->second == 0) per_client_.erase(it);
  if (stopping_ && sessions_.empty()) Drained();
}

// Nothing is left in flight: the loop ends now, without waiting for its timers (the drain deadline, an accept retry).
void ServerContext::Drained() {
  keep_running_.reset();
  io.stop();
}

void ServerContext::BeginDrain() {
  std::vector<std::shared_ptr<HttpSession>> open_sessions;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    for (auto& [key, weak] : sessions_)
      if (auto s = weak.lock()) open_sessions.push_back(std::move(s));
    if (sessions_.empty()) Drained();
  }
  for (auto& s : open_sessions) s->Drain();
}

size_t ServerContext::open() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

}  // namespace http_detail

using http_detail::HttpSession;
using http_detail::ServerContext;
namespace net = boost::asio;
using tcp = boost::asio::ip::tcp;

struct HttpServer::Impl {
  ServerContext context;
  net::strand<net::io_context::executor_type> strand;  // the acceptor and the timers below, with io_threads > 1
  tcp::acceptor acceptor;
  net::steady_timer retry_accept;  // after EMFILE / ENFILE
  net::steady_timer drain_deadline;
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> running{false};
  bool bound = false;

  Impl(const RequestHandler& a, HttpOptions o, const Clock& c, const RequestHandler* s)
      : context(a, s, std::move(o), c),
        strand(net::make_strand(context.io)),
        acceptor(strand),
        retry_accept(strand),
        drain_deadline(strand) {}

  void Accept();
  void OnAccept(boost::system::error_code ec, tcp::socket socket);
  void BeginStop();
};

void HttpServer::Impl::Accept() {
  acceptor.async_accept(net::make_strand(context.io),
                        [this](boost::system::error_code ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void HttpServer::Impl::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (!acceptor.is_open() || ec == net::error::operation_aborted) return;  // stopping
  if (ec) {
    // Out of descriptors (or another transient failure): pause instead of spinning; the backlog holds the rest.
    retry_accept.expires_after(std::chrono::milliseconds(100));
    retry_accept.async_wait([this](boost::system::error_code wec) {
      if (!wec && acceptor.is_open()) Accept();
    });
    return;
  }
  boost::system::error_code peer_ec;
  auto peer = socket.remote_endpoint(peer_ec);
  std::string client = peer_ec ? std::string("unknown") : peer.address().to_string();
  socket.set_option(tcp::no_delay(true), peer_ec);  // small answers must not wait for Nagle's delayed ACK
  auto session = std::make_shared<HttpSession>(std::move(socket), context, client);
  if (context.Register(session, client)) {
    session->Start();
  } else {
    session->Refuse("too many connections; try again later");
  }
  Accept();
}

void HttpServer::Impl::BeginStop() {
  boost::system::error_code ignored;
  acceptor.close(ignored);
  retry_accept.cancel();
  context.BeginDrain();
  drain_deadline.expires_after(std::chrono::milliseconds(context.options.drain_timeout_ms));
  drain_deadline.async_wait([this](boost::system::error_code ec) {
    if (!ec) context.io.stop();  // requests still in flight past the deadline are abandoned
  });
}

HttpServer::HttpServer(const RequestHandler& api, HttpOptions options, const Clock& clock, const RequestHandler* site)
    : impl_(std::make_unique<Impl>(api, std::move(options), clock, site)) {}

HttpServer::~HttpServer() {
  Stop();
  impl_->context.workers.join();
}

Status HttpServer::Bind() {
  const HttpOptions& o = impl_->context.options;
  boost::system::error_code ec;
  auto address = net::ip::make_address(o.host, ec);
  if (ec) return Status::InvalidArgument("cannot bind " + o.host + ": not an IP address");
  tcp::endpoint endpoint(address, static_cast<unsigned short>(o.port));
  tcp::acceptor& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(o.listen_backlog, ec);
  if (ec) {
    boost::system::error_code ignored;
    a.close(ignored);
    return Status::IoError("cannot bind " + o.host + ":" + std::to_string(o.port) + ": " + ec.message());
  }
  bound_port_ = a.local_endpoint().port();
  impl_->bound = true;
  return Status::Ok();
}

Status HttpServer::Run() {
  if (!impl_->bound) TS_RETURN_IF_ERROR(Bind());
  Impl& impl = *impl_;
  impl.running = true;
  net::post(impl.strand, [&impl] { impl.Accept(); });
  std::vector<std::thread> extra;
  for (int i = 1; i < impl.context.options.io_threads; ++i) extra.emplace_back([&impl] { impl.context.io.run(); });
  impl.context.io.run();
  for (auto& t : extra) t.join();
  impl.running = false;
  return Status::Ok();
}

void HttpServer::Stop() {
  if (impl_->stop_requested.exchange(true)) return;
  // Runs on the event loop: at once when serving, as soon as Run() starts otherwise.
  net::post(impl_->strand, [impl = impl_.get()] { impl->BeginStop(); });
}

bool HttpServer::running() const { return impl_->running; }

size_t HttpServer::open_connections() const { return impl_->context.open(); }

}  // namespace ts
