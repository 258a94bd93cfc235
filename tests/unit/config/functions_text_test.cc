// String, encoding, file-set and try/can functions: results with Terraform's
// semantics and the text of their errors.
#include <gtest/gtest.h>

#include "config/expr/yaml_encode.h"
#include "support/temp_dir.h"
#include "test_scope.h"

namespace reconcile::config {
namespace {

Value Eval(const std::string& text) {
  Evaluated r = EvalTemplate(text);
  EXPECT_EQ(r.Errors(), "") << text;
  return r.value;
}

std::string ErrorOf(const std::string& text) {
  Evaluated r = EvalTemplate(text);
  EXPECT_EQ(r.diags.size(), 1u) << text << "\n" << r.Errors();
  return r.diags.empty() ? "" : r.diags[0].summary;
}

TEST(Strings, StartsEndsWithAndTrimAffixes) {
  EXPECT_EQ(Eval(R"(${startswith("hello world", "hello")})"), Bool(true));
  EXPECT_EQ(Eval(R"(${startswith("hello world", "world")})"), Bool(false));
  EXPECT_EQ(Eval(R"(${endswith("hello world", "world")})"), Bool(true));
  EXPECT_EQ(Eval(R"(${trimprefix("helloworld", "hello")})"), Str("world"));
  EXPECT_EQ(Eval(R"(${trimprefix("helloworld", "cat")})"), Str("helloworld"));
  EXPECT_EQ(Eval(R"(${trimsuffix("helloworld", "world")})"), Str("hello"));
  EXPECT_EQ(Eval(R"(${trim("?!hello?!", "!?")})"), Str("hello"));
  EXPECT_EQ(Eval(R"(${trim("\u00e9a\u00e9", "\u00e9")})"), Str("a"));
  EXPECT_EQ(Eval("${chomp(\"hello\\n\\r\\n\")}"), Str("hello"));
}

TEST(Strings, SubstrCountsCharacters) {
  EXPECT_EQ(Eval(R"(${substr("hello world", 1, 4)})"), Str("ello"));
  EXPECT_EQ(Eval(R"(${substr("hello world", -5, -1)})"), Str("world"));
  EXPECT_EQ(Eval(R"(${substr("\u00e9t\u00e9", 1, 5)})"), Str("t\xc3\xa9"));
  EXPECT_EQ(Eval(R"(${substr("abc", 5, 1)})"), Str(""));
  EXPECT_EQ(ErrorOf(R"(${substr("abc", -5, 1)})"),
            "Invalid value for \"offset\" in substr(string, offset, length): the offset is before "
            "the start of the string");
}

TEST(Strings, TitleStrrevIndent) {
  EXPECT_EQ(Eval(R"(${title("hello world-wide_web")})"), Str("Hello World-Wide_web"));
  EXPECT_EQ(Eval(R"(${strrev("h\u00e9llo")})"), Str("oll\xc3\xa9h"));
  EXPECT_EQ(Eval("${indent(2, \"a\\nb\\n\")}"), Str("a\n  b\n  "));
}

TEST(Formatlist, OneFormatPerElement) {
  EXPECT_EQ(Eval(R"(${formatlist("Hello, %s!", ["Valentina", "Ander"])})"),
            List({Str("Hello, Valentina!"), Str("Hello, Ander!")}));
  EXPECT_EQ(Eval(R"(${formatlist("%s, %s!", "Salutations", ["Valentina", "Ander"])})"),
            List({Str("Salutations, Valentina!"), Str("Salutations, Ander!")}));
  EXPECT_EQ(Eval(R"(${formatlist("%s", "only")})"), List({Str("only")}));
  EXPECT_EQ(Eval(R"(${formatlist("%s", [])})"), List({}));
  EXPECT_EQ(ErrorOf(R"(${formatlist("%s-%s", ["a"], ["b", "c"])})"),
            "Invalid value for \"args\" in formatlist(format, args...): argument 3 has 2 "
            "elements, but argument 2 has 1");
}

TEST(Digests, HexAndBase64) {
  EXPECT_EQ(Eval(R"(${md5("hello world")})"), Str("5eb63bbbe01eeed093cb22bb8f5acdc3"));
  EXPECT_EQ(Eval(R"(${sha1("hello world")})"), Str("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed"));
  EXPECT_EQ(Eval(R"(${sha512("abc")})"),
            Str("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836"
                "ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"));
  EXPECT_EQ(Eval(R"(${base64sha256("hello world")})"),
            Str("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek="));
  EXPECT_EQ(Eval(R"(${urlencode("Hello World & ~x/é")})"), Str("Hello+World+%26+~x%2F%C3%A9"));
}

TEST(Yamlencode, TerraformsDocumentedExamples) {
  EXPECT_EQ(Eval(R"(${yamlencode({"a":"b", "c":"d"})})"), Str("\"a\": \"b\"\n\"c\": \"d\"\n"));
  EXPECT_EQ(Eval(R"(${yamlencode({"foo":[1, 2, 3], "bar": "baz"})})"),
            Str("\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n"));
  EXPECT_EQ(Eval(R"(${yamlencode({"foo":[1, {"a":"b","c":"d"}, 3], "bar": "baz"})})"),
            Str("\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n"));
}

TEST(Yamlencode, ScalarsAndEmptyCollections) {
  EXPECT_EQ(YamlEncode(Bool(true)), "true\n...\n");
  EXPECT_EQ(YamlEncode(Num(0)), "0\n...\n");
  EXPECT_EQ(YamlEncode(Num(2.5)), "2.5\n...\n");
  EXPECT_EQ(YamlEncode(Num(1e21)), "1000000000000000000000\n...\n");
  EXPECT_EQ(YamlEncode(Value()), "null\n...\n");
  EXPECT_EQ(YamlEncode(Str("")), "\"\"\n");
  EXPECT_EQ(YamlEncode(Str("hello")), "\"hello\"\n");
  EXPECT_EQ(YamlEncode(Map({})), "{}\n");
  EXPECT_EQ(YamlEncode(List({})), "[]\n");
  EXPECT_EQ(YamlEncode(Map({{"a", List({})}, {"b", Map({})}})), "\"a\": []\n\"b\": {}\n");
}

TEST(Yamlencode, NestingAndEscapes) {
  EXPECT_EQ(YamlEncode(Map({{"a", Map({{"b", Map({{"c", Num(1)}})}})}})),
            "\"a\":\n  \"b\":\n    \"c\": 1\n");
  EXPECT_EQ(YamlEncode(List({List({Num(1), Num(2)}), List({})})), "- - 1\n  - 2\n- []\n");
  EXPECT_EQ(YamlEncode(Str("tab\there \"q\" back\\slash \x01")),
            "\"tab\\there \\\"q\\\" back\\\\slash \\x01\"\n");
  EXPECT_EQ(YamlEncode(Map({{"multi\nline", Str("k")}})), "\"multi\\nline\": \"k\"\n");
}

TEST(Yamlencode, MultiLineStringsAreLiteralBlocks) {
  EXPECT_EQ(YamlEncode(Str("a\nb")), "|-\n  a\n  b\n");
  EXPECT_EQ(YamlEncode(Str("a\nb\n")), "|\n  a\n  b\n");
  EXPECT_EQ(YamlEncode(Map({{"s", Str("line 1\n\nline 3\n")}, {"t", Num(1)}})),
            "\"s\": |\n  line 1\n\n  line 3\n\"t\": 1\n");
  EXPECT_EQ(YamlEncode(List({Str(" indented\nx")})), "- |2-\n   indented\n  x\n");
  // A space before a line break, or a tab, cannot be a literal block.
  EXPECT_EQ(YamlEncode(Str("a \nb")), "\"a \\nb\"\n");
  EXPECT_EQ(YamlEncode(Str("a\n\tb")), "\"a\\n\\tb\"\n");
}

TEST(Yamlencode, LongQuotedStringsFoldAtColumn80) {
  const std::string words =
      "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
      "sixteen";
  EXPECT_EQ(YamlEncode(Map({{"k", Str(words)}})),
            "\"k\": \"one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen\n  fifteen sixteen\"\n");
}

TEST(Fileset, MatchesGlobsBelowThePath) {
  testing::TempDir dir;
  dir.Write("files/a.txt", "");
  dir.Write("files/b.txt", "");
  dir.Write("files/c.md", "");
  dir.Write("files/sub/d.txt", "");
  dir.Write("files/sub/deeper/e.txt", "");
  TestScope scope;
  scope.base_dir = dir.path();
  auto run = [&](const std::string& text) {
    Evaluated r = EvalTemplate(text, scope);
    EXPECT_EQ(r.Errors(), "") << text;
    return r.value;
  };
  EXPECT_EQ(run(R"(${fileset("files", "*.txt")})"), List({Str("a.txt"), Str("b.txt")}));
  EXPECT_EQ(run(R"(${fileset(".", "files/*.{md,txt}")})"),
            List({Str("files/a.txt"), Str("files/b.txt"), Str("files/c.md")}));
  EXPECT_EQ(run(R"(${fileset("files", "**/*.txt")})"),
            List({Str("a.txt"), Str("b.txt"), Str("sub/d.txt"), Str("sub/deeper/e.txt")}));
  EXPECT_EQ(run(R"(${fileset("files", "sub/*")})"), List({Str("sub/d.txt")}));
  EXPECT_EQ(run(R"(${fileset("files", "[ab].txt")})"), List({Str("a.txt"), Str("b.txt")}));
  EXPECT_EQ(run(R"(${fileset("files", "[^a]?txt")})"), List({Str("b.txt")}));
  EXPECT_EQ(run(R"(${fileset("missing", "*")})"), List({}));
  EXPECT_EQ(EvalTemplate(R"(${fileset("files", "[ab.txt")})", scope).Errors(),
            "main.toml:1:20: Invalid value for \"pattern\" in fileset(path, pattern): invalid "
            "pattern \"[ab.txt\": a \"[\" character class is not closed with \"]\"");
}

TEST(Try, FirstArgumentWithoutErrors) {
  TestScope scope;
  scope.values["var.m"] = Map({{"a", Num(1)}});
  scope.values["var.later"] = Value::Unknown();
  auto run = [&](const std::string& text) {
    Evaluated r = EvalTemplate(text, scope);
    EXPECT_EQ(r.Errors(), "") << text;
    return r.value;
  };
  EXPECT_EQ(run(R"(${try(var.m.b, var.m["a"], "default")})"), Num(1));
  EXPECT_EQ(run(R"(${try(var.m.b, "default")})"), Str("default"));
  EXPECT_EQ(run(R"(${try(tonumber("x"), 0)})"), Num(0));  // not folded into a load error
  EXPECT_TRUE(run("${try(var.later.x, 1)}").is_unknown());
  Evaluated r = EvalTemplate(R"(${try(var.m.b, var.m.c)})", scope);
  EXPECT_EQ(r.Errors(),
            "main.toml:1:3: Invalid call to try(expressions...): no expression succeeded");
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].detail,
            "At least one argument must evaluate without errors; each failed:\n"
            "- main.toml:1:13: Unsupported attribute \"b\"; did you mean \"a\"?\n"
            "- main.toml:1:22: Unsupported attribute \"c\"; did you mean \"a\"?");
}

TEST(Can, TrueFalseOrUnknown) {
  TestScope scope;
  scope.values["var.m"] = Map({{"a", Num(1)}});
  scope.values["var.later"] = Value::Unknown();
  EXPECT_EQ(EvalTemplate("${can(var.m.a)}", scope).value, Bool(true));
  EXPECT_EQ(EvalTemplate("${can(var.m.b)}", scope).value, Bool(false));
  EXPECT_EQ(EvalTemplate(R"(${can(cidrhost("10.0.0.0/30", 9))})", scope).value, Bool(false));
  EXPECT_TRUE(EvalTemplate("${can(var.later.x)}", scope).value.is_unknown());
  EXPECT_EQ(EvalTemplate(R"(${[for s in ["1", "x", "3"] : s if can(tonumber(s))]})", scope).value,
            List({Str("1"), Str("3")}));
}

}  // namespace
}  // namespace reconcile::config
