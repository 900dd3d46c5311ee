#include "cli_args.h"

#include <gtest/gtest.h>

namespace ts {
namespace {

TEST(CliArgsTest, ParsesCommandOptionsAndPositionals) {
  auto a = ParseCliArgs({"import", "--db", "x.db", "a.zip", "--rejects=r.jsonl", "b", "--quiet"}, {"--db", "--rejects"},
                        {"--quiet"});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->command, "import");
  EXPECT_EQ(a->Get("--db"), "x.db");
  EXPECT_EQ(a->Get("--rejects"), "r.jsonl");
  EXPECT_TRUE(a->Has("--quiet"));
  EXPECT_EQ(a->positional, (std::vector<std::string>{"a.zip", "b"}));
}

TEST(CliArgsTest, RejectsUnknownAndIncompleteOptions) {
  EXPECT_EQ(ParseCliArgs({"show", "--bogus"}, {}, {}).status().message(), "unknown option --bogus");
  EXPECT_EQ(ParseCliArgs({"show", "--db"}, {"--db"}, {}).status().message(), "option --db needs a value");
  EXPECT_FALSE(ParseCliArgs({"show", "--json=1"}, {}, {"--json"}).ok());
  auto h = ParseCliArgs({"show", "-h"}, {}, {});
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->Has("--help"));
}

}  // namespace
}  // namespace ts
