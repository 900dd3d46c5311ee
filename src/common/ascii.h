// Locale-free ASCII character classes as inline table lookups. They agree with <cctype> in the "C"
// locale for every byte (bytes >= 0x80 are in no class and map to themselves), but never call into
// libc, so the parser's per-byte loops stay cheap.
//   ascii::IsAlnum('a')  // true
//   ascii::Lower('Q')    // 'q'
#pragma once

#include <array>
#include <cstdint>

namespace ts::ascii {

namespace internal {
inline constexpr uint8_t kAlpha = 1, kDigit = 2, kSpace = 4, kUpper = 8;
inline constexpr std::array<uint8_t, 256> kClass = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kAlpha;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kAlpha | kUpper;
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
  for (int c : {' ', '\t', '\n', '\v', '\f', '\r'}) t[c] = kSpace;
  return t;
}();
inline constexpr uint8_t ClassOf(int c) { return kClass[static_cast<unsigned char>(c)]; }
}  // namespace internal

// Each takes a char or an unsigned char (any int is read as its low byte).
inline constexpr bool IsAlpha(int c) { return internal::ClassOf(c) & internal::kAlpha; }
inline constexpr bool IsDigit(int c) { return internal::ClassOf(c) & internal::kDigit; }
inline constexpr bool IsAlnum(int c) { return internal::ClassOf(c) & (internal::kAlpha | internal::kDigit); }
inline constexpr bool IsSpace(int c) { return internal::ClassOf(c) & internal::kSpace; }
inline constexpr bool IsUpper(int c) { return internal::ClassOf(c) & internal::kUpper; }
// The lower-case letter for A-Z; every other byte unchanged (as an unsigned byte value, like tolower).
inline constexpr int Lower(int c) {
  unsigned char u = static_cast<unsigned char>(c);
  return IsUpper(u) ? u + ('a' - 'A') : u;
}

}  // namespace ts::ascii
