#include "common/binary_io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <random>
#include <system_error>

#include "common/crc32c.h"

namespace ts {

Result<std::string> ReadWholeFile(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return Status::NotFound("cannot open " + path);
  if (std::fseek(f.get(), 0, SEEK_END) != 0) return Status::IoError("cannot seek " + path);
  long size = std::ftell(f.get());
  if (size < 0) return Status::IoError("cannot size " + path);
  std::rewind(f.get());
  std::string data(static_cast<size_t>(size), '\0');
  if (size > 0 && std::fread(data.data(), 1, data.size(), f.get()) != data.size()) {
    return Status::IoError("short read of " + path);
  }
  return data;
}

Result<MappedFile> MappedFile::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::NotFound("cannot open " + path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return Status::IoError("cannot stat " + path);
  }
  size_t size = static_cast<size_t>(st.st_size);
  void* data = nullptr;
  if (size > 0) {
    data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (data == MAP_FAILED) {
      ::close(fd);
      return Status::IoError("cannot map " + path);
    }
  }
  ::close(fd);  // the mapping keeps the file
  return MappedFile(data, size);
}

namespace {

std::string SystemReason(int err) { return std::system_category().message(err); }

// Creates a temporary beside `path` with a fresh name; returns its descriptor (-1 with *name unset on failure).
int CreateUniqueTemporary(const std::string& path, std::string* name, Status* error) {
  std::random_device random;
  for (int attempt = 0; attempt < 16; ++attempt) {
    char suffix[64];
    std::snprintf(suffix, sizeof suffix, ".tmp.%ld.%08x%08x", static_cast<long>(::getpid()), random(), random());
    std::string candidate = path + suffix;
    int fd = ::open(candidate.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      *name = std::move(candidate);
      return fd;
    }
    if (errno != EEXIST) {
      *error = Status::IoError("cannot create " + candidate + ": " + SystemReason(errno));
      return -1;
    }
  }
  *error = Status::IoError("cannot create a temporary file beside " + path + ": every name tried exists");
  return -1;
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  std::string tmp;
  Status error;
  int fd = CreateUniqueTemporary(path, &tmp, &error);
  if (fd < 0) return error;
  auto fail = [&](const std::string& what, bool fd_open) {
    Status s = Status::IoError(what + ": " + SystemReason(errno));  // errno before close() can change it
    if (fd_open) ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  };
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot write " + tmp, true);
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return fail("cannot close " + tmp, false);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return fail("cannot rename " + tmp + " to " + path, false);
  return Status::Ok();
}

namespace {
constexpr size_t kSectionHeader = sizeof(uint64_t) + sizeof(uint32_t);
constexpr size_t kCrcAt = sizeof(uint64_t);  // the CRC follows the length

// The CRC of a section starting at `at` whose payload is [payload_at, payload_at + n): all but the CRC field.
uint32_t SectionCrc(std::string_view bytes, size_t at, size_t payload_at, size_t n) {
  uint32_t crc = Crc32c(bytes.substr(at, kCrcAt));
  return Crc32cExtend(crc, bytes.substr(at + kSectionHeader, payload_at - (at + kSectionHeader) + n));
}
}  // namespace

size_t BinaryWriter::BeginSection() {
  size_t at = out_.size();
  out_.append(kSectionHeader, '\0');
  out_.append((kSectionAlign - out_.size() % kSectionAlign) % kSectionAlign, '\0');
  return at;
}

void BinaryWriter::EndSection(size_t handle) {
  size_t payload_at = handle + kSectionHeader + (kSectionAlign - (handle + kSectionHeader) % kSectionAlign) % kSectionAlign;
  uint64_t n = out_.size() - payload_at;
  std::memcpy(out_.data() + handle, &n, sizeof n);
  uint32_t crc = SectionCrc(out_, handle, payload_at, static_cast<size_t>(n));
  std::memcpy(out_.data() + handle + kCrcAt, &crc, sizeof crc);
}

bool BinaryReader::GetSection(std::string_view* payload) {
  const size_t at = pos_;
  uint64_t n;
  uint32_t stored;
  if (!Get(&n) || !Get(&stored)) return false;
  size_t pad = (BinaryWriter::kSectionAlign - pos_ % BinaryWriter::kSectionAlign) % BinaryWriter::kSectionAlign;
  if (!Need(pad)) return false;
  const size_t payload_at = pos_ + pad;
  pos_ = payload_at;
  if (!Need(n)) return false;
  if (SectionCrc(data_, at, payload_at, static_cast<size_t>(n)) != stored) {
    pos_ = at;
    bad_checksum_ = true;
    return Fail();
  }
  *payload = data_.substr(payload_at, static_cast<size_t>(n));
  pos_ = payload_at + static_cast<size_t>(n);
  return true;
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

}  // namespace ts
