#include "common/huge_arena.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <utility>

namespace ts {
namespace {

TEST(HugeArenaTest, AllocationsAreAlignedDisjointAndKeepTheirContents) {
  HugeArena arena(HugeArena::kHugePage);  // small blocks, so the test crosses several
  std::vector<std::pair<uint32_t*, size_t>> arrays;
  for (size_t i = 0; i < 2000; ++i) {
    const size_t n = (i * 7919) % 5000;
    uint32_t* a = arena.AllocateArray<uint32_t>(n);
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 16, 0u);
    for (size_t k = 0; k < n; ++k) a[k] = static_cast<uint32_t>(i * 100000 + k);
    arrays.emplace_back(a, n);
  }
  // One request larger than a block gets its own block; the open block still serves small ones.
  char* big = static_cast<char*>(arena.Allocate(3 * HugeArena::kHugePage));
  std::memset(big, 7, 3 * HugeArena::kHugePage);
  uint32_t* after = arena.AllocateArray<uint32_t>(4);
  after[3] = 42;
  HugeArena moved = std::move(arena);  // moving keeps every allocation in place
  for (size_t i = 0; i < arrays.size(); ++i) {
    auto [a, n] = arrays[i];
    for (size_t k = 0; k < n; ++k) ASSERT_EQ(a[k], i * 100000 + k);
  }
  EXPECT_EQ(big[3 * HugeArena::kHugePage - 1], 7);
  EXPECT_EQ(after[3], 42u);
  EXPECT_GE(moved.reserved_bytes(), moved.used_bytes());
  EXPECT_EQ(arena.reserved_bytes(), 0u);
  EXPECT_NE(moved.Allocate(0), moved.Allocate(0));
}

TEST(HugeArenaTest, AdoptedBlocksAreHandedOutAgain) {
  HugeArena first(HugeArena::kHugePage);
  char* a = static_cast<char*>(first.Allocate(1000));
  std::memset(a, 1, 1000);
  const size_t mapped = first.reserved_bytes();
  HugeArena second(HugeArena::kHugePage);
  second.Adopt(std::move(first));
  EXPECT_EQ(first.reserved_bytes(), 0u);
  EXPECT_EQ(second.reserved_bytes(), mapped);
  char* b = static_cast<char*>(second.Allocate(1000));
  EXPECT_EQ(b, a);  // the adopted block, not a new one
  EXPECT_EQ(second.reserved_bytes(), mapped);
  HugeArena third(HugeArena::kHugePage);
  third.Adopt(std::move(second));  // its block in use before: now spare, then released unused
  third.ReleaseSpare();
  EXPECT_EQ(third.reserved_bytes(), 0u);
}

}  // namespace
}  // namespace ts
