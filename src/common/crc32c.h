// CRC-32C (Castagnoli, the iSCSI / ext4 / LevelDB checksum), with the SSE 4.2 instruction where the CPU has it.
//   uint32_t crc = Crc32c(bytes);                      // one buffer
//   uint32_t crc2 = Crc32cExtend(Crc32c(head), tail);  // == Crc32c(head + tail)
#pragma once

#include <cstdint>
#include <string_view>

namespace ts {

// The CRC-32C of `data` continued from `crc` (the CRC of the bytes before it; 0 for none).
// Crc32c("123456789") == 0xE3069283. Thread-safe.
uint32_t Crc32cExtend(uint32_t crc, std::string_view data);
inline uint32_t Crc32c(std::string_view data) { return Crc32cExtend(0, data); }

// The portable table-driven version (the same results); for tests.
uint32_t Crc32cExtendPortable(uint32_t crc, std::string_view data);

}  // namespace ts
