// Root variables: the five levels of precedence, conversion to declared
// types, validations, sensitivity, and every kind of error reported together.
#include <gtest/gtest.h>

#include "config/stack/stack_loader.h"
#include "config/stack/variables.h"
#include "support/temp_dir.h"
#include "test_scope.h"

namespace reconcile::config {
namespace {

std::string Lines(const Diagnostics& diags) {
  std::string out;
  for (const Diagnostic& d : diags) {
    if (!out.empty()) out += "\n";
    out += (d.range.valid() ? d.range.ToString() + ": " : "") + d.summary;
  }
  return out;
}

class Variables : public ::testing::Test {
 protected:
  void Load(const std::string& main) {
    dir_.Write("main.toml", main);
    Diagnostics diags = LoadStack(dir_.path(), &stack_);
    ASSERT_EQ(Lines(diags), "");
  }
  std::string Resolve(const VariableSources& sources) {
    values_.clear();
    return Lines(ResolveRootVariables(*stack_.root, sources, &values_));
  }
  std::string File(const std::string& relative, const std::string& content) {
    return dir_.Write(relative, content);
  }

  testing::TempDir dir_;
  Stack stack_;
  std::map<std::string, Value> values_;
};

TEST_F(Variables, EachLevelOverridesTheOneBelow) {
  Load("[variable.v]\ndefault = \"default\"\n");
  VariableSources sources;
  ASSERT_EQ(Resolve(sources), "");
  EXPECT_EQ(values_.at("v"), Str("default"));

  sources.environment_file = File("environments/prod.toml", "v = \"env-file\"\n");
  ASSERT_EQ(Resolve(sources), "");
  EXPECT_EQ(values_.at("v"), Str("env-file"));

  sources.var_files = {File("first.toml", "v = \"var-file-1\"\n"),
                       File("second.toml", "v = \"var-file-2\"\n")};
  ASSERT_EQ(Resolve(sources), "");
  EXPECT_EQ(values_.at("v"), Str("var-file-2"));

  sources.env["v"] = "env-var";
  ASSERT_EQ(Resolve(sources), "");
  EXPECT_EQ(values_.at("v"), Str("env-var"));

  sources.cli = {{"v", "cli-1"}, {"v", "cli-2"}};
  ASSERT_EQ(Resolve(sources), "");
  EXPECT_EQ(values_.at("v"), Str("cli-2"));
}

TEST_F(Variables, LowerLevelsStillApplyToOtherVariables) {
  Load("[variable.a]\ndefault = 1\n[variable.b]\ndefault = 1\n[variable.c]\ndefault = 1\n"
       "[variable.d]\ndefault = 1\n[variable.e]\ndefault = 1\n");
  VariableSources sources;
  sources.environment_file = File("environments/dev.toml", "b = 2\nc = 2\nd = 2\ne = 2\n");
  sources.var_files = {File("vars.toml", "c = 3\nd = 3\ne = 3\n")};
  sources.env = {{"d", "4"}, {"e", "4"}};
  sources.cli = {{"e", "5"}};
  ASSERT_EQ(Resolve(sources), "");
  EXPECT_EQ(values_.at("a"), Num(1));
  EXPECT_EQ(values_.at("b"), Num(2));
  EXPECT_EQ(values_.at("c"), Num(3));
  EXPECT_EQ(values_.at("d"), Str("4"));  // type any: text stays text
  EXPECT_EQ(values_.at("e"), Str("5"));
}

TEST_F(Variables, TextValuesConvertToTheDeclaredType) {
  Load(R"toml([variable.port]
type = "number"
[variable.enabled]
type = "bool"
[variable.zones]
type = "list(string)"
[variable.sizes]
type = "map(number)"
[variable.server]
type = "object({ name = string, port = optional(number) })"
[variable.ids]
type = "set(string)"
)toml");
  VariableSources sources;
  sources.cli = {{"port", "8080"},
                 {"enabled", "true"},
                 {"zones", R"(["a", "b"])"},
                 {"sizes", R"({ small = "1", large = 4 })"},
                 {"server", R"({ name = "web", extra = 1 })"},
                 {"ids", R"(["b", "a", "b"])"}};
  ASSERT_EQ(Resolve(sources), "");
  EXPECT_EQ(values_.at("port"), Num(8080));
  EXPECT_EQ(values_.at("enabled"), Bool(true));
  EXPECT_EQ(values_.at("zones"), List({Str("a"), Str("b")}));
  EXPECT_EQ(values_.at("sizes"), Map({{"small", Num(1)}, {"large", Num(4)}}));
  EXPECT_EQ(values_.at("server"), Map({{"name", Str("web")}, {"port", Value()}}));
  EXPECT_EQ(values_.at("ids"), List({Str("a"), Str("b")}));
}

TEST_F(Variables, EveryProblemIsReportedTogetherWithItsLocation) {
  Load(R"toml([variable.port]
type = "number"

[variable.region]
type = "string"

[variable.zones]
type = "list(string)"

[variable.name]
type = "string"
validation = { condition = "length(var.name) > 3", error_message = "The name must be longer than 3 characters." }
)toml");
  VariableSources sources;
  sources.environment_file = File("environments/prod.toml", "port = \"eighty\"\nregoin = \"x\"\nname = \"ab\"\n");
  sources.env = {{"zones", "[\"a\", var.x]"}};
  sources.cli = {{"colour", "red"}};
  EXPECT_EQ(Resolve(sources),
            "environments/prod.toml:2:1: Value for undeclared variable \"regoin\"; did you mean "
            "\"region\"?\n"
            "RECONCILE_VAR_zones:1:7: Variables not allowed in a variable value: \"var.x\"\n"
            "Value for undeclared variable \"colour\" given with --var\n"
            "main.toml:12:14: Invalid value for variable \"name\": The name must be longer than 3 "
            "characters.\n"
            "environments/prod.toml:1:8: Invalid value for variable \"port\": a number is "
            "required, got string \"eighty\"\n"
            "main.toml:4:1: No value for required variable \"region\"\n"
            "main.toml:7:1: No value for required variable \"zones\"");
}

TEST_F(Variables, ValidationsRunInOrderAndAcceptArrays) {
  Load(R"toml([variable.count]
type = "number"
default = 12
validation = [
  { condition = "var.count >= 0", error_message = "Must not be negative." },
  { condition = "${var.count <= 10}", error_message = "At most 10." },
]
)toml");
  EXPECT_EQ(Resolve({}), "main.toml:6:3: Invalid value for variable \"count\": At most 10.");
}

TEST_F(Variables, SensitiveVariablesComeBackMarked) {
  Load("[variable.password]\ntype = \"string\"\nsensitive = true\n");
  VariableSources sources;
  sources.env = {{"password", "hunter2"}};
  ASSERT_EQ(Resolve(sources), "");
  EXPECT_TRUE(values_.at("password").sensitive());
  EXPECT_EQ(values_.at("password").AsString(), "hunter2");
}

TEST_F(Variables, NullableFalseFallsBackToTheDefault) {
  Load("[variable.a]\ndefault = \"d\"\nnullable = false\n[variable.b]\nnullable = false\n");
  VariableSources sources;
  sources.var_files = {File("v.toml", "b = \"x\"\n")};
  ASSERT_EQ(Resolve(sources), "");
  Value out;
  Diagnostics diags = ConvertVariable(stack_.root->variables.at("a"), Value(),
                                      SourceRange{"x.toml", 1, 1}, &out);
  EXPECT_EQ(out, Str("d"));
  diags = ConvertVariable(stack_.root->variables.at("b"), Value(), SourceRange{"x.toml", 1, 1}, &out);
  EXPECT_EQ(Lines(diags), "x.toml:1:1: Invalid value for variable \"b\": it may not be null");
}

TEST_F(Variables, UnreadableVarFileIsAnError) {
  Load("[variable.a]\ndefault = 1\n");
  VariableSources sources;
  sources.var_files = {dir_.path() + "/missing.toml"};
  EXPECT_EQ(Resolve(sources), "Cannot read variables file \"missing.toml\"");
}

TEST(ConvertVariableTest, UsedForModuleInputs) {
  VariableBlock variable;
  variable.name = "sizes";
  variable.type = "list(number)";
  variable.range = SourceRange{"modules/x/main.toml", 3, 1};
  Value out;
  Diagnostics diags = ConvertVariable(variable, List({Str("1"), Str("two")}),
                                      SourceRange{"main.toml", 9, 10}, &out);
  EXPECT_EQ(Lines(diags),
            "main.toml:9:10: Invalid value for variable \"sizes\": element 1: a number is "
            "required, got string \"two\"");
  EXPECT_EQ(diags[0].detail,
            "The variable is declared at modules/x/main.toml:3:1 with type list(number).");
  diags = ConvertVariable(variable, List({Str("1"), Num(2)}), SourceRange{"main.toml", 9, 10}, &out);
  EXPECT_EQ(Lines(diags), "");
  EXPECT_EQ(out, List({Num(1), Num(2)}));
}

}  // namespace
}  // namespace reconcile::config
