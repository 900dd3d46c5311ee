#include "common/crc32c.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace ts {
namespace {

TEST(Crc32cTest, KnownValues) {
  EXPECT_EQ(Crc32c(""), 0u);
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720 B.4
  EXPECT_EQ(Crc32c(std::string(32, '\xFF')), 0x62A8AB43u);
  EXPECT_EQ(Crc32cExtendPortable(0, "123456789"), 0xE3069283u);
}

// The fast path agrees with the table at every length and alignment, and extending equals one pass.
TEST(Crc32cTest, FastPathAgreesWithTheTable) {
  std::mt19937 rng(7);
  std::string data(4096 + 16, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  for (size_t start = 0; start < 16; ++start) {
    for (size_t len : {0, 1, 7, 8, 9, 63, 64, 65, 1000, 4096}) {
      std::string_view s = std::string_view(data).substr(start, len);
      EXPECT_EQ(Crc32c(s), Crc32cExtendPortable(0, s)) << start << " " << len;
      for (size_t cut : {size_t{0}, len / 3, len}) {
        EXPECT_EQ(Crc32cExtend(Crc32c(s.substr(0, cut)), s.substr(cut)), Crc32c(s)) << start << " " << len << " " << cut;
      }
    }
  }
}

}  // namespace
}  // namespace ts
