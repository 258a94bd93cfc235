// Modules with count and for_each through the real engine: instance
// addresses, inputs per instance, outputs as lists and maps, removal of an
// instance, targeting one, and the errors of an expansion.
#include "engine_fixture.h"

namespace reconcile::testing {
namespace {

constexpr const char* kWebModule = R"(
[variable.name]
type = "string"

[variable.size]
type = "number"
default = 1

[resource.fake_thing.x]
name = "${var.name}"
size = "${var.size}"

[output.id]
value = "${fake_thing.x.id}"

[output.name]
value = "${fake_thing.x.name}"
)";

class ModuleExpansionTest : public EngineTest {
 protected:
  ModuleExpansionTest() { dir_.Write("modules/web/main.toml", kWebModule); }

  static std::vector<std::string> Addresses(const Plan& plan) {
    std::vector<std::string> out;
    for (const PlannedChange& c : plan.changes) out.push_back(c.address);
    return out;
  }

  static const OutputChange* Output(const Plan& plan, const std::string& name) {
    for (const OutputChange& o : plan.outputs)
      if (o.name == name) return &o;
    return nullptr;
  }
};

TEST_F(ModuleExpansionTest, ForEachGivesOneInstancePerKeyWithItsOwnInputs) {
  Stack(R"(
[module.web]
source = "./modules/web"
for_each = { a = 2, b = 3 }
name = "web-${each.key}"
size = "${each.value}"
)");
  Plan plan = MustPlan();
  EXPECT_EQ(Addresses(plan), (std::vector<std::string>{"module.web[\"a\"].fake_thing.x",
                                                      "module.web[\"b\"].fake_thing.x"}));
  const PlannedChange* b = Find(plan, "module.web[\"b\"].fake_thing.x");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->after.Find("name")->AsString(), "web-b");
  EXPECT_EQ(b->after.Find("size")->AsNumber(), 3);
}

TEST_F(ModuleExpansionTest, AppliedInstancesAreRecordedAndASecondPlanIsEmpty) {
  Stack(R"(
[module.web]
source = "./modules/web"
for_each = ["a", "b"]
name = "web-${each.value}"
)");
  EXPECT_EQ(MustApply().added, 2);
  State state = ReadState();
  ASSERT_EQ(state.resources.count("module.web[\"a\"].fake_thing.x"), 1u);
  ASSERT_EQ(state.resources.count("module.web[\"b\"].fake_thing.x"), 1u);
  EXPECT_EQ(cloud_->IdOf("module.web[\"a\"].fake_thing.x").empty(), false);
  Plan plan = MustPlan();
  for (const PlannedChange& c : plan.changes) EXPECT_EQ(c.action, Action::kNoOp) << c.address;
  EXPECT_FALSE(plan.HasChanges());
}

TEST_F(ModuleExpansionTest, CountInstancesAreIndexedAndTheirOutputsAreAList) {
  Stack(R"(
[module.web]
source = "./modules/web"
count = 2
name = "web-${count.index}"

[output.names]
value = "${module.web[*].name}"

[output.second]
value = "${module.web[1].name}"
)");
  Plan plan = MustPlan();
  EXPECT_EQ(Addresses(plan), (std::vector<std::string>{"module.web[0].fake_thing.x",
                                                      "module.web[1].fake_thing.x"}));
  const OutputChange* names = Output(plan, "names");
  ASSERT_TRUE(names);
  EXPECT_EQ(names->after, Value::List({Value::String("web-0"), Value::String("web-1")}));
  const OutputChange* second = Output(plan, "second");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->after, Value::String("web-1"));
}

TEST_F(ModuleExpansionTest, ForEachOutputsAreAMapByKey) {
  Stack(R"(
[module.web]
source = "./modules/web"
for_each = { a = 1, b = 2 }
name = "web-${each.key}"

[output.b_name]
value = "${module.web[\"b\"].name}"

[output.names]
value = "${values(module.web)[*].name}"

[resource.fake_thing.after_a]
name = "after-${module.web[\"a\"].name}"
)");
  Plan plan = MustPlan();
  EXPECT_EQ(Output(plan, "b_name")->after, Value::String("web-b"));
  EXPECT_EQ(Output(plan, "names")->after,
            Value::List({Value::String("web-a"), Value::String("web-b")}));
  const PlannedChange* after = Find(plan, "fake_thing.after_a");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->after.Find("name")->AsString(), "after-web-a");
}

TEST_F(ModuleExpansionTest, RemovedKeyIsDeletedNamingTheModuleInstance) {
  Stack(R"(
[module.web]
source = "./modules/web"
for_each = ["a", "b"]
name = "web-${each.value}"
)");
  MustApply();
  Stack(R"(
[module.web]
source = "./modules/web"
for_each = ["a"]
name = "web-${each.value}"
)");
  Plan plan = MustPlan();
  EXPECT_EQ(Find(plan, "module.web[\"a\"].fake_thing.x")->action, Action::kNoOp);
  const PlannedChange* b = Find(plan, "module.web[\"b\"].fake_thing.x");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->action, Action::kDelete);
  EXPECT_EQ(b->reason, "module.web[\"b\"] is not in configuration");
}

TEST_F(ModuleExpansionTest, TargetNamesOneModuleInstance) {
  Stack(R"(
[module.web]
source = "./modules/web"
for_each = ["a", "b"]
name = "web-${each.value}"
)");
  PlanOptions options;
  options.targets = {"module.web[\"b\"]"};
  Plan plan = MustPlan(options);
  EXPECT_EQ(Addresses(plan), std::vector<std::string>{"module.web[\"b\"].fake_thing.x"});
}

TEST_F(ModuleExpansionTest, ForEachOfAResourceAttributeIsAnErrorNamingIt) {
  Stack(R"(
[resource.fake_thing.seed]
name = "seed"

[module.web]
source = "./modules/web"
for_each = "${fake_thing.seed.tags}"
name = "web"
)");
  Diagnostics diags = PlanErrors();
  ASSERT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(diags.items()[0].summary,
            "Invalid reference in the for_each of module \"web\": \"fake_thing.seed\"");
  EXPECT_EQ(diags.items()[0].range.line, 7);
}

TEST_F(ModuleExpansionTest, CountOfTheWrongTypeIsAnErrorAtItsLine) {
  Stack(R"(
[module.web]
source = "./modules/web"
count = "${[1, 2]}"
name = "web"
)");
  Diagnostics diags = PlanErrors();
  ASSERT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(diags.items()[0].summary,
            "Invalid count argument: a whole number is required, got list");
  EXPECT_EQ(diags.items()[0].range.line, 4);
}

TEST_F(ModuleExpansionTest, OutputOfAnExpandedModuleNeedsAnInstance) {
  Stack(R"(
[module.web]
source = "./modules/web"
for_each = ["a"]
name = "web"

[output.name]
value = "${module.web.name}"
)");
  Diagnostics diags = PlanErrors();
  ASSERT_GE(diags.size(), 1u);
  EXPECT_EQ(diags.items()[0].summary,
            "Unsupported attribute \"name\": module.web has for_each, so it is a map of module "
            "instances");
}

TEST_F(ModuleExpansionTest, NestedModulesInsideAnInstanceCarryItsKey) {
  dir_.Write("modules/pair/main.toml", R"(
[variable.prefix]
type = "string"

[module.inner]
source = "../web"
count = 2
name = "${var.prefix}-${count.index}"
)");
  Stack(R"(
[module.pair]
source = "./modules/pair"
for_each = ["x"]
prefix = "p${each.key}"
)");
  Plan plan = MustPlan();
  EXPECT_EQ(Addresses(plan),
            (std::vector<std::string>{"module.pair[\"x\"].module.inner[0].fake_thing.x",
                                      "module.pair[\"x\"].module.inner[1].fake_thing.x"}));
  EXPECT_EQ(Find(plan, "module.pair[\"x\"].module.inner[1].fake_thing.x")
                ->after.Find("name")
                ->AsString(),
            "px-1");
}

}  // namespace
}  // namespace reconcile::testing
