// Finds study records in files, directories (recursively) and zip archives, streaming.
//   RecordScanner scanner(options);
//   scanner.Scan({"data/ctgov"}, visitor);  // visitor.OnRecord(...) for each record, in input order
// Memory stays bounded by the largest single record: zip entries and JSON arrays are streamed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ts {

// kCtgovJson: an API v2 study object; kCtgovJsonV1: an API v1 study record (a FullStudies element, FullStudy or
// Study: JsonShape::kApiV1); kCtgovXml: a legacy <clinical_study>.
enum class RecordFormat { kCtgovJson, kCtgovXml, kCtgovJsonV1 };
std::string_view RecordFormatName(RecordFormat f);  // "ctgov-json" / "ctgov-xml" / "ctgov-json-v1"

struct RawRecord {
  RecordFormat format;
  // Where the record came from: "dir/file.json[3]" (the 4th record of an array or API v2 page),
  // "dir/file.json#FullStudies[3]" (the 4th study of an API v1 FullStudiesResponse), "dir/file.ndjson:12"
  // (line 12 of NDJSON), "bulk.zip!NCT0000xxxx/NCT00000102.xml".
  std::string origin;
  std::string text;     // the record's exact source bytes
  uint64_t offset = 0;  // byte offset of the record's first byte in its file (or zip entry)
};

// Receives what the scanner finds. Callbacks run on the scanning thread, in input order.
class RecordVisitor {
 public:
  virtual ~RecordVisitor() = default;
  virtual void OnRecord(RawRecord record) = 0;
  // A record or file whose content cannot be read as study data (malformed, truncated, too large,
  // empty, a damaged zip entry); `origin` names the file, entry and index or line.
  virtual void OnBadInput(const std::string& origin, const Status& status) = 0;
  // A path the system would not let us read: missing, permission denied, a dangling symbolic link, a
  // symbolic link loop, a directory that cannot be listed, an I/O error. `status` is an IoError (NotFound
  // for a missing path) whose message carries the system's reason. By default reported as bad input.
  virtual void OnUnreadable(const std::string& path, const Status& status) { OnBadInput(path, status); }
  // A file that holds no study data (README, licence, .yaml ...): counted, not rejected.
  virtual void OnSkipped(const std::string& origin, std::string_view reason) = 0;
  // Bytes of input consumed so far, for progress display (optional).
  virtual void OnProgress(uint64_t /*bytes_done*/, uint64_t /*bytes_total*/) {}
};

struct ScanOptions {
  size_t max_record_bytes = 64u << 20;  // larger records are reported as bad input
  size_t chunk_bytes = 1u << 20;        // read size for streaming
};

class RecordScanner {
 public:
  explicit RecordScanner(ScanOptions options = {}) : options_(options) {}

  // Scans each path (file, directory or zip). Directories are walked recursively in name order, following
  // symbolic links (a link back to a directory being walked is reported as a loop; a directory reached twice
  // is scanned once). Paths that cannot be read are reported through OnUnreadable and the rest is scanned.
  // An empty file (nothing but white space) is bad input ("empty file") whatever its extension.
  // .ndjson and .jsonl files are split by line; other JSON files as JsonLayout::kAuto decides.
  // The return value is an error only when `paths` is empty.
  Status Scan(const std::vector<std::string>& paths, RecordVisitor& visitor);

 private:
  ScanOptions options_;
};

}  // namespace ts
