// The files library code reads and writes, behind one small interface so that tests can replace it
// (LevelDB's Env is the model). `main` makes one PosixFileSystem and passes it down; nothing in the
// libraries opens a file by itself for writing.
//   PosixFileSystem fs;
//   Status s = fs.WriteAtomically("data/search.snapshot", bytes);
//   auto f = fs.Map("data/search.snapshot");   // (*f)->data() while *f lives
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace ts {

// A whole file's bytes, read-only, valid while the object lives.
class FileContents {
 public:
  virtual ~FileContents() = default;
  virtual std::string_view data() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // The whole file (an implementation may map it rather than read it). NotFound if it does not exist;
  // IoError naming the path for any other failure.
  virtual Result<std::shared_ptr<const FileContents>> Map(const std::string& path) const = 0;
  // Replaces `path` with `bytes` so that readers see the old file or the new one, never a part
  // (see WriteFileAtomically). IoError names the path and the reason. Thread-safe.
  virtual Status WriteAtomically(const std::string& path, std::string_view bytes) const = 0;
};

// The machine's files: Map is mmap (pages load on first touch), WriteAtomically is WriteFileAtomically.
class PosixFileSystem final : public FileSystem {
 public:
  Result<std::shared_ptr<const FileContents>> Map(const std::string& path) const override;
  Status WriteAtomically(const std::string& path, std::string_view bytes) const override;
};

}  // namespace ts
