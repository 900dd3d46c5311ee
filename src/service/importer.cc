#include "service/importer.h"

#include <chrono>
#include <cstdio>
#include <cctype>

#include "common/json_writer.h"
#include "common/strings.h"
#include "ingest/derive_study.h"
#include "ingest/json_splitter.h"
#include "ingest/record_source.h"

namespace ts {

namespace {

// The first NCT ID in a raw record, to name a rejected record.
std::string SniffNctId(std::string_view raw) {
  for (size_t pos = raw.find("NCT"); pos != std::string_view::npos && pos + 11 <= raw.size();
       pos = raw.find("NCT", pos + 3)) {
    if (IsNctId(raw.substr(pos, 11)) && (pos + 11 == raw.size() || !std::isdigit(static_cast<unsigned char>(raw[pos + 11])))) {
      return std::string(raw.substr(pos, 11));
    }
  }
  return "";
}

class ImportVisitor : public RecordVisitor {
 public:
  ImportVisitor(StudyStore& store, const ImportOptions& options, ImportSummary& sum)
      : store_(store), options_(options), sum_(sum), start_(std::chrono::steady_clock::now()) {}

  void OnRecord(RawRecord rec) override {
    if (!status_.ok()) return;
    ++sum_.read;
    Result<Study> study = reader_.Parse(rec.format, rec.text);
    if (!study.ok()) {
      Reject(rec.origin, SniffNctId(rec.text), ReasonFor(rec, study.status()));
      return;
    }
    if (pending_ == 0) {
      status_ = store_.BeginBatch();
      if (!status_.ok()) return;
    }
    StudyVersionInput in{std::move(*study), std::string(RecordFormatName(rec.format)), std::move(rec.origin),
                         std::move(rec.text)};
    Result<PutOutcome> out = store_.Put(in);
    if (!out.ok()) {
      status_ = out.status().WithContext(in.origin);
      return;
    }
    switch (*out) {
      case PutOutcome::kNew: ++sum_.added; break;
      case PutOutcome::kUpdated: ++sum_.updated; break;
      case PutOutcome::kHistorical: ++sum_.historical; break;
      case PutOutcome::kUnchanged: ++sum_.unchanged; break;
    }
    if (++pending_ >= options_.batch_size) (void)Flush();  // an error stays in status_
  }

  void OnBadInput(const std::string& origin, const Status& status) override {
    ++sum_.read;  // a file or record that was found, though not as a study: it counts as read and rejected
    Reject(origin, SniffNctId(origin), status.message());
  }

  void OnUnreadable(const std::string& path, const Status& status) override {
    ++sum_.unreadable;
    sum_.unreadable_paths.push_back({path, "", status.message()});
  }

  void OnSkipped(const std::string&, std::string_view) override { ++sum_.skipped; }

  void OnProgress(uint64_t done, uint64_t total) override {
    if (!options_.progress) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_draw_ < std::chrono::milliseconds(200) && done < total) return;
    last_draw_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    double frac = total ? static_cast<double>(done) / static_cast<double>(total) : 0;
    if (frac > 1) frac = 1;
    int width = 30;
    int filled = static_cast<int>(frac * width);
    char line[160];
    std::snprintf(line, sizeof(line), "\r[%.*s%*s] %3.0f%%  %lld studies  %.0f/s  rejected %lld ", filled,
                  "##############################", width - filled, "", frac * 100, static_cast<long long>(sum_.read),
                  secs > 0 ? static_cast<double>(sum_.read) / secs : 0.0, static_cast<long long>(sum_.rejected));
    *options_.progress << line << std::flush;
  }

  Status Flush() {
    if (pending_ > 0 && status_.ok()) status_ = store_.CommitBatch();
    pending_ = 0;
    return status_;
  }

  // Opens the batch if no record did, runs `hook` in it, then commits.
  Status CommitWith(const std::function<Status()>& hook) {
    if (!status_.ok()) return status_;
    if (pending_ == 0) {
      status_ = store_.BeginBatch();
      if (!status_.ok()) return status_;
      ++pending_;
    }
    if (hook) {
      status_ = hook();
      if (!status_.ok()) return status_;
    }
    return Flush();
  }

  const Status& status() const { return status_; }

 private:
  // A JSON record (API v2 or v1) with invalid UTF-8 is named by the offset of the first bad byte (the XML
  // reader replaces such bytes instead, so an XML record is never rejected for them).
  static std::string ReasonFor(const RawRecord& rec, const Status& status) {
    if (rec.format == RecordFormat::kCtgovXml) return status.message();
    size_t bad = FirstInvalidUtf8(rec.text);
    if (bad == std::string_view::npos) return status.message();
    return "invalid UTF-8 at byte " + std::to_string(rec.offset + bad) + " (byte " + std::to_string(bad) +
           " of the record)";
  }

  void Reject(const std::string& origin, const std::string& id, const std::string& reason) {
    ++sum_.rejected;
    RejectRecord r{origin, id, reason};
    if (options_.rejects) *options_.rejects << RejectToJson(r) << '\n';
    if (sum_.first_rejects.size() < options_.kept_rejects) sum_.first_rejects.push_back(std::move(r));
  }

  StudyStore& store_;
  const ImportOptions& options_;
  ImportSummary& sum_;
  StudyRecordReader reader_;
  size_t pending_ = 0;
  Status status_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace

std::string ImportSummary::ToString() const {
  char buf[320];
  std::snprintf(buf, sizeof(buf),
                "read %lld, new %lld, updated %lld, historical %lld, unchanged %lld, rejected %lld, skipped files %lld, "
                "unreadable paths %lld, elapsed %.2f s, %.0f studies/s",
                static_cast<long long>(read), static_cast<long long>(added), static_cast<long long>(updated),
                static_cast<long long>(historical), static_cast<long long>(unchanged),
                static_cast<long long>(rejected), static_cast<long long>(skipped), static_cast<long long>(unreadable),
                elapsed_seconds, StudiesPerSecond());
  return buf;
}

std::string RejectToJson(const RejectRecord& r) {
  JsonWriter w;
  w.BeginObject();
  w.Key("origin");
  w.String(r.origin);
  w.Key("studyId");
  w.String(r.study_id);
  w.Key("reason");
  w.String(r.reason);
  w.EndObject();
  return w.Take();
}

Result<ImportSummary> Importer::Run(const std::vector<std::string>& paths) {
  ImportSummary sum;
  auto start = std::chrono::steady_clock::now();
  ImportVisitor visitor(store_, options_, sum);
  RecordScanner scanner;
  Status s = scanner.Scan(paths, visitor);
  Status flushed = visitor.Flush();
  if (options_.progress) *options_.progress << "\n" << std::flush;
  sum.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!s.ok()) return s;
  if (!flushed.ok()) return flushed;
  return sum;
}

Result<ImportSummary> Importer::ImportText(const std::string& origin, std::string_view text,
                                          const std::function<Status()>& before_commit) {
  ImportSummary sum;
  auto start = std::chrono::steady_clock::now();
  ImportOptions one = options_;
  one.batch_size = static_cast<size_t>(-1);  // never commit in the middle of the text
  one.progress = nullptr;
  ImportVisitor visitor(store_, one, sum);
  auto name = [&](const RecordPlace& at) { return origin + "[" + std::to_string(at.index) + "]"; };
  JsonSplitter splitter(
      [&](const RecordPlace& at, std::string_view rec) {
        RecordFormat format = at.shape == JsonShape::kApiV1 ? RecordFormat::kCtgovJsonV1 : RecordFormat::kCtgovJson;
        visitor.OnRecord(RawRecord{format, name(at), std::string(rec), at.offset});
      },
      [&](const RecordPlace& at, const Status& status) { visitor.OnBadInput(name(at), status); });
  splitter.Feed(text);
  splitter.Finish();
  TS_RETURN_IF_ERROR(visitor.CommitWith(before_commit));
  sum.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return sum;
}

}  // namespace ts
