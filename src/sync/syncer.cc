#include "sync/syncer.h"

#include <algorithm>
#include <cstdio>

#include "common/date.h"
#include "sync/ctgov_page.h"

namespace ts {

std::string SyncSummary::ToString() const {
  char buf[512];
  std::snprintf(buf, sizeof(buf),
                "pages %lld, studies %lld (new %lld, updated %lld, historical %lld, unchanged %lld, rejected %lld), "
                "restarts %lld, requests %lld, retries %lld, %s through %s (data %s)",
                static_cast<long long>(pages), static_cast<long long>(import.read),
                static_cast<long long>(import.added), static_cast<long long>(import.updated),
                static_cast<long long>(import.historical), static_cast<long long>(import.unchanged),
                static_cast<long long>(import.rejected), static_cast<long long>(restarts),
                static_cast<long long>(requests), static_cast<long long>(retries),
                complete ? "completed" : "stopped; resumable; completed", completed_through.c_str(),
                data_timestamp.c_str());
  return buf;
}

namespace {

void AddUp(ImportSummary& total, const ImportSummary& page) {
  total.read += page.read;
  total.added += page.added;
  total.updated += page.updated;
  total.historical += page.historical;
  total.unchanged += page.unchanged;
  total.rejected += page.rejected;
  total.elapsed_seconds += page.elapsed_seconds;
  for (const auto& r : page.first_rejects) {
    if (total.first_rejects.size() < 20) total.first_rejects.push_back(r);
  }
}

// The run in progress starts over from its first page (its committed pages stay: re-reading them changes nothing).
void RestartRun(SyncCheckpoint& cp, const std::string& data_timestamp) {
  cp.page_token.clear();
  cp.pages_done = 0;
  cp.studies_done = 0;
  cp.data_timestamp = data_timestamp;
}

}  // namespace

Result<std::string> Syncer::FetchDataTimestamp() {
  Result<std::string> body =
      client_.Fetch(VersionUrl(options_.api), [](const std::string& b) { return ReadDataTimestamp(b).status(); });
  if (!body.ok()) return body.status();
  return ReadDataTimestamp(*body);
}

Result<SyncCheckpoint> Syncer::LoadCheckpoint() {
  Result<SyncCheckpoint> stored = store_.GetSyncCheckpoint(options_.api);
  if (!stored.ok() && !stored.status().IsNotFound()) return stored.status();
  if (options_.since.empty()) {
    if (stored.ok()) return stored;
    return Status::InvalidArgument("no sync checkpoint for " + options_.api +
                                   " in this database: give --since DATE or --seed FILE for the first sync");
  }
  Result<PartialDate> d = PartialDate::Parse(options_.since);
  if (!d.ok() || d->day == 0) return Status::InvalidArgument("--since " + options_.since + ": not a date (YYYY-MM-DD)");
  SyncCheckpoint cp = stored.ok() ? *stored : SyncCheckpoint{};
  cp.api = options_.api;
  cp.completed_through = d->ToString();
  cp.run_since.clear();  // a new run from that date
  return cp;
}

Status Syncer::OpenRun(SyncCheckpoint& cp, const std::string& data_timestamp, SyncSummary& sum) {
  if (cp.InRun() && cp.data_timestamp == data_timestamp) {
    sum.resumed = true;
    return Status::Ok();
  }
  if (cp.InRun()) {
    ++sum.restarts;
    if (options_.log) *options_.log << "sync: the registry's data changed since the open run (" << cp.data_timestamp
                                    << " -> " << data_timestamp << "): restarting it from " << cp.run_since << "\n";
  } else {
    cp.run_since = cp.completed_through;
    cp.run_newest.clear();
  }
  RestartRun(cp, data_timestamp);
  return store_.PutSyncCheckpoint(cp);
}

Status Syncer::ImportPage(SyncCheckpoint& cp, const std::string& body, const StudiesPage& page, SyncSummary& sum) {
  SyncCheckpoint next = cp;
  next.page_token = page.next_page_token;
  ++next.pages_done;
  next.studies_done += page.studies;
  next.run_newest = std::max(next.run_newest, page.newest_update);
  if (page.next_page_token.empty()) {  // the run is complete
    next.completed_through = std::max(next.completed_through, next.run_newest);
    next.run_since.clear();
    next.pages_done = 0;
    next.studies_done = 0;
  }
  std::string origin = options_.api + " since " + cp.run_since + " page " + std::to_string(cp.pages_done + 1);
  Result<ImportSummary> imported =
      importer_.ImportText(origin, body, [&] { return store_.PutSyncCheckpoint(next); });
  if (!imported.ok()) return imported.status();
  AddUp(sum.import, *imported);
  ++sum.pages;
  if (options_.log) {
    *options_.log << "sync: page " << cp.pages_done + 1 << ": " << imported->read << " studies (new "
                  << imported->added << ", updated " << imported->updated << ", unchanged " << imported->unchanged
                  << ", rejected " << imported->rejected << ")\n";
  }
  cp = std::move(next);
  return Status::Ok();
}

Result<SyncSummary> Syncer::Run() {
  SyncSummary sum;
  if (options_.page_size < 1 || options_.page_size > 1000) {
    return Status::InvalidArgument("page size " + std::to_string(options_.page_size) + ": must be 1..1000");
  }
  Result<SyncCheckpoint> loaded = LoadCheckpoint();  // before any request: a refused start asks nothing
  if (!loaded.ok()) return loaded.status();
  SyncCheckpoint cp = std::move(*loaded);
  Result<std::string> stamp = FetchDataTimestamp();
  if (!stamp.ok()) return stamp.status();
  TS_RETURN_IF_ERROR(OpenRun(cp, *stamp, sum));
  StudiesPage checked;  // what accept() read of the body Fetch returned last
  auto accept = [&checked](const std::string& b) {
    Result<StudiesPage> p = ReadStudiesPage(b);
    if (!p.ok()) return p.status();
    checked = std::move(*p);
    return Status::Ok();
  };
  bool token_refused = false;
  while (cp.InRun()) {
    if (options_.max_pages >= 0 && sum.pages >= options_.max_pages) break;
    std::string url = StudiesPageUrl(options_.api, cp.run_since, options_.page_size, cp.page_token);
    Result<std::string> body = client_.Fetch(url, accept);
    if (!body.ok() && body.status().IsInvalidArgument() && !cp.page_token.empty() && !token_refused) {
      // The registry no longer knows the page token (a 4xx): start the run over, once.
      token_refused = true;
      ++sum.restarts;
      if (options_.log) *options_.log << "sync: the page token was refused (" << body.status().message()
                                      << "): restarting the run from " << cp.run_since << "\n";
      RestartRun(cp, cp.data_timestamp);
      TS_RETURN_IF_ERROR(store_.PutSyncCheckpoint(cp));
      continue;
    }
    if (!body.ok()) return body.status();
    Result<std::string> now_stamp = FetchDataTimestamp();
    if (!now_stamp.ok()) return now_stamp.status();
    if (*now_stamp != cp.data_timestamp) {
      if (++sum.restarts > options_.max_restarts) {
        return Status::IoError("the registry's dataTimestamp changed " + std::to_string(sum.restarts) +
                               " times during one sync; try again later");
      }
      if (options_.log) *options_.log << "sync: the registry's data changed during the run (" << cp.data_timestamp
                                      << " -> " << *now_stamp << "): restarting from " << cp.run_since << "\n";
      RestartRun(cp, *now_stamp);
      TS_RETURN_IF_ERROR(store_.PutSyncCheckpoint(cp));
      continue;
    }
    TS_RETURN_IF_ERROR(ImportPage(cp, *body, checked, sum));
  }
  sum.complete = !cp.InRun();
  sum.completed_through = cp.completed_through;
  sum.data_timestamp = cp.data_timestamp;
  sum.requests = client_.requests();
  sum.retries = client_.retries();
  return sum;
}

Result<SyncCheckpoint> CheckpointFromStore(StudyStore& store, const std::string& api) {
  std::string newest;
  TS_RETURN_IF_ERROR(store.ForEach([&](const StoredStudy& s) {
    const PartialDate& d = s.study.status.last_update_post_date.date;
    if (!d.empty()) newest = std::max(newest, d.ToString());
    return Status::Ok();
  }));
  if (newest.empty()) {
    return Status::InvalidArgument("the seed gave no study with a LastUpdatePostDate to start syncing from");
  }
  Result<SyncCheckpoint> stored = store.GetSyncCheckpoint(api);
  SyncCheckpoint cp = stored.ok() ? *stored : SyncCheckpoint{};
  cp.api = api;
  cp.completed_through = newest;
  cp.run_since.clear();
  cp.page_token.clear();
  cp.pages_done = cp.studies_done = 0;
  cp.run_newest.clear();
  TS_RETURN_IF_ERROR(store.PutSyncCheckpoint(cp));
  return cp;
}

}  // namespace ts
