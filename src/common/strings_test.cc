#include "common/strings.h"

#include <gtest/gtest.h>

#include <cctype>

#include "common/ascii.h"

namespace ts {
namespace {

TEST(StringsTest, TrimAndCollapse) {
  EXPECT_EQ(Trim("  a b \n"), "a b");
  EXPECT_EQ(CollapseSpace("  a \n\n  b\t c "), "a b c");
  EXPECT_TRUE(EqualsIgnoreCase("Phase 1", "PHASE 1"));
  EXPECT_FALSE(EqualsIgnoreCase("Phase 1", "Phase 2"));
}

TEST(StringsTest, NumbersAreWholeStrings) {
  int64_t i;
  EXPECT_TRUE(ParseInt64(" 42 ", &i));
  EXPECT_EQ(i, 42);
  EXPECT_FALSE(ParseInt64("42x", &i));
  EXPECT_FALSE(ParseInt64("", &i));
  double d;
  EXPECT_TRUE(ParseDouble("-1.5", &d));
  EXPECT_DOUBLE_EQ(d, -1.5);
}

TEST(StringsTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("×10⁹/L ≥"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));  // overlong '/'
  EXPECT_EQ(SanitizeUtf8("a\xFFz"), "a\xEF\xBF\xBDz");
  EXPECT_EQ(FirstInvalidUtf8("×10⁹/L"), std::string_view::npos);
  EXPECT_EQ(FirstInvalidUtf8("ab\xFFz"), 2u);
  EXPECT_EQ(FirstInvalidUtf8("×\xE2\x81"), 2u);  // a truncated sequence at the end
}

TEST(StringsTest, Fnv1aIsStable) {
  EXPECT_EQ(ToHex64(Fnv1a64("")), "cbf29ce484222325");
  EXPECT_EQ(ToHex64(Fnv1a64("a")), "af63dc4c8601ec8c");
}

}  // namespace
}  // namespace ts

#include "common/base64.h"

namespace ts {
namespace {

TEST(Base64Test, RoundTripsAndRejectsJunk) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "v1|1.5|NCT00000001|\xff\x00"}) {
    EXPECT_EQ(*Base64UrlDecode(Base64UrlEncode(s)), s);
  }
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_FALSE(Base64UrlDecode("ab+c").ok());
  EXPECT_FALSE(Base64UrlDecode("abcde").ok());
}

// ascii.h must agree with <cctype> in the "C" locale (the program never sets another) for every byte.
TEST(AsciiTest, AgreesWithCctypeForEveryByte) {
  for (int c = 0; c < 256; ++c) {
    SCOPED_TRACE(c);
    EXPECT_EQ(ascii::IsAlpha(c), std::isalpha(c) != 0);
    EXPECT_EQ(ascii::IsDigit(c), std::isdigit(c) != 0);
    EXPECT_EQ(ascii::IsAlnum(c), std::isalnum(c) != 0);
    EXPECT_EQ(ascii::IsSpace(c), std::isspace(c) != 0);
    EXPECT_EQ(ascii::IsUpper(c), std::isupper(c) != 0);
    EXPECT_EQ(ascii::Lower(c), std::tolower(c));
  }
  EXPECT_TRUE(ascii::IsAlpha(static_cast<char>('Q')));
  EXPECT_FALSE(ascii::IsAlnum(static_cast<char>(0xC3)));  // a UTF-8 lead byte as a (signed) char
  EXPECT_EQ(ascii::Lower(static_cast<char>(0xC3)), 0xC3);
}

}  // namespace
}  // namespace ts
