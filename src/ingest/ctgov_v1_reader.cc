// API v1 JSON -> API v2 JSON (by the table of ctgov_v1_mapping.h) -> Study (by StudyJsonReader).
#include <simdjson.h>

#include <cctype>
#include <cstdio>

#include "common/date.h"
#include "common/json_writer.h"
#include "common/strings.h"
#include "ingest/ctgov_json.h"
#include "ingest/ctgov_v1.h"
#include "ingest/ctgov_v1_mapping.h"
#include "model/age.h"

namespace ts {

namespace {

using ingest_internal::V1Container;
using ingest_internal::V1Convert;
using ingest_internal::V1FieldRule;
using ingest_internal::V1Mapping;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr size_t kMaxUnknownListed = 32;

// The API v2 tree being built: objects keep their keys in the order they were first written.
class V2Node {
 public:
  V2Node& Member(std::string_view key) {
    kind_ = Kind::kObject;
    for (auto& [k, v] : members_)
      if (k == key) return v;
    members_.emplace_back(std::string(key), V2Node());
    return members_.back().second;
  }
  V2Node& Item(size_t i) {
    kind_ = Kind::kList;
    if (items_.size() <= i) items_.resize(i + 1);
    return items_[i];
  }
  void SetString(std::string s) {
    kind_ = Kind::kString;
    text_ = std::move(s);
  }
  void SetInt(int64_t v) {
    kind_ = Kind::kInt;
    number_ = v;
  }
  void SetBool(bool v) {
    kind_ = Kind::kBool;
    flag_ = v;
  }

  // Never-written list items (a v1 element none of whose fields map) are left out.
  void Write(JsonWriter* w) const {
    switch (kind_) {
      case Kind::kEmpty: w->Null(); break;
      case Kind::kString: w->String(text_); break;
      case Kind::kInt: w->Int(number_); break;
      case Kind::kBool: w->Bool(flag_); break;
      case Kind::kObject:
        w->BeginObject();
        for (const auto& [k, v] : members_) {
          w->Key(k);
          v.Write(w);
        }
        w->EndObject();
        break;
      case Kind::kList:
        w->BeginArray();
        for (const V2Node& v : items_)
          if (v.kind_ != Kind::kEmpty) v.Write(w);
        w->EndArray();
        break;
    }
  }

 private:
  enum class Kind { kEmpty, kObject, kList, kString, kInt, kBool };
  Kind kind_ = Kind::kEmpty;
  std::vector<std::pair<std::string, V2Node>> members_;
  std::vector<V2Node> items_;
  std::string text_;
  int64_t number_ = 0;
  bool flag_ = false;
};

// A converted scalar: a string, an integer, a boolean, or nothing (the table's "-": leave the field unset).
struct V2Value {
  enum class Kind { kNone, kString, kInt, kBool } kind = Kind::kNone;
  std::string text;
  int64_t number = 0;
  bool flag = false;
};

V2Value StringValue(std::string s) { return {V2Value::Kind::kString, std::move(s), 0, false}; }

// "05/27/2016 14:21" -> "2016-05-27T14:21" (the v1 spelling of an upload time); nullopt for anything else.
std::optional<std::string> UsDateTime(std::string_view s) {
  unsigned mo, d, y, h, mi;
  char tail;
  std::string text(s);
  if (std::sscanf(text.c_str(), "%2u/%2u/%4u %2u:%2u%c", &mo, &d, &y, &h, &mi, &tail) != 5) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1000 || h > 23 || mi > 59) return std::nullopt;
  char out[32];
  std::snprintf(out, sizeof(out), "%04u-%02u-%02uT%02u:%02u", y, mo, d, h, mi);
  return std::string(out);
}

// Walks the v1 Study object and writes what the table maps into a V2Node tree, remembering the first error
// with its v1 path.
class V1Walker {
 public:
  V1Walker(const V1Mapping& m, V2Node* root) : m_(m), root_(root) {}

  Status status;
  std::vector<std::string> unknown;
  bool saw_nct_id = false;

  // `generic`: the table's path of `o` ("" for the Study); `shown`: its path with indices, for messages.
  void Object(object o, const std::string& generic, const std::string& shown) {
    for (auto [key, value] : o) {
      std::string g = generic.empty() ? std::string(key) : generic + "." + std::string(key);
      Visit(value, g, shown.empty() ? std::string(key) : shown + "." + std::string(key));
      if (!status.ok()) return;
    }
  }

 private:
  void Fail(const std::string& shown, const std::string& msg) {
    if (status.ok()) status = Status::InvalidArgument(shown + ": " + msg);
  }

  void Unknown(const std::string& shown) {
    if (unknown.size() < kMaxUnknownListed) unknown.push_back(shown);
  }

  void Visit(element e, const std::string& generic, const std::string& shown) {
    if (e.is_null() || m_.dropped.count(generic)) return;
    const V1FieldRule* rule = m_.Field(generic);
    std::optional<V1Container> container = m_.Container(generic);
    element_type type = e.type();
    object o;
    if (container == V1Container::kObject && e.get_object().get(o) == simdjson::SUCCESS) return Object(o, generic, shown);
    simdjson::dom::array list;
    if (container == V1Container::kList && e.get_array().get(list) == simdjson::SUCCESS) return List(list, generic, shown);
    bool scalar = type != element_type::OBJECT && type != element_type::ARRAY;
    if (rule && scalar) return Leaf(e, *rule, shown);
    if (rule) return Fail(shown, "expected a single value, not " + std::string(type == element_type::ARRAY ? "a list" : "an object"));
    if (container == V1Container::kObject) return Fail(shown, "expected an object");
    if (container == V1Container::kList) return Fail(shown, "expected a list");
    Unknown(shown);
  }

  void List(simdjson::dom::array list, const std::string& generic, const std::string& shown) {
    size_t i = 0;
    for (element item : list) {
      indices_.push_back(i);
      Visit(item, generic + "[]", shown + "[" + std::to_string(i) + "]");
      indices_.pop_back();
      if (!status.ok()) return;
      ++i;
    }
  }

  void Leaf(element e, const V1FieldRule& r, const std::string& shown) {
    std::string_view text;
    int64_t number = 0;
    if (r.convert == V1Convert::kInt && e.get_int64().get(number) == simdjson::SUCCESS) {
      if (number < 0) return Fail(shown, "must not be negative");
      return Place(r, {V2Value::Kind::kInt, "", number, false}, shown);
    }
    if (e.get_string().get(text)) return Fail(shown, "expected a string");
    std::optional<V2Value> v = Converted(r, text, shown);
    if (v) Place(r, std::move(*v), shown);
  }

  std::optional<V2Value> Converted(const V1FieldRule& r, std::string_view text, const std::string& shown) {
    std::string_view t = Trim(text);
    switch (r.convert) {
      case V1Convert::kText:
        return StringValue(std::string(text));
      case V1Convert::kInt: {
        int64_t n;
        if (t.empty() || !std::isdigit(static_cast<unsigned char>(t[0])) || !ParseInt64(t, &n)) {
          Fail(shown, "not a whole number: \"" + std::string(t.substr(0, 32)) + "\"");
          return std::nullopt;
        }
        return V2Value{V2Value::Kind::kInt, "", n, false};
      }
      case V1Convert::kDate:
      case V1Convert::kDateOrText: {
        if (t.empty()) return std::nullopt;
        if (r.convert == V1Convert::kDateOrText) {
          if (auto dt = UsDateTime(t)) return StringValue(*dt);
        }
        auto d = PartialDate::Parse(t);
        if (d.ok()) return StringValue(d->ToString());
        if (r.convert == V1Convert::kDateOrText) return StringValue(std::string(text));
        Fail(shown, d.status().message());
        return std::nullopt;
      }
      case V1Convert::kAge:
        if (!t.empty() && !EqualsIgnoreCase(t, "N/A")) {
          auto a = Age::Parse(t);
          if (!a.ok()) {
            Fail(shown, a.status().message());
            return std::nullopt;
          }
        }
        return StringValue(std::string(t));
      case V1Convert::kNctId:
        if (!IsNctId(t)) {
          Fail(shown, "not an NCT ID: \"" + std::string(t.substr(0, 32)) + "\"");
          return std::nullopt;
        }
        saw_nct_id = true;
        return StringValue(std::string(t));
      case V1Convert::kEnum:
      case V1Convert::kEnumOrText:
        return EnumValue(r, text, shown);
    }
    return std::nullopt;
  }

  std::optional<V2Value> EnumValue(const V1FieldRule& r, std::string_view text, const std::string& shown) {
    if (Trim(text).empty()) return std::nullopt;
    const std::string* v2 = m_.Value(r.value_set, text);
    if (!v2) {
      if (r.convert == V1Convert::kEnumOrText) return StringValue(std::string(text));
      Fail(shown, "unknown " + r.value_set + " value \"" + std::string(text.substr(0, 64)) + "\"");
      return std::nullopt;
    }
    if (*v2 == "-") return V2Value{};
    if (*v2 == "true" || *v2 == "false") return V2Value{V2Value::Kind::kBool, "", 0, *v2 == "true"};
    return StringValue(*v2);
  }

  // Writes `v` at the rule's v2 path, each `[]` taking the next v1 list index; v1 lists beyond the v2 path's
  // hold one value in API v2, so their index must be 0.
  void Place(const V1FieldRule& r, V2Value v, const std::string& shown) {
    if (v.kind == V2Value::Kind::kNone) return;
    size_t used = 0;
    V2Node* node = root_;
    for (const auto& step : r.v2_steps) {
      node = &node->Member(step.key);
      if (step.each) node = &node->Item(indices_[used++]);
    }
    for (size_t i = used; i < indices_.size(); ++i) {
      if (indices_[i] != 0) return Fail(shown, "API v2 holds one value here (" + r.v2_path + "), not a list");
    }
    switch (v.kind) {
      case V2Value::Kind::kString: node->SetString(std::move(v.text)); break;
      case V2Value::Kind::kInt: node->SetInt(v.number); break;
      case V2Value::Kind::kBool: node->SetBool(v.flag); break;
      case V2Value::Kind::kNone: break;
    }
  }

  const V1Mapping& m_;
  V2Node* root_;
  std::vector<size_t> indices_;  // the index in each enclosing v1 list, outermost first
};

// Finds the Study object of a record and the path prefix messages use for it ("Study", "FullStudy.Study", "").
Status StudyObject(object root, object* study, std::string* shown) {
  element e;
  if (root.at_key("FullStudiesResponse").get(e) == simdjson::SUCCESS) {
    return Status::InvalidArgument(
        "FullStudiesResponse: a page of studies, not one study (the record scanner reads each of its FullStudies)");
  }
  object outer = root;
  std::string prefix;
  if (root.at_key("FullStudy").get(e) == simdjson::SUCCESS) {
    if (e.get_object().get(outer)) return Status::InvalidArgument("FullStudy: expected an object");
    prefix = "FullStudy.";
  }
  if (outer.at_key("Study").get(e) == simdjson::SUCCESS) {
    if (e.get_object().get(*study)) return Status::InvalidArgument(prefix + "Study: expected an object");
    *shown = prefix + "Study";
    return Status::Ok();
  }
  if (prefix.empty() && root.at_key("ProtocolSection").get(e) == simdjson::SUCCESS) {
    *study = root;
    shown->clear();
    return Status::Ok();
  }
  return Status::InvalidArgument("not a ClinicalTrials.gov API v1 study: no " + prefix + "Study");
}

std::string Under(const std::string& prefix, std::string_view path) {
  return prefix.empty() ? std::string(path) : prefix + "." + std::string(path);
}

}  // namespace

struct StudyV1JsonReader::Impl {
  simdjson::dom::parser parser;
  Result<V1Mapping> mapping = ingest_internal::ParseV1Mapping(ingest_internal::EmbeddedV1MappingTable());
  StudyJsonReader v2;
};

StudyV1JsonReader::StudyV1JsonReader() : impl_(std::make_unique<Impl>()) {}
StudyV1JsonReader::~StudyV1JsonReader() = default;

Result<ApiV1Conversion> StudyV1JsonReader::Convert(std::string_view json) {
  if (!impl_->mapping.ok()) return Status::Internal(impl_->mapping.status().message());
  element doc;
  auto err = impl_->parser.parse(json.data(), json.size(), true).get(doc);
  if (err) return Status::InvalidArgument(std::string("invalid JSON: ") + simdjson::error_message(err));
  object root, study;
  if (doc.get_object().get(root)) return Status::InvalidArgument("expected a study object");
  std::string shown;
  TS_RETURN_IF_ERROR(StudyObject(root, &study, &shown));
  element e;
  if (study.at_key("ProtocolSection").get(e) || !e.is_object()) {
    return Status::InvalidArgument(Under(shown, "ProtocolSection") + ": missing (or not an object)");
  }
  V2Node tree;
  V1Walker walker(*impl_->mapping, &tree);
  walker.Object(study, "", shown);
  if (!walker.status.ok()) return walker.status;
  if (!walker.saw_nct_id) {
    return Status::InvalidArgument(Under(shown, "ProtocolSection.IdentificationModule.NCTId") + ": missing");
  }
  if (study.at_key("ResultsSection").get(e) == simdjson::SUCCESS && e.is_object()) tree.Member("hasResults").SetBool(true);
  JsonWriter w;
  tree.Write(&w);
  return ApiV1Conversion{w.Take(), std::move(walker.unknown)};
}

Result<Study> StudyV1JsonReader::Parse(std::string_view json) {
  Result<ApiV1Conversion> converted = Convert(json);
  if (!converted.ok()) return converted.status();
  Result<Study> study = impl_->v2.Parse(converted->v2_json);
  if (!study.ok()) return Status::InvalidArgument("mapped to API v2, " + study.status().message());
  return study;
}

}  // namespace ts
