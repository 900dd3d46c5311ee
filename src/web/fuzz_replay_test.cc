// Replays the kept inputs of the eligibility and HTML fuzz targets (fuzz/corpus/<target>/ and
// fuzz/regressions/<target>-*) through the same checks, so they gate every test run, sanitizers included.
#include <gtest/gtest.h>

#include "fuzz_harness.h"
#include "fuzz_replay.h"

namespace ts {
namespace {

using testing::ReplayFuzzInputs;

TEST(FuzzReplay, Criteria) { EXPECT_GE(ReplayFuzzInputs("criteria", testing::FuzzCriteria), 5); }
TEST(FuzzReplay, Patients) { EXPECT_GE(ReplayFuzzInputs("patient", testing::FuzzPatient), 5); }
TEST(FuzzReplay, Notes) { EXPECT_GE(ReplayFuzzInputs("note", testing::FuzzNote), 5); }
TEST(FuzzReplay, Html) { EXPECT_GE(ReplayFuzzInputs("html", testing::FuzzHtml), 5); }

}  // namespace
}  // namespace ts
