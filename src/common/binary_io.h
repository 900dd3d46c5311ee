// Little binary (de)serialisation for snapshot files: plain values, strings and vectors of plain
// values, with bounds checks on read so a truncated or corrupt file is an error, never a crash, and
// checksummed sections so that a damaged one is refused, never read.
//   BinaryWriter w;  size_t s = w.BeginSection();  w.Put<uint32_t>(7);  w.PutString("x");  w.EndSection(s);
//   BinaryReader r(bytes);  std::string_view section;  if (!r.GetSection(&section)) return r.status();
//   BinaryReader in(section);  uint32_t n;  if (!in.Get(&n)) return in.status();
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

// Replaces `path` with `bytes` atomically: writes a temporary file of a name no other writer uses
// ("path.tmp.PID.RANDOM", created with O_EXCL), then renames it over `path`. Two writers finishing together
// never collide: the last rename wins and readers see one whole file or the other. Not fsynced: after a power
// loss the file may be short, so it should carry its own check (the search snapshot's checksums). On failure
// the temporary is removed and IoError names it with the system's reason. Thread-safe.
Status WriteFileAtomically(const std::string& path, std::string_view bytes);

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
  // Checksummed sections. What is written between BeginSection() and EndSection(handle) is one section,
  // stored as [uint64 payload length][uint32 CRC-32C][zero padding to a multiple of kSectionAlign][payload];
  // the CRC covers the length, the padding and the payload. The payload starts aligned to kSectionAlign
  // (relative to the buffer's start), so arrays in it keep their alignment.
  static constexpr size_t kSectionAlign = 16;
  size_t BeginSection();
  void EndSection(size_t handle);

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
  // A section written by BeginSection/EndSection: *payload views its bytes (inside this reader's). False when
  // truncated or when the checksum does not match (status() then says which, and where).
  bool GetSection(std::string_view* payload);
  bool done() const { return pos_ == data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }
  // Corruption naming the offset of the first failed read (or of the section whose checksum failed).
  Status status() const {
    if (!failed_) return Status::Ok();
    if (bad_checksum_) return Status::Corruption("checksum mismatch in the section at byte " + std::to_string(fail_pos_));
    return Status::Corruption("snapshot truncated or corrupt at byte " + std::to_string(fail_pos_));
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
  bool bad_checksum_ = false;
  size_t fail_pos_ = 0;
};

}  // namespace ts
