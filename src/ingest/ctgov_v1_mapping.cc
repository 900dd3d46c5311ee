#include "ingest/ctgov_v1_mapping.h"

#include "common/strings.h"

namespace ts {
extern const std::string_view kCtgovV1Map;  // generated from resources/ctgov_v1_map.tsv
}  // namespace ts

namespace ts::ingest_internal {

namespace {

constexpr std::string_view kEach = "[]";

std::string Key(std::string_view s) { return ToLowerAscii(Trim(s)); }

size_t CountLists(std::string_view path) {
  size_t n = 0;
  for (size_t p = path.find(kEach); p != std::string_view::npos; p = path.find(kEach, p + 2)) ++n;
  return n;
}

std::optional<V1Convert> ParseConvert(std::string_view s, std::string* set) {
  static constexpr std::pair<std::string_view, V1Convert> kPlain[] = {
      {"text", V1Convert::kText}, {"int", V1Convert::kInt},  {"date", V1Convert::kDate},
      {"date-or-text", V1Convert::kDateOrText}, {"age", V1Convert::kAge}, {"nct", V1Convert::kNctId}};
  for (const auto& [name, c] : kPlain)
    if (s == name) return c;
  for (auto [prefix, c] : {std::pair{std::string_view("enum:"), V1Convert::kEnum},
                           std::pair{std::string_view("enum-or-text:"), V1Convert::kEnumOrText}}) {
    if (StartsWith(s, prefix) && s.size() > prefix.size()) {
      *set = std::string(s.substr(prefix.size()));
      return c;
    }
  }
  return std::nullopt;
}

// "a.b[].c" -> [{a}, {b, each}, {c}]; empty when a step is empty.
std::vector<V2Step> ParseSteps(std::string_view path) {
  std::vector<V2Step> out;
  for (std::string_view part : Split(path, '.')) {
    V2Step step;
    if (EndsWith(part, kEach)) {
      step.each = true;
      part.remove_suffix(kEach.size());
    }
    if (part.empty() || part.find('[') != std::string_view::npos) return {};
    step.key = std::string(part);
    out.push_back(std::move(step));
  }
  return out;
}

class TableParser {
 public:
  Status Line(size_t number, std::string_view line) {
    line_ = number;
    std::vector<std::string_view> cols = Split(line, '\t');
    if (cols[0] == "field" && cols.size() == 4) return FieldLine(cols[1], cols[2], cols[3]);
    if (cols[0] == "drop" && cols.size() == 3) {
      m_.dropped[std::string(cols[1])] = std::string(cols[2]);
      return Status::Ok();
    }
    if (cols[0] == "value" && cols.size() == 4) return ValueLine(cols[1], cols[2], cols[3]);
    return Error("expected field/drop/value with 3, 2 or 3 tab-separated columns");
  }

  // Checks what needs the whole table: every enum set a field names has value lines.
  Result<V1Mapping> Finish() {
    for (const auto& [path, rule] : m_.fields) {
      if (!rule.value_set.empty() && !m_.value_sets.count(rule.value_set)) {
        return Status::InvalidArgument("ctgov_v1_map.tsv: " + path + ": no value lines for set \"" + rule.value_set +
                                       "\"");
      }
    }
    return std::move(m_);
  }

 private:
  Status Error(const std::string& msg) const {
    return Status::InvalidArgument("ctgov_v1_map.tsv:" + std::to_string(line_) + ": " + msg);
  }

  Status FieldLine(std::string_view v1, std::string_view v2, std::string_view convert) {
    V1FieldRule r;
    r.v1_path = std::string(v1);
    r.v2_path = std::string(v2);
    r.v2_steps = ParseSteps(v2);
    if (r.v2_steps.empty() || ParseSteps(v1).empty()) return Error("malformed path");
    auto c = ParseConvert(convert, &r.value_set);
    if (!c) return Error("unknown conversion \"" + std::string(convert) + "\"");
    r.convert = *c;
    r.v1_lists = CountLists(v1);
    if (CountLists(v2) > r.v1_lists) return Error("the v2 path has more lists than the v1 path");
    TS_RETURN_IF_ERROR(AddContainers(r.v1_path));
    if (!m_.fields.emplace(r.v1_path, r).second) return Error("v1 path given twice: " + r.v1_path);
    return Status::Ok();
  }

  // Registers every proper prefix of `path` as an object (followed by '.') or a list (followed by "[]").
  Status AddContainers(const std::string& path) {
    for (size_t i = 0; i < path.size(); ++i) {
      V1Container kind;
      if (path[i] == '.') {
        kind = V1Container::kObject;
      } else if (path.compare(i, kEach.size(), kEach) == 0) {
        kind = V1Container::kList;
      } else {
        continue;
      }
      auto [it, added] = m_.containers.emplace(path.substr(0, i), kind);
      if (!added && it->second != kind) return Error(path.substr(0, i) + " is both an object and a list");
    }
    return Status::Ok();
  }

  Status ValueLine(std::string_view set, std::string_view v1, std::string_view v2) {
    if (set.empty() || Trim(v1).empty() || v2.empty()) return Error("empty column");
    auto& spellings = m_.value_sets[std::string(set)];
    auto [it, added] = spellings.emplace(Key(v1), std::string(v2));
    if (!added && it->second != v2) {
      std::string msg = "two v2 values for ";
      msg.append(v1).append(" in ").append(set);
      return Error(msg);
    }
    m_.values.push_back({std::string(set), std::string(v1), std::string(v2)});
    return Status::Ok();
  }

  V1Mapping m_;
  size_t line_ = 0;
};

}  // namespace

const V1FieldRule* V1Mapping::Field(const std::string& v1_path) const {
  auto it = fields.find(v1_path);
  return it == fields.end() ? nullptr : &it->second;
}

std::optional<V1Container> V1Mapping::Container(const std::string& v1_path) const {
  auto it = containers.find(v1_path);
  if (it == containers.end()) return std::nullopt;
  return it->second;
}

const std::string* V1Mapping::Value(std::string_view set, std::string_view v1_value) const {
  auto s = value_sets.find(set);
  if (s == value_sets.end()) return nullptr;
  auto v = s->second.find(Key(v1_value));
  return v == s->second.end() ? nullptr : &v->second;
}

Result<V1Mapping> ParseV1Mapping(std::string_view tsv) {
  TableParser parser;
  size_t number = 0;
  for (std::string_view line : Split(tsv, '\n')) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty() || line[0] == '#') continue;
    TS_RETURN_IF_ERROR(parser.Line(number, line));
  }
  return parser.Finish();
}

std::string_view EmbeddedV1MappingTable() { return kCtgovV1Map; }

}  // namespace ts::ingest_internal
