// Field-by-field differences between two versions of a study (as API v2 JSON).
//   auto changes = DiffStudyJson(v1_json, v2_json);
//   // {path: "protocolSection.statusModule.overallStatus", before: "RECRUITING", after: "COMPLETED"}
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ts {

struct FieldChange {
  std::string path;    // dotted JSON path, arrays as [i]
  std::string before;  // scalar as text; "" with had_before=false when the field was absent
  std::string after;
  bool had_before = true;
  bool has_after = true;
  bool operator==(const FieldChange&) const = default;
};

// Compares the leaves of two JSON documents. Paths are reported in document order of `after`,
// then removed paths. InvalidArgument if either is not JSON.
Result<std::vector<FieldChange>> DiffStudyJson(std::string_view before, std::string_view after);

}  // namespace ts
