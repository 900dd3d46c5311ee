#include "ingest/record_source.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#include "common/strings.h"
#include "ingest/json_splitter.h"

namespace ts {

namespace fs = std::filesystem;

std::string_view RecordFormatName(RecordFormat f) {
  return f == RecordFormat::kCtgovJson ? "ctgov-json" : "ctgov-xml";
}

namespace {

enum class Kind { kJson, kXml, kZip, kOther };

Kind KindOf(std::string_view name) {
  std::string lower = ToLowerAscii(name);
  if (EndsWith(lower, ".json") || EndsWith(lower, ".ndjson") || EndsWith(lower, ".jsonl")) return Kind::kJson;
  if (EndsWith(lower, ".xml")) return Kind::kXml;
  if (EndsWith(lower, ".zip")) return Kind::kZip;
  return Kind::kOther;
}

// Reads a stream in chunks and turns it into records.
class StreamHandler {
 public:
  StreamHandler(Kind kind, std::string origin, const ScanOptions& opts, RecordVisitor& v)
      : kind_(kind), origin_(std::move(origin)), opts_(opts), v_(v) {
    if (kind_ == Kind::kJson) {
      splitter_ = std::make_unique<JsonSplitter>(
          [this](size_t index, std::string_view text) {
            v_.OnRecord({RecordFormat::kCtgovJson, origin_ + "[" + std::to_string(index) + "]", std::string(text)});
          },
          [this](size_t index, const Status& s) { v_.OnBadInput(origin_ + "[" + std::to_string(index) + "]", s); },
          opts_.max_record_bytes);
    }
  }

  void Feed(std::string_view chunk) {
    if (kind_ == Kind::kJson) {
      splitter_->Feed(chunk);
      return;
    }
    if (too_big_) return;
    if (xml_.size() + chunk.size() > opts_.max_record_bytes) {
      too_big_ = true;
      xml_.clear();
      xml_.shrink_to_fit();
      v_.OnBadInput(origin_, Status::InvalidArgument("XML record larger than " +
                                                     std::to_string(opts_.max_record_bytes >> 20) + " MiB"));
      return;
    }
    xml_.append(chunk);
  }

  // `truncated`: the stream ended early (with the reason); what was complete is still delivered.
  void Finish(const Status& read_error) {
    if (kind_ == Kind::kJson) {
      splitter_->Finish();
      if (!read_error.ok()) v_.OnBadInput(origin_, read_error);
      return;
    }
    if (too_big_) return;
    if (!read_error.ok()) {
      v_.OnBadInput(origin_, read_error);
      return;
    }
    std::string_view head = Trim(std::string_view(xml_).substr(0, 4096));
    if (head.find("<clinical_study") == std::string_view::npos) {
      if (head.empty() || head[0] != '<') {
        v_.OnBadInput(origin_, Status::InvalidArgument("not XML"));
      } else {
        v_.OnSkipped(origin_, "XML without <clinical_study>");
      }
      return;
    }
    v_.OnRecord({RecordFormat::kCtgovXml, origin_, std::move(xml_)});
  }

 private:
  Kind kind_;
  std::string origin_;
  const ScanOptions& opts_;
  RecordVisitor& v_;
  std::unique_ptr<JsonSplitter> splitter_;
  std::string xml_;
  bool too_big_ = false;
};

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

class Scanner {
 public:
  Scanner(const ScanOptions& opts, RecordVisitor& v) : opts_(opts), v_(v) {}

  // Expands directories (recursively, sorted) into files; reports missing paths.
  void Collect(const fs::path& p) {
    std::error_code ec;
    auto st = fs::status(p, ec);
    if (ec || !fs::exists(st)) {
      v_.OnBadInput(p.string(), Status::NotFound("no such file or directory"));
      return;
    }
    if (fs::is_directory(st)) {
      std::vector<fs::path> entries;
      for (fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) entries.push_back(it->path());
      }
      if (ec) v_.OnBadInput(p.string(), Status::IoError("cannot list directory: " + ec.message()));
      std::sort(entries.begin(), entries.end());  // deterministic order
      for (const auto& e : entries) Add(e);
      return;
    }
    Add(p);
  }

  void Run() {
    for (const auto& f : files_) {
      ScanFile(f.first);
      done_before_ += f.second;
      v_.OnProgress(done_before_, total_);
    }
  }

 private:
  void Add(const fs::path& p) {
    std::error_code ec;
    uint64_t size = fs::file_size(p, ec);
    if (ec) size = 0;
    files_.emplace_back(p, size);
    total_ += size;
  }

 public:
  void ScanFile(const fs::path& p) {
    std::string name = p.string();
    Kind kind = KindOf(name);
    if (kind == Kind::kOther) {
      v_.OnSkipped(name, "not a study data file");
      return;
    }
    if (kind == Kind::kZip) {
      ScanZip(name);
      return;
    }
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      v_.OnBadInput(name, Status::IoError("cannot open file"));
      return;
    }
    StreamHandler h(kind, name, opts_, v_);
    std::string buf(opts_.chunk_bytes, '\0');
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      std::streamsize n = in.gcount();
      if (n <= 0) break;
      h.Feed(std::string_view(buf.data(), static_cast<size_t>(n)));
      std::streamoff pos = in.tellg();
      v_.OnProgress(done_before_ + static_cast<uint64_t>(pos < 0 ? 0 : pos), total_);
    }
    h.Finish(in.bad() ? Status::IoError("read error") : Status::Ok());
  }

  // Zips are read front to back with libarchive's streaming reader, which survives damaged entries
  // and truncation. If it stops early (a damaged local header), the central-directory reader takes
  // over for the entries not yet seen.
  void ScanZip(const std::string& name) {
    std::set<std::string> seen;
    Status stopped = ScanZipWith(name, /*streaming=*/true, &seen);
    if (stopped.ok()) return;
    Status second = ScanZipWith(name, /*streaming=*/false, &seen);
    if (!second.ok()) v_.OnBadInput(name, stopped);
  }

  // Returns an error if reading stopped before the end of the archive.
  Status ScanZipWith(const std::string& name, bool streaming, std::set<std::string>* seen) {
    std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
    if (streaming) {
      archive_read_support_format_zip_streamable(a.get());
    } else {
      archive_read_support_format_zip_seekable(a.get());
    }
    if (archive_read_open_filename(a.get(), name.c_str(), 1 << 16) != ARCHIVE_OK) {
      const char* err = archive_error_string(a.get());
      return Status::InvalidArgument("cannot open zip: " + std::string(Trim(err ? err : "unknown error")));
    }
    archive_entry* entry;
    std::string buf(opts_.chunk_bytes, '\0');
    while (true) {
      int r = archive_read_next_header(a.get(), &entry);
      if (r == ARCHIVE_EOF) return Status::Ok();
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
        const char* err = archive_error_string(a.get());
        return Status::InvalidArgument("zip damaged after the last good entry: " +
                                       std::string(Trim(err ? err : "unreadable header")));
      }
      if (archive_entry_filetype(entry) != AE_IFREG) continue;
      std::string entry_name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "?";
      if (!seen->insert(entry_name).second) continue;
      std::string origin = name + "!" + entry_name;
      Kind kind = KindOf(entry_name);
      if (kind == Kind::kOther || kind == Kind::kZip) {
        v_.OnSkipped(origin, kind == Kind::kZip ? "nested zip" : "not a study data file");
        continue;
      }
      StreamHandler h(kind, origin, opts_, v_);
      Status read_status;
      while (true) {
        la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
        if (n == 0) break;
        if (n < 0) {
          const char* err = archive_error_string(a.get());
          read_status = Status::InvalidArgument("damaged zip entry: " + std::string(Trim(err ? err : "read error")));
          break;
        }
        h.Feed(std::string_view(buf.data(), static_cast<size_t>(n)));
      }
      h.Finish(read_status);
      v_.OnProgress(done_before_ + static_cast<uint64_t>(archive_filter_bytes(a.get(), -1)), total_);
    }
  }

 private:
  const ScanOptions& opts_;
  RecordVisitor& v_;
  std::vector<std::pair<fs::path, uint64_t>> files_;
  uint64_t total_ = 0;
  uint64_t done_before_ = 0;
};

}  // namespace

Status RecordScanner::Scan(const std::vector<std::string>& paths, RecordVisitor& visitor) {
  if (paths.empty()) return Status::InvalidArgument("no input paths");
  Scanner s(options_, visitor);
  for (const auto& p : paths) s.Collect(p);
  s.Run();
  return Status::Ok();
}

}  // namespace ts
