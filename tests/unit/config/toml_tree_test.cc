// The TOML layer over toml11: every value form, the positions it records,
// source order, TOML's redefinition rules, the errors it reports (toml11's
// words at our file:line:col), and what it guards toml11 against.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "config/toml/toml_tree.h"

namespace reconcile::config {
namespace {

TomlDocument Parse(const std::string& text) {
  TomlDocument doc;
  Diagnostics diags;
  EXPECT_TRUE(ParseTomlDocument(text, "t.toml", &doc, diags))
      << (diags.size() > 0 ? diags[0].range.ToString() + ": " + diags[0].summary : "");
  return doc;
}

// "line:col: summary" of the one diagnostic a bad document gets.
std::string ErrorOf(const std::string& text) {
  TomlDocument doc;
  Diagnostics diags;
  if (ParseTomlDocument(text, "t.toml", &doc, diags)) return "(accepted)";
  if (diags.size() != 1) return "(" + std::to_string(diags.size()) + " diagnostics)";
  return std::to_string(diags[0].range.line) + ":" + std::to_string(diags[0].range.column) + ": " +
         diags[0].summary;
}

const TomlNode& At(const TomlDocument& doc, const std::string& key) {
  const TomlNode* node = doc.root.Find(key);
  EXPECT_NE(node, nullptr) << key;
  static const TomlNode kMissing;
  return node != nullptr ? *node : kMissing;
}

std::string Where(const SourceRange& range) {
  return std::to_string(range.line) + ":" + std::to_string(range.column);
}

TEST(TomlTree, ReadsIntegersInEveryBase) {
  TomlDocument doc = Parse(
      "a = 42\nb = -17\nc = +0\nd = 1_000\ne = 0xDEAD_beef\nf = 0o755\n"
      "g = 0b1101\nh = 9007199254740992\n");
  EXPECT_EQ(At(doc, "a").kind, TomlNode::Kind::kInteger);
  EXPECT_EQ(At(doc, "a").number, 42);
  EXPECT_EQ(At(doc, "b").number, -17);
  EXPECT_EQ(At(doc, "c").number, 0);
  EXPECT_EQ(At(doc, "d").number, 1000);
  EXPECT_EQ(At(doc, "e").number, 0xDEADBEEF);
  EXPECT_EQ(At(doc, "f").number, 0755);
  EXPECT_EQ(At(doc, "g").number, 13);
  EXPECT_EQ(At(doc, "h").number, 9007199254740992.0);
}

TEST(TomlTree, ReadsFloatsIncludingInfAndNan) {
  TomlDocument doc = Parse(
      "a = 3.25\nb = -0.5e2\nc = 5E+2\nd = 1_0.2_5\ne = inf\nf = -inf\n"
      "g = nan\nh = +nan\n");
  EXPECT_EQ(At(doc, "a").kind, TomlNode::Kind::kFloat);
  EXPECT_EQ(At(doc, "a").number, 3.25);
  EXPECT_EQ(At(doc, "b").number, -50);
  EXPECT_EQ(At(doc, "c").number, 500);
  EXPECT_EQ(At(doc, "d").number, 10.25);
  EXPECT_TRUE(std::isinf(At(doc, "e").number) && At(doc, "e").number > 0);
  EXPECT_TRUE(std::isinf(At(doc, "f").number) && At(doc, "f").number < 0);
  EXPECT_TRUE(std::isnan(At(doc, "g").number));
  EXPECT_TRUE(std::isnan(At(doc, "h").number));
}

TEST(TomlTree, ReadsBooleansAndKeepsDateTimesAsWritten) {
  TomlDocument doc = Parse(
      "t = true\nf = false\na = 1979-05-27T07:32:00Z\n"
      "b = 1979-05-27 00:32:00.5-07:00\nc = 1979-05-27T07:32:00\n"
      "d = 2000-02-29\ne = 07:32:00.999\n");
  EXPECT_TRUE(At(doc, "t").boolean);
  EXPECT_EQ(At(doc, "f").kind, TomlNode::Kind::kBool);
  EXPECT_FALSE(At(doc, "f").boolean);
  EXPECT_EQ(At(doc, "a").kind, TomlNode::Kind::kDateTime);
  EXPECT_EQ(At(doc, "a").text, "1979-05-27T07:32:00Z");
  EXPECT_EQ(At(doc, "b").text, "1979-05-27 00:32:00.5-07:00");
  EXPECT_EQ(At(doc, "c").text, "1979-05-27T07:32:00");
  EXPECT_EQ(At(doc, "d").text, "2000-02-29");
  EXPECT_EQ(At(doc, "e").text, "07:32:00.999");
}

TEST(TomlTree, DecodesBasicStringEscapes) {
  TomlDocument doc = Parse(R"(a = "q\"b\\t\tn\nr\rf\fb\be\u00e9\U0001F600")"
                           "\n");
  EXPECT_EQ(At(doc, "a").text,
            "q\"b\\t\tn\nr\rf\fb\b"
            "e\xC3\xA9\xF0\x9F\x98\x80");
}

TEST(TomlTree, ReadsLiteralAndMultiLineStrings) {
  TomlDocument doc = Parse(
      "a = 'C:\\path\\n'\n"
      "b = \"\"\"\nline 1\n  line 2\\\n     joined\"\"\"\n"
      "c = '''\nraw \\n\n'''\n"
      "d = \"\"\"two \"\" quotes and a closing one\"\"\"\"\n"
      "e = \"\"\"crlf\r\nline\"\"\"\n");
  EXPECT_EQ(At(doc, "a").text, "C:\\path\\n");
  EXPECT_EQ(At(doc, "b").text, "line 1\n  line 2joined");
  EXPECT_EQ(At(doc, "c").text, "raw \\n\n");
  EXPECT_EQ(At(doc, "d").text, "two \"\" quotes and a closing one\"");
  EXPECT_EQ(At(doc, "e").text, "crlf\nline");
}

TEST(TomlTree, ReadsArraysWithMixedTypesCommentsAndTrailingComma) {
  TomlDocument doc = Parse("a = [\n  1, # one\n  \"two\",\n  [3.5], {x = 4},\n]\nb = []\n");
  const TomlNode& a = At(doc, "a");
  ASSERT_EQ(a.items.size(), 4u);
  EXPECT_EQ(a.items[0].number, 1);
  EXPECT_EQ(a.items[1].text, "two");
  EXPECT_EQ(a.items[2].items[0].number, 3.5);
  EXPECT_EQ(a.items[3].Find("x")->number, 4);
  EXPECT_EQ(At(doc, "b").kind, TomlNode::Kind::kArray);
  EXPECT_TRUE(At(doc, "b").items.empty());
}

TEST(TomlTree, ReadsKeysTablesAndArraysOfTablesInSourceOrder) {
  TomlDocument doc = Parse(
      "z = 1\n\"quoted key\" = 2\n'lit.key' = 3\nphys.color = \"red\"\n"
      "phys . shape = \"round\"\n[b.c]\nx = 1\n[[list]]\nn = 1\n[[list]]\nn = 2\n"
      "[list.sub]\ny = 2\n[b]\nw = 3\n");
  std::vector<std::string> keys;
  for (const auto& [key, node] : doc.root.entries) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"z", "quoted key", "lit.key", "phys", "b", "list"}));
  EXPECT_EQ(At(doc, "phys").Find("shape")->text, "round");
  EXPECT_EQ(At(doc, "b").Find("c")->Find("x")->number, 1);
  EXPECT_EQ(At(doc, "b").Find("w")->number, 3);
  const TomlNode& list = At(doc, "list");
  ASSERT_EQ(list.items.size(), 2u);
  EXPECT_EQ(list.items[1].Find("n")->number, 2);
  EXPECT_EQ(list.items[1].Find("sub")->Find("y")->number, 2);
}

TEST(TomlTree, RecordsValueKeyAndTablePositions) {
  const std::string text =
      "[resource.aws_vpc.main]\n"       // line 1
      "cidr_block = \"10.0.0.0/16\"\n"  // 2
      "  tags = { Name = 'x' }\n"       // 3
      "list = [\n"                      // 4
      "  1, \"two\"]\n"                 // 5
      "doc = \"\"\"\nfirst\"\"\"\n"     // 6, 7
      "after = 1\n"                     // 8
      "[[arr]]\n"                       // 9
      "n = 1\n"                         // 10
      "  [[arr]]\n";                    // 11
  TomlDocument doc = Parse(text);
  const TomlNode& vpc = *At(doc, "resource").Find("aws_vpc")->Find("main");
  EXPECT_EQ(Where(At(doc, "resource").range), "1:1");
  EXPECT_EQ(Where(vpc.range), "1:1");
  EXPECT_EQ(Where(vpc.key_range), "1:1");
  EXPECT_EQ(vpc.source_offset, 0u);
  const TomlNode& cidr = *vpc.Find("cidr_block");
  EXPECT_EQ(Where(cidr.range), "2:14");
  EXPECT_EQ(Where(cidr.key_range), "2:1");
  EXPECT_EQ(cidr.source_offset, text.find("\"10.0"));
  const TomlNode& tags = *vpc.Find("tags");
  EXPECT_EQ(Where(tags.range), "3:10");
  EXPECT_EQ(Where(tags.key_range), "3:3");
  EXPECT_EQ(Where(tags.Find("Name")->range), "3:19");
  EXPECT_EQ(Where(tags.Find("Name")->key_range), "3:12");
  const TomlNode& list = *vpc.Find("list");
  EXPECT_EQ(Where(list.range), "4:8");
  EXPECT_EQ(Where(list.items[1].range), "5:6");
  EXPECT_EQ(Where(list.items[1].key_range), "5:6");
  EXPECT_EQ(list.items[1].source_offset, text.find("\"two\""));
  const TomlNode& multi = *vpc.Find("doc");
  EXPECT_EQ(Where(multi.range), "6:7");
  EXPECT_EQ(Where(multi.key_range), "6:1");
  EXPECT_EQ(multi.source_offset, text.find("\"\"\""));
  EXPECT_EQ(Where(vpc.Find("after")->range), "8:9");
  const TomlNode& arr = At(doc, "arr");
  EXPECT_EQ(Where(arr.range), "9:1");
  EXPECT_EQ(Where(arr.items[0].range), "9:1");
  EXPECT_EQ(Where(arr.items[0].Find("n")->range), "10:5");
  EXPECT_EQ(Where(arr.items[1].range), "11:3");
  EXPECT_EQ(arr.items[1].source_offset, text.rfind("[[arr]]"));
}

TEST(TomlTree, OriginOfPointsInsideStringsPastEscapesAndLines) {
  TomlDocument doc = Parse("a = \"x\\ty ${z}\"\nb = \"\"\"\nline\n  ${q}\"\"\"\n");
  const TomlNode& a = At(doc, "a");
  EXPECT_EQ(Where(OriginOf(doc, a).At(a.text, a.text.find('$'))), "1:11");
  const TomlNode& b = At(doc, "b");
  EXPECT_EQ(Where(OriginOf(doc, b).At(b.text, b.text.find('$'))), "4:3");
}

TEST(TomlTree, KeepsTheMessagesOfCommonMistakes) {
  EXPECT_EQ(ErrorOf("[t]\ncidr_block =\n"),
            "2:13: Invalid TOML: Missing value after key-value separator '='");
  EXPECT_EQ(ErrorOf("name = \"web\n"), "1:8: Invalid TOML: The next token is not a valid string");
  EXPECT_EQ(ErrorOf("a = 1\na = 2\n"), "2:5: Invalid TOML: Key \"a\" is defined twice");
  EXPECT_EQ(ErrorOf("[a.b]\n[a.b]\n"), "2:1: Invalid TOML: Table \"a.b\" is defined twice");
  EXPECT_EQ(ErrorOf("x = [1, 2\ny = 3\n"),
            "2:1: Invalid TOML: Missing array separator `,` after a value");
}

TEST(TomlTree, ReportsToml11sNotesAndHintsAsDetail) {
  TomlDocument doc;
  Diagnostics diags;
  ASSERT_FALSE(ParseTomlDocument("a = 1\na = 2\n", "main.toml", &doc, diags));
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].range.ToString(), "main.toml:2:5");
  EXPECT_EQ(diags[0].detail, "value defined twice\nline 1: value already exists here");
  Diagnostics bad_number;
  ASSERT_FALSE(ParseTomlDocument("a = 01\n", "main.toml", &doc, bad_number));
  ASSERT_EQ(bad_number.size(), 1u);
  EXPECT_EQ(bad_number[0].detail,
            "pass: -42, 1_000, 1_2_3_4_5, 0xC0FFEE, 0b0010, 0o755\nfail: 1__000, 0123");
}

TEST(TomlTree, RefusesEveryRedefinition) {
  EXPECT_EQ(ErrorOf("a = 1\n\"a\" = 2\n"), "2:7: Invalid TOML: Key \"a\" is defined twice");
  EXPECT_EQ(ErrorOf("a.b = 1\na.b = 2\n"), "2:7: Invalid TOML: Key \"a.b\" is defined twice");
  EXPECT_EQ(ErrorOf("a = {b = 1, b = 2}\n"), "1:17: Invalid TOML: Key \"b\" is defined twice");
  EXPECT_EQ(ErrorOf("a.b = 1\n[a]\n"), "2:1: Invalid TOML: Table \"a\" is defined twice");
  EXPECT_EQ(ErrorOf("[f]\napple.color = 1\n[f.apple]\n"),
            "3:1: Invalid TOML: Table \"f.apple\" is defined twice");
  EXPECT_EQ(ErrorOf("[a.b]\n[a]\nb.c = 1\n"), "2:1: Invalid TOML: Key \"a\" is defined twice");
  EXPECT_EQ(ErrorOf("[a]\nb.c = 1\n[x]\n[a.b.d]\n[a]\n"),
            "5:1: Invalid TOML: Table \"a\" is defined twice");
  EXPECT_EQ(ErrorOf("a = {b = 1}\na.c = 2\n"),
            "2:7: Invalid TOML: Inserting to an inline table (a) but inline tables are immutable");
  EXPECT_EQ(ErrorOf("a = {b = 1}\n[a.c]\n"),
            "2:1: Invalid TOML: Inserting to an inline table (a) but inline tables are immutable");
  EXPECT_EQ(ErrorOf("a = {b = 1}\n[a]\n"), "2:1: Invalid TOML: Table \"a\" is defined twice");
  EXPECT_EQ(ErrorOf("a = [1]\n[[a]]\n"),
            "2:1: Invalid TOML: Array of table (\"a\") collides with existing value");
  EXPECT_EQ(ErrorOf("[a]\n[[a]]\n"), "2:1: Invalid TOML: Array of table (\"a\") cannot be defined");
  EXPECT_EQ(ErrorOf("[[a]]\n[a]\n"), "2:1: Invalid TOML: Array of tables (\"a\") already exists");
  EXPECT_EQ(ErrorOf("a = 1\n[a.b]\n"),
            "2:1: Invalid TOML: Target (a) is neither table nor an array of tables");
  EXPECT_EQ(ErrorOf("a = 1\na.b = 2\n"),
            "2:7: Invalid TOML: Target (a) is neither table nor an array of tables");
}

// toml11 3.7 takes the last element of an empty array here: it crashed.
TEST(TomlTree, RefusesKeysThroughAnEmptyArray) {
  EXPECT_EQ(ErrorOf("a = []\n[a.b]\n"),
            "2:1: Invalid TOML: Target (a) is neither table nor an array of tables");
  EXPECT_EQ(ErrorOf("a = []\na.b = 1\n"),
            "2:7: Invalid TOML: Target (a) is neither table nor an array of tables");
  EXPECT_EQ(ErrorOf("a = []\n[[a.b]]\n"),
            "2:1: Invalid TOML: Target (a) is neither table nor an array of tables");
  EXPECT_EQ(ErrorOf("a = []\n[[a]]\n"),
            "2:1: Invalid TOML: Array of table (\"a\") collides with existing value");
}

TEST(TomlTree, AllowsWhatTheRulesAllow) {
  TomlDocument doc = Parse(
      "[x.y.z]\n[x]\n[f]\napple.color = 1\napple.taste.sweet = true\n"
      "[f.apple.texture]\nsmooth = true\n[[a]]\n[a.b]\n[[a]]\n[a.b]\n");
  EXPECT_EQ(At(doc, "f").Find("apple")->Find("texture")->Find("smooth")->boolean, true);
  EXPECT_EQ(At(doc, "a").items.size(), 2u);
}

TEST(TomlTree, RefusesBadStrings) {
  EXPECT_EQ(ErrorOf("a = \"\\x\"\n"), "1:5: Invalid TOML: The next token is not a valid string");
  EXPECT_EQ(ErrorOf("a = \"\\e\"\n"), "1:5: Invalid TOML: The next token is not a valid string");
  EXPECT_EQ(ErrorOf("a = \"\\uD800\"\n"),
            "1:12: Invalid TOML: Codepoints in the range [0xD800, 0xDFFF] are not valid UTF-8");
  EXPECT_EQ(ErrorOf("a = \"\\u12\"\n"), "1:5: Invalid TOML: The next token is not a valid string");
  EXPECT_EQ(ErrorOf("a = \"\x01\"\n"), "1:5: Invalid TOML: The next token is not a valid string");
  EXPECT_EQ(ErrorOf("a = 'x\ny'\n"),
            "1:5: Invalid TOML: The next token is not a valid literal string");
  EXPECT_EQ(ErrorOf("\n\na = \"\"\"open\n"),
            "3:5: Invalid TOML: The next token is not a valid multiline string");
  EXPECT_EQ(ErrorOf("a = \"\"\"\\ x\"\"\"\n"),
            "1:5: Invalid TOML: The next token is not a valid multiline string");
  EXPECT_EQ(ErrorOf("a = \"\\\xC3\xA9\"\n"),
            "1:5: Invalid TOML: The next token is not a valid string");
}

TEST(TomlTree, RefusesBadNumbers) {
  EXPECT_EQ(ErrorOf("a = 01\n"), "1:5: Invalid TOML: Bad integer: leading zero");
  EXPECT_EQ(ErrorOf("a = 1__0\n"),
            "1:6: Invalid TOML: Bad integer: `_` should be surrounded by digits");
  EXPECT_EQ(ErrorOf("a = 1_\n"),
            "1:6: Invalid TOML: Bad integer: `_` should be surrounded by digits");
  EXPECT_EQ(ErrorOf("a = +0x1\n"), "1:7: Invalid TOML: Invalid line format");
  EXPECT_EQ(ErrorOf("a = 0o8\n"), "1:5: Invalid TOML: The next token is not an integer");
  EXPECT_EQ(ErrorOf("a = 1.\n"), "1:6: Invalid TOML: Bad float: invalid format");
  EXPECT_EQ(ErrorOf("a = 1e\n"), "1:6: Invalid TOML: Bad float: invalid format");
  EXPECT_EQ(ErrorOf("a = .5\n"), "1:5: Invalid TOML: Bad float: invalid format");
  EXPECT_EQ(ErrorOf("a = hello\n"), "1:5: Invalid TOML: Bad format: unknown value appeared");
}

// toml11 reads an integer past 64 bits as the largest one, and a float past a
// double's range as the largest double: both are refused.
TEST(TomlTree, RefusesNumbersToml11WouldClamp) {
  EXPECT_EQ(ErrorOf("a = 9223372036854775808\n"),
            "1:5: Invalid TOML: Integer 9223372036854775808 does not fit in 64 bits");
  EXPECT_EQ(ErrorOf("a = -9_223_372_036_854_775_809\n"),
            "1:5: Invalid TOML: Integer -9_223_372_036_854_775_809 does not fit in 64 bits");
  EXPECT_EQ(ErrorOf("a = 0x8000000000000000\n"),
            "1:5: Invalid TOML: Integer 0x8000000000000000 does not fit in 64 bits");
  EXPECT_EQ(ErrorOf("x = 1\na = 1e400\n"),
            "2:5: Invalid TOML: Float 1e400 is too large for a double");
  TomlDocument doc = Parse(
      "a = 9223372036854775807\nb = -9223372036854775808\n"
      "c = 0x7FFF_FFFF_FFFF_FFFF\nd = 1.7976931348623157e308\n");
  EXPECT_EQ(At(doc, "a").number, 9223372036854775807.0);
  EXPECT_EQ(At(doc, "b").number, -9223372036854775808.0);
  EXPECT_EQ(At(doc, "c").number, 9223372036854775807.0);
  EXPECT_EQ(At(doc, "d").number, 1.7976931348623157e308);
}

TEST(TomlTree, ReadsFloatsTooSmallForADoubleAsZero) {
  TomlDocument doc = Parse("a = 1e-400\nb = -2.5e-999\nc = 1e-310\n");
  EXPECT_EQ(At(doc, "a").kind, TomlNode::Kind::kFloat);
  EXPECT_EQ(At(doc, "a").number, 0.0);
  EXPECT_EQ(At(doc, "b").number, 0.0);
  EXPECT_TRUE(std::signbit(At(doc, "b").number));
  EXPECT_EQ(At(doc, "c").number, 1e-310);  // subnormal, not zero
}

// toml11 marks the end of a bad date-time.
TEST(TomlTree, RefusesBadDates) {
  EXPECT_EQ(ErrorOf("a = 1979-13-01\n"),
            "1:15: Invalid TOML: Invalid date: it does not conform RFC3339");
  EXPECT_EQ(ErrorOf("a = 2001-02-29\n"),
            "1:15: Invalid TOML: Invalid date: it does not conform RFC3339");
  EXPECT_EQ(ErrorOf("a = 07:60:00\n"),
            "1:13: Invalid TOML: Invalid time: it does not conform RFC3339");
  EXPECT_EQ(ErrorOf("a = 07:32\n"), "1:5: Invalid TOML: Bad integer: leading zero");
  EXPECT_EQ(ErrorOf("a = 1979-05-27T07:32:00+25:00\n"),
            "1:30: Invalid TOML: Invalid offset: it does not conform RFC3339");
}

// TOML's grammar allows second 60 (a leap second); Python's tomllib does not.
TEST(TomlTree, ReadsALeapSecond) {
  TomlDocument doc = Parse("a = 1979-05-27T07:32:60\n");
  EXPECT_EQ(At(doc, "a").text, "1979-05-27T07:32:60");
}

TEST(TomlTree, RefusesBadStructure) {
  EXPECT_EQ(ErrorOf("a = {b = 1,}\n"),
            "1:12: Invalid TOML: Trailing comma is not allowed in an inline table");
  EXPECT_EQ(ErrorOf("a = {b = 1\n}\n"), "1:11: Invalid TOML: Missing curly brace `}`");
  EXPECT_EQ(ErrorOf("a = 1 b = 2\n"), "1:7: Invalid TOML: Invalid line format");
  EXPECT_EQ(ErrorOf("[a\n"), "1:1: Invalid TOML: An invalid key appeared");
  EXPECT_EQ(ErrorOf("a 1\n"), "1:2: Invalid TOML: Missing key-value separator `=`");
  EXPECT_EQ(ErrorOf("a = [1,\n"),
            "2:1: Invalid TOML: Value having invalid format appeared in an array");
  EXPECT_EQ(ErrorOf("a = 1\rb = 2\n"), "1:6: Invalid TOML: Invalid line format");
}

// CRLF reads as LF (TOML allows either; toml11 would keep the CR in
// multi-line strings), and no position moves.
TEST(TomlTree, ReadsCrlfAsLf) {
  TomlDocument doc =
      Parse("a = \"\"\"\r\none\r\ntwo\"\"\"\r\nb = '''x\r\ny'''\r\n  c = \"${z}\"\r\n");
  EXPECT_EQ(At(doc, "a").text, "one\ntwo");
  EXPECT_EQ(At(doc, "b").text, "x\ny");
  EXPECT_EQ(Where(At(doc, "b").range), "4:5");
  EXPECT_EQ(Where(At(doc, "c").key_range), "6:3");
  const TomlNode& a = At(doc, "a");
  EXPECT_EQ(Where(OriginOf(doc, a).At(a.text, a.text.find("two"))), "3:1");
}

// Tables list their keys where they were first written, though toml11 keeps
// them in hash maps and moves a table to its [header] when one comes later.
TEST(TomlTree, KeepsTablesWhereTheyWereFirstWritten) {
  TomlDocument doc = Parse("[x.y]\nq = 1\n[m]\n[x]\np = 2\n[a]\n");
  std::vector<std::string> keys;
  for (const auto& [key, node] : doc.root.entries) keys.push_back(key);
  EXPECT_EQ(keys, (std::vector<std::string>{"x", "m", "a"}));
  EXPECT_EQ(Where(At(doc, "x").range), "4:1");
  std::vector<std::string> in_x;
  for (const auto& [key, node] : At(doc, "x").entries) in_x.push_back(key);
  EXPECT_EQ(in_x, (std::vector<std::string>{"y", "p"}));
}

TEST(TomlTree, PlacesEachPartOfADottedKey) {
  TomlDocument doc = Parse("[t]\none.two.three = 1\n  x = { \"q k\" . r = 2 }\n");
  const TomlNode& t = At(doc, "t");
  const TomlNode& one = *t.Find("one");
  EXPECT_EQ(Where(one.key_range), "2:1");
  EXPECT_EQ(Where(one.Find("two")->key_range), "2:5");
  EXPECT_EQ(Where(one.Find("two")->Find("three")->key_range), "2:9");
  EXPECT_EQ(Where(one.Find("two")->Find("three")->range), "2:17");
  const TomlNode& q = *t.Find("x")->Find("q k");
  EXPECT_EQ(Where(q.key_range), "3:9");
  EXPECT_EQ(Where(q.Find("r")->key_range), "3:17");
  EXPECT_EQ(Where(q.Find("r")->range), "3:21");
}

TEST(TomlTree, NamesTheFileInEveryPosition) {
  TomlDocument doc;
  Diagnostics diags;
  ASSERT_TRUE(ParseTomlDocument("[a]\nb = [1]\n", "modules/net/main.toml", &doc, diags));
  EXPECT_EQ(doc.root.Find("a")->Find("b")->items[0].range.ToString(), "modules/net/main.toml:2:6");
  Diagnostics bad;
  ASSERT_FALSE(ParseTomlDocument("[a]\nb = [1\n", "modules/net/main.toml", &doc, bad));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].range.ToString(), "modules/net/main.toml:3:1");
}

TEST(TomlTree, RefusesNestingPastTheLimit) {
  const std::string deep(kMaxTomlNesting + 1, '[');
  EXPECT_EQ(ErrorOf("a = " + deep + std::string(kMaxTomlNesting + 1, ']') + "\n"),
            "1:" + std::to_string(5 + kMaxTomlNesting) + ": Nesting too deep");
  const std::string ok(kMaxTomlNesting, '[');
  EXPECT_EQ(ErrorOf("a = " + ok + std::string(kMaxTomlNesting, ']') + "\n"), "(accepted)");
  std::string tables = "a = ";
  for (int i = 0; i <= kMaxTomlNesting; ++i) tables += "{b = ";
  tables += "1" + std::string(kMaxTomlNesting + 1, '}') + "\n";
  EXPECT_EQ(ErrorOf(tables), "1:" + std::to_string(5 + 5 * kMaxTomlNesting) + ": Nesting too deep");
  // Brackets inside strings, comments and keys do not count.
  EXPECT_EQ(ErrorOf("a = '" + deep + "' # " + deep + "\n\"" + deep + "\" = 1\n"), "(accepted)");
  // A multi-line string may end in up to five quotes; what follows counts.
  EXPECT_EQ(ErrorOf("a = ['''x'''', " + deep + std::string(kMaxTomlNesting + 2, ']') + "\n"),
            "1:" + std::to_string(15 + kMaxTomlNesting) + ": Nesting too deep");
}

// Every part of a dotted key nests a table; a key of a million parts would
// make a tree too deep to walk.
TEST(TomlTree, RefusesKeysWithTooManyParts) {
  std::string key = "k";
  for (int i = 1; i < kMaxTomlNesting; ++i) key += ".k";
  EXPECT_EQ(ErrorOf(key + " = 1\n"), "(accepted)");
  EXPECT_EQ(ErrorOf("[" + key + "]\n"), "(accepted)");
  EXPECT_EQ(ErrorOf(key + ".last = 1\n"),
            "1:" + std::to_string(2 * kMaxTomlNesting + 1) + ": Key too long");
  EXPECT_EQ(ErrorOf("x = { y = 1, " + key + ".last = 1 }\n"),
            "1:" + std::to_string(14 + 2 * kMaxTomlNesting) + ": Key too long");
  std::string huge = "k";
  for (int i = 0; i < 1000000; ++i) huge += ".k";
  EXPECT_EQ(ErrorOf("[" + huge + "]\n"),
            "1:" + std::to_string(2 * kMaxTomlNesting + 2) + ": Key too long");
}

}  // namespace
}  // namespace reconcile::config
