// libFuzzer target: the legacy XML reader (and the JSON round trip of whatever it accepts).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/ctgov_json.h"
#include "ingest/ctgov_xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto study = ts::ParseStudyXml(input);
  if (!study.ok()) return 0;
  ts::StudyJsonReader reader;
  auto again = reader.Parse(ts::WriteStudyJson(*study));
  if (!again.ok() || !(*again == *study)) __builtin_trap();
  return 0;
}
