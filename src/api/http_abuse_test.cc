// The server under abuse on loopback: 200 slowloris connections (one byte a second, reconnecting when cut) and 500
// idle keep-alive connections, while a normal client's p99 over 200 requests stays under 50 ms. Bounded: ~15 s.
// bench/http/abuse.py runs the same attack against any running `trialscope serve`.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "http/http_server.h"
#include "api/http_test_support.h"

namespace ts {
namespace {

using Clock = std::chrono::steady_clock;
using testing::Connect;
using testing::Get;
using testing::ReadResponse;
using testing::SendAll;

constexpr int kSlowloris = 200;
constexpr int kIdle = 500;
constexpr int kNormalRequests = 200;

// Attackers come from 127.0.0.10 ... 127.0.0.39 (25 connections each, under the per-address cap), the normal
// client from 127.0.0.1.
std::string AttackerAddress(int i) { return "127.0.0." + std::to_string(10 + i % 30); }

bool RaiseDescriptorLimit(rlim_t want) {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) return false;
  if (r.rlim_cur >= want) return true;
  r.rlim_cur = std::min(want, r.rlim_max);
  return setrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur >= want;
}

// Holds kSlowloris connections that each send one byte of an endless header a second, reconnecting when the server
// cuts one (as a real slowloris does). Stops when `stop` is set.
void Slowloris(int port, const std::atomic<bool>& stop, std::atomic<int>& reconnects) {
  std::vector<int> fds(kSlowloris, -1);
  std::vector<size_t> sent(kSlowloris, 0);
  const std::string request = "GET /api/v2/version HTTP/1.1\r\nHost: t\r\nX-a: ";
  while (!stop) {
    for (int i = 0; i < kSlowloris && !stop; ++i) {
      if (fds[i] < 0) {
        fds[i] = Connect(port, AttackerAddress(i));
        sent[i] = 0;
        if (fds[i] >= 0) reconnects++;
      }
      char byte = sent[i] < request.size() ? request[sent[i]] : 'x';
      if (fds[i] >= 0 && ::send(fds[i], &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1) {
        ++sent[i];
      } else if (fds[i] >= 0) {
        ::close(fds[i]);
        fds[i] = -1;
      }
    }
    for (int t = 0; t < 20 && !stop; ++t) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (int fd : fds)
    if (fd >= 0) ::close(fd);
}

TEST(HttpAbuseTest, SlowAndIdleClientsDoNotStallANormalClient) {
  ASSERT_TRUE(RaiseDescriptorLimit(4096)) << "needs 4096 descriptors (2 per attack connection)";
  testing::TestRegistry registry;
  // No timeout comes to the rescue here: what keeps the normal client fast is that waiting costs no thread.
  HttpServer server(*registry.api, {.host = "127.0.0.1",
                                       .port = 0,
                                       .worker_threads = 2,
                                       .idle_timeout_ms = 60000,  // the attack stays at full strength throughout:
                                       .request_timeout_ms = 60000},
                    testing::TestClock());
  ASSERT_TRUE(server.Bind().ok());
  std::thread serving([&] { (void)server.Run(); });
  const int port = server.bound_port();

  // 500 keep-alive connections that each make one request and then stay silent.
  std::vector<int> idle;
  for (int i = 0; i < kIdle; ++i) {
    int fd = Connect(port, AttackerAddress(i + 7));
    ASSERT_GE(fd, 0) << i;
    std::string buffer;
    ASSERT_TRUE(SendAll(fd, Get("/api/v2/version")));
    auto r = ReadResponse(fd, buffer);
    ASSERT_TRUE(r && r->status == 200) << i;
    idle.push_back(fd);
  }
  std::atomic<bool> stop{false};
  std::atomic<int> reconnects{0};
  std::thread attack([&] { Slowloris(port, stop, reconnects); });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  size_t open_under_attack = server.open_connections();

  // The normal client: a new connection per request, as a browser opening the site would.
  std::vector<double> ms;
  int failures = 0;
  for (int i = 0; i < kNormalRequests; ++i) {
    Clock::time_point start = Clock::now();
    auto r = testing::Exchange(port, Get(i % 2 ? "/api/v2/studies?query.cond=aplastic%20anemia&pageSize=2" : "/api/v2/version"));
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (!r || r->status != 200) ++failures;
    std::this_thread::sleep_for(std::chrono::milliseconds(15));
  }
  size_t open_after = server.open_connections();
  stop = true;
  attack.join();
  std::sort(ms.begin(), ms.end());
  double p50 = ms[ms.size() / 2], p99 = ms[ms.size() * 99 / 100 - 1];
  std::cout << "normal client under attack: p50 " << p50 << " ms, p99 " << p99 << " ms, max " << ms.back()
            << " ms; open connections " << open_under_attack << " -> " << open_after << "; slowloris connects "
            << reconnects << "\n";
  EXPECT_EQ(failures, 0);
  EXPECT_LT(p99, 50.0);
  EXPECT_GE(open_under_attack, static_cast<size_t>(kIdle + kSlowloris) * 9 / 10) << "the attack was really held open";
  for (int fd : idle) ::close(fd);
  server.Stop();
  serving.join();
}

}  // namespace
}  // namespace ts
