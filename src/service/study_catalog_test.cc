#include "service/study_catalog.h"

#include <gtest/gtest.h>

namespace ts {
namespace {

Identification Ids(std::string nct, std::string org, std::vector<std::string> secondary = {},
                   std::vector<std::string> aliases = {}) {
  Identification id;
  id.nct_id = std::move(nct);
  id.org_study_id = std::move(org);
  for (auto& s : secondary) id.secondary_ids.push_back({std::move(s), std::nullopt, "", ""});
  id.nct_id_aliases = std::move(aliases);
  return id;
}

StudyCatalog Sample() {
  StudyCatalog c;
  c.Add("NCT07334093", Ids("NCT07334093", "CTIT-2025", {"ChiCTR2500000001"}, {"NCT05000001"}), R"({"a":1})");
  c.Add("ORG:CAMS-TD-01", Ids("", "CAMS-TD-01"), R"({"b":2})");
  c.Add("NCT00000002", Ids("NCT00000002", "SHARED-ID"), "{}");
  c.Add("NCT00000001", Ids("NCT00000001", "shared-id"), "{}");
  return c;
}

TEST(StudyCatalog, FindsAStudyByEveryIdAsTheStoreDoes) {
  StudyCatalog c = Sample();
  ASSERT_EQ(c.size(), 4u);
  for (const char* id : {"NCT07334093", "nct07334093", "  NCT07334093 ", "CTIT-2025", "ctit-2025", "ChiCTR2500000001",
                         "NCT05000001", "ORG:CTIT-2025"}) {
    auto v = c.Find(id);
    ASSERT_TRUE(v) << id;
    EXPECT_EQ(v->key, "NCT07334093") << id;
    EXPECT_EQ(v->json, R"({"a":1})") << id;
    EXPECT_EQ(v->ordinal, 0u) << id;
  }
  for (const char* id : {"ORG:CAMS-TD-01", "org:cams-td-01", "CAMS-TD-01"}) {
    auto v = c.Find(id);
    ASSERT_TRUE(v) << id;
    EXPECT_EQ(v->key, "ORG:CAMS-TD-01") << id;
    EXPECT_EQ(v->ordinal, 1u);
  }
  // Two studies with one sponsor ID: the smaller key, whatever the order of Add.
  EXPECT_EQ(c.Find("shared-id")->key, "NCT00000001");
  EXPECT_FALSE(c.Find("NCT99999999"));
  EXPECT_FALSE(c.Find(""));
  EXPECT_FALSE(c.Find("ORG:"));
}

TEST(StudyCatalog, SnapshotRoundTripAndDamage) {
  StudyCatalog c = Sample();
  BinaryWriter w;
  c.Save(&w);
  StudyCatalog back;
  BinaryReader r(w.data());
  ASSERT_TRUE(back.Load(&r).ok());
  EXPECT_TRUE(r.done());
  ASSERT_EQ(back.size(), c.size());
  for (size_t i = 0; i < c.size(); ++i) {
    EXPECT_EQ(back.at(i).key, c.at(i).key);
    EXPECT_EQ(back.at(i).json, c.at(i).json);
  }
  EXPECT_EQ(back.Find("shared-id")->key, "NCT00000001");
  EXPECT_EQ(back.Find("org:cams-td-01")->ordinal, 1u);
  // Every truncation is an error, never a crash.
  for (size_t cut = 0; cut < w.data().size(); cut += 7) {
    StudyCatalog t;
    BinaryReader tr(std::string_view(w.data()).substr(0, cut));
    EXPECT_FALSE(t.Load(&tr).ok() && tr.done()) << cut;
  }
}

TEST(StudyCatalog, ParseStudyNamesTheKeyOfABadRecord) {
  StudyCatalog c;
  c.Add("NCT00000009", Ids("NCT00000009", ""), "{not json");
  auto s = ParseStudy(c.at(0));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCorruption);
  EXPECT_NE(s.status().message().find("NCT00000009"), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace ts
