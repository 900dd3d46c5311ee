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

enum class RecordFormat { kCtgovJson, kCtgovXml };
std::string_view RecordFormatName(RecordFormat f);  // "ctgov-json" / "ctgov-xml"

struct RawRecord {
  RecordFormat format;
  // Where the record came from: "dir/file.json[3]", "bulk.zip!NCT0000xxxx/NCT00000102.xml".
  std::string origin;
  std::string text;  // the record's exact source bytes
};

// Receives what the scanner finds. Callbacks run on the scanning thread, in input order.
class RecordVisitor {
 public:
  virtual ~RecordVisitor() = default;
  virtual void OnRecord(RawRecord record) = 0;
  // A record or file that could not be read; `origin` names the file, entry and index.
  virtual void OnBadInput(const std::string& origin, const Status& status) = 0;
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

  // Scans each path (file, directory or zip). Missing paths are reported through OnBadInput;
  // the return value is an error only when nothing could be scanned at all.
  Status Scan(const std::vector<std::string>& paths, RecordVisitor& visitor);

 private:
  ScanOptions options_;
};

}  // namespace ts
