#include "common/json_writer.h"

#include <gtest/gtest.h>

namespace ts {
namespace {

TEST(JsonWriterTest, WritesNestedValuesWithEscapes) {
  JsonWriter w;
  w.BeginObject();
  w.Key("a");
  w.String("x\"y\\\n<\x01");
  w.Key("b");
  w.BeginArray();
  w.Int(1);
  w.Bool(true);
  w.Null();
  w.Double(1.5);
  w.EndArray();
  w.Key("c");
  w.BeginObject();
  w.EndObject();
  w.EndObject();
  EXPECT_EQ(w.str(), R"({"a":"x\"y\\\n<\u0001","b":[1,true,null,1.5],"c":{}})");
}

TEST(JsonWriterTest, PrettyPrintsAndSanitisesUtf8) {
  JsonWriter w(true);
  w.BeginObject();
  w.Key("k");
  w.String("\xFF");
  w.EndObject();
  EXPECT_EQ(w.str(), "{\n  \"k\": \"\xEF\xBF\xBD\"\n}");
}

}  // namespace
}  // namespace ts
