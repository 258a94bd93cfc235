#include "config/toml/toml_format.h"

#include <gtest/gtest.h>

namespace reconcile::config {
namespace {

std::string Formatted(const std::string& text) {
  std::string out;
  Diagnostics diags = FormatTomlFile(text, "main.toml", &out);
  EXPECT_FALSE(diags.HasErrors()) << text;
  // Idempotent: the canonical layout is its own canonical layout.
  EXPECT_EQ(FormatTomlText(out), out) << out;
  return out;
}

TEST(FormatToml, AlignsConsecutiveKeysAndKeepsComments) {
  EXPECT_EQ(Formatted("a=1 # one\nlong_name   =  2\n\n# apart\nb=3\n"),
            "a         = 1 # one\nlong_name = 2\n\n# apart\nb = 3\n");
}

TEST(FormatToml, HeadersGetOneBlankLineBeforeThemAndTheirComments) {
  EXPECT_EQ(Formatted("x = 1\n# about t\n[ t . u ]\ny = 2\n\n\n\n[[ list ]]\nz = 3\n\n"),
            "x = 1\n\n# about t\n[t.u]\ny = 2\n\n[[list]]\nz = 3\n");
}

TEST(FormatToml, SpacingInsideInlineTablesAndArrays) {
  EXPECT_EQ(Formatted("t = {a=1,b=[1 ,2,],c={}}\n"), "t = { a = 1, b = [1, 2], c = {} }\n");
}

TEST(FormatToml, StringsAreNeverTouched) {
  EXPECT_EQ(Formatted("s = \"a  ,b={ }  # no comment\"\nl = '[ x ]'\n"),
            "s = \"a  ,b={ }  # no comment\"\nl = '[ x ]'\n");
}

TEST(FormatToml, MultiLineStringsAndArraysStayAsWritten) {
  std::string text = "m = \"\"\"\n  keep   \nthis\"\"\"\narr = [\n    1,\n  2 ,\n]\n";
  EXPECT_EQ(Formatted(text), text);
}

TEST(FormatToml, LongArraysAreWrappedOneElementPerLine) {
  std::string long_item(40, 'x');
  std::string text = "names = [\"" + long_item + "\", \"" + long_item + "\", \"y\"]\n";
  EXPECT_EQ(Formatted(text),
            "names = [\n  \"" + long_item + "\",\n  \"" + long_item + "\",\n  \"y\",\n]\n");
}

TEST(FormatToml, DateTimesKeepTheirSpace) {
  EXPECT_EQ(Formatted("when=1979-05-27 07:32:00Z\n"), "when = 1979-05-27 07:32:00Z\n");
}

TEST(FormatToml, TextThatIsNotTomlIsAnErrorAtItsLine) {
  std::string out = "unchanged";
  Diagnostics diags = FormatTomlFile("a = 1\nb = [\n", "main.toml", &out);
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_EQ(diags.items()[0].range.file, "main.toml");
  EXPECT_EQ(out, "unchanged");
}

}  // namespace
}  // namespace reconcile::config
