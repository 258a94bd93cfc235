// Planning through the real engine: every action, its reasons, and what the
// plan refuses.
#include <algorithm>

#include "engine_fixture.h"

namespace reconcile::testing {
namespace {

constexpr const char* kTwoThings = R"(
[resource.fake_thing.a]
name = "alpha"
size = 2

[resource.fake_thing.b]
name = "beta-${fake_thing.a.id}"
note = "${fake_thing.a.arn}"
)";

TEST_F(EngineTest, EmptyStatePlansCreatesWithUnknownComputedAttributes) {
  Stack(kTwoThings);
  Plan plan = MustPlan();
  ASSERT_EQ(plan.changes.size(), 2u);
  const PlannedChange* a = Find(plan, "fake_thing.a");
  const PlannedChange* b = Find(plan, "fake_thing.b");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->action, Action::kCreate);
  EXPECT_EQ(a->after.Find("name")->AsString(), "alpha");
  EXPECT_EQ(a->after.Find("size")->AsNumber(), 2);
  EXPECT_TRUE(a->after.Find("id")->is_unknown());
  // b interpolates a's id, known only after apply.
  EXPECT_TRUE(b->after.Find("name")->is_unknown());
  EXPECT_EQ(b->depends_on, std::vector<std::string>{"fake_thing.a"});
  EXPECT_EQ(plan.Summary().add, 2);
  EXPECT_TRUE(plan.HasChanges());
  EXPECT_FALSE(plan.state_existed);
}

TEST_F(EngineTest, SecondPlanAfterApplyHasNoChanges) {
  Stack(kTwoThings);
  ApplySummary s = MustApply();
  EXPECT_EQ(s.added, 2);
  Plan plan = MustPlan();
  for (const PlannedChange& c : plan.changes) EXPECT_EQ(c.action, Action::kNoOp) << c.address;
  EXPECT_FALSE(plan.HasChanges());
}

TEST_F(EngineTest, ChangedOptionalAttributeIsAnInPlaceUpdate) {
  Stack(kTwoThings);
  MustApply();
  Stack(std::string(kTwoThings).replace(std::string(kTwoThings).find("size = 2"), 8, "size = 5"));
  Plan plan = MustPlan();
  const PlannedChange* a = Find(plan, "fake_thing.a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->action, Action::kUpdate);
  EXPECT_EQ(a->before.Find("size")->AsNumber(), 2);
  EXPECT_EQ(a->after.Find("size")->AsNumber(), 5);
  EXPECT_TRUE(a->replace_paths.empty());
  EXPECT_EQ(Find(plan, "fake_thing.b")->action, Action::kNoOp);
}

TEST_F(EngineTest, ChangedForceNewAttributeIsAReplacementNamingIt) {
  Stack(kTwoThings);
  MustApply();
  std::string changed = kTwoThings;
  changed.replace(changed.find("\"alpha\""), 7, "\"alpha2\"");
  Stack(changed);
  Plan plan = MustPlan();
  const PlannedChange* a = Find(plan, "fake_thing.a");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->action, Action::kReplace);
  EXPECT_EQ(a->replace_paths, std::vector<std::string>{"name"});
  EXPECT_TRUE(a->after.Find("id")->is_unknown());
  // b references a's id and arn, which a replacement changes: b is replaced too.
  EXPECT_EQ(Find(plan, "fake_thing.b")->action, Action::kReplace);
  PlanSummary s = plan.Summary();
  EXPECT_EQ(s.add, 2);
  EXPECT_EQ(s.destroy, 2);
}

TEST_F(EngineTest, ComputedFieldsOfNestedBlocksAreNotADiff) {
  Stack(R"(
[resource.fake_thing.fw]
name = "fw"
rule = [{ port = 80 }, { port = 443, cidr = "10.0.0.0/8" }]
)");
  MustApply();
  State state = ReadState();
  const Value& rules = *state.resources.at("fake_thing.fw").attributes.Find("rule");
  EXPECT_EQ(rules.AsList()[0].Find("cidr")->AsString(), "0.0.0.0/0");
  Plan plan = MustPlan();
  EXPECT_EQ(Find(plan, "fake_thing.fw")->action, Action::kNoOp);
  // A configured value still wins over the computed one.
  Stack(R"(
[resource.fake_thing.fw]
name = "fw"
rule = [{ port = 80, cidr = "192.168.0.0/16" }, { port = 443, cidr = "10.0.0.0/8" }]
)");
  EXPECT_EQ(Find(MustPlan(), "fake_thing.fw")->action, Action::kUpdate);
}

TEST_F(EngineTest, RemovedBlockIsPlannedForDeletion) {
  Stack(kTwoThings);
  MustApply();
  Stack("[resource.fake_thing.a]\nname = \"alpha\"\nsize = 2\n");
  Plan plan = MustPlan();
  const PlannedChange* b = Find(plan, "fake_thing.b");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->action, Action::kDelete);
  EXPECT_EQ(b->reason, "fake_thing.b is not in configuration");
}

TEST_F(EngineTest, RemovedInstancesSayWhyInTerraformsWords) {
  Stack(R"(
[resource.fake_thing.counted]
count = 2
name = "n${count.index}"

[resource.fake_thing.keyed]
for_each = ["a", "b"]
name = "k-${each.key}"
)");
  MustApply();
  Stack(R"(
[resource.fake_thing.counted]
count = 1
name = "n${count.index}"

[resource.fake_thing.keyed]
name = "k"
)");
  Plan plan = MustPlan();
  EXPECT_EQ(Find(plan, "fake_thing.counted[1]")->reason, "index [1] is out of range for count");
  EXPECT_EQ(Find(plan, "fake_thing.keyed[\"a\"]")->reason, "resource does not use for_each");
}

TEST_F(EngineTest, CountAndForEachExpandToAddressedInstances) {
  Stack(R"(
[resource.fake_thing.counted]
count = 2
name = "n${count.index}"

[resource.fake_thing.keyed]
for_each = { a = 1, b = 2 }
name = "k-${each.key}"
size = "${each.value}"
)");
  Plan plan = MustPlan();
  std::vector<std::string> addresses;
  for (const PlannedChange& c : plan.changes) addresses.push_back(c.address);
  EXPECT_EQ(addresses, (std::vector<std::string>{"fake_thing.counted[0]", "fake_thing.counted[1]",
                                                 "fake_thing.keyed[\"a\"]", "fake_thing.keyed[\"b\"]"}));
  EXPECT_EQ(Find(plan, "fake_thing.keyed[\"b\"]")->after.Find("size")->AsNumber(), 2);
  EXPECT_EQ(Find(plan, "fake_thing.counted[1]")->after.Find("name")->AsString(), "n1");
}

TEST_F(EngineTest, DriftIsReportedAndPlannedBack) {
  Stack(kTwoThings);
  MustApply();
  cloud_->Poke(cloud_->IdOf("fake_thing.a"), "size", Value::Number(9));
  Plan plan = MustPlan();
  ASSERT_EQ(plan.drift.size(), 1u);
  EXPECT_EQ(plan.drift[0].address, "fake_thing.a");
  EXPECT_EQ(plan.drift[0].after.Find("size")->AsNumber(), 9);
  const PlannedChange* a = Find(plan, "fake_thing.a");
  EXPECT_EQ(a->action, Action::kUpdate);
  EXPECT_EQ(a->after.Find("size")->AsNumber(), 2);
}

TEST_F(EngineTest, ObjectDeletedOutsideIsPlannedForRecreation) {
  Stack(kTwoThings);
  MustApply();
  cloud_->Erase(cloud_->IdOf("fake_thing.a"));
  Plan plan = MustPlan();
  ASSERT_EQ(plan.drift.size(), 1u);
  EXPECT_EQ(plan.drift[0].action, Action::kDelete);
  const PlannedChange* a = Find(plan, "fake_thing.a");
  EXPECT_EQ(a->action, Action::kCreate);
  EXPECT_EQ(a->reason, "deleted outside reconcile");
}

TEST_F(EngineTest, IgnoreChangesKeepsTheRecordedValue) {
  Stack(R"(
[resource.fake_thing.a]
name = "alpha"
note = "v1"
lifecycle = { ignore_changes = ["note"] }
)");
  MustApply();
  Stack(R"(
[resource.fake_thing.a]
name = "alpha"
note = "v2"
lifecycle = { ignore_changes = ["note"] }
)");
  Plan plan = MustPlan();
  EXPECT_EQ(Find(plan, "fake_thing.a")->action, Action::kNoOp);
}

TEST_F(EngineTest, PreventDestroyFailsAPlanThatWouldDestroy) {
  constexpr const char* kGuarded = R"(
[resource.fake_thing.db]
name = "mysql-data"
lifecycle = { prevent_destroy = true }
)";
  Stack(kGuarded);
  MustApply();
  PlanOptions destroy;
  destroy.destroy = true;
  Diagnostics diags = PlanErrors(destroy);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary,
            "Instance fake_thing.db has lifecycle.prevent_destroy set, but the plan destroys it");
  EXPECT_EQ(diags[0].range.file, "main.toml");
  EXPECT_EQ(cloud_->size(), 1u);
}

TEST_F(EngineTest, DataSourcesAreReadWhileTheirConfigurationIsKnown) {
  Stack(R"(
[resource.fake_thing.a]
name = "alpha"
size = 4
)");
  MustApply();
  Stack(R"(
[resource.fake_thing.a]
name = "alpha"
size = 4

[data.fake_lookup.a]
name = "alpha"

[resource.fake_thing.copy]
name = "copy"
size = "${data.fake_lookup.a.size}"
)");
  Plan plan = MustPlan();
  EXPECT_EQ(Find(plan, "fake_thing.copy")->after.Find("size")->AsNumber(), 4);
}

TEST_F(EngineTest, DataSourcesWaitForResourcesTheyDependOnToChange) {
  // given a data source whose (known) name refers to a resource not created yet
  Stack(R"(
[resource.fake_thing.a]
name = "alpha"
size = 7

[data.fake_lookup.a]
name = "${fake_thing.a.name}"

[resource.fake_thing.copy]
name = "copy"
size = "${data.fake_lookup.a.size}"
)");
  // when planning: the read waits for apply rather than failing now
  Plan plan = MustPlan();
  const PlannedChange* read = Find(plan, "data.fake_lookup.a");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->action, Action::kRead);
  EXPECT_TRUE(Find(plan, "fake_thing.copy")->after.Find("size")->is_unknown());
  // then apply reads it after the resource exists, and the value flows on
  MustApply();
  EXPECT_EQ(ReadState().resources.at("fake_thing.copy").attributes.Find("size")->AsNumber(), 7);
  Plan again = MustPlan();
  EXPECT_FALSE(again.HasChanges());
}

TEST_F(EngineTest, SensitiveValuesStayMarkedInThePlan) {
  Stack(R"(
[variable.password]
type = "string"
sensitive = true
default = "hunter2"

[resource.fake_thing.a]
name = "alpha"
note = "${var.password}"
secret = "plain-but-schema-sensitive"
)");
  Plan plan = MustPlan();
  const PlannedChange* a = Find(plan, "fake_thing.a");
  EXPECT_TRUE(a->after.Find("note")->sensitive());
  EXPECT_TRUE(a->after.Find("secret")->sensitive());
  std::string text = RenderPlan(plan, {});
  EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
  EXPECT_EQ(text.find("plain-but-schema-sensitive"), std::string::npos) << text;
}

TEST_F(EngineTest, TargetKeepsTheResourceAndWhatItDependsOn) {
  Stack(kTwoThings + std::string("\n[resource.fake_thing.c]\nname = \"gamma\"\n"));
  PlanOptions options;
  options.targets = {"fake_thing.b"};
  Plan plan = MustPlan(options);
  std::vector<std::string> addresses;
  for (const PlannedChange& c : plan.changes) addresses.push_back(c.address);
  EXPECT_EQ(addresses, (std::vector<std::string>{"fake_thing.a", "fake_thing.b"}));
}

TEST_F(EngineTest, ReferenceCycleIsAnErrorListingTheCycle) {
  Stack(R"(
[locals]
a = "${local.b}"
b = "${fake_thing.x.id}"

[resource.fake_thing.x]
name = "${local.a}"
)");
  Diagnostics diags = PlanErrors();
  ASSERT_FALSE(diags.empty());
  std::string all = diags.ToString();
  EXPECT_NE(all.find("Reference cycle: "), std::string::npos) << all;
  EXPECT_NE(all.find("local.a"), std::string::npos);
  EXPECT_NE(all.find("local.b"), std::string::npos);
  EXPECT_NE(all.find("fake_thing.x"), std::string::npos);
}

TEST_F(EngineTest, UnknownAttributeFailsValidationWithSuggestion) {
  Stack("[resource.fake_thing.a]\nname = \"a\"\nsizee = 3\n");
  auto engine = Open();
  Diagnostics diags = engine->Validate();
  ASSERT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(diags[0].summary, "Unsupported attribute \"sizee\" in resource fake_thing.a");
  EXPECT_EQ(diags[0].detail, "Did you mean \"size\"?");
  EXPECT_EQ(diags[0].range.line, 3);
}

TEST_F(EngineTest, ValidateReportsMissingRequiredAttribute) {
  Stack("[resource.fake_thing.a]\nsize = 3\n");
  auto engine = Open();
  Diagnostics diags = engine->Validate();
  ASSERT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(diags[0].summary, "Missing required attribute \"name\" in resource fake_thing.a");
}

TEST_F(EngineTest, ValidateReportsUnknownAttributesOfNestedBlocks) {
  Stack("[resource.fake_thing.a]\nname = \"a\"\nrule = [{ port = 80, cdir = \"10.0.0.0/8\" }]\n");
  Diagnostics diags = Open()->Validate();
  ASSERT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(diags[0].summary, "Unsupported attribute \"rule[0].cdir\" in resource fake_thing.a");
  EXPECT_EQ(diags[0].detail, "Did you mean \"cidr\"?");
  EXPECT_EQ(diags[0].range.line, 3);
}

TEST_F(EngineTest, ValidateReportsValuesOutsideTheSchemasList) {
  Stack(R"(
[variable.protocol]
type = "string"
default = "icmpv6"

[resource.fake_thing.a]
name = "a"
rule = [{ port = 80, protocol = "tpc" }, { port = 53, protocol = "${var.protocol}" }]
)");
  Diagnostics diags = Open()->Validate();
  ASSERT_EQ(diags.size(), 2u) << diags.ToString();
  EXPECT_EQ(diags[0].summary, "Invalid value for \"rule[0].protocol\" in resource fake_thing.a");
  EXPECT_EQ(diags[0].detail, "Expected one of \"tcp\", \"udp\", got \"tpc\". Did you mean \"tcp\"?");
  EXPECT_EQ(diags[0].range.line, 8);
  EXPECT_EQ(diags[1].summary, "Invalid value for \"rule[1].protocol\" in resource fake_thing.a");
  EXPECT_EQ(diags[1].detail, "Expected one of \"tcp\", \"udp\", got \"icmpv6\".");
}

TEST_F(EngineTest, ValidateReportsKnownCountAndForEachOfTheWrongType) {
  Stack(R"toml(
[variable.names]
type = "list(string)"
default = ["a", "a"]

[resource.fake_thing.counted]
count = "${[1]}"
name = "c"

[resource.fake_thing.keyed]
for_each = "${var.names}"
name = "k"

[resource.fake_thing.fractional]
count = 1.5
name = "f"

[resource.fake_thing.later]
for_each = "${fake_thing.counted[0].tags}"
name = "${each.key}"
)toml");
  Diagnostics diags = Open()->Validate();
  ASSERT_EQ(diags.size(), 3u) << diags.ToString();
  std::vector<std::string> found;
  for (const Diagnostic& d : diags) found.push_back(d.range.ToString() + ": " + d.summary);
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, (std::vector<std::string>{
                       "main.toml:11:15: Invalid for_each argument: duplicate key \"a\"",
                       "main.toml:15:9: Invalid count argument: count must be a whole number from "
                       "0 to 1000000, got 1.5",
                       "main.toml:7:12: Invalid count argument: a whole number is required, got "
                       "list"}));
}

TEST_F(EngineTest, ValidateReportsAModuleInstanceErrorOnce) {
  dir_.Write("modules/m/main.toml", R"(
[variable.n]
type = "number"

[resource.fake_thing.x]
count = "${var.n}"
name = "x"
)");
  Stack(R"(
[module.m]
source = "./modules/m"
for_each = ["a", "b"]
n = -1
)");
  Diagnostics diags = Open()->Validate();
  ASSERT_EQ(diags.size(), 1u) << diags.ToString();
  EXPECT_EQ(diags[0].range.ToString(), "modules/m/main.toml:6:12");
}

}  // namespace
}  // namespace reconcile::testing
