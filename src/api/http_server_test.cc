// The HTTP layer on loopback, byte for byte: RFC 9112 framing, methods, limits, headers, deadlines, shutdown.
#include "http/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "api/http_test_support.h"

namespace ts {
namespace {

using Clock = std::chrono::steady_clock;
using testing::ClosedWithin;
using testing::Connect;
using testing::Exchange;
using testing::Get;
using testing::RawResponse;
using testing::ReadResponse;
using testing::SendAll;

long MsSince(Clock::time_point t) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count());
}

// A server on a free loopback port, serving on its own thread until destroyed.
class RunningServer {
 public:
  RunningServer(const ApiHandler& api, HttpOptions options, const RequestHandler* site = nullptr)
      : server_(api, Loopback(std::move(options)), ts::testing::TestClock(), site) {
    EXPECT_TRUE(server_.Bind().ok());
    thread_ = std::thread([this] { status_ = server_.Run(); });
  }
  ~RunningServer() { Join(); }
  void Join() {
    server_.Stop();
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return server_.bound_port(); }
  HttpServer& server() { return server_; }

 private:
  static HttpOptions Loopback(HttpOptions o) {
    o.host = "127.0.0.1";
    o.port = 0;
    return o;
  }
  HttpServer server_;
  std::thread thread_;
  Status status_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { registry_ = new testing::TestRegistry(); }
  static void TearDownTestSuite() { delete registry_; }
  static const ApiHandler& api() { return *registry_->api; }
  static testing::TestRegistry* registry_;
};
testing::TestRegistry* HttpServerTest::registry_;

void ExpectErrorShape(const RawResponse& r, int code, std::string_view status) {
  EXPECT_EQ(r.status, code) << r.head;
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  std::string want = R"({"error":{"code":)" + std::to_string(code) + R"(,"status":")" + std::string(status) + R"(","message":")";
  EXPECT_EQ(r.body.compare(0, want.size(), want), 0) << r.body;
}

TEST_F(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer s(api(), {.worker_threads = 4});
  int fd = Connect(s.port());
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd, Get("/api/v2/studies/NCT06964971?fields=NCTId") + Get("/api/v2/nothing") +
                              Get("/api/v2/version") + Get("/api/v2/studies/NCT07334093?fields=NCTId")));
  std::string buffer;
  std::vector<std::optional<RawResponse>> r;
  for (int i = 0; i < 4; ++i) r.push_back(ReadResponse(fd, buffer));
  ::close(fd);
  for (const auto& x : r) ASSERT_TRUE(x.has_value());
  EXPECT_EQ(r[0]->body, R"({"protocolSection":{"identificationModule":{"nctId":"NCT06964971"}}})");
  ExpectErrorShape(*r[1], 404, "NOT_FOUND");
  EXPECT_NE(r[2]->body.find(R"("apiVersion":"2.0.0")"), std::string::npos);
  EXPECT_EQ(r[3]->body, R"({"protocolSection":{"identificationModule":{"nctId":"NCT07334093"}}})");
}

TEST_F(HttpServerTest, BrokenFramingIsRefusedAtOnceWith400) {
  RunningServer s(api(), {});
  const std::string post = "POST /api/match HTTP/1.1\r\nHost: t\r\n";
  using namespace std::string_literals;
  const std::string cases[] = {
      "Content-Length: 5\r\nContent-Length: 6\r\n\r\n{}   "s,  // two conflicting lengths (RFC 9112 6.3)
      "Content-Length: 5, 6\r\n\r\n{}   "s,
      "Content-Length: -1\r\n\r\n"s,
      "Content-Length: 12abc\r\n\r\n"s,
      "Content-Length: 99999999999999999999999\r\n\r\n"s,
      "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"s,  // both: smuggling
      "X-Bad: a\0b\r\n\r\n"s,  // a raw NUL
      "Bad Header: x\r\n\r\n"s,
  };
  for (const std::string& c : cases) {
    std::string request = post + c;
    Clock::time_point start = Clock::now();
    auto r = Exchange(s.port(), request);
    ASSERT_TRUE(r) << c;
    ExpectErrorShape(*r, 400, "INVALID_ARGUMENT");
    EXPECT_EQ(r->Header("Connection"), "close") << c;
    EXPECT_LT(MsSince(start), 1000) << "answered at once: " << c;
  }
  auto garbage = Exchange(s.port(), "\x16\x03\x01 hello\r\n\r\n");
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400);
}

TEST_F(HttpServerTest, OversizedHeadersGet431AndLongUris414) {
  RunningServer s(api(), {});
  auto big_header = Exchange(s.port(), Get("/api/v2/version", "X-Filler: " + std::string(9000, 'a') + "\r\n"));
  ASSERT_TRUE(big_header);
  ExpectErrorShape(*big_header, 431, "INVALID_ARGUMENT");
  auto many_headers = std::string();
  for (int i = 0; i < 400; ++i) many_headers += "X-H" + std::to_string(i) + ": 0123456789abcdef\r\n";
  auto many = Exchange(s.port(), Get("/api/v2/version", many_headers));
  ASSERT_TRUE(many);
  EXPECT_EQ(many->status, 431);
  auto long_uri = Exchange(s.port(), Get("/api/v2/studies?query.term=" + std::string(20000, 'a')));
  ASSERT_TRUE(long_uri);
  ExpectErrorShape(*long_uri, 414, "INVALID_ARGUMENT");
  auto big_body = Exchange(s.port(), "POST /api/match HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\n{");
  ASSERT_TRUE(big_body);
  ExpectErrorShape(*big_body, 413, "INVALID_ARGUMENT");
}

TEST_F(HttpServerTest, EveryMethodGetsTheDocumentedStatus) {
  RunningServer s(api(), {});
  auto get = Exchange(s.port(), Get("/api/v2/version"));
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  // HEAD answers like GET, without the body: the next pipelined response follows the header at once.
  int fd = Connect(s.port());
  ASSERT_TRUE(SendAll(fd, "HEAD /api/v2/version HTTP/1.1\r\nHost: t\r\n\r\n" + Get("/api/v2/version")));
  std::string buffer;
  auto head = ReadResponse(fd, buffer, true);
  auto after = ReadResponse(fd, buffer);
  ::close(fd);
  ASSERT_TRUE(head && after);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("Content-Length"), std::to_string(get->body.size()));
  EXPECT_EQ(head->Header("Content-Type"), "application/json");
  EXPECT_EQ(after->body, get->body);
  auto head_missing = Exchange(s.port(), "HEAD /api/v2/studies/NCT00000000 HTTP/1.1\r\nHost: t\r\n\r\n", true);
  ASSERT_TRUE(head_missing);
  EXPECT_EQ(head_missing->status, 404);
  for (std::string method : {"PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "FROB", "CONNECT"}) {
    for (std::string path : {"/api/v2/studies", "/study/NCT06964971"}) {
      Clock::time_point start = Clock::now();
      auto r = Exchange(s.port(), method + " " + path + " HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
      ASSERT_TRUE(r) << method;
      ExpectErrorShape(*r, 400, "INVALID_ARGUMENT");
      EXPECT_EQ(r->Header("Allow"), "GET, HEAD, POST") << method;
      EXPECT_LT(MsSince(start), 1000) << method;
    }
  }
  auto post_on_get_route = Exchange(s.port(), "POST /api/v2/version HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(post_on_get_route);
  ExpectErrorShape(*post_on_get_route, 405, "INVALID_ARGUMENT");
  EXPECT_EQ(post_on_get_route->Header("Allow"), "GET");
  auto get_on_post_route = Exchange(s.port(), Get("/api/v2/studies/NCT06964971/timeline"));
  ASSERT_TRUE(get_on_post_route);
  ExpectErrorShape(*get_on_post_route, 405, "INVALID_ARGUMENT");
  EXPECT_EQ(get_on_post_route->Header("Allow"), "POST");
  auto unknown_path = Exchange(s.port(), Get("/nothing/here"));
  ASSERT_TRUE(unknown_path);
  ExpectErrorShape(*unknown_path, 404, "NOT_FOUND");
}

TEST_F(HttpServerTest, NosniffEverywhereAndCorsOnlyWhenConfigured) {
  {
    RunningServer plain(api(), {});
    auto r = Exchange(plain.port(), Get("/api/v2/version", "Origin: https://example.org\r\n"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r->Header("Cache-Control"), "no-store");
    EXPECT_EQ(r->Header("Access-Control-Allow-Origin"), "");
    EXPECT_EQ(r->Header("Date"), "Fri, 20 Nov 2026 00:00:00 GMT");  // from the clock the server was given
  }
  RunningServer cors(api(), {.cors_origin = "https://example.org"});
  auto r = Exchange(cors.port(), Get("/api/v2/studies?query.cond=anemia&pageSize=1"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("Access-Control-Allow-Origin"), "https://example.org");
  EXPECT_EQ(r->Header("Vary"), "Origin");
  auto preflight = Exchange(cors.port(), "OPTIONS /api/v2/studies HTTP/1.1\r\nHost: t\r\nOrigin: https://example.org\r\n"
                                         "Access-Control-Request-Method: GET\r\n\r\n");
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_EQ(preflight->Header("Access-Control-Allow-Methods"), "GET, HEAD");
  EXPECT_EQ(preflight->Header("Access-Control-Allow-Origin"), "https://example.org");
  EXPECT_EQ(preflight->Header("X-Content-Type-Options"), "nosniff");
  auto post = Exchange(cors.port(), "POST /api/match HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->Header("Access-Control-Allow-Origin"), "") << "only the read-only API is shared";
  auto site_options = Exchange(cors.port(), "OPTIONS /study/x HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(site_options);
  EXPECT_EQ(site_options->status, 400);
}

TEST_F(HttpServerTest, RateLimitAnswers429WithRetryAfter) {
  RunningServer s(api(), {.rate_limit_per_minute = 3});
  int fd = Connect(s.port());
  std::string buffer;
  ASSERT_TRUE(SendAll(fd, Get("/api/v2/version") + Get("/api/v2/version") + Get("/api/v2/version") + Get("/api/v2/version")));
  for (int i = 0; i < 3; ++i) {
    auto r = ReadResponse(fd, buffer);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  auto limited = ReadResponse(fd, buffer);
  ::close(fd);
  ASSERT_TRUE(limited);
  ExpectErrorShape(*limited, 429, "RESOURCE_EXHAUSTED");
  EXPECT_EQ(limited->Header("Retry-After"), "20");  // 3 per minute: one more every 20 s
  EXPECT_NE(limited->Header("Connection"), "close") << "the connection stays usable";
}

TEST_F(HttpServerTest, ConnectionCapsPerClientAddress) {
  RunningServer s(api(), {.max_connections_per_client = 4});
  std::vector<int> held;
  for (int i = 0; i < 4; ++i) held.push_back(Connect(s.port(), "127.0.0.2"));
  for (int i = 0; i < 50 && s.server().open_connections() < 4; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  int fifth = Connect(s.port(), "127.0.0.2");
  std::string buffer;
  auto refused = ReadResponse(fifth, buffer);
  ASSERT_TRUE(refused);
  ExpectErrorShape(*refused, 503, "UNAVAILABLE");
  EXPECT_EQ(refused->Header("Retry-After"), "5");
  ::close(fifth);
  auto other = Exchange(s.port(), Get("/api/v2/version"));  // from 127.0.0.1
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
  for (int fd : held) ::close(fd);
}

TEST_F(HttpServerTest, TheRequestDeadlineIsNotRestartedByATrickle) {
  RunningServer s(api(), {.idle_timeout_ms = 500, .request_timeout_ms = 1000});
  int trickle = Connect(s.port());
  int idle = Connect(s.port());
  ASSERT_GE(trickle, 0);
  Clock::time_point start = Clock::now();
  std::string request = Get("/api/v2/version", "X-Slow: " + std::string(40, 'x') + "\r\n");
  bool closed = false;
  for (size_t i = 0; i < request.size() - 2 && !closed; ++i) {  // one byte every 100 ms: 6 s for the whole request
    closed = !SendAll(trickle, request.substr(i, 1)) || ClosedWithin(trickle, 100);
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(MsSince(start), 1800) << "closed at the 1 s request deadline (plus the 500 ms idle wait at most)";
  EXPECT_TRUE(ClosedWithin(idle, 200)) << "an idle connection is closed after idle_timeout_ms";
  ::close(trickle);
  ::close(idle);
}

// A request whose header or body has not arrived by the deadline is answered 408 and closed; a connection on
// which nothing arrived is closed after the idle timeout without an answer.
TEST_F(HttpServerTest, AnIncompleteRequestGets408AtItsDeadline) {
  RunningServer s(api(), {.idle_timeout_ms = 300, .request_timeout_ms = 600});
  const std::string partial[] = {
      "GET /api/v2/version HTTP/1.1\r\nHost: t\r\n",                              // the header never ends
      "POST /api/match HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n{}",  // the body is short
      "G",
  };
  for (const std::string& request : partial) {
    int fd = Connect(s.port());
    ASSERT_GE(fd, 0);
    Clock::time_point start = Clock::now();
    ASSERT_TRUE(SendAll(fd, request));
    std::string buffer;
    auto r = ReadResponse(fd, buffer);
    long ms = MsSince(start);
    ASSERT_TRUE(r) << request;
    ExpectErrorShape(*r, 408, "DEADLINE_EXCEEDED");
    EXPECT_EQ(r->Header("Connection"), "close") << request;
    EXPECT_NE(r->body.find("did not arrive within 600 ms"), std::string::npos) << r->body;
    EXPECT_GE(ms, 550) << request;
    EXPECT_LT(ms, 1500) << request;
    EXPECT_TRUE(ClosedWithin(fd, 1500)) << request;
    ::close(fd);
  }
  int silent = Connect(s.port());
  ASSERT_GE(silent, 0);
  char byte;
  ssize_t n = ::recv(silent, &byte, 1, 0);  // blocks until the idle timeout closes it (SO_RCVTIMEO 5 s)
  EXPECT_EQ(n, 0) << "closed without an answer";
  ::close(silent);
}

TEST_F(HttpServerTest, AClientThatStopsReadingIsDisconnectedAndStallsNoOne) {
  RunningServer s(api(), {.worker_threads = 2, .write_timeout_ms = 500});
  int stuck = Connect(s.port());
  int size = 0;
  setsockopt(stuck, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);  // as small as the kernel allows
  std::string many;
  for (int i = 0; i < 200; ++i) many += Get("/api/v2/studies?pageSize=100");  // about 50 KB each
  ASSERT_TRUE(SendAll(stuck, many));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Clock::time_point start = Clock::now();
  auto other = Exchange(s.port(), Get("/api/v2/version"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 200);
  EXPECT_LT(MsSince(start), 200);
  for (int i = 0; i < 300 && s.server().open_connections() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(s.server().open_connections(), 0u) << "the stuck connection is closed after the write deadline";
  ::close(stuck);
}

// A route that takes a while, to catch a shutdown that drops requests in flight.
class SlowSite final : public RequestHandler {
 public:
  HttpResponse Handle(const HttpRequest&) const override {
    started = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return {200, "done", "text/plain"};
  }
  mutable std::atomic<bool> started{false};  // a request is being handled
};

TEST_F(HttpServerTest, StopDrainsRequestsInFlight) {
  SlowSite slow;
  RunningServer s(api(), {}, &slow);
  int busy = Connect(s.port());
  int idle = Connect(s.port());
  ASSERT_TRUE(SendAll(busy, Get("/slow")));
  // Stop once the request is in flight (a fixed sleep raced with a loaded machine: CI saw the request
  // still unread when Stop came).
  for (int i = 0; i < 500 && !slow.started; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(slow.started) << "the request reached the handler";
  Clock::time_point start = Clock::now();
  s.server().Stop();
  std::string buffer;
  auto r = ReadResponse(busy, buffer);
  ASSERT_TRUE(r) << "the request in flight is answered";
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "done");
  EXPECT_EQ(r->Header("Connection"), "close");
  EXPECT_TRUE(ClosedWithin(idle, 1000));
  s.Join();
  EXPECT_LT(MsSince(start), 1500);
  EXPECT_LT(Connect(s.port()), 0) << "no longer accepting";
  ::close(busy);
  ::close(idle);
}

}  // namespace
}  // namespace ts
