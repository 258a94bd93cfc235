// count and for_each expansion into instance keys.
#include <gtest/gtest.h>

#include "config/stack/instances.h"
#include "test_scope.h"

namespace reconcile::config {
namespace {

ResourceBlock BlockWith(const std::string& meta, const std::string& text) {
  Diagnostics diags;
  ResourceBlock block;
  block.type = "aws_subnet";
  block.name = "public";
  Expression e = Expression::ParseTemplate(text, SourceRange{"main.toml", 5, 12}, diags);
  EXPECT_EQ(diags.ToString(), "");
  (meta == "count" ? block.count : block.for_each) = e;
  return block;
}

std::vector<std::string> Keys(const std::vector<InstanceSpec>& specs) {
  std::vector<std::string> keys;
  for (const InstanceSpec& spec : specs) keys.push_back(spec.key.ToString());
  return keys;
}

std::string Expand(const ResourceBlock& block, TestScope& scope, std::vector<InstanceSpec>* out) {
  Diagnostics diags = ExpandInstances(block, scope, out);
  return diags.empty() ? "" : diags[0].range.ToString() + ": " + diags[0].summary;
}

TEST(ExpandInstances, NoCountOrForEachIsOneInstance) {
  TestScope scope;
  std::vector<InstanceSpec> specs;
  EXPECT_EQ(Expand(ResourceBlock{}, scope, &specs), "");
  EXPECT_EQ(Keys(specs), std::vector<std::string>{""});
}

TEST(ExpandInstances, CountGivesIndexes) {
  TestScope scope;
  scope.values["var.n"] = Str("3");
  std::vector<InstanceSpec> specs;
  EXPECT_EQ(Expand(BlockWith("count", "${var.n}"), scope, &specs), "");
  EXPECT_EQ(Keys(specs), (std::vector<std::string>{"[0]", "[1]", "[2]"}));
  EXPECT_EQ(Expand(BlockWith("count", "${0}"), scope, &specs), "");
  EXPECT_TRUE(specs.empty());
}

TEST(ExpandInstances, ForEachMapGivesSortedKeysWithValues) {
  TestScope scope;
  std::vector<InstanceSpec> specs;
  EXPECT_EQ(Expand(BlockWith("for_each", "${{ b = \"10.0.2.0/24\", a = \"10.0.1.0/24\" }}"), scope,
                   &specs),
            "");
  EXPECT_EQ(Keys(specs), (std::vector<std::string>{"[\"a\"]", "[\"b\"]"}));
  EXPECT_EQ(specs[0].each_key, Str("a"));
  EXPECT_EQ(specs[0].each_value, Str("10.0.1.0/24"));
}

TEST(ExpandInstances, ForEachListOfStringsUsesEachStringAsKeyAndValue) {
  TestScope scope;
  std::vector<InstanceSpec> specs;
  EXPECT_EQ(Expand(BlockWith("for_each", "${[\"web\", \"api\"]}"), scope, &specs), "");
  EXPECT_EQ(Keys(specs), (std::vector<std::string>{"[\"api\"]", "[\"web\"]"}));
  EXPECT_EQ(specs[1].each_value, Str("web"));
}

TEST(ExpandInstances, ErrorsSayWhatIsWrong) {
  TestScope scope;
  scope.values["aws_vpc.main"] = Map({{"id", Value::Unknown()}});
  scope.values["var.secret"] = Map({{"a", Str("x")}}).MarkedSensitive();
  std::vector<InstanceSpec> specs;
  EXPECT_EQ(Expand(BlockWith("count", "${aws_vpc.main.id}"), scope, &specs),
            "main.toml:5:14: The count value depends on resource attributes that cannot be "
            "determined until apply");
  EXPECT_EQ(Expand(BlockWith("for_each", "${aws_vpc.main.id}"), scope, &specs),
            "main.toml:5:14: The for_each value depends on resource attributes that cannot be "
            "determined until apply");
  EXPECT_EQ(Expand(BlockWith("count", "${-1}"), scope, &specs),
            "main.toml:5:14: Invalid count argument: count must be a whole number from 0 to "
            "1000000, got -1");
  EXPECT_EQ(Expand(BlockWith("count", "${\"many\"}"), scope, &specs),
            "main.toml:5:14: Invalid count argument: a whole number is required, got string "
            "\"many\"");
  EXPECT_EQ(Expand(BlockWith("for_each", "${[\"a\", \"a\"]}"), scope, &specs),
            "main.toml:5:14: Invalid for_each argument: duplicate key \"a\"");
  EXPECT_EQ(Expand(BlockWith("for_each", "${var.secret}"), scope, &specs),
            "main.toml:5:14: Invalid for_each argument: sensitive values cannot be used in "
            "for_each");
  EXPECT_EQ(Expand(BlockWith("for_each", "${[1]}"), scope, &specs),
            "main.toml:5:14: Invalid for_each argument: element 0 is number 1; a list for "
            "for_each must hold strings");
  EXPECT_EQ(Expand(BlockWith("for_each", "${\"x\"}"), scope, &specs),
            "main.toml:5:14: Invalid for_each argument: a map or a list of strings is required, "
            "got string \"x\"");
  EXPECT_TRUE(specs.empty());
}

TEST(ExpandInstances, MapWithUnknownValuesStillExpands) {
  TestScope scope;
  scope.values["var.m"] = Map({{"a", Value::Unknown()}});
  std::vector<InstanceSpec> specs;
  EXPECT_EQ(Expand(BlockWith("for_each", "${var.m}"), scope, &specs), "");
  EXPECT_EQ(Keys(specs), std::vector<std::string>{"[\"a\"]"});
  EXPECT_TRUE(specs[0].each_value.is_unknown());
}

}  // namespace
}  // namespace reconcile::config
