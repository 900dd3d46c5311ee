#include "common/file_system.h"

#include "common/binary_io.h"

namespace ts {

namespace {

class MappedContents final : public FileContents {
 public:
  explicit MappedContents(MappedFile file) : file_(std::move(file)) {}
  std::string_view data() const override { return file_.data(); }

 private:
  MappedFile file_;
};

}  // namespace

Result<std::shared_ptr<const FileContents>> PosixFileSystem::Map(const std::string& path) const {
  auto mapped = MappedFile::Open(path);
  if (!mapped.ok()) return mapped.status();
  return std::shared_ptr<const FileContents>(std::make_shared<MappedContents>(std::move(*mapped)));
}

Status PosixFileSystem::WriteAtomically(const std::string& path, std::string_view bytes) const {
  return WriteFileAtomically(path, bytes);
}

}  // namespace ts
