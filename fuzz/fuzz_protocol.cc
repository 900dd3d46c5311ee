// libFuzzer target: see FuzzProtocol in tests/support/fuzz_protocol_harness.h for what is checked.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_protocol_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (!ts::testing::FuzzProtocol(std::string_view(reinterpret_cast<const char*>(data), size))) __builtin_trap();
  return 0;
}
