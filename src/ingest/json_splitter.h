// Splits a stream of JSON text into study records without loading the whole stream:
// a top-level array ([{...},{...}]), an API v2 page ({"studies":[...], ...}), an API v1 page
// ({"FullStudiesResponse": {..., "FullStudies": [...]}}), one object, or NDJSON.
//   JsonSplitter sp([&](const RecordPlace& at, std::string_view text) { ... },
//                   [&](const RecordPlace& at, const Status& s) { ... });
//   sp.Feed(chunk1); sp.Feed(chunk2); sp.Finish();
// Memory is bounded by the largest record (records over max_record_bytes are reported, not kept).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ts {

// Which ClinicalTrials.gov JSON a record is, as its keys tell: an element of an API v1 page's FullStudies, or
// a record whose top-level keys include FullStudy, Study, ProtocolSection or FullStudiesResponse, is API v1;
// anything else is API v2 (which the API v2 reader accepts or rejects).
enum class JsonShape { kApiV2, kApiV1 };

// Where a record (or a reject) sits in the stream.
struct RecordPlace {
  size_t index = 0;     // records (and rejects) counted in the stream: array position, object or line number - 1
  size_t line = 0;      // 1-based line for NDJSON (line mode); 0 otherwise
  uint64_t offset = 0;  // byte offset of the record's first byte in the stream
  JsonShape shape = JsonShape::kApiV2;
  std::string_view list;  // "FullStudies" for an element of an API v1 page (index is its position); "" otherwise
};

// How the stream is split. kLines: NDJSON, one object per line (the scanner uses it for .ndjson and .jsonl).
// kAuto: decided by the first object at the top level: if it ends on the line it started, the stream is
// NDJSON from then on; otherwise objects may span lines (one pretty-printed object, an array, a page).
enum class JsonLayout { kAuto, kLines };

class JsonSplitter {
 public:
  // on_record(at, text): a complete top-level value at the record level.
  // on_error(at, status): a record that cannot be delimited (too large, not an object, truncated).
  // In line mode every line is one outcome: one record, one error, or nothing (a blank line). A broken line
  // (unbalanced, truncated, junk after the object, over max_record_bytes) is one error however long it is,
  // and the next line starts afresh.
  using RecordFn = std::function<void(const RecordPlace& at, std::string_view text)>;
  using ErrorFn = std::function<void(const RecordPlace& at, const Status& status)>;

  JsonSplitter(RecordFn on_record, ErrorFn on_error, size_t max_record_bytes = 64u << 20,
               JsonLayout layout = JsonLayout::kAuto);

  void Feed(std::string_view chunk);
  // Call at end of input: reports a truncated record or unclosed array (and ends the last line).
  void Finish();

  size_t records_seen() const { return next_index_; }
  bool line_mode() const { return lines_; }

 private:
  enum class Container : char { kObject, kArray };
  void OnChar(char c);
  void ValueAtRecordLevel(char c, size_t depth);
  void JunkAtTopLevel(const std::string& message);
  bool OnLineChar(char c);  // line mode's extra rules; true when `c` was consumed
  void StartRecord();
  void EndRecord();
  void EndLine();
  void Error(const Status& status);
  void LineError(const std::string& message);  // reports, then ignores the rest of the line
  void ResetNesting();
  void Oversized();
  void KeyRead();  // a key string just ended
  // A list opening at `depth` inside a top-level object is a page's: {"studies": [ (depth 1) or
  // {"FullStudiesResponse": {"FullStudies": [ (depth 2).
  bool IsPageList(size_t depth) const {
    return (depth == 1 && keys_[0] == "studies") ||
           (depth == 2 && keys_[0] == "FullStudiesResponse" && stack_[1] == Container::kObject && keys_[1] == "FullStudies");
  }
  RecordPlace Place() const;

  RecordFn on_record_;
  ErrorFn on_error_;
  size_t max_record_bytes_;

  std::vector<Container> stack_;
  std::vector<bool> expect_key_;  // per open object: the next string is a key
  bool in_string_ = false;
  bool escape_ = false;
  bool string_is_key_ = false;
  std::vector<std::string> keys_;  // per open container: the last key read in it (its first 24 bytes)
  // Depth at which records start: 0 (objects at top level), 1 (array elements), 2 (API v2 page "studies")
  // or 3 (API v1 page "FullStudies").
  size_t record_depth_ = 0;
  bool in_records_list_ = false;  // inside a page's list of records (record_depth_ 2 or 3)
  JsonShape shape_ = JsonShape::kApiV2;  // of the current record
  bool decided_ = false;     // record_depth_ is known
  bool in_record_ = false;
  bool skipping_ = false;    // the current record is too large or not an object: drop until it ends
  std::string buf_;
  size_t next_index_ = 0;
  size_t scalar_at_record_level_ = 0;

  // Line mode (NDJSON).
  bool lines_ = false;
  bool layout_decided_ = false;
  bool line_failed_ = false;   // this line's error is reported: the rest of the line is ignored
  bool line_has_record_ = false;  // a whole object ended on this line; delivered at the line's end
  size_t line_ = 1;            // the line being read
  size_t record_line_ = 1;     // the line the current record (or error) is on
  uint64_t pos_ = 0;           // byte offset of the character being read
  uint64_t record_offset_ = 0;
};

}  // namespace ts
