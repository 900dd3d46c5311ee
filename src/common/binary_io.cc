#include "common/binary_io.h"

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

}  // namespace ts
