// Memory for many arrays that are made together and freed together (an index's posting lists),
// carved from large blocks that the kernel may back with transparent huge pages (madvise). On a
// virtual machine a fresh 4 KiB page costs over a microsecond to fault in; a 2 MiB page costs about
// as much as 4 small ones, and it also spares the TLB when the arrays are read at random later.
//   HugeArena arena;
//   uint32_t* docs = arena.AllocateArray<uint32_t>(n);   // valid until `arena` is destroyed
// Not thread-safe: one arena per thread. Move-only; moving keeps every allocation where it is.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace ts {

class HugeArena {
 public:
  static constexpr size_t kHugePage = size_t{2} << 20;
  // Blocks of one huge page, doubling up to `block_bytes` (rounded up to whole huge pages); a
  // request of a quarter of that or more gets a block of its own.
  explicit HugeArena(size_t block_bytes = size_t{64} << 20);
  ~HugeArena();
  HugeArena(HugeArena&& o) noexcept;
  HugeArena& operator=(HugeArena&& o) noexcept;
  HugeArena(const HugeArena&) = delete;
  HugeArena& operator=(const HugeArena&) = delete;

  // `bytes` of uninitialised memory aligned to 16 bytes (zero bytes: a valid, unique pointer).
  // Throws std::bad_alloc when the system has no memory to give.
  void* Allocate(size_t bytes);
  template <typename T>
  T* AllocateArray(size_t n) {
    static_assert(alignof(T) <= 16);
    return static_cast<T*>(Allocate(n * sizeof(T)));
  }

  // Takes `from`'s blocks to hand out again before mapping new ones: memory already faulted in
  // costs nothing to touch again. Everything allocated from `from` becomes invalid.
  void Adopt(HugeArena&& from);
  // Unmaps adopted blocks not handed out again.
  void ReleaseSpare();

  // Bytes mapped (whole blocks, spare ones included) and bytes handed out.
  size_t reserved_bytes() const { return reserved_; }
  size_t used_bytes() const { return used_; }

 private:
  struct Block {
    void* base;
    size_t size;
  };
  void Release();  // unmaps every block
  void Forget();   // drops every block without unmapping it (they moved to another arena)
  Block MapBlock(size_t size);  // a block of at least `size` bytes (adopted, or mapped on a huge page)

  size_t block_bytes_;
  size_t next_block_ = kHugePage;
  std::vector<Block> blocks_;
  std::vector<Block> spare_;  // adopted, not yet in use
  char* cur_ = nullptr;
  char* end_ = nullptr;
  size_t reserved_ = 0, used_ = 0;
};

}  // namespace ts
