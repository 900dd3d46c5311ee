// Field access for the API v2 JSON readers and writers of ingest/ (internal to ingest: not a public API).
// JsonFieldReader walks simdjson DOM objects and remembers the first error with its JSON path
// ("protocolSection.designModule.phases: unknown phase value \"PHASE9\""); JsonFieldWriter writes
// only fields that are set.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

#include "common/json_writer.h"
#include "common/status.h"
#include "common/strings.h"
#include "model/age.h"
#include "model/study.h"

namespace ts::ingest_internal {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

class JsonFieldReader {
 public:
  Status status;

  void Fail(const std::string& path, std::string_view msg) {
    if (status.ok()) status = Status::InvalidArgument(path + ": " + std::string(msg));
  }

  std::optional<object> Obj(object o, const char* key, const std::string& path) {
    element e;
    if (o.at_key(key).get(e)) return std::nullopt;
    if (e.is_null()) return std::nullopt;
    object out;
    if (e.get_object().get(out)) {
      Fail(path + "." + key, "expected an object");
      return std::nullopt;
    }
    return out;
  }

  std::string Str(object o, const char* key, const std::string& path) {
    element e;
    if (o.at_key(key).get(e) || e.is_null()) return "";
    std::string_view v;
    if (e.get_string().get(v)) {
      Fail(path + "." + key, "expected a string");
      return "";
    }
    return std::string(v);
  }

  std::optional<bool> Bool(object o, const char* key, const std::string& path) {
    element e;
    if (o.at_key(key).get(e) || e.is_null()) return std::nullopt;
    bool v;
    if (e.get_bool().get(v)) {
      Fail(path + "." + key, "expected true or false");
      return std::nullopt;
    }
    return v;
  }

  std::optional<int64_t> Int(object o, const char* key, const std::string& path) {
    element e;
    if (o.at_key(key).get(e) || e.is_null()) return std::nullopt;
    int64_t v;
    if (e.get_int64().get(v)) {
      Fail(path + "." + key, "expected an integer");
      return std::nullopt;
    }
    if (v < 0) {
      Fail(path + "." + key, "must not be negative");
      return std::nullopt;
    }
    return v;
  }

  std::optional<double> Num(object o, const char* key, const std::string& path) {
    element e;
    if (o.at_key(key).get(e) || e.is_null()) return std::nullopt;
    double v;
    if (e.get_double().get(v)) {
      Fail(path + "." + key, "expected a number");
      return std::nullopt;
    }
    return v;
  }

  template <typename E>
  std::optional<E> Enum(object o, const char* key, const std::string& path) {
    std::string s = Str(o, key, path);
    if (s.empty()) return std::nullopt;
    auto v = ParseApiName<E>(s);
    if (!v) Fail(path + "." + key, "unknown " + std::string(EnumTable<E>::kName) + " value \"" + s.substr(0, 64) + "\"");
    return v;
  }

  PartialDate Date(object o, const char* key, const std::string& path) {
    std::string s = Str(o, key, path);
    if (s.empty()) return {};
    auto d = PartialDate::Parse(s);
    if (!d.ok()) {
      Fail(path + "." + key, d.status().message());
      return {};
    }
    return *d;
  }

  DateStruct DateStr(object o, const char* key, const std::string& path) {
    DateStruct out;
    auto d = Obj(o, key, path);
    if (!d) return out;
    std::string p = path + "." + key;
    out.date = Date(*d, "date", p);
    out.type = Enum<DateType>(*d, "type", p);
    return out;
  }

  std::optional<Age> AgeField(object o, const char* key, const std::string& path) {
    std::string s = Str(o, key, path);
    if (s.empty() || EqualsIgnoreCase(s, "N/A")) return std::nullopt;
    auto a = Age::Parse(s);
    if (!a.ok()) {
      Fail(path + "." + key, a.status().message());
      return std::nullopt;
    }
    return *a;
  }

  // Calls fn(element, "path[i]") for each element of the array at `key`; missing is fine.
  template <typename Fn>
  void Each(object o, const char* key, const std::string& path, Fn fn) {
    element e;
    if (o.at_key(key).get(e) || e.is_null()) return;
    array arr;
    if (e.get_array().get(arr)) {
      Fail(path + "." + key, "expected an array");
      return;
    }
    size_t i = 0;
    for (element item : arr) {
      fn(item, path + "." + key + "[" + std::to_string(i) + "]");
      ++i;
    }
  }

  template <typename Fn>
  void EachObj(object o, const char* key, const std::string& path, Fn fn) {
    Each(o, key, path, [&](element item, const std::string& p) {
      object obj;
      if (item.get_object().get(obj)) {
        Fail(p, "expected an object");
        return;
      }
      fn(obj, p);
    });
  }

  std::vector<std::string> Strings(object o, const char* key, const std::string& path) {
    std::vector<std::string> out;
    Each(o, key, path, [&](element item, const std::string& p) {
      std::string_view v;
      if (item.get_string().get(v)) {
        Fail(p, "expected a string");
        return;
      }
      out.emplace_back(v);
    });
    return out;
  }

  template <typename E>
  std::vector<E> Enums(object o, const char* key, const std::string& path) {
    std::vector<E> out;
    for (const std::string& s : Strings(o, key, path)) {
      auto v = ParseApiName<E>(s);
      if (!v) {
        Fail(path + "." + key, "unknown " + std::string(EnumTable<E>::kName) + " value \"" + s.substr(0, 64) + "\"");
        continue;
      }
      out.push_back(*v);
    }
    return out;
  }

};

class JsonFieldWriter {
 public:
  explicit JsonFieldWriter(JsonWriter* w) : w_(w) {}

  void Str(const char* key, const std::string& v) {
    if (v.empty()) return;
    w_->Key(key);
    w_->String(v);
  }
  void Int(const char* key, const std::optional<int64_t>& v) {
    if (!v) return;
    w_->Key(key);
    w_->Int(*v);
  }
  void Date(const char* key, const PartialDate& d) {
    if (d.empty()) return;
    w_->Key(key);
    w_->String(d.ToString());
  }
  void Bool(const char* key, const std::optional<bool>& v) {
    if (!v) return;
    w_->Key(key);
    w_->Bool(*v);
  }
  template <typename E>
  void Enum(const char* key, const std::optional<E>& v) {
    if (!v) return;
    w_->Key(key);
    w_->String(ApiName(*v));
  }
  template <typename E>
  void Enums(const char* key, const std::vector<E>& v) {
    if (v.empty()) return;
    w_->Key(key);
    w_->BeginArray();
    for (E e : v) w_->String(ApiName(e));
    w_->EndArray();
  }
  void Strings(const char* key, const std::vector<std::string>& v) {
    if (v.empty()) return;
    w_->Key(key);
    w_->BeginArray();
    for (const auto& s : v) w_->String(s);
    w_->EndArray();
  }
  void DateStr(const char* key, const DateStruct& d) {
    if (d.date.empty() && !d.type) return;
    w_->Key(key);
    w_->BeginObject();
    Date("date", d.date);
    Enum("type", d.type);
    w_->EndObject();
  }
  // Writes "key": {...} by calling fn; the caller decides whether the object is non-empty.
  template <typename Fn>
  void Object(const char* key, Fn fn) {
    w_->Key(key);
    w_->BeginObject();
    fn();
    w_->EndObject();
  }
  template <typename T, typename Fn>
  void Array(const char* key, const std::vector<T>& items, Fn fn) {
    if (items.empty()) return;
    w_->Key(key);
    w_->BeginArray();
    for (const T& item : items) {
      w_->BeginObject();
      fn(item);
      w_->EndObject();
    }
    w_->EndArray();
  }
  JsonWriter* w() { return w_; }

 private:
  JsonWriter* w_;
};

}  // namespace ts::ingest_internal
