#include "ingest/json_splitter.h"

namespace ts {

JsonSplitter::JsonSplitter(RecordFn on_record, ErrorFn on_error, size_t max_record_bytes)
    : on_record_(std::move(on_record)), on_error_(std::move(on_error)), max_record_bytes_(max_record_bytes) {}

void JsonSplitter::Feed(std::string_view chunk) {
  size_t i = 0;
  while (i < chunk.size()) {
    if (in_string_ && !escape_ && !string_is_key_) {
      // Fast path: copy plain string bytes up to the next quote or backslash.
      size_t j = i;
      while (j < chunk.size() && chunk[j] != '"' && chunk[j] != '\\') ++j;
      if (j > i) {
        if (in_record_ && !skipping_) {
          buf_.append(chunk.substr(i, j - i));
          if (buf_.size() > max_record_bytes_) {
            skipping_ = true;
            buf_.clear();
            buf_.shrink_to_fit();
            on_error_(next_index_, Status::InvalidArgument("record larger than " +
                                                           std::to_string(max_record_bytes_ >> 20) + " MiB"));
          }
        }
        i = j;
        continue;
      }
    }
    OnChar(chunk[i]);
    ++i;
  }
}

void JsonSplitter::StartRecord() {
  in_record_ = true;
  skipping_ = false;
  buf_.clear();
}

void JsonSplitter::EndRecord() {
  in_record_ = false;
  if (!skipping_) on_record_(next_index_, buf_);
  skipping_ = false;
  buf_.clear();
  ++next_index_;
}

void JsonSplitter::OnChar(char c) {
  if (in_string_) {
    if (in_record_ && !skipping_) buf_.push_back(c);
    if (escape_) {
      escape_ = false;
    } else if (c == '\\') {
      escape_ = true;
    } else if (c == '"') {
      in_string_ = false;
    } else if (string_is_key_ && stack_.size() == 1 && key_.size() < 16) {
      key_.push_back(c);
    }
    return;
  }
  if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
    if (in_record_ && !skipping_) buf_.push_back(c);
    if (c == '\n' && scalar_at_record_level_ && stack_.empty()) scalar_at_record_level_ = 0;  // NDJSON junk line
    return;
  }
  const size_t depth = stack_.size();
  const bool at_record_level = !in_record_ && (depth == 0 || (decided_ && depth == record_depth_));
  const bool opens_value = c != ',' && c != ':' && c != '}' && c != ']';

  if (at_record_level && opens_value && !(depth == 0 && c == '[')) {
    if (c == '{') {
      if (depth == 0) {
        record_depth_ = 0;
        decided_ = true;
      }
      StartRecord();
    } else if (!scalar_at_record_level_) {
      scalar_at_record_level_ = 1;
      on_error_(next_index_, Status::InvalidArgument(depth == 0 ? "not JSON: expected '{' or '['"
                                                                : "array element is not a study object"));
      ++next_index_;
    }
  }
  if (in_record_ && !skipping_) {
    buf_.push_back(c);
    if (buf_.size() > max_record_bytes_) {
      skipping_ = true;
      buf_.clear();
      on_error_(next_index_, Status::InvalidArgument("record larger than " + std::to_string(max_record_bytes_ >> 20) + " MiB"));
    }
  }
  switch (c) {
    case '"':
      in_string_ = true;
      string_is_key_ = !stack_.empty() && stack_.back() == Container::kObject && expect_key_.back();
      if (string_is_key_ && depth == 1) key_.clear();
      break;
    case '{':
      stack_.push_back(Container::kObject);
      expect_key_.push_back(true);
      break;
    case '[':
      if (depth == 0) {
        record_depth_ = 1;
        decided_ = true;
      } else if (depth == 1 && in_record_ && record_depth_ == 0 && key_ == "studies") {
        // An API page {"studies": [...]}: its elements are the records, not the page.
        in_record_ = false;
        buf_.clear();
        record_depth_ = 2;
      }
      stack_.push_back(Container::kArray);
      expect_key_.push_back(false);
      break;
    case '}':
    case ']':
      if (stack_.empty()) {
        on_error_(next_index_, Status::InvalidArgument(std::string("unbalanced '") + c + "'"));
        break;
      }
      stack_.pop_back();
      expect_key_.pop_back();
      if (in_record_ && stack_.size() == record_depth_) EndRecord();
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
  if (in_record_) {
    on_error_(next_index_, Status::InvalidArgument("truncated: the input ends inside this record"));
    ++next_index_;
  } else if (!stack_.empty()) {
    on_error_(next_index_, Status::InvalidArgument("truncated: the input ends before the closing bracket"));
  }
  in_record_ = false;
  stack_.clear();
  expect_key_.clear();
  buf_.clear();
}

}  // namespace ts
