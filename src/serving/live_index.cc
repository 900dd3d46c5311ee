#include "serving/live_index.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

HttpResponse LiveIndex::Front::Handle(const HttpRequest& request) const {
  std::shared_ptr<const ServedSnapshot> snap = live_.current();  // held until the response is made
  if (snap == nullptr) return ErrorResponse(Status::Internal("the search index is not loaded yet"));
  if (api_) return snap->api->Handle(request);
  if (snap->site == nullptr) return ErrorResponse(Status::NotFound("no web site on this server"));
  return snap->site->Handle(request);
}

Status LiveIndex::Start() {
  auto gen = generation_();
  if (!gen.ok()) return gen.status();
  auto snap = build_(*gen);
  if (!snap.ok()) return snap.status();
  (*snap)->generation = *gen;
  current_.store(std::shared_ptr<const ServedSnapshot>(std::move(*snap)));
  return Status::Ok();
}

Result<bool> LiveIndex::Refresh() {
  auto gen = generation_();
  if (!gen.ok()) return gen.status();
  std::shared_ptr<const ServedSnapshot> now = current();
  if (now != nullptr && now->generation == *gen) return false;
  auto snap = build_(*gen);
  if (!snap.ok()) return snap.status();
  (*snap)->generation = *gen;
  const size_t studies = (*snap)->search->studies().size();
  current_.store(std::shared_ptr<const ServedSnapshot>(std::move(*snap)));
  if (log_) log_("search index: now " + std::to_string(studies) + " studies (data generation " + std::to_string(*gen) + ")");
  return true;
}

void LiveIndex::Poll(const std::function<bool()>& wait) {
  while (wait()) {
    auto r = Refresh();
    if (!r.ok() && log_) log_("search index: not refreshed: " + r.status().message());
  }
}

std::function<bool()> LiveIndex::Every(std::chrono::milliseconds interval) {
  return [this, interval] {
    std::unique_lock<std::mutex> lock(poll_mu_);
    return !poll_cv_.wait_for(lock, interval, [&] { return stop_; });
  };
}

void LiveIndex::StopPolling() {
  {
    std::lock_guard<std::mutex> lock(poll_mu_);
    stop_ = true;
  }
  poll_cv_.notify_all();
}

}  // namespace ts
