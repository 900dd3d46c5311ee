// libFuzzer target: see FuzzQuery in tests/support/fuzz_query.h for what is checked.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (!ts::testing::FuzzQuery(std::string_view(reinterpret_cast<const char*>(data), size))) __builtin_trap();
  return 0;
}
