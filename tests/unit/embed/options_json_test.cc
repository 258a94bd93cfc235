// The option documents of the C ABI: every member read, every mistake named.
#include "capi/options_json.h"

#include <gtest/gtest.h>

namespace reconcile::capi {
namespace {

TEST(EngineOptionsJson, ReadsEveryMember) {
  EngineOptions options;
  Diagnostics diags = ParseEngineOptions(R"({
    "stack_dir": "/stacks/web", "workspace": "prod", "parallelism": 4, "lock_timeout_ms": 30000,
    "var_files": ["a.toml", "b.toml"], "plugin_dirs": ["/opt/p"],
    "files": {"main.toml": "[locals]\n", "modules/m/main.toml": ""},
    "variables": {"region": "eu-west-2", "count": 3, "on": true, "zones": ["a", "b"],
                  "tags": {"team": "ops"}}})",
                                         &options);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(options.stack_dir, "/stacks/web");
  EXPECT_EQ(options.workspace, "prod");
  EXPECT_EQ(options.parallelism, 4);
  EXPECT_EQ(options.lock_timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(options.var_files, (std::vector<std::string>{"a.toml", "b.toml"}));
  EXPECT_EQ(options.plugin_dirs, (std::vector<std::string>{"/opt/p"}));
  EXPECT_EQ(options.files, (std::map<std::string, std::string>{{"main.toml", "[locals]\n"}, {"modules/m/main.toml", ""}}));
  std::map<std::string, std::string> variables;
  for (const VariableAssignment& v : options.variables) variables[v.name] = v.value;
  EXPECT_EQ(variables, (std::map<std::string, std::string>{{"region", "eu-west-2"},
                                                           {"count", "3"},
                                                           {"on", "true"},
                                                           {"zones", R"(["a", "b"])"},
                                                           {"tags", R"({"team" = "ops"})"}}));
}

TEST(EngineOptionsJson, EmptyAndNullMeanDefaults) {
  for (const char* text : {"", "{}", "null"}) {
    EngineOptions options;
    EXPECT_FALSE(ParseEngineOptions(text, &options).HasErrors()) << text;
    EXPECT_EQ(options.stack_dir, ".");
    EXPECT_EQ(options.parallelism, 10);
    EXPECT_TRUE(options.files.empty());
  }
}

// The first error's summary for an options document.
std::string FirstError(const std::string& text) {
  EngineOptions options;
  Diagnostics diags = ParseEngineOptions(text, &options);
  return diags.HasErrors() ? diags[0].summary : "";
}

TEST(EngineOptionsJson, NamesEachMistake) {
  EXPECT_EQ(FirstError("{"), "Invalid engine options: not valid JSON");
  EXPECT_EQ(FirstError("[]"), "Invalid engine options: expected a JSON object, found a list");
  EXPECT_EQ(FirstError(R"({"stack": "."})"), "Invalid engine options: unknown member \"stack\"");
  EXPECT_EQ(FirstError(R"({"stack_dir": 3})"), "Invalid engine options: \"stack_dir\" must be a string, found a number");
  EXPECT_EQ(FirstError(R"({"parallelism": 0})"),
            "Invalid engine options: \"parallelism\" must be a whole number from 1 to 256, found a number");
  EXPECT_EQ(FirstError(R"({"parallelism": 2.5})"),
            "Invalid engine options: \"parallelism\" must be a whole number from 1 to 256, found a number");
  EXPECT_EQ(FirstError(R"({"parallelism": 18446744073709551615})"),
            "Invalid engine options: \"parallelism\" must be a whole number from 1 to 256, found a number");
  EXPECT_EQ(FirstError(R"({"var_files": ["a", 1]})"),
            "Invalid engine options: \"var_files\" must be a list of strings, found a list");
  EXPECT_EQ(FirstError(R"({"files": {"main.toml": 1}})"),
            "Invalid engine options: \"files\" must be an object of file name to file content (strings), found an object");
  EXPECT_EQ(FirstError(R"({"files": {}})"), "Invalid engine options: \"files\" is empty");
  EXPECT_EQ(FirstError(R"({"variables": {"x": null}})"), "Invalid engine options: variable \"x\" is null");
  EXPECT_EQ(FirstError(R"({"lock_timeout_ms": -1})"),
            "Invalid engine options: \"lock_timeout_ms\" must be a whole number from 0 to 86400000, found a number");
}

TEST(EngineOptionsJson, UnknownMemberListsTheKnownOnes) {
  EngineOptions options;
  Diagnostics diags = ParseEngineOptions(R"({"worksapce": "x"})", &options);
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_EQ(diags[0].detail,
            "Known members: files, lock_timeout_ms, parallelism, plugin_dirs, stack_dir, var_files, variables, "
            "workspace.");
}

TEST(VariableText, StringsAsTypedOtherValuesAsLiterals) {
  using nlohmann::json;
  EXPECT_EQ(VariableText(json("a \"b\" ${c}")), "a \"b\" ${c}");
  EXPECT_EQ(VariableText(json(2.5)), "2.5");
  EXPECT_EQ(VariableText(json(nullptr)), "null");
  // Inside a literal, a string is quoted and escaped and "${" stays text.
  EXPECT_EQ(VariableText(json::array({"a\"b", "x\\y", "${nope}", "line\nbreak", "\x01"})),
            R"(["a\"b", "x\\y", "$${nope}", "line\nbreak", "\u0001"])");
  EXPECT_EQ(VariableText(json{{"k k", json::array({1, true})}}), R"({"k k" = [1, true]})");
}

TEST(PlanOptionsJson, ReadsEveryMember) {
  PlanOptions options;
  Diagnostics diags =
      ParsePlanOptions(R"({"destroy": true, "refresh": false, "refresh_only": true, "targets": ["a.b"]})", &options);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_TRUE(options.destroy);
  EXPECT_FALSE(options.refresh);
  EXPECT_TRUE(options.refresh_only);
  EXPECT_EQ(options.targets, (std::vector<std::string>{"a.b"}));
  PlanOptions wrong;
  Diagnostics bad = ParsePlanOptions(R"({"destroy": "yes"})", &wrong);
  ASSERT_TRUE(bad.HasErrors());
  EXPECT_EQ(bad[0].summary, "Invalid plan options: \"destroy\" must be true or false, found a string");
}

TEST(DestroyOptionsJson, TakesTargetsOnly) {
  PlanOptions options;
  EXPECT_FALSE(ParseDestroyOptions(R"({"targets": ["x.y"]})", &options).HasErrors());
  EXPECT_TRUE(options.destroy);
  EXPECT_EQ(options.targets, (std::vector<std::string>{"x.y"}));
  PlanOptions other;
  Diagnostics diags = ParseDestroyOptions(R"({"destroy": false})", &other);
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_EQ(diags[0].summary, "Invalid destroy options: unknown member \"destroy\"");
}

}  // namespace
}  // namespace reconcile::capi
