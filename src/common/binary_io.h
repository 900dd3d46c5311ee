// Little binary (de)serialisation for snapshot files: plain values, strings and vectors of plain
// values, with bounds checks on read so a truncated or corrupt file is an error, never a crash.
//   BinaryWriter w;  w.Put<uint32_t>(7);  w.PutString("x");  w.PutVector(v);
//   BinaryReader r(bytes);  uint32_t n;  if (!r.Get(&n)) return r.status();
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "common/status.h"

namespace ts {

// Reads a whole file with one sized read. IoError names the path.
Result<std::string> ReadWholeFile(const std::string& path);

// A file mapped read-only into memory (page-aligned; pages load on first touch). Move-only.
//   auto f = MappedFile::Open(path);   BinaryReader r(f->data());
class MappedFile {
 public:
  static Result<MappedFile> Open(const std::string& path);  // IoError names the path
  MappedFile(MappedFile&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr, o.size_ = 0; }
  MappedFile& operator=(MappedFile&&) = delete;
  MappedFile(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view data() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(void* data, size_t size) : data_(data), size_(size) {}
  void* data_ = nullptr;
  size_t size_ = 0;
};

class BinaryWriter {
 public:
  template <typename T>
  void Put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  void PutString(std::string_view s) {
    Put<uint64_t>(s.size());
    out_.append(s);
  }
  template <typename T>
  void PutVector(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    Put<uint64_t>(v.size());
    if (!v.empty()) out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  // Like PutVector, with the elements aligned for T (relative to the start of the buffer), so that a
  // reader over an aligned copy or mapping of the bytes can use them in place (GetArray).
  template <typename T>
  void PutArray(const T* data, size_t n) {
    static_assert(std::is_trivially_copyable_v<T>);
    Put<uint64_t>(n);
    out_.append((alignof(T) - out_.size() % alignof(T)) % alignof(T), '\0');
    if (n > 0) out_.append(reinterpret_cast<const char*>(data), n * sizeof(T));
  }
  std::string& data() { return out_; }

 private:
  std::string out_;
};

class BinaryReader {
 public:
  explicit BinaryReader(std::string_view data) : data_(data) {}

  template <typename T>
  bool Get(T* v) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!Need(sizeof(T))) return false;
    std::memcpy(v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool GetString(std::string* s) {
    uint64_t n;
    if (!Get(&n) || !Need(n)) return false;
    s->assign(data_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  template <typename T>
  bool GetVector(std::vector<T>* v) {
    uint64_t n;
    if (!Get(&n) || n > (data_.size() - pos_) / sizeof(T) || !Need(n * sizeof(T))) return Fail();
    v->resize(n);
    if (n > 0) std::memcpy(v->data(), data_.data() + pos_, n * sizeof(T));  // data() may be null when empty
    pos_ += n * sizeof(T);
    return true;
  }
  // An array written by PutArray, in place: *data points into the reader's bytes (which must be
  // aligned for T at their start and outlive the use). False if truncated or misaligned.
  template <typename T>
  bool GetArray(const T** data, size_t* n) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint64_t count;
    if (!Get(&count)) return false;
    size_t pad = (alignof(T) - pos_ % alignof(T)) % alignof(T);
    if (!Need(pad)) return false;
    pos_ += pad;
    if (count > (data_.size() - pos_) / sizeof(T)) return Fail();
    const char* at = data_.data() + pos_;
    if (reinterpret_cast<uintptr_t>(at) % alignof(T) != 0) return Fail();
    *data = reinterpret_cast<const T*>(at);
    *n = static_cast<size_t>(count);
    pos_ += static_cast<size_t>(count) * sizeof(T);
    return true;
  }
  bool done() const { return pos_ == data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }
  // Corruption naming the offset of the first failed read.
  Status status() const {
    return failed_ ? Status::Corruption("snapshot truncated or corrupt at byte " + std::to_string(fail_pos_)) : Status::Ok();
  }

 private:
  bool Need(uint64_t n) {
    if (failed_ || n > data_.size() - pos_) return Fail();
    return true;
  }
  bool Fail() {
    if (!failed_) fail_pos_ = pos_;
    failed_ = true;
    return false;
  }
  std::string_view data_;
  size_t pos_ = 0;
  bool failed_ = false;
  size_t fail_pos_ = 0;
};

}  // namespace ts
