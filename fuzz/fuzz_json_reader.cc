// libFuzzer target: the API v2 JSON path of the importer (splitter + study reader + writer round trip).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/ctgov_json.h"
#include "ingest/json_splitter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ts::StudyJsonReader reader;
  auto check = [&](std::string_view record) {
    auto study = reader.Parse(record);
    if (!study.ok()) return;
    // Whatever parses must serialise to JSON that parses back to the same study.
    auto again = reader.Parse(ts::WriteStudyJson(*study));
    if (!again.ok() || !(*again == *study)) __builtin_trap();
  };
  check(input);
  ts::JsonSplitter splitter([&](const ts::RecordPlace&, std::string_view text) { check(text); }, [](const ts::RecordPlace&, const ts::Status&) {},
                            1 << 16);
  // Feed in two pieces to exercise chunk boundaries.
  splitter.Feed(input.substr(0, size / 2));
  splitter.Feed(input.substr(size / 2));
  splitter.Finish();
  return 0;
}
