#include "service/change_log.h"

#include <algorithm>
#include <map>

#include "common/strings.h"
#include "ingest/ctgov_json.h"

// GCC 12 reports false -Wrestrict warnings on std::string concatenation chains (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace ts {

std::string ChangeToken(int64_t seq) { return "c" + std::to_string(seq); }

namespace {

// A call's hold on the store: its mutex, and, at the end, the read released (StudyStore::EndRead) so the
// next call sees what other processes committed meanwhile.
struct ReadSession {
  ReadSession(std::mutex& mu, StudyStore& s) : lock(mu), store(s) {}
  ~ReadSession() { store.EndRead(); }
  std::lock_guard<std::mutex> lock;
  StudyStore& store;
};

}  // namespace

Result<int64_t> ParseChangeToken(std::string_view token, int64_t last, std::string_view param) {
  const std::string name(param);
  if (token.empty()) return 0;
  int64_t seq = -1;
  const bool digits = token.size() >= 2 && token.size() <= 19 && token[0] == 'c' &&
                      std::all_of(token.begin() + 1, token.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (!digits || !ParseInt64(token.substr(1), &seq) || seq < 0) {
    return Status::InvalidArgument(name + ": \"" + std::string(token.substr(0, 40)) +
                                   "\" is not a change token (a token is \"c\" and a number, from a nextToken)");
  }
  if (seq > last) {
    return Status::InvalidArgument(name + ": the token " + std::string(token) + " is ahead of this database's changes (the newest is " +
                                   ChangeToken(last) + "): is it from another server?");
  }
  return seq;
}

Result<Study> ChangeLog::ParseStudy(const std::string& key, const std::string& json) const {
  StudyJsonReader reader;
  auto s = reader.Parse(json);
  if (!s.ok()) return Status::Corruption("stored study " + key + ": " + s.status().message());
  return s;
}

Result<StudyHistory> ChangeLog::History(const std::string& id) const {
  ReadSession lock(mu_, store_);
  auto key = store_.ResolveKey(id);
  if (!key.ok()) return key.status();
  auto versions = store_.History(*key);
  if (!versions.ok()) return versions.status();
  return StudyHistory{*key, std::move(*versions)};
}

Result<StoredVersion> ChangeLog::Version(const std::string& id, int version) const {
  ReadSession lock(mu_, store_);
  return store_.GetVersion(id, version);
}

Result<std::vector<FieldChange>> ChangeLog::Diff(const std::string& id, int from, int to) const {
  ReadSession lock(mu_, store_);
  auto a = store_.GetVersion(id, from);
  if (!a.ok()) return a.status();
  auto b = store_.GetVersion(id, to);
  if (!b.ok()) return b.status();
  return DiffStudyJson(a->study_json, b->study_json);
}

Result<ChangeEntry> ChangeLog::Entry(const ChangeRecord& record) const {
  auto now = store_.GetVersion(record.key, record.info.version);
  if (!now.ok()) return now.status();
  auto after = ParseStudy(record.key, now->study_json);
  if (!after.ok()) return after.status();
  ChangeEntry e;
  e.key = record.key;
  e.info = record.info;
  e.nct_id = after->identification.nct_id;
  e.brief_title = after->identification.brief_title;
  e.status = after->status.overall_status;
  if (record.info.version <= 1) {
    e.changes = DescribeChanges(nullptr, *after, {});
    return e;
  }
  auto prev = store_.GetVersion(record.key, record.info.version - 1);
  if (!prev.ok()) return prev.status();
  auto before = ParseStudy(record.key, prev->study_json);
  if (!before.ok()) return before.status();
  auto diff = DiffStudyJson(prev->study_json, now->study_json);
  if (!diff.ok()) return diff.status();
  e.changes = DescribeChanges(&*before, *after, *diff);
  return e;
}

Result<std::vector<ChangeEntry>> ChangeLog::StudyChangesOf(const std::string& id) const {
  ReadSession lock(mu_, store_);
  auto key = store_.ResolveKey(id);
  if (!key.ok()) return key.status();
  auto versions = store_.History(*key);
  if (!versions.ok()) return versions.status();
  std::vector<ChangeEntry> out;
  for (const VersionInfo& v : *versions) {
    auto e = Entry({*key, v});
    if (!e.ok()) return e.status();
    out.push_back(std::move(*e));
  }
  return out;
}

Result<ChangePage> ChangeLog::Changes(std::string_view token, size_t limit) const {
  ReadSession lock(mu_, store_);
  auto last = store_.LastSequence();
  if (!last.ok()) return last.status();
  auto since = ParseChangeToken(token, *last, "since");
  if (!since.ok()) return since.status();
  auto records = store_.ChangesAfter(*since, limit);
  if (!records.ok()) return records.status();
  ChangePage page;
  page.next_token = ChangeToken(*since);
  for (const ChangeRecord& r : *records) {
    auto e = Entry(r);
    if (!e.ok()) return e.status();
    page.next_token = ChangeToken(r.info.seq);
    page.entries.push_back(std::move(*e));
  }
  return page;
}

Result<std::vector<ChangeEntry>> ChangeLog::RecentRelevant(size_t limit, size_t scan) const {
  ReadSession lock(mu_, store_);
  auto last = store_.LastSequence();
  if (!last.ok()) return last.status();
  std::vector<ChangeEntry> out;
  int64_t before = *last + 1;
  size_t scanned = 0;
  while (out.size() < limit && scanned < scan) {
    auto records = store_.ChangesBefore(before, std::min<size_t>(200, scan - scanned));
    if (!records.ok()) return records.status();
    if (records->empty()) break;
    for (const ChangeRecord& r : *records) {
      ++scanned;
      before = r.info.seq;
      auto e = Entry(r);
      if (!e.ok()) return e.status();
      if (e->changes.Relevant() && out.size() < limit) out.push_back(std::move(*e));
    }
  }
  return out;
}

Result<std::string> ChangeLog::LatestToken() const {
  ReadSession lock(mu_, store_);
  auto last = store_.LastSequence();
  if (!last.ok()) return last.status();
  return ChangeToken(*last);
}

Result<ChangedSinceResult> ChangeLog::ChangedSince(std::string_view token, size_t max_studies) const {
  ReadSession lock(mu_, store_);
  auto last = store_.LastSequence();
  if (!last.ok()) return last.status();
  auto since = ParseChangeToken(token, *last, "changedSince");
  if (!since.ok()) return since.status();
  std::map<std::string, bool> keys;  // studies with a version after the token
  for (int64_t after = *since;;) {
    auto records = store_.ChangesAfter(after, 1000);
    if (!records.ok()) return records.status();
    if (records->empty()) break;
    for (const ChangeRecord& r : *records) keys[r.key] = true;
    after = records->back().info.seq;
    if (keys.size() > max_studies) {
      return Status::InvalidArgument("changedSince: more than " + std::to_string(max_studies) +
                                     " studies changed since " + std::string(token) + "; ask with a later token");
    }
  }
  ChangedSinceResult out;
  out.next_token = ChangeToken(*last);
  for (const auto& [key, unused] : keys) {
    auto versions = store_.History(key);
    if (!versions.ok()) return versions.status();
    const VersionInfo* then = nullptr;  // the version current at the token: newest update date among seq <= token
    const VersionInfo* now = nullptr;
    for (const VersionInfo& v : *versions) {
      if (v.current) now = &v;
      if (v.seq <= *since && (then == nullptr || v.last_update >= then->last_update)) then = &v;
    }
    if (now == nullptr || (then != nullptr && then->version == now->version)) continue;
    auto cur = store_.GetVersion(key, now->version);
    if (!cur.ok()) return cur.status();
    ChangedStudy c;
    c.key = key;
    c.after_version = now->version;
    auto after = ParseStudy(key, cur->study_json);
    if (!after.ok()) return after.status();
    c.after = std::move(*after);
    if (then == nullptr) {
      c.changes = DescribeChanges(nullptr, c.after, {});
    } else {
      auto old = store_.GetVersion(key, then->version);
      if (!old.ok()) return old.status();
      auto before = ParseStudy(key, old->study_json);
      if (!before.ok()) return before.status();
      auto diff = DiffStudyJson(old->study_json, cur->study_json);
      if (!diff.ok()) return diff.status();
      c.before = std::move(*before);
      c.before_version = then->version;
      c.changes = DescribeChanges(&*c.before, c.after, *diff);
    }
    if (c.changes.Relevant()) out.studies.push_back(std::move(c));
  }
  return out;
}

}  // namespace ts
