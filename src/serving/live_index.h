// The served index follows the store: `serve` answers from one snapshot of the store (its search
// index, screening, API and site handlers), notices when the store's data generation changes (an
// import or sync by another process), builds the next snapshot off the request threads and swaps it
// in atomically. A request in flight keeps the snapshot it started on until it finishes.
//   LiveIndex live(generation_fn, build_fn);
//   TS_RETURN_IF_ERROR(live.Start());                    // the first snapshot, built before serving
//   HttpServer server(live.api(), options, clock, &live.site());
//   std::thread poll([&] { live.Poll(live.Every(std::chrono::seconds(5))); });   // until live.StopPolling()
// Page tokens follow docs/API.md across a swap: date, enrollment and distance sorts continue; a
// relevance token from before the swap is refused with a 400 saying the studies changed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "api/api.h"
#include "service/screening_service.h"
#include "service/search_service.h"
#include "web/site.h"

namespace ts {

// One generation of what is served. The handlers refer to the services beside them.
struct ServedSnapshot {
  int64_t generation = 0;
  std::unique_ptr<SearchService> search;
  std::unique_ptr<ScreeningService> screening;
  std::unique_ptr<ProtocolService> protocols;  // the API's protocol and timeline routes
  std::unique_ptr<ApiHandler> api;
  std::unique_ptr<WebSite> site;
};

class LiveIndex {
 public:
  // Reads the store's data generation (cheap; called from the polling thread only).
  using GenerationFn = std::function<Result<int64_t>()>;
  // Builds the snapshot of a generation (called from Start's and the polling thread only).
  using BuildFn = std::function<Result<std::unique_ptr<ServedSnapshot>>(int64_t generation)>;
  // Told of each swap or failed rebuild ("search index: now 1,234 studies (generation 9)"); may be null.
  using LogFn = std::function<void(const std::string&)>;

  LiveIndex(GenerationFn generation, BuildFn build, LogFn log = nullptr)
      : generation_(std::move(generation)), build_(std::move(build)), log_(std::move(log)) {}

  // Builds the first snapshot. Call once, before serving.
  Status Start();
  // Checks the generation once; if it changed, builds its snapshot and swaps it in. Returns whether it
  // swapped. On a failed build the current snapshot keeps serving (and the error is returned).
  Result<bool> Refresh();
  // Refreshes each time `wait` returns true, until it returns false (a failed refresh is logged and retried
  // the next time). `wait` blocks until the next look is due: the poller's clock, injected.
  void Poll(const std::function<bool()>& wait);
  // A wait for Poll: true once `interval` has passed (std::condition_variable::wait_for, a steady clock),
  // false as soon as StopPolling has been called.
  std::function<bool()> Every(std::chrono::milliseconds interval);
  void StopPolling();

  // The snapshot serving now; valid as long as the caller holds it, whatever swaps happen meanwhile.
  std::shared_ptr<const ServedSnapshot> current() const { return current_.load(); }
  // Handlers that answer each request from the snapshot current when it arrives. Thread-safe.
  const RequestHandler& api() const { return api_front_; }
  const RequestHandler& site() const { return site_front_; }

 private:
  class Front final : public RequestHandler {
   public:
    Front(const LiveIndex& live, bool api) : live_(live), api_(api) {}
    HttpResponse Handle(const HttpRequest& request) const override;

   private:
    const LiveIndex& live_;
    bool api_;
  };

  GenerationFn generation_;
  BuildFn build_;
  LogFn log_;
  std::atomic<std::shared_ptr<const ServedSnapshot>> current_;
  Front api_front_{*this, true};
  Front site_front_{*this, false};
  std::mutex poll_mu_;
  std::condition_variable poll_cv_;
  bool stop_ = false;
};

}  // namespace ts
