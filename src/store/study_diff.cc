#include "store/study_diff.h"

#include <simdjson.h>

#include <unordered_map>

namespace ts {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

void Flatten(element e, const std::string& path, std::vector<std::pair<std::string, std::string>>* out) {
  switch (e.type()) {
    case element_type::OBJECT: {
      simdjson::dom::object obj;
      if (e.get_object().get(obj)) return;
      for (auto field : obj) {
        Flatten(field.value, path.empty() ? std::string(field.key) : path + "." + std::string(field.key), out);
      }
      break;
    }
    case element_type::ARRAY: {
      simdjson::dom::array arr;
      if (e.get_array().get(arr)) return;
      size_t i = 0;
      for (element item : arr) Flatten(item, path + "[" + std::to_string(i++) + "]", out);
      break;
    }
    case element_type::STRING: {
      std::string_view v;
      if (e.get_string().get(v)) return;
      out->emplace_back(path, std::string(v));
      break;
    }
    default:
      out->emplace_back(path, simdjson::minify(e));
      break;
  }
}

Result<std::vector<std::pair<std::string, std::string>>> Leaves(std::string_view json, const char* which) {
  simdjson::dom::parser parser;
  element doc;
  if (auto err = parser.parse(json.data(), json.size(), true).get(doc)) {
    return Status::InvalidArgument(std::string(which) + " is not JSON: " + simdjson::error_message(err));
  }
  std::vector<std::pair<std::string, std::string>> out;
  Flatten(doc, "", &out);
  return out;
}

}  // namespace

Result<std::vector<FieldChange>> DiffStudyJson(std::string_view before, std::string_view after) {
  auto a = Leaves(before, "before");
  if (!a.ok()) return a.status();
  auto b = Leaves(after, "after");
  if (!b.ok()) return b.status();
  std::unordered_map<std::string, const std::string*> old_values;
  for (const auto& [p, v] : *a) old_values[p] = &v;
  std::vector<FieldChange> out;
  std::unordered_map<std::string, bool> seen;
  for (const auto& [p, v] : *b) {
    seen[p] = true;
    auto it = old_values.find(p);
    if (it == old_values.end()) {
      out.push_back({p, "", v, false, true});
    } else if (*it->second != v) {
      out.push_back({p, *it->second, v, true, true});
    }
  }
  for (const auto& [p, v] : *a) {
    if (!seen.count(p)) out.push_back({p, v, "", true, false});
  }
  return out;
}

}  // namespace ts
