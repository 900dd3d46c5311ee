// The API v1 -> API v2 mapping table (resources/ctgov_v1_map.tsv), loaded into lookups for the v1 reader
// (internal to ingest: not a public API).
//   Result<V1Mapping> m = ParseV1Mapping(EmbeddedV1MappingTable());
//   const V1FieldRule* r = m->Field("ProtocolSection.StatusModule.OverallStatus");  // -> overallStatus, enum
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace ts::ingest_internal {

// How a v1 value becomes a v2 value (the table's fourth column).
enum class V1Convert {
  kText,        // a string, kept
  kInt,         // a string of digits (or a JSON integer) -> a JSON integer
  kDate,        // "March 2005", "March 15, 2005" or ISO -> ISO; other text is a reject
  kDateOrText,  // as kDate, and "05/27/2016 14:21" -> "2016-05-27T14:21"; other text kept as written
  kAge,         // "18 Years", "N/A": checked, kept
  kNctId,       // NCT + 8 digits: checked, kept
  kEnum,        // a value line of `value_set`; another value is a reject
  kEnumOrText,  // as kEnum; another value kept as written
};

// One step of a v2 path: a key, or (each == true) every element of the list at that key.
struct V2Step {
  std::string key;
  bool each = false;
};

struct V1FieldRule {
  std::string v1_path;   // "ProtocolSection.ConditionsModule.ConditionList.Condition[]"
  std::string v2_path;   // "protocolSection.conditionsModule.conditions[]"
  std::vector<V2Step> v2_steps;
  size_t v1_lists = 0;   // `[]` in v1_path (>= the `each` steps of v2_steps)
  V1Convert convert = V1Convert::kText;
  std::string value_set;  // for kEnum / kEnumOrText
};

// One `value` line: a v1 spelling of an enumerated value and what API v2 writes for it.
struct V1ValueRow {
  std::string set;
  std::string v1;
  std::string v2;  // an API v2 enum name, "true" / "false", or "-" (leave the field unset)
};

enum class V1Container { kObject, kList };

struct V1Mapping {
  std::unordered_map<std::string, V1FieldRule> fields;   // by v1 path
  std::unordered_map<std::string, std::string> dropped;  // v1 path (a field or a subtree) -> why
  // Every proper prefix of a field's v1 path, and what it holds: "ProtocolSection" -> object,
  // "ProtocolSection.ConditionsModule.ConditionList.Condition" -> list.
  std::unordered_map<std::string, V1Container> containers;
  std::vector<V1ValueRow> values;  // in table order
  // set -> lower-case v1 spelling -> v2 value.
  std::map<std::string, std::unordered_map<std::string, std::string>, std::less<>> value_sets;

  const V1FieldRule* Field(const std::string& v1_path) const;
  std::optional<V1Container> Container(const std::string& v1_path) const;
  // The v2 value of `v1_value` (compared without case, trimmed) in `set`; nullptr when unknown.
  const std::string* Value(std::string_view set, std::string_view v1_value) const;
};

// Parses the table. InvalidArgument names the line ("ctgov_v1_map.tsv:12: unknown conversion \"dat\"") for a
// malformed line, an unknown conversion, an enum set with no value lines, a v2 path with more lists than its v1
// path, a spelling given two v2 values, or a path used as both an object and a list.
Result<V1Mapping> ParseV1Mapping(std::string_view tsv);

// The text of resources/ctgov_v1_map.tsv, compiled into the binary.
std::string_view EmbeddedV1MappingTable();

}  // namespace ts::ingest_internal
