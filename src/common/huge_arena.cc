#include "common/huge_arena.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace ts {

namespace {
size_t RoundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }
}  // namespace

HugeArena::HugeArena(size_t block_bytes) : block_bytes_(RoundUp(block_bytes == 0 ? 1 : block_bytes, kHugePage)) {}

HugeArena::~HugeArena() { Release(); }

HugeArena::HugeArena(HugeArena&& o) noexcept : block_bytes_(o.block_bytes_) { *this = std::move(o); }

HugeArena& HugeArena::operator=(HugeArena&& o) noexcept {
  if (this != &o) {
    Release();
    block_bytes_ = o.block_bytes_;
    next_block_ = o.next_block_;
    blocks_ = std::move(o.blocks_);
    spare_ = std::move(o.spare_);
    cur_ = o.cur_;
    end_ = o.end_;
    reserved_ = o.reserved_;
    used_ = o.used_;
    o.Forget();
  }
  return *this;
}

void HugeArena::Forget() {
  blocks_.clear();
  spare_.clear();
  cur_ = end_ = nullptr;
  reserved_ = used_ = 0;
}

void HugeArena::Release() {
  for (const Block& b : blocks_) munmap(b.base, b.size);
  for (const Block& b : spare_) munmap(b.base, b.size);
  Forget();
}

void HugeArena::Adopt(HugeArena&& from) {
  for (const Block& b : from.blocks_) spare_.push_back(b);
  for (const Block& b : from.spare_) spare_.push_back(b);
  reserved_ += from.reserved_;
  from.Forget();
}

void HugeArena::ReleaseSpare() {
  for (const Block& b : spare_) {
    munmap(b.base, b.size);
    reserved_ -= b.size;
  }
  spare_.clear();
}

HugeArena::Block HugeArena::MapBlock(size_t size) {
  for (size_t i = 0; i < spare_.size(); ++i) {  // an adopted block that is large enough
    if (spare_[i].size < size) continue;
    const Block b = spare_[i];
    spare_[i] = spare_.back();
    spare_.pop_back();
    blocks_.push_back(b);
    return b;
  }
  // Map one huge page more than needed and trim, so the block starts on a huge-page boundary.
  void* raw = mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = RoundUp(start, kHugePage);
  if (aligned > start) munmap(raw, aligned - start);
  const uintptr_t tail = aligned + size;
  const uintptr_t raw_end = start + size + kHugePage;
  if (raw_end > tail) munmap(reinterpret_cast<void*>(tail), raw_end - tail);
  void* base = reinterpret_cast<void*>(aligned);
  madvise(base, size, MADV_HUGEPAGE);  // advice only: without THP the block is ordinary pages
  blocks_.push_back({base, size});
  reserved_ += size;
  return blocks_.back();
}

void* HugeArena::Allocate(size_t bytes) {
  const size_t need = RoundUp(bytes == 0 ? 1 : bytes, 16);
  used_ += need;
  if (static_cast<size_t>(end_ - cur_) >= need) {
    void* p = cur_;
    cur_ += need;
    return p;
  }
  // A large request gets a block of its own, and the current block stays open for small ones.
  if (need >= block_bytes_ / 4) return MapBlock(RoundUp(need, kHugePage)).base;
  // Blocks start at one huge page and double up to block_bytes_, so a small index maps little.
  const size_t size = std::max(next_block_, RoundUp(need, kHugePage));
  next_block_ = std::min(block_bytes_, next_block_ * 2);
  const Block b = MapBlock(size);  // an adopted block may be larger: all of it is used
  cur_ = static_cast<char*>(b.base);
  end_ = cur_ + b.size;
  void* p = cur_;
  cur_ += need;
  return p;
}

}  // namespace ts
