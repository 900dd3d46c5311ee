// A streaming JSON writer that appends compact, valid JSON to a string.
//   JsonWriter w;  w.BeginObject(); w.Key("nctId"); w.String("NCT01"); w.EndObject();
//   std::string json = w.Take();
// Strings are escaped per RFC 8259; invalid UTF-8 is replaced by U+FFFD so the output always parses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ts {

class JsonWriter {
 public:
  // `pretty` indents with two spaces.
  explicit JsonWriter(bool pretty = false) : pretty_(pretty) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(int64_t value);
  void Double(double value);
  void Bool(bool value);
  void Null();
  // Inserts already-serialised JSON as one value (the caller guarantees it is valid).
  void Raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  void Newline();
  bool pretty_;
  std::string out_;
  // One entry per open container: number of values written so far.
  std::vector<int> counts_;
  bool after_key_ = false;
};

// Appends `s` to `out` as a quoted, escaped JSON string.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace ts
