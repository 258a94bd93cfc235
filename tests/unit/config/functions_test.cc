// Every built-in function: normal results and the text of its errors.
#include <gtest/gtest.h>

#include "support/temp_dir.h"
#include "test_scope.h"

namespace reconcile::config {
namespace {

Value Eval(const std::string& text) {
  Evaluated r = EvalTemplate(text);
  EXPECT_EQ(r.Errors(), "") << text;
  return r.value;
}

// The summary of the only error `text` produces.
std::string ErrorOf(const std::string& text) {
  Evaluated r = EvalTemplate(text);
  EXPECT_EQ(r.diags.size(), 1u) << text << "\n" << r.Errors();
  return r.diags.empty() ? "" : r.diags[0].summary;
}

TEST(Jsonencode, EncodesSortedCompactJson) {
  EXPECT_EQ(Eval(R"(${jsonencode({b = [1, "x", true, null], a = 1.5})})"),
            Str(R"({"a":1.5,"b":[1,"x",true,null]})"));
}

TEST(Jsondecode, DecodesAndReportsBadJson) {
  EXPECT_EQ(Eval(R"(${jsondecode("{\"a\": [1, 2]}")})"), Map({{"a", List({Num(1), Num(2)})}}));
  EXPECT_EQ(ErrorOf(R"(${jsondecode("{")})"),
            "Invalid value for \"string\" in jsondecode(string): invalid JSON: parse error at line "
            "1, column 2: syntax error while parsing object key - unexpected end of input; "
            "expected string literal");
  EXPECT_EQ(ErrorOf("${jsondecode(\"" + std::string(100, '[') + "\")}"),
            "Invalid value for \"string\" in jsondecode(string): JSON nested deeper than 64 "
            "levels is not accepted");
}

TEST(Base64, RoundTripAndErrors) {
  EXPECT_EQ(Eval(R"(${base64encode("hello")})"), Str("aGVsbG8="));
  EXPECT_EQ(Eval(R"(${base64decode("aGVsbG8=")})"), Str("hello"));
  EXPECT_EQ(Eval(R"(${base64decode(base64encode("ab"))})"), Str("ab"));
  EXPECT_EQ(ErrorOf(R"(${base64decode("not base64!")})"),
            "Invalid value for \"string\" in base64decode(string): the string is not valid base64");
  EXPECT_EQ(ErrorOf(R"(${base64decode("/w==")})"),
            "Invalid value for \"string\" in base64decode(string): the decoded bytes are not "
            "valid UTF-8 text");
}

TEST(Sha256, HexDigest) {
  EXPECT_EQ(Eval(R"(${sha256("abc")})"),
            Str("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}

TEST(Format, Verbs) {
  EXPECT_EQ(Eval(R"(${format("%s-%d-%05.1f-%q-%v-%t-%%", "a", 42, 3.14159, "q", [1], true)})"),
            Str("a-42-003.1-\"q\"-[1]-true-%"));
  EXPECT_EQ(Eval(R"(${format("%-4s|%4s|%.2s", "ab", "cd", "xyz")})"), Str("ab  |  cd|xy"));
  EXPECT_EQ(Eval(R"(${format("%x %X %o %b %e", 255, 255, 8, 5, 1500)})"),
            Str("ff FF 10 101 1.500000e+03"));
  EXPECT_EQ(Eval(R"(${format("%#v %v", "s", 2.5)})"), Str("\"s\" 2.5"));
}

TEST(Format, Errors) {
  EXPECT_EQ(ErrorOf(R"(${format("%s %s", "a")})"),
            "Invalid call to format(format, args...): not enough arguments for \"%s\" at offset 3");
  EXPECT_EQ(ErrorOf(R"(${format("%s", "a", "b")})"),
            "Invalid call to format(format, args...): too many arguments; the format string uses "
            "1 of 2");
  EXPECT_EQ(ErrorOf(R"(${format("%d", 1.5)})"),
            "Invalid value for \"args\" in format(format, args...): \"%d\" needs a whole number, "
            "got number 1.5");
  EXPECT_EQ(ErrorOf(R"(${format("%s", [1])})"),
            "Invalid value for \"args\" in format(format, args...): \"%s\" needs a string, got list");
  EXPECT_EQ(ErrorOf(R"(${format("%y", 1)})"),
            "Invalid value for \"format\" in format(format, args...): unsupported verb \"%y\"");
}

TEST(Join, JoinsListsAndConvertsPrimitives) {
  EXPECT_EQ(Eval(R"(${join(", ", ["a", 1, true])})"), Str("a, 1, true"));
  EXPECT_EQ(Eval(R"(${join("-", ["a"], ["b", "c"])})"), Str("a-b-c"));
  EXPECT_EQ(Eval(R"(${join(",", [])})"), Str(""));
  EXPECT_EQ(ErrorOf(R"(${join(",", "ab")})"),
            "Invalid value for \"list\" in join(separator, list...): a list is required, got string");
  EXPECT_EQ(ErrorOf(R"(${join(",", [[1]])})"),
            "Invalid value for \"list\" in join(separator, list...): element 0 is list, not a "
            "string");
}

TEST(Split, SplitsOnSeparator) {
  EXPECT_EQ(Eval(R"(${split(",", "a,b,,c")})"), List({Str("a"), Str("b"), Str(""), Str("c")}));
  EXPECT_EQ(Eval(R"(${split(",", "")})"), List({Str("")}));
  EXPECT_EQ(Eval(R"(${split("", "ab")})"), List({Str("a"), Str("b")}));
  EXPECT_EQ(ErrorOf(R"(${split(",", ["a"])})"),
            "Invalid value for \"string\" in split(separator, string): a string is required, got "
            "list");
}

TEST(Lookup, FoundDefaultAndMissing) {
  EXPECT_EQ(Eval(R"(${lookup({a = 1}, "a")})"), Num(1));
  EXPECT_EQ(Eval(R"(${lookup({a = 1}, "b", 7)})"), Num(7));
  EXPECT_EQ(ErrorOf(R"(${lookup({a = 1}, "b")})"),
            "Invalid value for \"key\" in lookup(map, key, default?): the map has no key \"b\"");
  EXPECT_EQ(ErrorOf(R"(${lookup([1], "b")})"),
            "Invalid value for \"map\" in lookup(map, key, default?): a map is required, got list");
}

TEST(Length, ListsMapsStrings) {
  EXPECT_EQ(Eval("${length([1, 2, 3])}"), Num(3));
  EXPECT_EQ(Eval("${length({a = 1})}"), Num(1));
  EXPECT_EQ(Eval("${length(\"h\u00e9llo\")}"), Num(5));
  EXPECT_EQ(ErrorOf("${length(5)}"),
            "Invalid value for \"value\" in length(value): a list, map or string is required, got "
            "number");
}

TEST(Merge, LaterMapsWin) {
  EXPECT_EQ(Eval("${merge({a = 1, b = 2}, {b = 3}, null)}"), Map({{"a", Num(1)}, {"b", Num(3)}}));
  EXPECT_EQ(Eval("${merge()}"), Map({}));
  EXPECT_EQ(ErrorOf("${merge({}, [1])}"),
            "Invalid value for \"maps\" in merge(maps...): a map is required, got list");
}

TEST(Concat, JoinsLists) {
  EXPECT_EQ(Eval("${concat([1], [], [2, 3])}"), List({Num(1), Num(2), Num(3)}));
  EXPECT_EQ(ErrorOf("${concat([1], 2)}"),
            "Invalid value for \"lists\" in concat(lists...): a list is required, got number");
}

TEST(KeysValues, InKeyOrder) {
  EXPECT_EQ(Eval("${keys({b = 1, a = 2})}"), List({Str("a"), Str("b")}));
  EXPECT_EQ(Eval("${values({b = 1, a = 2})}"), List({Num(2), Num(1)}));
  EXPECT_EQ(ErrorOf("${keys([1])}"),
            "Invalid value for \"map\" in keys(map): a map is required, got list");
  EXPECT_EQ(ErrorOf("${values(\"x\")}"),
            "Invalid value for \"map\" in values(map): a map is required, got string");
}

TEST(Contains, ComparesStructurally) {
  EXPECT_EQ(Eval(R"(${contains(["a", "b"], "b")})"), Bool(true));
  EXPECT_EQ(Eval(R"(${contains([1], "1")})"), Bool(false));
  EXPECT_EQ(ErrorOf(R"(${contains("ab", "a")})"),
            "Invalid value for \"list\" in contains(list, value): a list is required, got string");
}

TEST(Element, WrapsAround) {
  EXPECT_EQ(Eval(R"(${element(["a", "b", "c"], 4)})"), Str("b"));
  EXPECT_EQ(ErrorOf("${element([], 0)}"),
            "Invalid value for \"list\" in element(list, index): the list is empty, so it has no "
            "elements");
  EXPECT_EQ(ErrorOf("${element([1], -1)}"),
            "Invalid value for \"index\" in element(list, index): the index must not be negative, "
            "got -1");
  EXPECT_EQ(ErrorOf("${element([1], 0.5)}"),
            "Invalid value for \"index\" in element(list, index): a whole number is required, got "
            "0.5");
}

TEST(Cidr, SubnetsAndHostsV4) {
  EXPECT_EQ(Eval(R"(${cidrsubnet("10.0.0.0/16", 8, 2)})"), Str("10.0.2.0/24"));
  EXPECT_EQ(Eval(R"(${cidrsubnet("10.1.2.3/16", 4, 15)})"), Str("10.1.240.0/20"));
  EXPECT_EQ(Eval(R"(${cidrhost("10.0.1.0/24", 5)})"), Str("10.0.1.5"));
  EXPECT_EQ(Eval(R"(${cidrhost("10.0.1.0/24", -1)})"), Str("10.0.1.255"));
  EXPECT_EQ(Eval(R"(${cidrnetmask("10.0.0.0/20")})"), Str("255.255.240.0"));
}

TEST(Cidr, SubnetsAndHostsV6) {
  EXPECT_EQ(Eval(R"(${cidrsubnet("fd00:1::/56", 8, 3)})"), Str("fd00:1:0:3::/64"));
  EXPECT_EQ(Eval(R"(${cidrhost("fd00::/64", 17)})"), Str("fd00::11"));
  EXPECT_EQ(Eval(R"(${cidrhost("fd00::/64", -1)})"), Str("fd00::ffff:ffff:ffff:ffff"));
}

TEST(Cidr, Errors) {
  EXPECT_EQ(ErrorOf(R"(${cidrsubnet("10.0.0.0/16", 8, 256)})"),
            "Invalid value for \"netnum\" in cidrsubnet(prefix, newbits, netnum): a prefix "
            "extension of 8 bits does not accommodate a subnet numbered 256");
  EXPECT_EQ(ErrorOf(R"(${cidrsubnet("10.0.0.0/16", 20, 0)})"),
            "Invalid value for \"newbits\" in cidrsubnet(prefix, newbits, netnum): cannot extend a "
            "/16 prefix by 20 bits in a 32-bit address");
  EXPECT_EQ(ErrorOf(R"(${cidrsubnet("10.0.0/16", 8, 1)})"),
            "Invalid value for \"prefix\" in cidrsubnet(prefix, newbits, netnum): \"10.0.0/16\" "
            "is not a CIDR prefix like \"10.0.0.0/16\" or \"fd00::/8\"");
  EXPECT_EQ(ErrorOf(R"(${cidrhost("10.0.0.0/30", 4)})"),
            "Invalid value for \"hostnum\" in cidrhost(prefix, hostnum): a /30 prefix does not "
            "accommodate a host numbered 4");
}

TEST(Conversions, ToStringToNumber) {
  EXPECT_EQ(Eval("${tostring(5)}"), Str("5"));
  EXPECT_EQ(Eval("${tostring(true)}"), Str("true"));
  EXPECT_TRUE(Eval("${tostring(null)}").is_null());
  EXPECT_EQ(Eval(R"(${tonumber("-1.5")})"), Num(-1.5));
  EXPECT_EQ(Eval("${tonumber(3)}"), Num(3));
  EXPECT_EQ(ErrorOf("${tostring([1])}"),
            "Invalid value for \"value\" in tostring(value): a string, number or bool is "
            "required, got list");
  EXPECT_EQ(ErrorOf(R"(${tonumber("1x")})"),
            "Invalid value for \"value\" in tonumber(value): cannot convert string \"1x\" to a "
            "number");
}

TEST(Conversions, ToListToSet) {
  EXPECT_EQ(Eval("${tolist([2, 1])}"), List({Num(2), Num(1)}));
  EXPECT_EQ(Eval(R"(${toset(["b", "a", "b"])})"), List({Str("a"), Str("b")}));
  EXPECT_EQ(Eval("${toset([10, 9, 10])}"), List({Num(9), Num(10)}));
  EXPECT_EQ(Eval(R"(${toset(["a", 1])})"), List({Str("1"), Str("a")}));
  EXPECT_EQ(ErrorOf("${tolist({a = 1})}"),
            "Invalid value for \"value\" in tolist(value): a list is required, got map");
  EXPECT_EQ(ErrorOf("${toset([null])}"),
            "Invalid value for \"list\" in toset(list): a set cannot hold null");
}

TEST(Strings, UpperLowerTrimReplace) {
  EXPECT_EQ(Eval(R"(${upper("abC1")})"), Str("ABC1"));
  EXPECT_EQ(Eval(R"(${lower("AbC")})"), Str("abc"));
  EXPECT_EQ(Eval("${trimspace(\"  a b \\n\")}"), Str("a b"));
  EXPECT_EQ(Eval(R"(${replace("a-b-c", "-", "_")})"), Str("a_b_c"));
  EXPECT_EQ(ErrorOf("${upper([1])}"),
            "Invalid value for \"string\" in upper(string): a string is required, got list");
}

// replace() with a /pattern/ is Go's ReplaceAllString, as in Terraform.
TEST(Replace, RegexReplacementExpandsGroups) {
  EXPECT_EQ(Eval(R"~(${replace("web-12 db-3", "/([a-z]+)-([0-9]+)/", "$2:$1")})~"),
            Str("12:web 3:db"));
  EXPECT_EQ(Eval(R"~(${replace("web-12", "/(?P<name>[a-z]+)-(?P<n>\\d+)/", "$${n}.$${name}")})~"),
            Str("12.web"));
  EXPECT_EQ(Eval(R"~(${replace("a1b2", "/[0-9]/", "$$")})~"), Str("a$b$"));
  // "$1x" names a group "1x", which does not exist; "${1}x" is group 1 then x.
  EXPECT_EQ(Eval(R"~(${replace("ab", "/(a)/", "$1x")})~"), Str("b"));
  EXPECT_EQ(Eval(R"~(${replace("ab", "/(a)/", "$${1}x")})~"), Str("axb"));
  // A '$' that starts no reference stays, and a group that took no part is empty.
  EXPECT_EQ(Eval(R"~(${replace("ab", "/(x)?a/", "$-[$1]")})~"), Str("$-[]b"));
  // RE2 flags work inside the pattern.
  EXPECT_EQ(Eval(R"~(${replace("Web-1", "/(?i)^web/", "app")})~"), Str("app-1"));
}

TEST(Replace, EmptyMatchesFollowGo) {
  EXPECT_EQ(Eval(R"~(${replace("baaac", "/a*/", "-")})~"), Str("-b-c-"));
  EXPECT_EQ(Eval(R"~(${replace("", "/x*/", "-")})~"), Str("-"));
  EXPECT_EQ(Eval(R"~(${replace("héé", "/x*/", "-")})~"), Str("-h-é-é-"));
}

TEST(Replace, PatternsThatBacktrackingEnginesChokeOnRunInLinearTime) {
  // (a+)+$ against "aaa...ab" takes exponential time in a backtracking
  // engine; RE2 answers at once.
  std::string text(5000, 'a');
  EXPECT_EQ(Eval("${replace(\"" + text + R"~(b", "/(a+)+$/", "x")})~"), Str(text + "b"));
  // Repetition counts are bounded (1000); a back-reference-like escape with
  // many digits (issue 25: it overflowed libstdc++'s regex compiler) is an octal
  // escape and digits, as in Go.
  EXPECT_EQ(Eval(R"~(${replace("aaab", "/a{1,1000}/", "x")})~"), Str("xb"));
  EXPECT_EQ(ErrorOf(R"~(${replace("web-12", "/a{1001}/", "x")})~"),
            "Invalid value for \"search\" in replace(string, search, replacement): invalid "
            "regular expression: invalid repetition size: {1001}");
  EXPECT_EQ(Eval(R"~(${replace("web\u00db33", "/([a-z]+)\\33333/", "$1")})~"), Str("web"));
}

TEST(Replace, InvalidPatternsNameTheArgumentAndPlace) {
  Evaluated r = EvalTemplate(R"~(name-${replace("a", "/(/", "x")})~");
  EXPECT_EQ(r.Errors(),
            "main.toml:1:21: Invalid value for \"search\" in replace(string, search, "
            "replacement): invalid regular expression: missing ): (");
  // Backreferences are not RE2 syntax.
  EXPECT_EQ(ErrorOf(R"~(${replace("aa", "/(a)\\1/", "x")})~"),
            "Invalid value for \"search\" in replace(string, search, replacement): invalid "
            "regular expression: invalid escape sequence: \\1");
}

TEST(Regex, ResultShapeFollowsTheGroups) {
  // No groups: the matched text.
  EXPECT_EQ(Eval(R"~(${regex("[a-z]+", "53453453.345345aaabbbccc23454")})~"), Str("aaabbbccc"));
  // Unnamed groups: a list, null for a group that took no part.
  EXPECT_EQ(Eval(R"~(${regex("(\\d{4})-(\\d\\d)-(\\d\\d)", "2019-02-01")})~"),
            List({Str("2019"), Str("02"), Str("01")}));
  EXPECT_EQ(Eval(R"~(${regex("a(b)?(c)", "ac")})~"), List({Value(), Str("c")}));
  // Named groups: a map.
  Value url = Map({{"authority", Str("terraform.io")}, {"scheme", Str("https")}});
  EXPECT_EQ(Eval(R"~(${regex("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?",
                             "https://terraform.io/docs/")})~"),
            url);
}

TEST(Regex, Errors) {
  EXPECT_EQ(ErrorOf(R"~(${regex("[0-9]+", "abc")})~"),
            "Invalid call to regex(pattern, string): the pattern did not match any part of the "
            "given string");
  EXPECT_EQ(ErrorOf(R"~(${regex("(?P<a>x)(y)", "xy")})~"),
            "Invalid value for \"pattern\" in regex(pattern, string): a pattern cannot mix named "
            "and unnamed capture groups");
  EXPECT_EQ(ErrorOf(R"~(${regex("[a-", "abc")})~"),
            "Invalid value for \"pattern\" in regex(pattern, string): invalid regular "
            "expression: missing ]: [a-");
}

TEST(RegexAll, EveryMatchInOrder) {
  EXPECT_EQ(Eval(R"~(${regexall("[a-z]+", "1234abcd5678efgh9")})~"),
            List({Str("abcd"), Str("efgh")}));
  EXPECT_EQ(Eval(R"~(${length(regexall("[a-z]+", "1234abcd5678efgh9"))})~"), Num(2));
  EXPECT_EQ(Eval(R"~(${regexall("[a-z]+", "1234")})~"), List({}));
  Value pairs =
      List({Map({{"k", Str("a")}, {"v", Str("1")}}), Map({{"k", Str("b")}, {"v", Str("2")}})});
  EXPECT_EQ(Eval(R"~(${regexall("(?P<k>[a-z])=(?P<v>[0-9])", "a=1,b=2")})~"), pairs);
  // An empty match right after a match is skipped, as in Go.
  EXPECT_EQ(Eval(R"~(${regexall("a*", "baaac")})~"), List({Str(""), Str("aaa"), Str("")}));
}

TEST(RegexAll, UsableInAValidationCondition) {
  TestScope scope;
  scope.values["var.ami"] = Str("ami-0abc");
  EXPECT_EQ(EvalTemplate(R"~(${length(regexall("^ami-[0-9a-f]+$", var.ami)) > 0})~", scope).value,
            Bool(true));
  scope.values["var.ami"] = Str("image-1");
  EXPECT_EQ(EvalTemplate(R"~(${length(regexall("^ami-[0-9a-f]+$", var.ami)) > 0})~", scope).value,
            Bool(false));
}

TEST(Coalesce, FirstNonEmpty) {
  EXPECT_EQ(Eval(R"(${coalesce(null, "", "x", "y")})"), Str("x"));
  EXPECT_EQ(ErrorOf(R"(${coalesce(null, "")})"),
            "Invalid call to coalesce(values...): every argument is null or an empty string");
}

TEST(Files, FileAndTemplatefileResolveAgainstBaseDir) {
  testing::TempDir dir;
  dir.Write("files/hello.txt", "hello\n");
  dir.Write("tpl/user_data.sh", "#!/bin/sh\necho ${name} ${upper(env)} $${HOME} ${port + 1}\n");
  TestScope scope;
  scope.base_dir = dir.path();
  EXPECT_EQ(EvalTemplate(R"(${file("files/hello.txt")})", scope).value, Str("hello\n"));
  Evaluated r = EvalTemplate(
      R"(${templatefile("tpl/user_data.sh", { name = "web", env = "prod", port = 79 })})", scope);
  EXPECT_EQ(r.Errors(), "");
  EXPECT_EQ(r.value, Str("#!/bin/sh\necho web PROD ${HOME} 80\n"));
}

TEST(Files, MissingFileNamesItsPath) {
  testing::TempDir dir;
  TestScope scope;
  scope.base_dir = dir.path();
  EXPECT_EQ(EvalTemplate(R"(${file("nope.txt")})", scope).Errors(),
            "main.toml:1:8: Invalid value for \"path\" in file(path): no file exists at \"" +
                dir.path() + "/nope.txt\"");
}

TEST(Files, TemplateErrorsPointInsideTheTemplateFile) {
  testing::TempDir dir;
  dir.Write("t.tpl", "line 1\nhello ${nmae}\n");
  dir.Write("loop.tpl", "${templatefile(\"loop.tpl\", {})}");
  TestScope scope;
  scope.base_dir = dir.path();
  EXPECT_EQ(EvalTemplate(R"(${templatefile("t.tpl", { name = "x" })})", scope).Errors(),
            "t.tpl:2:9: Invalid template variable \"nmae\"; did you mean \"name\"?");
  EXPECT_EQ(EvalTemplate(R"(${templatefile("loop.tpl", {})})", scope).Errors(),
            "loop.tpl:1:3: Invalid call to templatefile(path, vars): templatefile cannot be called "
            "from inside a template");
}

}  // namespace
}  // namespace reconcile::config
