#include "ingest/record_source.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <system_error>

#include "common/strings.h"
#include "ingest/json_splitter.h"

namespace ts {

namespace fs = std::filesystem;

std::string_view RecordFormatName(RecordFormat f) {
  switch (f) {
    case RecordFormat::kCtgovJson: return "ctgov-json";
    case RecordFormat::kCtgovXml: return "ctgov-xml";
    case RecordFormat::kCtgovJsonV1: return "ctgov-json-v1";
  }
  return "";
}

namespace {

enum class Kind { kJson, kNdjson, kXml, kZip, kOther };

Kind KindOf(std::string_view name) {
  std::string lower = ToLowerAscii(name);
  if (EndsWith(lower, ".json")) return Kind::kJson;
  if (EndsWith(lower, ".ndjson") || EndsWith(lower, ".jsonl")) return Kind::kNdjson;
  if (EndsWith(lower, ".xml")) return Kind::kXml;
  if (EndsWith(lower, ".zip")) return Kind::kZip;
  return Kind::kOther;
}

// The system's words for an errno value ("Permission denied").
std::string SystemReason(int err) { return std::system_category().message(err); }

// Reads a stream in chunks and turns it into records.
class StreamHandler {
 public:
  StreamHandler(Kind kind, std::string origin, const ScanOptions& opts, RecordVisitor& v)
      : kind_(kind), origin_(std::move(origin)), opts_(opts), v_(v) {
    if (kind_ != Kind::kXml) {
      splitter_ = std::make_unique<JsonSplitter>(
          [this](const RecordPlace& at, std::string_view text) {
            RecordFormat format = at.shape == JsonShape::kApiV1 ? RecordFormat::kCtgovJsonV1 : RecordFormat::kCtgovJson;
            v_.OnRecord({format, Name(at), std::string(text), at.offset});
          },
          [this](const RecordPlace& at, const Status& s) { v_.OnBadInput(Name(at), s); }, opts_.max_record_bytes,
          kind_ == Kind::kNdjson ? JsonLayout::kLines : JsonLayout::kAuto);
    }
  }

  void Feed(std::string_view chunk) {
    if (!has_content_) has_content_ = chunk.find_first_not_of(" \t\r\n") != std::string_view::npos;
    if (splitter_) {
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

  // `read_error`: the stream ended early (an IoError is the system's, reported as unreadable; any other
  // code is damaged data); what was complete is still delivered.
  void Finish(const Status& read_error) {
    if (splitter_) splitter_->Finish();
    if (!read_error.ok()) {
      if (read_error.code() == StatusCode::kIoError) {
        v_.OnUnreadable(origin_, read_error);
      } else {
        v_.OnBadInput(origin_, read_error);
      }
      return;
    }
    if (!has_content_) return v_.OnBadInput(origin_, Status::InvalidArgument("empty file"));
    if (splitter_ || too_big_) return;
    std::string_view head = Trim(std::string_view(xml_).substr(0, 4096));
    if (head.find("<clinical_study") == std::string_view::npos) {
      if (head.empty() || head[0] != '<') {
        v_.OnBadInput(origin_, Status::InvalidArgument("not XML"));
      } else {
        v_.OnSkipped(origin_, "XML without <clinical_study>");
      }
      return;
    }
    v_.OnRecord({RecordFormat::kCtgovXml, origin_, std::move(xml_), 0});
  }

 private:
  // "file.ndjson:12" for a line, "file.json[3]" for an element, "file.json#FullStudies[3]" for a v1 page's study.
  std::string Name(const RecordPlace& at) const {
    if (at.line > 0) return origin_ + ":" + std::to_string(at.line);
    if (!at.list.empty()) return origin_ + "#" + std::string(at.list) + "[" + std::to_string(at.index) + "]";
    return origin_ + "[" + std::to_string(at.index) + "]";
  }

  Kind kind_;
  std::string origin_;
  const ScanOptions& opts_;
  RecordVisitor& v_;
  std::unique_ptr<JsonSplitter> splitter_;
  std::string xml_;
  bool too_big_ = false;
  bool has_content_ = false;  // a byte other than white space was seen
};

// Closes a file descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};

class Scanner {
 public:
  Scanner(const ScanOptions& opts, RecordVisitor& v) : opts_(opts), v_(v) {}

  // Expands a path named by the caller: a directory into its files, anything else into itself.
  void Collect(const fs::path& p) {
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec) return Unreadable(p, ec);
    if (fs::is_directory(st)) {
      std::vector<DirId> walking;
      return Walk(p, &walking);
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
  using DirId = std::pair<dev_t, ino_t>;

  // A path that fs::status could not follow: the system's reason, and what kind of link it was.
  void Unreadable(const fs::path& p, std::error_code ec) {
    std::error_code link_ec;
    bool link = fs::is_symlink(fs::symlink_status(p, link_ec));
    if (!link) {
      bool missing = ec == std::errc::no_such_file_or_directory;
      return v_.OnUnreadable(p.string(), missing ? Status::NotFound(ec.message())
                                                 : Status::IoError("cannot read: " + ec.message()));
    }
    std::string what = ec == std::errc::too_many_symbolic_link_levels ? "symbolic link loop: "
                       : ec == std::errc::no_such_file_or_directory   ? "dangling symbolic link: "
                                                                      : "cannot follow symbolic link: ";
    v_.OnUnreadable(p.string(), Status::IoError(what + ec.message()));
  }

  // Walks `dir` in name order. `walking`: the directories from the caller's path down to `dir`.
  void Walk(const fs::path& dir, std::vector<DirId>* walking) {
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) {
      return v_.OnUnreadable(dir.string(), Status::IoError("cannot read: " + SystemReason(errno)));
    }
    DirId id{st.st_dev, st.st_ino};
    if (std::find(walking->begin(), walking->end(), id) != walking->end()) {
      return v_.OnUnreadable(dir.string(), Status::IoError("symbolic link loop: it leads back to a directory above it"));
    }
    if (!walked_.insert(id).second) return v_.OnSkipped(dir.string(), "directory already scanned by another path");
    std::error_code ec;
    std::vector<fs::path> entries;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) entries.push_back(it->path());
    if (ec) v_.OnUnreadable(dir.string(), Status::IoError("cannot list directory: " + ec.message()));
    std::sort(entries.begin(), entries.end());  // deterministic order
    walking->push_back(id);
    for (const auto& e : entries) {
      fs::file_status est = fs::status(e, ec);  // follows symbolic links
      if (ec) {
        Unreadable(e, ec);
      } else if (fs::is_directory(est)) {
        Walk(e, walking);
      } else if (fs::is_regular_file(est)) {
        Add(e);
      } else {
        v_.OnSkipped(e.string(), "not a regular file");
      }
    }
    walking->pop_back();
  }

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
    Fd fd(::open(name.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      v_.OnUnreadable(name, Status::IoError("cannot open: " + SystemReason(errno)));
      return;
    }
    if (kind == Kind::kZip) {
      struct stat st;
      if (::fstat(fd.get(), &st) == 0 && st.st_size == 0) return v_.OnBadInput(name, Status::InvalidArgument("empty file"));
      ScanZip(name, fd.get());
      return;
    }
    StreamHandler h(kind, name, opts_, v_);
    std::string buf(opts_.chunk_bytes, '\0');
    uint64_t done = 0;
    Status read_status;
    while (true) {
      ssize_t n = ::read(fd.get(), buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        read_status = Status::IoError("read error after " + std::to_string(done) + " bytes: " + SystemReason(errno));
        break;
      }
      if (n == 0) break;
      h.Feed(std::string_view(buf.data(), static_cast<size_t>(n)));
      done += static_cast<uint64_t>(n);
      v_.OnProgress(done_before_ + done, total_);
    }
    h.Finish(read_status);
  }

  // Zips are read front to back with libarchive's streaming reader, which survives damaged entries
  // and truncation. If it stops early (a damaged local header), the central-directory reader takes
  // over for the entries not yet seen.
  void ScanZip(const std::string& name, int fd) {
    std::set<std::string> seen;
    Status stopped = ScanZipWith(name, fd, /*streaming=*/true, &seen);
    if (stopped.ok()) return;
    Status second = ScanZipWith(name, fd, /*streaming=*/false, &seen);
    if (!second.ok()) v_.OnBadInput(name, stopped);
  }

  // Returns an error if reading stopped before the end of the archive.
  // `fd` is open on the zip (read from its start; not closed here).
  Status ScanZipWith(const std::string& name, int fd, bool streaming, std::set<std::string>* seen) {
    if (::lseek(fd, 0, SEEK_SET) != 0) return Status::IoError("cannot seek: " + SystemReason(errno));
    std::unique_ptr<archive, ArchiveCloser> a(archive_read_new());
    if (streaming) {
      archive_read_support_format_zip_streamable(a.get());
    } else {
      archive_read_support_format_zip_seekable(a.get());
    }
    if (archive_read_open_fd(a.get(), fd, 1 << 16) != ARCHIVE_OK) {
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
  std::set<DirId> walked_;
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
