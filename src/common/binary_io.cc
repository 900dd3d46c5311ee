#include "common/binary_io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

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

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

}  // namespace ts
