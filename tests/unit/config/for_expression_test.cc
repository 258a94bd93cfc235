// For expressions ([for ...], {for ...} with grouping and if filters) and
// splat over lists and maps, with Terraform's semantics.
#include <gtest/gtest.h>

#include "config/expr/expr_node.h"
#include "test_scope.h"

namespace reconcile::config {
namespace {

class ForExpression : public ::testing::Test {
 protected:
  ForExpression() {
    scope_.values["var.names"] = List({Str("web"), Str("db"), Str(""), Str("cache")});
    scope_.values["var.ports"] = Map({{"http", Num(80)}, {"https", Num(443)}, {"ssh", Num(22)}});
    scope_.values["var.users"] = List({Map({{"name", Str("ann")}, {"team", Str("ops")}}),
                                       Map({{"name", Str("bob")}, {"team", Str("dev")}}),
                                       Map({{"name", Str("cid")}, {"team", Str("ops")}})});
    scope_.values["var.later"] = Value::Unknown();
    scope_.values["var.secret"] = List({Str("a"), Str("b")}).MarkedSensitive();
  }
  Value Eval(const std::string& text) {
    Evaluated r = EvalTemplate(text, scope_);
    EXPECT_EQ(r.Errors(), "") << text;
    return r.value;
  }
  std::string Errors(const std::string& text) { return EvalTemplate(text, scope_).Errors(); }
  TestScope scope_;
};

TEST_F(ForExpression, ListOverList) {
  EXPECT_EQ(Eval("${[for n in var.names : upper(n)]}"),
            List({Str("WEB"), Str("DB"), Str(""), Str("CACHE")}));
}

TEST_F(ForExpression, IndexAndValueOverList) {
  EXPECT_EQ(Eval(R"(${[for i, n in var.names : "${i}:${n}" if n != ""]})"),
            List({Str("0:web"), Str("1:db"), Str("3:cache")}));
}

TEST_F(ForExpression, ListOverMapVisitsValuesInKeyOrder) {
  EXPECT_EQ(Eval("${[for p in var.ports : p]}"), List({Num(80), Num(443), Num(22)}));
  EXPECT_EQ(Eval(R"(${[for k, v in var.ports : "${k}=${v}"]})"),
            List({Str("http=80"), Str("https=443"), Str("ssh=22")}));
}

TEST_F(ForExpression, MapOverMapWithFilter) {
  EXPECT_EQ(Eval("${{for k, v in var.ports : upper(k) => v if v > 50}}"),
            Map({{"HTTP", Num(80)}, {"HTTPS", Num(443)}}));
}

TEST_F(ForExpression, MapOverListOfObjects) {
  EXPECT_EQ(Eval("${{for u in var.users : u.name => u.team}}"),
            Map({{"ann", Str("ops")}, {"bob", Str("dev")}, {"cid", Str("ops")}}));
}

TEST_F(ForExpression, GroupingCollectsValuesOfEqualKeys) {
  EXPECT_EQ(Eval("${{for u in var.users : u.team => u.name...}}"),
            Map({{"dev", List({Str("bob")})}, {"ops", List({Str("ann"), Str("cid")})}}));
}

TEST_F(ForExpression, DuplicateKeyWithoutGroupingIsAnError) {
  EXPECT_EQ(Errors("${{for u in var.users : u.team => u.name}}"),
            "main.toml:1:25: Duplicate object key \"ops\" in a for expression");
}

TEST_F(ForExpression, NestedForReadsTheOuterVariable) {
  EXPECT_EQ(Eval(R"(${[for a in ["x", "y"] : [for b in [1, 2] : "${a}${b}"]]})"),
            List({List({Str("x1"), Str("x2")}), List({Str("y1"), Str("y2")})}));
  EXPECT_EQ(Eval(R"(${flatten([for a in ["x", "y"] : [for b in [1, 2] : "${a}${b}"]])})"),
            List({Str("x1"), Str("x2"), Str("y1"), Str("y2")}));
}

TEST_F(ForExpression, VariablesShadowReferenceRootsAndTraverse) {
  // "u.name" is the variable's attribute, not a resource of type "u".
  Diagnostics diags;
  Expression e = Expression::ParseTemplate("${[for u in var.users : u.name]}",
                                           SourceRange{"main.toml", 1, 1}, diags);
  EXPECT_EQ(diags.size(), 0u);
  std::vector<Reference> refs = e.References();
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].ToString(), "var.users");
  EXPECT_EQ(Eval("${[for u in var.users : u[\"name\"]][1]}"), Str("bob"));
}

TEST_F(ForExpression, ConstantForIsComputedWhenParsed) {
  Diagnostics diags;
  Expression e = Expression::ParseTemplate("${[for x in [1, 2, 3] : x * 2 if x != 2]}",
                                           SourceRange{"main.toml", 1, 1}, diags);
  EXPECT_EQ(diags.size(), 0u);
  ASSERT_NE(e.literal_value(), nullptr);
  EXPECT_EQ(*e.literal_value(), List({Num(2), Num(6)}));
  // Constant errors are reported when the stack is loaded.
  Expression bad = Expression::ParseTemplate("${{for x in [1, 1] : x => x}}",
                                             SourceRange{"main.toml", 1, 1}, diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "Duplicate object key \"1\" in a for expression");
}

TEST_F(ForExpression, UnknownCollectionOrConditionMakesTheResultUnknown) {
  EXPECT_TRUE(Eval("${[for x in var.later : x]}").is_unknown());
  EXPECT_TRUE(Eval("${[for x in var.names : x if var.later]}").is_unknown());
  EXPECT_TRUE(Eval("${{for x in var.names : var.later => x}}").is_unknown());
  // An unknown value is just an unknown element.
  Value partly = Eval("${[for x in [1, 2] : x == 1 ? var.later : x]}");
  ASSERT_TRUE(partly.is_list());
  EXPECT_TRUE(partly.AsList()[0].is_unknown());
  EXPECT_EQ(partly.AsList()[1], Num(2));
}

TEST_F(ForExpression, SensitiveCollectionMarksElementsAndResult) {
  Value v = Eval("${[for s in var.secret : upper(s)]}");
  EXPECT_TRUE(v.sensitive());
  EXPECT_TRUE(v.AsList()[0].sensitive());
}

TEST_F(ForExpression, Errors) {
  EXPECT_EQ(Errors("${[for x in null : x]}"), "main.toml:1:13: Iteration over null value");
  EXPECT_EQ(Errors(R"(${[for x in "abc" : x]})"),
            "main.toml:1:13: Iteration over non-iterable value: a list or map is required, got "
            "string \"abc\"");
  EXPECT_EQ(Errors(R"(${[for x in [1] : x if "maybe"]})"),
            "main.toml:1:24: Invalid 'for' condition: the condition must be a bool, got string "
            "\"maybe\"");
  EXPECT_EQ(Errors("${{for x in [1] : null => x}}"),
            "main.toml:1:19: Invalid object key: the key is null");
  EXPECT_EQ(Errors("${{for x in [1] : [x] => x}}"),
            "main.toml:1:19: Invalid object key: a key must be a string, got list");
}

TEST_F(ForExpression, SyntaxErrors) {
  EXPECT_EQ(Errors("${[for in var.names : 1]}"),
            "main.toml:1:11: Invalid 'for' expression: expected \"in\" after the variable names, "
            "found \"var\"");
  EXPECT_EQ(Errors("${[for x, x in var.names : 1]}"),
            "main.toml:1:4: Invalid 'for' expression: the key and value variables are both named "
            "\"x\"");
  EXPECT_EQ(Errors("${[for x in var.names x]}"),
            "main.toml:1:23: Invalid expression: expected \":\" after the collection of the for "
            "expression, found \"x\"");
  EXPECT_EQ(Errors("${{for k, v in var.ports : k = v}}"),
            "main.toml:1:30: Invalid 'for' expression: expected \"=>\" between the key and the "
            "value, found \"=\"");
  EXPECT_EQ(Errors("${[for x in var.names : x...]}"),
            "main.toml:1:26: Invalid expression: expected \"]\" to close the for expression (after "
            "the result or the if condition), found \"...\"");
  // Outside the for expression its variables are not defined.
  EXPECT_EQ(Errors("${concat([for x in var.names : x], [x])}"),
            "main.toml:1:37: Invalid reference \"x\": a name on its own is not a reference");
}

TEST_F(ForExpression, ForIsStillAMapKeyAndAName) {
  EXPECT_EQ(Eval("${{ for = 1 }}"), Map({{"for", Num(1)}}));
}

TEST(Splat, OverAListAppliesTheRestToEachElement) {
  TestScope scope;
  scope.values["aws_subnet.public"] = List({Map({{"id", Str("s-1")}}), Map({{"id", Str("s-2")}})});
  EXPECT_EQ(EvalTemplate("${aws_subnet.public[*].id}", scope).value,
            List({Str("s-1"), Str("s-2")}));
}

TEST(Splat, OverAMapVisitsTheMapAsOneElement) {
  // As Terraform: a map is one value; values() reaches a for_each resource's instances.
  TestScope scope;
  scope.values["aws_subnet.public"] =
      Map({{"b", Map({{"id", Str("s-b")}})}, {"a", Map({{"id", Str("s-a")}})}});
  EXPECT_EQ(EvalTemplate("${values(aws_subnet.public)[*].id}", scope).value,
            List({Str("s-a"), Str("s-b")}));
  EXPECT_EQ(EvalTemplate("${aws_subnet.public[*]}", scope).value,
            List({scope.values["aws_subnet.public"]}));
  EXPECT_EQ(EvalTemplate("${[for k, s in aws_subnet.public : \"${k}=${s.id}\"]}", scope).value,
            List({Str("a=s-a"), Str("b=s-b")}));
  Evaluated r = EvalTemplate("${aws_subnet.public[*].id}", scope);
  EXPECT_EQ(r.Errors(), "main.toml:1:24: Unsupported attribute \"id\"");
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].detail,
            "This object has no attribute named \"id\". Its values are objects with that attribute "
            "(as the instances of a for_each resource or module are): use values(...)[*].id or "
            "[for k, v in ... : v.id].");
}

}  // namespace
}  // namespace reconcile::config
