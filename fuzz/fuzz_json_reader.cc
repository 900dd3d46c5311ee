// libFuzzer target: the JSON paths of the importer (splitter + API v2 and API v1 study readers + writer round trip).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/ctgov_json.h"
#include "ingest/ctgov_v1.h"
#include "ingest/json_splitter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // Readers are reused across inputs, as the importer reuses them across records (the v1 one loads its table once).
  static ts::StudyJsonReader reader;
  static ts::StudyV1JsonReader v1_reader;
  // Whatever parses must serialise to API v2 JSON that parses back to the same study.
  auto round_trip = [&](const ts::Result<ts::Study>& study) {
    if (!study.ok()) return;
    auto again = reader.Parse(ts::WriteStudyJson(*study));
    if (!again.ok() || !(*again == *study)) __builtin_trap();
  };
  auto check = [&](ts::JsonShape shape, std::string_view record) {
    round_trip(shape == ts::JsonShape::kApiV1 ? v1_reader.Parse(record) : reader.Parse(record));
  };
  check(ts::JsonShape::kApiV2, input);
  check(ts::JsonShape::kApiV1, input);
  ts::JsonSplitter splitter([&](const ts::RecordPlace& at, std::string_view text) { check(at.shape, text); },
                            [](const ts::RecordPlace&, const ts::Status&) {}, 1 << 16);
  // Feed in two pieces to exercise chunk boundaries.
  splitter.Feed(input.substr(0, size / 2));
  splitter.Feed(input.substr(size / 2));
  splitter.Finish();
  return 0;
}
