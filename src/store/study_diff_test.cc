#include "store/study_diff.h"

#include <gtest/gtest.h>

namespace ts {
namespace {

TEST(StudyDiffTest, ReportsChangedAddedAndRemovedLeaves) {
  auto d = DiffStudyJson(R"({"a":{"status":"RECRUITING","n":1},"list":["x","y"],"gone":true})",
                         R"({"a":{"status":"COMPLETED","n":1},"list":["x"],"new":{"k":2}})");
  ASSERT_TRUE(d.ok());
  std::vector<FieldChange> want = {
      {"a.status", "RECRUITING", "COMPLETED", true, true},
      {"new.k", "", "2", false, true},
      {"list[1]", "y", "", true, false},
      {"gone", "true", "", true, false},
  };
  EXPECT_EQ(*d, want);
}

TEST(StudyDiffTest, IdenticalIsEmptyAndJunkIsAnError) {
  EXPECT_TRUE(DiffStudyJson(R"({"a":1})", R"({"a":1})")->empty());
  EXPECT_FALSE(DiffStudyJson("{", "{}").ok());
}

}  // namespace
}  // namespace ts
