#include "ingest/json_splitter.h"

#include <cstring>

namespace ts {

namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

constexpr size_t kKeyBytes = 24;  // keys compared are shorter: "FullStudiesResponse"
constexpr std::string_view kV1List = "FullStudies";

// Top-level keys of an API v1 record ({"FullStudy": ...}, {"Rank": 1, "Study": ...}, a bare Study, or a
// FullStudiesResponse whose FullStudies is not a list); API v2 has none of them.
bool IsApiV1Key(std::string_view key) {
  return key == "Study" || key == "FullStudy" || key == "ProtocolSection" || key == "FullStudiesResponse";
}

}  // namespace

JsonSplitter::JsonSplitter(RecordFn on_record, ErrorFn on_error, size_t max_record_bytes, JsonLayout layout)
    : on_record_(std::move(on_record)), on_error_(std::move(on_error)), max_record_bytes_(max_record_bytes) {
  if (layout == JsonLayout::kLines) {
    lines_ = true;
    layout_decided_ = true;
  }
}

void JsonSplitter::Feed(std::string_view chunk) {
  const uint64_t start = pos_;
  size_t i = 0;
  while (i < chunk.size()) {
    pos_ = start + i;
    if (line_failed_) {  // the line's error is reported: skip to its end
      const void* nl = std::memchr(chunk.data() + i, '\n', chunk.size() - i);
      if (nl == nullptr) break;
      i = static_cast<size_t>(static_cast<const char*>(nl) - chunk.data());
      pos_ = start + i;
      EndLine();
      ++i;
      continue;
    }
    if (in_string_ && !escape_ && !string_is_key_) {
      // Fast path: copy plain string bytes up to the next quote, backslash or (invalid in JSON) raw newline.
      size_t j = i;
      while (j < chunk.size() && chunk[j] != '"' && chunk[j] != '\\' && chunk[j] != '\n') ++j;
      if (j > i) {
        if (in_record_ && !skipping_) {
          buf_.append(chunk.substr(i, j - i));
          if (buf_.size() > max_record_bytes_) Oversized();
        }
        i = j;
        continue;
      }
    }
    OnChar(chunk[i]);
    ++i;
  }
  pos_ = start + chunk.size();
}

RecordPlace JsonSplitter::Place() const {
  bool v1_list = in_records_list_ && record_depth_ == 3;
  return {next_index_, lines_ ? record_line_ : 0, record_offset_, shape_, v1_list ? kV1List : std::string_view()};
}

void JsonSplitter::KeyRead() {
  if (in_record_ && stack_.size() == record_depth_ + 1 && IsApiV1Key(keys_.back())) shape_ = JsonShape::kApiV1;
}

void JsonSplitter::StartRecord() {
  in_record_ = true;
  shape_ = in_records_list_ && record_depth_ == 3 ? JsonShape::kApiV1 : JsonShape::kApiV2;
  skipping_ = false;
  buf_.clear();
  record_line_ = line_;
  record_offset_ = pos_;
}

void JsonSplitter::EndRecord() {
  in_record_ = false;
  if (!layout_decided_ && record_depth_ == 0 && !skipping_) {
    layout_decided_ = true;
    lines_ = record_line_ == line_;  // the first object ended on the line it started: NDJSON
  }
  if (lines_ && record_depth_ == 0) {
    line_has_record_ = true;  // delivered when the line ends, if nothing else is on it
    return;
  }
  if (!skipping_) on_record_(Place(), buf_);
  skipping_ = false;
  buf_.clear();
  ++next_index_;
}

void JsonSplitter::Error(const Status& status) { on_error_(Place(), status); }

void JsonSplitter::ResetNesting() {
  stack_.clear();
  expect_key_.clear();
  keys_.clear();
  in_records_list_ = false;
  in_string_ = false;
  escape_ = false;
  string_is_key_ = false;
  in_record_ = false;
  skipping_ = false;
  buf_.clear();
}

void JsonSplitter::LineError(const std::string& message) {
  if (!in_record_) {
    record_line_ = line_;
    record_offset_ = pos_;
  }
  Error(Status::InvalidArgument(message));
  ++next_index_;
  ResetNesting();
  line_has_record_ = false;
  line_failed_ = true;
}

void JsonSplitter::Oversized() {
  std::string message = "record larger than " + std::to_string(max_record_bytes_ >> 20) + " MiB";
  if (lines_) return LineError(message);
  skipping_ = true;
  buf_.clear();
  buf_.shrink_to_fit();
  Error(Status::InvalidArgument(message));
}

// The end of a line in line mode: the line's one record is delivered, or its one error reported.
void JsonSplitter::EndLine() {
  if (!line_failed_) {
    if (in_record_ || !stack_.empty()) {
      LineError("truncated: the line ends inside this record");
    } else if (line_has_record_) {
      on_record_(Place(), buf_);
      ++next_index_;
    }
  }
  ResetNesting();
  line_has_record_ = false;
  line_failed_ = false;
  scalar_at_record_level_ = 0;
  ++line_;
  record_line_ = line_;
  record_offset_ = pos_ + 1;
}

bool JsonSplitter::OnLineChar(char c) {
  if (c == '\n') {
    EndLine();
    return true;
  }
  if (in_string_ || IsJsonSpace(c)) return false;
  if (line_has_record_) {
    LineError("unexpected text after the object on this line");
    return true;
  }
  if (stack_.empty() && c != '{') {
    LineError("not JSON: expected '{' at the start of the line");
    return true;
  }
  return false;
}

// A value starts where records start: an object is a record; anything else is junk, one error for a run of it.
void JsonSplitter::ValueAtRecordLevel(char c, size_t depth) {
  if (c != '{') {
    JunkAtTopLevel(depth == 0 ? "not JSON: expected '{' or '['" : "array element is not a study object");
    return;
  }
  if (depth == 0) {
    record_depth_ = 0;
    decided_ = true;
  }
  StartRecord();
}

// Reports junk between records once, not once a byte (until the next line or element).
void JsonSplitter::JunkAtTopLevel(const std::string& message) {
  if (scalar_at_record_level_) return;
  scalar_at_record_level_ = 1;
  record_offset_ = pos_;
  Error(Status::InvalidArgument(message));
  ++next_index_;
}

void JsonSplitter::OnChar(char c) {
  if (lines_ && OnLineChar(c)) return;
  if (c == '\n') ++line_;
  if (in_string_) {
    if (in_record_ && !skipping_) buf_.push_back(c);
    if (escape_) {
      escape_ = false;
    } else if (c == '\\') {
      escape_ = true;
    } else if (c == '"') {
      in_string_ = false;
      if (string_is_key_) KeyRead();
    } else if (string_is_key_ && keys_.back().size() < kKeyBytes) {
      keys_.back().push_back(c);
    }
    return;
  }
  if (IsJsonSpace(c)) {
    if (in_record_ && !skipping_) buf_.push_back(c);
    if (c == '\n' && scalar_at_record_level_ && stack_.empty()) scalar_at_record_level_ = 0;  // NDJSON junk line
    return;
  }
  const size_t depth = stack_.size();
  // In a page, records are the elements of its list only, not values deeper in the page's other fields.
  const bool at_record_level =
      !in_record_ && (depth == 0 || (decided_ && depth == record_depth_ && (record_depth_ < 2 || in_records_list_)));
  const bool opens_value = c != ',' && c != ':' && c != '}' && c != ']';

  if (at_record_level && opens_value && !(depth == 0 && c == '[')) ValueAtRecordLevel(c, depth);
  if (in_record_ && !skipping_) {
    buf_.push_back(c);
    if (buf_.size() > max_record_bytes_) {
      Oversized();
      if (lines_) return;
    }
  }
  switch (c) {
    case '"':
      in_string_ = true;
      string_is_key_ = !stack_.empty() && stack_.back() == Container::kObject && expect_key_.back();
      if (string_is_key_) keys_.back().clear();
      break;
    case '{':
      stack_.push_back(Container::kObject);
      expect_key_.push_back(true);
      keys_.emplace_back();
      break;
    case '[':
      if (depth == 0) {
        record_depth_ = 1;
        decided_ = true;
      } else if (in_record_ && record_depth_ == 0 && IsPageList(depth)) {
        // An API page: the elements of its list are the records, not the page.
        in_record_ = false;
        buf_.clear();
        record_depth_ = depth + 1;
        in_records_list_ = true;
      }
      stack_.push_back(Container::kArray);
      expect_key_.push_back(false);
      keys_.emplace_back();
      break;
    case '}':
    case ']':
      if (stack_.empty()) {
        JunkAtTopLevel(std::string("unbalanced '") + c + "'");
        break;
      }
      stack_.pop_back();
      expect_key_.pop_back();
      keys_.pop_back();
      if (in_record_ && stack_.size() == record_depth_) EndRecord();
      if (in_records_list_ && stack_.size() + 1 == record_depth_) in_records_list_ = false;
      break;
    case ':':
      if (!expect_key_.empty()) expect_key_.back() = false;
      break;
    case ',':
      if (!stack_.empty() && stack_.back() == Container::kObject) expect_key_.back() = true;
      if (depth == record_depth_) scalar_at_record_level_ = 0;
      break;
    default:
      break;
  }
}

void JsonSplitter::Finish() {
  if (lines_) {
    if (!line_failed_ && (in_record_ || !stack_.empty())) {
      LineError("truncated: the input ends inside this record");
    } else if (!line_failed_ && line_has_record_) {
      on_record_(Place(), buf_);
      ++next_index_;
    }
  } else if (in_record_) {
    Error(Status::InvalidArgument("truncated: the input ends inside this record"));
    ++next_index_;
  } else if (!stack_.empty()) {
    Error(Status::InvalidArgument("truncated: the input ends before the closing bracket"));
  }
  ResetNesting();
  line_has_record_ = false;
  line_failed_ = false;
}

}  // namespace ts
