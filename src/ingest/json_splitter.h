// Splits a stream of JSON text into study records without loading the whole stream:
// a top-level array ([{...},{...}]), an API page ({"studies":[...], ...}), one object, or NDJSON.
//   JsonSplitter sp([&](size_t index, std::string_view text) { ... }, [&](size_t index, Status s) { ... });
//   sp.Feed(chunk1); sp.Feed(chunk2); sp.Finish();
// Memory is bounded by the largest record (records over max_record_bytes are reported, not kept).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ts {

class JsonSplitter {
 public:
  // on_record(index, text): a complete top-level value at the record level.
  // on_error(index, status): a record that cannot be delimited (too large, not an object, truncated).
  // The index counts records in the stream (array position, or line/object number for NDJSON).
  using RecordFn = std::function<void(size_t index, std::string_view text)>;
  using ErrorFn = std::function<void(size_t index, const Status& status)>;

  JsonSplitter(RecordFn on_record, ErrorFn on_error, size_t max_record_bytes = 64u << 20);

  void Feed(std::string_view chunk);
  // Call at end of input: reports a truncated record or unclosed array.
  void Finish();

  size_t records_seen() const { return next_index_; }

 private:
  enum class Container : char { kObject, kArray };
  void OnChar(char c);
  void StartRecord();
  void EndRecord();

  RecordFn on_record_;
  ErrorFn on_error_;
  size_t max_record_bytes_;

  std::vector<Container> stack_;
  std::vector<bool> expect_key_;  // per open object: the next string is a key
  bool in_string_ = false;
  bool escape_ = false;
  bool string_is_key_ = false;
  std::string key_;          // the last key read at depth 1 (only its first 16 bytes)
  // Depth at which records start: 0 (objects at top level) or 1 (array elements) or 2 (page "studies").
  size_t record_depth_ = 0;
  bool decided_ = false;     // record_depth_ is known
  bool in_record_ = false;
  bool skipping_ = false;    // the current record is too large or not an object: drop until it ends
  std::string buf_;
  size_t next_index_ = 0;
  size_t scalar_at_record_level_ = 0;
};

}  // namespace ts
