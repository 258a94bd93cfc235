// Collection, set, numeric and type functions: results with Terraform's
// semantics and the text of their errors.
#include <gtest/gtest.h>

#include "test_scope.h"

namespace reconcile::config {
namespace {

Value Eval(const std::string& text) {
  Evaluated r = EvalTemplate(text);
  EXPECT_EQ(r.Errors(), "") << text;
  return r.value;
}

Value EvalIn(const std::string& text, TestScope& scope) {
  Evaluated r = EvalTemplate(text, scope);
  EXPECT_EQ(r.Errors(), "") << text;
  return r.value;
}

std::string ErrorOf(const std::string& text) {
  Evaluated r = EvalTemplate(text);
  EXPECT_EQ(r.diags.size(), 1u) << text << "\n" << r.Errors();
  return r.diags.empty() ? "" : r.diags[0].summary;
}

Value Strs(std::initializer_list<const char*> items) {
  ValueList out;
  for (const char* s : items) out.push_back(Str(s));
  return List(std::move(out));
}

TEST(Flatten, FlattensNestedListsRecursively) {
  EXPECT_EQ(Eval(R"(${flatten([["a", "b"], [], ["c", ["d"]], "e"])})"),
            Strs({"a", "b", "c", "d", "e"}));
  EXPECT_EQ(Eval(R"(${flatten([{a = 1}, [{b = 2}]])})"),
            List({Map({{"a", Num(1)}}), Map({{"b", Num(2)}})}));
  EXPECT_EQ(Eval("${flatten([])}"), List({}));
  EXPECT_EQ(ErrorOf(R"(${flatten("a")})"),
            "Invalid value for \"list\" in flatten(list): a list is required, got string");
}

TEST(Distinct, KeepsFirstOccurrences) {
  EXPECT_EQ(Eval(R"(${distinct(["b", "a", "b", "c", "a"])})"), Strs({"b", "a", "c"}));
  EXPECT_EQ(Eval("${distinct([1, [1], 1, [1]])}"), List({Num(1), List({Num(1)})}));
}

TEST(Zipmap, PairsKeysWithValues) {
  EXPECT_EQ(Eval(R"(${zipmap(["a", "b"], [1, [2]])})"),
            Map({{"a", Num(1)}, {"b", List({Num(2)})}}));
  EXPECT_EQ(Eval(R"(${zipmap(["a", "a"], [1, 2])})"), Map({{"a", Num(2)}}));
  EXPECT_EQ(
      ErrorOf(R"(${zipmap(["a"], [1, 2])})"),
      "Invalid call to zipmap(keys, values): the number of keys (1) does not match the number "
      "of values (2)");
  EXPECT_EQ(
      ErrorOf("${zipmap([[1]], [1])}"),
      "Invalid value for \"keys\" in zipmap(keys, values): key 0 is list; keys must be strings");
}

TEST(Range, OneTwoAndThreeArguments) {
  EXPECT_EQ(Eval("${range(3)}"), List({Num(0), Num(1), Num(2)}));
  EXPECT_EQ(Eval("${range(-2)}"), List({Num(0), Num(-1)}));
  EXPECT_EQ(Eval("${range(1, 4)}"), List({Num(1), Num(2), Num(3)}));
  EXPECT_EQ(Eval("${range(4, 1)}"), List({Num(4), Num(3), Num(2)}));
  EXPECT_EQ(Eval("${range(0, 1, 0.25)}"), List({Num(0), Num(0.25), Num(0.5), Num(0.75)}));
  EXPECT_EQ(Eval("${range(0)}"), List({}));
  EXPECT_EQ(ErrorOf("${range(1, 2, 0)}"),
            "Invalid value for \"step\" in range(start, limit, step): the step must not be zero");
  EXPECT_EQ(ErrorOf("${range(1, 5, -1)}"),
            "Invalid value for \"limit\" in range(start, limit, step): the limit must be less than "
            "the start when the step is negative");
  EXPECT_EQ(ErrorOf("${range(2000)}"),
            "Invalid call to range(start, limit, step): more than 1024 numbers were generated; "
            "narrow the range or use a larger step");
}

TEST(One, ZeroOrOneElement) {
  EXPECT_TRUE(Eval("${one([])}").is_null());
  EXPECT_EQ(Eval(R"(${one(["x"])})"), Str("x"));
  EXPECT_TRUE(Eval("${one(null)}").is_null());
  EXPECT_EQ(ErrorOf("${one([1, 2])}"),
            "Invalid value for \"list\" in one(list): the list has 2 elements; one() takes a list "
            "of zero or one elements");
}

TEST(SumMinMax, Numbers) {
  EXPECT_EQ(Eval("${sum([1, 2.5, \"3\"])}"), Num(6.5));
  EXPECT_EQ(Eval("${min(3, 1, 2)}"), Num(1));
  EXPECT_EQ(Eval("${max(3, 1, 2)}"), Num(3));
  EXPECT_EQ(Eval("${max([4, 9, 2]...)}"), Num(9));
  EXPECT_EQ(ErrorOf("${sum([])}"),
            "Invalid value for \"list\" in sum(list): cannot sum an empty list");
  EXPECT_EQ(ErrorOf(R"(${sum([1, "x"])})"),
            "Invalid value for \"list\" in sum(list): element 1 is string \"x\", not a number");
  EXPECT_EQ(ErrorOf(R"(${max(1, "x")})"),
            "Invalid value for \"numbers\" in max(numbers...): a number is required, got string");
}

TEST(Numeric, AbsCeilFloorSignumPowLogParseint) {
  EXPECT_EQ(Eval("${abs(-2.5)}"), Num(2.5));
  EXPECT_EQ(Eval("${ceil(1.2)}"), Num(2));
  EXPECT_EQ(Eval("${floor(-1.2)}"), Num(-2));
  EXPECT_EQ(Eval("${signum(-7)}"), Num(-1));
  EXPECT_EQ(Eval("${pow(2, 10)}"), Num(1024));
  EXPECT_EQ(Eval("${log(8, 2)}"), Num(3));
  EXPECT_EQ(Eval(R"(${parseint("ff", 16)})"), Num(255));
  EXPECT_EQ(Eval(R"(${parseint("-101", 2)})"), Num(-5));
  EXPECT_EQ(Eval(R"(${parseint("FF", 16)})"), Num(255));
  EXPECT_EQ(ErrorOf(R"(${parseint("12", 2)})"),
            "Invalid value for \"string\" in parseint(string, base): cannot parse string \"12\" "
            "as a base 2 integer");
  EXPECT_EQ(ErrorOf("${log(-1, 2)}"),
            "Invalid call to log(number, base): the result is not a finite number");
}

TEST(ListFunctions, IndexReverseSliceCompactChunklist) {
  EXPECT_EQ(Eval(R"(${index(["a", "b", "c"], "b")})"), Num(1));
  EXPECT_EQ(ErrorOf(R"(${index(["a"], "z")})"),
            "Invalid value for \"value\" in index(list, value): the list has no element equal to "
            "string \"z\"");
  EXPECT_EQ(Eval("${reverse([1, 2, 3])}"), List({Num(3), Num(2), Num(1)}));
  EXPECT_EQ(Eval(R"(${slice(["a", "b", "c", "d"], 1, 3)})"), Strs({"b", "c"}));
  EXPECT_EQ(ErrorOf("${slice([1, 2], 1, 3)}"),
            "Invalid value for \"end_index\" in slice(list, start_index, end_index): the end index "
            "must be from 0 to the list's length 2, got 3");
  EXPECT_EQ(ErrorOf("${slice([1, 2], 2, 1)}"),
            "Invalid value for \"start_index\" in slice(list, start_index, end_index): the start "
            "index 2 is greater than the end index 1");
  EXPECT_EQ(Eval(R"(${compact(["a", "", null, "b"])})"), Strs({"a", "b"}));
  EXPECT_EQ(Eval("${chunklist([1, 2, 3, 4, 5], 2)}"),
            List({List({Num(1), Num(2)}), List({Num(3), Num(4)}), List({Num(5)})}));
  EXPECT_EQ(Eval("${chunklist([1, 2], 0)}"), List({List({Num(1), Num(2)})}));
  EXPECT_EQ(Eval("${chunklist([], 3)}"), List({}));
}

TEST(Transpose, SwapsKeysAndValues) {
  EXPECT_EQ(Eval(R"(${transpose({a = ["1", "2"], b = ["2", "3"]})})"),
            Map({{"1", Strs({"a"})}, {"2", Strs({"a", "b"})}, {"3", Strs({"b"})}}));
  EXPECT_EQ(ErrorOf(R"(${transpose({a = "1"})})"),
            "Invalid value for \"map\" in transpose(map): the value of \"a\" is string \"1\"; "
            "transpose takes a map of lists of strings");
}

TEST(Coalescelist, FirstNonEmptyList) {
  EXPECT_EQ(Eval(R"(${coalescelist([], null, ["a"], ["b"])})"), Strs({"a"}));
  EXPECT_EQ(ErrorOf("${coalescelist([], [])}"),
            "Invalid call to coalescelist(lists...): every argument is null or an empty list");
}

TEST(AllAnyTrue, BoolsAndBoolStrings) {
  EXPECT_EQ(Eval(R"(${alltrue([true, "true"])})"), Bool(true));
  EXPECT_EQ(Eval("${alltrue([true, false])}"), Bool(false));
  EXPECT_EQ(Eval("${alltrue([])}"), Bool(true));
  EXPECT_EQ(Eval("${anytrue([false, true])}"), Bool(true));
  EXPECT_EQ(Eval("${anytrue([])}"), Bool(false));
  EXPECT_EQ(ErrorOf("${alltrue([1])}"),
            "Invalid value for \"list\" in alltrue(list): element 0 is number 1, not a bool");
}

TEST(Sets, UnionIntersectionSubtractProduct) {
  EXPECT_EQ(Eval(R"(${setunion(["b", "a"], ["c", "a"])})"), Strs({"a", "b", "c"}));
  EXPECT_EQ(Eval(R"(${setintersection(["a", "b", "c"], ["b", "c", "d"], ["c", "b"])})"),
            Strs({"b", "c"}));
  EXPECT_EQ(Eval(R"(${setsubtract(["a", "b", "c"], ["b"])})"), Strs({"a", "c"}));
  EXPECT_EQ(Eval(R"(${setintersection([1, 2], ["2"])})"), Strs({"2"}));
  EXPECT_EQ(Eval(R"(${setproduct(["a", "b"], [1, 2])})"),
            List({List({Str("a"), Num(1)}), List({Str("a"), Num(2)}), List({Str("b"), Num(1)}),
                  List({Str("b"), Num(2)})}));
  EXPECT_EQ(Eval(R"(${setproduct(["a"], [])})"), List({}));
  EXPECT_EQ(ErrorOf("${setunion([null])}"),
            "Invalid value for \"sets\" in setunion(sets...): a set cannot hold null");
}

TEST(Sort, LexicalOrderOfStrings) {
  EXPECT_EQ(Eval(R"(${sort(["b", "a", "C"])})"), Strs({"C", "a", "b"}));
  EXPECT_EQ(Eval("${sort([10, 9, 1])}"), Strs({"1", "10", "9"}));
  EXPECT_EQ(
      ErrorOf("${sort([null])}"),
      "Invalid value for \"list\" in sort(list): element 0 is null; sort takes a list of strings");
}

TEST(TypeFunctions, ToMapToBoolToSet) {
  EXPECT_EQ(Eval("${tomap({a = 1})}"), Map({{"a", Num(1)}}));
  EXPECT_TRUE(Eval("${tomap(null)}").is_null());
  EXPECT_EQ(ErrorOf("${tomap([1])}"),
            "Invalid value for \"value\" in tomap(value): a map is required, got list");
  EXPECT_EQ(Eval(R"(${tobool("true")})"), Bool(true));
  EXPECT_EQ(ErrorOf("${tobool(1)}"),
            "Invalid value for \"value\" in tobool(value): cannot convert number 1 to a bool");
  EXPECT_TRUE(Eval("${toset(null)}").is_null());
}

TEST(TypeFunctions, SensitiveAndNonsensitiveSetTheMark) {
  TestScope scope;
  scope.values["var.pw"] = Str("hunter2").MarkedSensitive();
  scope.values["var.later"] = Value::Unknown();
  EXPECT_EQ(Eval(R"(${sensitive("x")})"), Str("x").MarkedSensitive());
  EXPECT_EQ(EvalIn("${nonsensitive(var.pw)}", scope), Str("hunter2"));
  EXPECT_EQ(EvalIn("${nonsensitive(sha256(var.pw))}", scope).sensitive(), false);
  EXPECT_TRUE(EvalIn("${sensitive(var.later)}", scope).sensitive());
  EXPECT_TRUE(EvalIn("${sensitive(var.later)}", scope).is_unknown());
}

TEST(Cidrsubnets, ConsecutiveAlignedSubnets) {
  EXPECT_EQ(Eval(R"(${cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)})"),
            Strs({"10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"}));
  EXPECT_EQ(Eval(R"(${cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)})"),
            Strs({"fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72",
                  "fd00:fd12:3456:7800:200::/72", "fd00:fd12:3456:7800:300::/88"}));
  EXPECT_EQ(
      ErrorOf(R"(${cidrsubnets("10.0.0.0/30", 1, 1, 1)})"),
      "Invalid value for \"newbits\" in cidrsubnets(prefix, newbits...): not enough remaining "
      "address space for a subnet with a prefix of 31 bits after 10.0.0.2/31");
}

}  // namespace
}  // namespace reconcile::config
