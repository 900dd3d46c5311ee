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

TEST(CliArgsTest, GlobalOptionsMayComeBeforeTheCommand) {
  const std::vector<std::string> argv = {"--db", "x.db", "search", "--query.cond", "anemia"};
  EXPECT_EQ(*CommandIndex(argv, {"--db"}), 2u);
  EXPECT_EQ(*CommandIndex({"--db=x.db", "show", "NCT1"}, {"--db"}), 1u);
  EXPECT_EQ(*CommandIndex({"show", "--db", "x.db"}, {"--db"}), 0u);
  EXPECT_EQ(CommandIndex({"--json", "search"}, {"--db"}).status().message(),
            "\"--json\" before the command is not a global option");
  EXPECT_EQ(CommandIndex({"--db"}, {"--db"}).status().message(), "option --db needs a value");
  EXPECT_EQ(CommandIndex({"--db", "x.db"}, {"--db"}).status().message(), "no command given");
  // The rest of the line parses as if the option came after the command.
  auto a = ParseCliArgs(argv, {"--db", "--query.cond"}, {});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->command, "search");
  EXPECT_EQ(a->Get("--db"), "x.db");
  EXPECT_EQ(a->Get("--query.cond"), "anemia");
  EXPECT_TRUE(a->positional.empty());
}

}  // namespace
}  // namespace ts
