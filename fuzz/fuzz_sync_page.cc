// libFuzzer target: what `trialscope sync` reads from a registry before importing anything: a /api/v2/studies
// page, a /api/v2/version body and a Retry-After header. None may crash or hang; a page accepted must agree
// with the splitter the importer uses about how many studies it holds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/json_splitter.h"
#include "sync/ctgov_page.h"
#include "sync/pacing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ts::Result<ts::StudiesPage> page = ts::ReadStudiesPage(input);
  (void)ts::ReadDataTimestamp(input);
  (void)ts::ParseRetryAfter(input, 1792567680);
  if (page.ok()) {
    int64_t records = 0, errors = 0;
    ts::JsonSplitter splitter([&](const ts::RecordPlace&, std::string_view) { ++records; },
                              [&](const ts::RecordPlace&, const ts::Status&) { ++errors; });
    splitter.Feed(input);
    splitter.Finish();
    if (records + errors < page->studies) __builtin_trap();
  }
  return 0;
}
