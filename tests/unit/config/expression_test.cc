// The expression language: literals, templates, escapes, operators and
// precedence, references, indexing, splat, and parse errors with locations.
#include <gtest/gtest.h>

#include "test_scope.h"

namespace reconcile::config {
namespace {

TEST(Template, PlainStringStaysLiteral) {
  Evaluated r = EvalTemplate("hello world");
  EXPECT_EQ(r.Errors(), "");
  EXPECT_EQ(r.value, Str("hello world"));
}

TEST(Template, SingleInterpolationKeepsType) {
  TestScope scope;
  scope.values["var.zones"] = List({Str("a"), Str("b")});
  Evaluated r = EvalTemplate("${var.zones}", scope);
  EXPECT_EQ(r.value, List({Str("a"), Str("b")}));
  EXPECT_EQ(EvalTemplate("${1 + 2}").value, Num(3));
}

TEST(Template, MixedTextConvertsToString) {
  TestScope scope;
  scope.values["var.n"] = Num(3);
  scope.values["var.on"] = Bool(true);
  scope.values["var.ratio"] = Num(0.25);
  EXPECT_EQ(EvalTemplate("n=${var.n} on=${var.on} r=${var.ratio}", scope).value,
            Str("n=3 on=true r=0.25"));
}

TEST(Template, DollarDollarEscapesInterpolation) {
  EXPECT_EQ(EvalTemplate("$${literal} and ${1}").value, Str("${literal} and 1"));
  EXPECT_EQ(EvalTemplate("$${x}").value, Str("${x}"));
}

TEST(Template, NestedStringWithEscapesAndTemplate) {
  TestScope scope;
  scope.values["var.name"] = Str("web");
  EXPECT_EQ(EvalTemplate(R"(${"a\tb\n\"q\" \\ ${var.name}-\u00e9"})", scope).value,
            Str("a\tb\n\"q\" \\ web-\xc3\xa9"));
}

TEST(Template, NullInterpolationIsAnError) {
  Evaluated r = EvalTemplate("x-${null}");
  EXPECT_EQ(r.Errors(),
            "main.toml:1:5: Invalid template interpolation value: the value is null");
}

TEST(Template, ListInInterpolationIsAnError) {
  EXPECT_EQ(EvalTemplate("x-${[1]}").Errors(),
            "main.toml:1:5: Invalid template interpolation value: a string is required, got list");
}

TEST(Literals, NumbersBoolsNullListsMaps) {
  EXPECT_EQ(EvalTemplate("${1.5e2}").value, Num(150));
  EXPECT_EQ(EvalTemplate("${true}").value, Bool(true));
  EXPECT_TRUE(EvalTemplate("${null}").value.is_null());
  EXPECT_EQ(EvalTemplate("${[1, \"a\", [true]]}").value,
            List({Num(1), Str("a"), List({Bool(true)})}));
  EXPECT_EQ(EvalTemplate("${{ a = 1, \"b c\" = 2, d: 3 }}").value,
            Map({{"a", Num(1)}, {"b c", Num(2)}, {"d", Num(3)}}));
  EXPECT_EQ(EvalTemplate("${[1, 2,]}").value, List({Num(1), Num(2)}));
}

TEST(Literals, ComputedMapKeys) {
  TestScope scope;
  scope.values["var.k"] = Str("dyn");
  EXPECT_EQ(EvalTemplate("${{ (var.k) = 1, \"${var.k}2\" = 2 }}", scope).value,
            Map({{"dyn", Num(1)}, {"dyn2", Num(2)}}));
}

struct OperatorCase {
  const char* text;
  Value expected;
};

class OperatorTest : public ::testing::TestWithParam<OperatorCase> {};

TEST_P(OperatorTest, Evaluates) {
  Evaluated r = EvalTemplate(GetParam().text);
  EXPECT_EQ(r.Errors(), "") << GetParam().text;
  EXPECT_EQ(r.value, GetParam().expected) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Operators, OperatorTest,
    ::testing::Values(
        OperatorCase{"${1 + 2}", Num(3)}, OperatorCase{"${5 - 7}", Num(-2)},
        OperatorCase{"${3 * 4}", Num(12)}, OperatorCase{"${7 / 2}", Num(3.5)},
        OperatorCase{"${7 % 3}", Num(1)}, OperatorCase{"${-4}", Num(-4)},
        OperatorCase{"${!true}", Bool(false)}, OperatorCase{"${1 < 2}", Bool(true)},
        OperatorCase{"${2 <= 2}", Bool(true)}, OperatorCase{"${1 > 2}", Bool(false)},
        OperatorCase{"${3 >= 4}", Bool(false)}, OperatorCase{"${1 == 1}", Bool(true)},
        OperatorCase{"${\"a\" != \"b\"}", Bool(true)},
        OperatorCase{"${[1, 2] == [1, 2]}", Bool(true)},
        OperatorCase{"${1 == \"1\"}", Bool(false)},
        OperatorCase{"${true && false}", Bool(false)},
        OperatorCase{"${false || true}", Bool(true)},
        OperatorCase{"${true ? \"y\" : \"n\"}", Str("y")},
        OperatorCase{"${false ? 1 : 2}", Num(2)},
        // Terraform's conversions: numeric strings where numbers are needed.
        OperatorCase{"${\"5\" + 1}", Num(6)}, OperatorCase{"${\"true\" && true}", Bool(true)},
        // Precedence: * before +, + before <, < before ==, == before &&, && before ||.
        OperatorCase{"${1 + 2 * 3}", Num(7)}, OperatorCase{"${(1 + 2) * 3}", Num(9)},
        OperatorCase{"${10 - 4 - 3}", Num(3)}, OperatorCase{"${2 * 3 % 4}", Num(2)},
        OperatorCase{"${1 + 1 < 3}", Bool(true)},
        OperatorCase{"${1 < 2 == 2 < 3}", Bool(true)},
        OperatorCase{"${true || false && false}", Bool(true)},
        OperatorCase{"${!false && false}", Bool(false)},
        OperatorCase{"${-2 * -3}", Num(6)},
        OperatorCase{"${1 == 1 ? 2 + 3 : 0}", Num(5)},
        OperatorCase{"${false ? 1 : true ? 2 : 3}", Num(2)}));

TEST(Operators, TypeErrorSaysWhatWasExpected) {
  Evaluated r = EvalTemplate(R"(${"abc" + 1})");
  EXPECT_EQ(r.Errors(),
            "main.toml:1:3: Invalid operand: the + operator needs numbers, got string");
  EXPECT_EQ(r.diags[0].detail, "The operand is string \"abc\".");
  EXPECT_EQ(EvalTemplate("${!1}").Errors(),
            "main.toml:1:4: Invalid operand: the ! operator needs a bool, got number");
  EXPECT_EQ(EvalTemplate("${true && 3}").Errors(),
            "main.toml:1:11: Invalid operand: the && operator needs bools, got number");
}

TEST(Operators, DivisionByZero) {
  EXPECT_EQ(EvalTemplate("${1 / 0}").Errors(), "main.toml:1:7: Division by zero");
  EXPECT_EQ(EvalTemplate("${1 % 0}").Errors(), "main.toml:1:7: Division by zero");
}

TEST(Operators, ShortCircuitSkipsTheRightOperand) {
  TestScope scope;  // var.missing is not defined: evaluating it would be an error
  EXPECT_EQ(EvalTemplate("${false && var.missing}", scope).value, Bool(false));
  EXPECT_EQ(EvalTemplate("${true || var.missing}", scope).value, Bool(true));
  EXPECT_EQ(EvalTemplate("${true ? 1 : var.missing}", scope).value, Num(1));
}

TEST(Conditional, NonBoolConditionIsAnError) {
  EXPECT_EQ(EvalTemplate("${\"x\" ? 1 : 2}").Errors(),
            "main.toml:1:3: Invalid condition: the condition must be a bool, got string \"x\"");
}

TEST(References, KindsAndNames) {
  Diagnostics diags;
  Expression e = Expression::ParseTemplate(
      "${var.a}${local.b}${each.key}${count.index}${path.module}${workspace}"
      "${terraform.workspace}${module.net.vpc_id}${module.net}${aws_vpc.main.id}"
      "${data.aws_ami.ubuntu.id}",
      SourceRange{"main.toml", 3, 9}, diags);
  ASSERT_EQ(diags.ToString(), "");
  std::vector<std::string> names;
  for (const Reference& ref : e.References()) names.push_back(ref.ToString());
  EXPECT_EQ(names, (std::vector<std::string>{"var.a", "local.b", "each.key", "count.index",
                                             "path.module", "workspace", "workspace",
                                             "module.net.vpc_id", "module.net", "aws_vpc.main",
                                             "data.aws_ami.ubuntu"}));
  std::vector<Reference> refs = e.References();
  EXPECT_EQ(refs[0].range.ToString(), "main.toml:3:11");
  EXPECT_EQ(refs[9].kind, RefKind::kResource);
  EXPECT_EQ(refs[9].type, "aws_vpc");
  EXPECT_EQ(refs[9].name, "main");
  EXPECT_EQ(refs[9].range.column, 135);
  EXPECT_EQ(refs[9].range.end_column, 147);
  EXPECT_EQ(refs[7].attr, "vpc_id");
}

TEST(References, ResolvedThroughScopeWithTraversal) {
  TestScope scope;
  scope.values["aws_vpc.main"] = Map({{"id", Str("vpc-1")}, {"tags", Map({{"Name", Str("n")}})}});
  EXPECT_EQ(EvalTemplate("${aws_vpc.main.tags.Name}", scope).value, Str("n"));
  EXPECT_EQ(EvalTemplate("${aws_vpc.main[\"tags\"][\"Name\"]}", scope).value, Str("n"));
}

TEST(References, DashesInNamesButNotBeforeDigits) {
  TestScope scope;
  scope.values["aws_instance.my-web"] = Map({{"id", Str("i-1")}});
  scope.values["count.index"] = Num(3);
  EXPECT_EQ(EvalTemplate("${aws_instance.my-web.id}", scope).value, Str("i-1"));
  EXPECT_EQ(EvalTemplate("${count.index-1}", scope).value, Num(2));
}

TEST(Indexing, ListsAndMaps) {
  TestScope scope;
  scope.values["var.l"] = List({Str("a"), Str("b")});
  scope.values["var.m"] = Map({{"k", Num(1)}});
  EXPECT_EQ(EvalTemplate("${var.l[1]}", scope).value, Str("b"));
  EXPECT_EQ(EvalTemplate("${var.l[\"0\"]}", scope).value, Str("a"));
  EXPECT_EQ(EvalTemplate("${var.m[\"k\"]}", scope).value, Num(1));
  EXPECT_EQ(EvalTemplate("${var.l.1}", scope).value, Str("b"));
}

TEST(Indexing, ErrorsNameTheProblem) {
  TestScope scope;
  scope.values["var.l"] = List({Str("a")});
  scope.values["var.m"] = Map({{"name", Num(1)}});
  EXPECT_EQ(EvalTemplate("${var.l[3]}", scope).Errors(),
            "main.toml:1:8: Invalid index: index 3 is out of range for a list of 1 elements");
  EXPECT_EQ(EvalTemplate("${var.m[\"nmae\"]}", scope).Errors(),
            "main.toml:1:8: Invalid index: the map has no key \"nmae\"; did you mean \"name\"?");
  EXPECT_EQ(EvalTemplate("${var.m.nme}", scope).Errors(),
            "main.toml:1:9: Unsupported attribute \"nme\"; did you mean \"name\"?");
  EXPECT_EQ(EvalTemplate("${var.l.x}", scope).Errors(),
            "main.toml:1:9: Unsupported attribute \"x\": a list has no attributes");
}

TEST(Splat, ListOfObjects) {
  TestScope scope;
  scope.values["aws_subnet.public"] =
      List({Map({{"id", Str("s-1")}}), Map({{"id", Str("s-2")}})});
  EXPECT_EQ(EvalTemplate("${aws_subnet.public[*].id}", scope).value,
            List({Str("s-1"), Str("s-2")}));
  EXPECT_EQ(EvalTemplate("${aws_subnet.public.*.id}", scope).value,
            List({Str("s-1"), Str("s-2")}));
  EXPECT_EQ(EvalTemplate("${length(aws_subnet.public[*].id)}", scope).value, Num(2));
}

TEST(Splat, NestedTraversalAfterSplat) {
  TestScope scope;
  scope.values["var.l"] = List({Map({{"tags", Map({{"n", Str("x")}})}}),
                                Map({{"tags", Map({{"n", Str("y")}})}})});
  EXPECT_EQ(EvalTemplate("${var.l[*].tags[\"n\"]}", scope).value, List({Str("x"), Str("y")}));
  scope.values["var.single"] = Map({{"id", Str("only")}});
  EXPECT_EQ(EvalTemplate("${var.single[*].id}", scope).value, List({Str("only")}));
  scope.values["var.none"] = Value();
  EXPECT_EQ(EvalTemplate("${var.none[*].id}", scope).value, List({}));
  scope.values["var.object"] = Map({{"x", Map({{"id", Str("i-x")}})}});
  EXPECT_EQ(EvalTemplate("${var.object[*].x.id}", scope).value, List({Str("i-x")}));
}

TEST(ParseErrors, PointAtTheColumn) {
  EXPECT_EQ(EvalTemplate("abc ${1 +}").Errors(),
            "main.toml:1:10: Invalid expression: expected a value, found \"}\"");
  EXPECT_EQ(EvalTemplate("${var.x").Errors(),
            "main.toml:1:1: Unterminated template: missing \"}\" to close \"${\"");
  EXPECT_EQ(EvalTemplate("${1 2}").Errors(),
            "main.toml:1:5: Invalid expression: expected \"}\" to close \"${\", found the number 2");
  EXPECT_EQ(EvalTemplate("${foo}").Errors(),
            "main.toml:1:3: Invalid reference \"foo\": a name on its own is not a reference");
  EXPECT_EQ(EvalTemplate("${each.id}").Errors(),
            "main.toml:1:3: Invalid reference: \"each\" has only each.key, each.value");
  EXPECT_EQ(EvalTemplate("${\"a\\qb\"}").Errors(),
            "main.toml:1:5: Invalid escape sequence \"\\q\" in a string");
  EXPECT_EQ(EvalTemplate("${[1, 2}").Errors(),
            "main.toml:1:8: Invalid expression: expected \",\" or \"]\" in the list, found \"}\"");
  EXPECT_EQ(EvalTemplate("${{a = 1, a = 2}}").Errors(),
            "main.toml:1:11: Duplicate map key \"a\"");
}

TEST(ParseErrors, MultiLineTextCountsLines) {
  EXPECT_EQ(EvalTemplate("line one\nline two ${)}").Errors(),
            "main.toml:2:12: Invalid expression: expected a value, found \")\"");
}

TEST(ParseErrors, FunctionsAreCheckedWhenParsed) {
  EXPECT_EQ(EvalTemplate("${lenght([])}").Errors(),
            "main.toml:1:3: Call to unknown function \"lenght\"; did you mean \"length\"?");
  EXPECT_EQ(EvalTemplate("${join(\",\")}").Errors(),
            "main.toml:1:3: Wrong number of arguments to join(separator, list...): expected at "
            "least 2, got 1");
  EXPECT_EQ(EvalTemplate("${upper(\"a\", \"b\")}").Errors(),
            "main.toml:1:3: Wrong number of arguments to upper(string): expected 1, got 2");
}

TEST(ParseErrors, DeepNestingIsRefusedNotACrash) {
  std::string deep = "${" + std::string(500, '(') + "1" + std::string(500, ')') + "}";
  EXPECT_EQ(EvalTemplate(deep).diags[0].summary, "Expression too deeply nested");
  std::string long_chain = "${var.a";
  for (int i = 0; i < 400; ++i) long_chain += " + var.a";
  EXPECT_EQ(EvalTemplate(long_chain + "}").diags[0].summary, "Expression too deeply nested");
  std::string folded = "${1";
  for (int i = 0; i < 400; ++i) folded += " + 1";
  EXPECT_EQ(EvalTemplate(folded + "}").value, Num(401));
}

TEST(ParseExpression, BareExpressionAndTrailingText) {
  Diagnostics diags;
  TestScope scope;
  scope.values["var.x"] = Num(4);
  Expression e = Expression::ParseExpression("var.x > 3", SourceRange{"v.toml", 2, 13}, diags);
  EXPECT_EQ(e.Evaluate(scope, diags), Bool(true));
  Expression bad = Expression::ParseExpression("var.x 3", SourceRange{"v.toml", 2, 13}, diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].range.ToString(), "v.toml:2:19");
  EXPECT_EQ(diags[0].summary, "Invalid expression: unexpected the number 3 after the expression");
}

TEST(Constants, LiteralValueOnlyWithoutReferences) {
  Diagnostics diags;
  Expression constant = Expression::ParseTemplate("${upper(\"a\")}-${1 + 1}", {"m.toml", 1, 1}, diags);
  ASSERT_NE(constant.literal_value(), nullptr);
  EXPECT_EQ(*constant.literal_value(), Str("A-2"));
  Expression dynamic = Expression::ParseTemplate("${var.x}", {"m.toml", 1, 1}, diags);
  EXPECT_EQ(dynamic.literal_value(), nullptr);
  Expression file = Expression::ParseTemplate("${file(\"x\")}", {"m.toml", 1, 1}, diags);
  EXPECT_EQ(file.literal_value(), nullptr);
  EXPECT_TRUE(Expression().is_null_literal());
  EXPECT_EQ(diags.ToString(), "");
}

TEST(Constants, ErrorsInConstantsAreReportedWhenParsed) {
  Diagnostics diags;
  Expression::ParseTemplate("${tonumber(\"x\")}", {"m.toml", 4, 2}, diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].range.ToString(), "m.toml:4:13");
  EXPECT_EQ(diags[0].summary,
            "Invalid value for \"value\" in tonumber(value): cannot convert string \"x\" to a "
            "number");
}

TEST(MakeListAndMap, ExposeElementsAndFold) {
  Diagnostics diags;
  Expression item = Expression::Literal(Num(1), {"m.toml", 1, 5});
  Expression ref = Expression::ParseTemplate("${var.x}", {"m.toml", 2, 5}, diags);
  Expression list = Expression::MakeList({item, ref}, {"m.toml", 1, 1});
  ASSERT_NE(list.list_items(), nullptr);
  EXPECT_EQ(list.list_items()->size(), 2u);
  EXPECT_EQ(list.literal_value(), nullptr);
  Expression map = Expression::MakeMap({{"a", item}}, {"m.toml", 1, 1});
  ASSERT_NE(map.map_entries(), nullptr);
  EXPECT_EQ(map.map_entries()->front().first, "a");
  ASSERT_NE(map.literal_value(), nullptr);
  EXPECT_EQ(*map.literal_value(), Map({{"a", Num(1)}}));
}

}  // namespace
}  // namespace reconcile::config
