// Test support for the HTTP server tests: the seed registry behind an ApiHandler, and a raw-socket HTTP/1.1 client
// that sends exactly the bytes a test gives it (pipelining, broken framing) and reads responses one by one.
//   TestRegistry registry;                       // imports tests/fixtures/studies and legacy
//   int fd = ts::testing::Connect(port);
//   ts::testing::SendAll(fd, "GET /api/v2/version HTTP/1.1\r\nHost: x\r\n\r\n");
//   std::string buffer;
//   auto r = ts::testing::ReadResponse(fd, buffer);   // r->status == 200
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/api.h"
#include "common/strings.h"
#include "service/importer.h"
#include "test_paths.h"
#include "test_clock.h"

namespace ts {
namespace testing {

// The seed trials in a temporary database, searchable and screenable, behind an ApiHandler.
struct TestRegistry {
  TestRegistry() {
    dir = std::make_unique<TempDir>();
    store = std::move(*OpenSqliteStore(dir->Path("t.db"), ts::testing::TestClock()));
    auto sum = Importer(*store, {}).Run({FixturePath("studies"), FixturePath("legacy")});
    if (!sum.ok()) std::abort();
    service = std::move(*SearchService::Build(*store));
    screening = std::move(*ScreeningService::Build(*service));
    api = std::make_unique<ApiHandler>(*service, "2026-11-21T00:00:00Z", clock, screening.get());
  }
  FixedClock clock{PartialDate{2026, 11, 21}};
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<StudyStore> store;
  std::unique_ptr<SearchService> service;
  std::unique_ptr<ScreeningService> screening;
  std::unique_ptr<ApiHandler> api;
};

// A blocking TCP connection to 127.0.0.1:port from `source` (any 127.x.y.z address; empty: the kernel's choice),
// with 5 s send and receive timeouts. -1 on failure.
inline int Connect(int port, const std::string& source = "") {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (!source.empty()) {
    sockaddr_in src{};
    src.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &src.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
      ::close(fd);
      return -1;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

struct RawResponse {
  int status = 0;
  std::string head;  // status line and header fields
  std::string body;
  // The value of header `name` (case-insensitive), "" when absent.
  std::string Header(std::string_view name) const {
    std::string lower_head = ToLowerAscii(head), key = "\r\n" + ToLowerAscii(name) + ":";
    size_t at = lower_head.find(key);
    if (at == std::string::npos) return "";
    size_t start = at + key.size(), end = head.find("\r\n", start);
    return std::string(Trim(std::string_view(head).substr(start, end - start)));
  }
};

// Reads one response from `fd`; bytes after it stay in `buffer` (pipelining). nullopt on EOF, timeout or garbage.
// The body is read by Content-Length; none for `head` requests or 1xx/204/304.
inline std::optional<RawResponse> ReadResponse(int fd, std::string& buffer, bool head = false) {
  auto fill = [&]() {
    char chunk[65536];
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  };
  size_t end;
  while ((end = buffer.find("\r\n\r\n")) == std::string::npos)
    if (!fill()) return std::nullopt;
  RawResponse r;
  r.head = buffer.substr(0, end);
  buffer.erase(0, end + 4);
  if (r.head.size() < 12 || r.head.compare(0, 5, "HTTP/") != 0) return std::nullopt;
  r.status = std::atoi(r.head.c_str() + 9);
  size_t length = 0;
  if (std::string cl = r.Header("Content-Length"); !cl.empty()) length = std::stoul(cl);
  if (head || r.status < 200 || r.status == 204 || r.status == 304) length = 0;
  while (buffer.size() < length)
    if (!fill()) return std::nullopt;
  r.body = buffer.substr(0, length);
  buffer.erase(0, length);
  return r;
}

// Sends `request` on a new connection and reads one response.
inline std::optional<RawResponse> Exchange(int port, std::string_view request, bool head = false) {
  int fd = Connect(port);
  if (fd < 0) return std::nullopt;
  std::string buffer;
  std::optional<RawResponse> r;
  if (SendAll(fd, request)) r = ReadResponse(fd, buffer, head);
  ::close(fd);
  return r;
}

// True when the peer closes `fd` (EOF or reset) within `timeout_ms`, discarding what it sends.
inline bool ClosedWithin(int fd, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char chunk[65536];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(left.count()) + 1) <= 0) continue;
    if (::recv(fd, chunk, sizeof chunk, MSG_DONTWAIT) <= 0) return true;
  }
  return false;
}

inline std::string Get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra_headers) + "\r\n";
}

}  // namespace testing
}  // namespace ts
