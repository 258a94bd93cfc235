// Applying through the real engine: order, parallelism, failures, pending
// operations and saved plans.
#include <algorithm>
#include <filesystem>

#include "engine_fixture.h"

namespace reconcile::testing {
namespace {

std::size_t IndexOf(const std::vector<std::string>& log, const std::string& entry) {
  return static_cast<std::size_t>(std::find(log.begin(), log.end(), entry) - log.begin());
}

TEST_F(EngineTest, ApplyCreatesInDependencyOrderAndDestroysInReverse) {
  Stack(R"(
[resource.fake_thing.vpc]
name = "vpc"

[resource.fake_thing.subnet]
name = "subnet"
note = "${fake_thing.vpc.id}"

[resource.fake_thing.instance]
name = "instance"
note = "${fake_thing.subnet.id}"
)");
  MustApply();
  std::vector<std::string> log = cloud_->Log();
  EXPECT_LT(IndexOf(log, "create fake_thing.vpc"), IndexOf(log, "create fake_thing.subnet"));
  EXPECT_LT(IndexOf(log, "create fake_thing.subnet"), IndexOf(log, "create fake_thing.instance"));
  // The recorded value flowed into the dependent.
  State state = ReadState();
  EXPECT_EQ(state.resources.at("fake_thing.subnet").attributes.Find("note")->AsString(),
            cloud_->IdOf("fake_thing.vpc"));
  EXPECT_EQ(state.resources.at("fake_thing.subnet").dependencies,
            std::vector<std::string>{"fake_thing.vpc"});

  PlanOptions destroy;
  destroy.destroy = true;
  ApplySummary s = MustApply(destroy);
  EXPECT_EQ(s.destroyed, 3);
  log = cloud_->Log();
  EXPECT_LT(IndexOf(log, "delete fake_thing.instance"), IndexOf(log, "delete fake_thing.subnet"));
  EXPECT_LT(IndexOf(log, "delete fake_thing.subnet"), IndexOf(log, "delete fake_thing.vpc"));
  EXPECT_EQ(cloud_->size(), 0u);
  EXPECT_TRUE(ReadState().resources.empty());
}

TEST_F(EngineTest, DestroyFollowsConfigurationEdgesEvenWithoutRecordedDependencies) {
  // given two objects applied, then their recorded dependencies lost (as for
  // objects brought in by import before dependencies were recorded)
  Stack(R"(
[resource.fake_thing.role]
name = "role"

[resource.fake_thing.profile]
name = "profile"
note = "${fake_thing.role.id}"
)");
  MustApply();
  std::string path = dir_.path() + "/.reconcile/state/default.json";
  std::string doc = dir_.Read(".reconcile/state/default.json");
  State state;
  ASSERT_FALSE(ParseState(doc, &state).HasErrors());
  for (auto& [address, r] : state.resources) r.dependencies.clear();
  state.serial += 1;
  dir_.Write(".reconcile/state/default.json", SerializeState(state));
  // when destroying with room for both at once
  cloud_->apply_delay_ms = 50;
  PlanOptions destroy;
  destroy.destroy = true;
  MustApply(destroy);
  // then the dependent went first
  std::vector<std::string> log = cloud_->Log();
  EXPECT_LT(IndexOf(log, "delete fake_thing.profile"), IndexOf(log, "delete fake_thing.role"));
  EXPECT_EQ(cloud_->max_in_flight.load(), 1);
}

TEST_F(EngineTest, CountedResourcesWaitForEveryInstanceOfWhatTheyReference) {
  Stack(R"(
[resource.fake_thing.a]
count = 3
name = "a${count.index}"

[resource.fake_thing.b]
count = 3
name = "b${count.index}"
note = "${fake_thing.a[0].id}"
)");
  cloud_->apply_delay_ms = 10;
  MustApply();
  Plan plan = MustPlan();
  EXPECT_FALSE(plan.HasChanges());
  EXPECT_EQ(Find(plan, "fake_thing.b[2]")->depends_on, std::vector<std::string>{"fake_thing.a"});
  std::vector<std::string> log = cloud_->Log();
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_LT(IndexOf(log, "create fake_thing.a[" + std::to_string(i) + "]"),
                IndexOf(log, "create fake_thing.b[" + std::to_string(j) + "]"));
  PlanOptions destroy;
  destroy.destroy = true;
  MustApply(destroy);
  log = cloud_->Log();
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_LT(IndexOf(log, "delete fake_thing.b[" + std::to_string(j) + "]"),
                IndexOf(log, "delete fake_thing.a[" + std::to_string(i) + "]"));
  EXPECT_EQ(cloud_->size(), 0u);
}

TEST_F(EngineTest, ApplyKeepsAtMostParallelismOperationsInFlight) {
  std::string stack;
  for (int i = 0; i < 12; ++i)
    stack += "[resource.fake_thing.t" + std::to_string(i) + "]\nname = \"t" + std::to_string(i) + "\"\n";
  Stack(stack);
  parallelism_ = 3;
  cloud_->apply_delay_ms = 20;
  ApplySummary s = MustApply();
  EXPECT_EQ(s.added, 12);
  EXPECT_LE(cloud_->max_in_flight.load(), 3);
  EXPECT_GE(cloud_->max_in_flight.load(), 2);
}

TEST_F(EngineTest, AfterAFailureNoNewOperationStartsAndFinishedWorkIsRecorded) {
  // given a chain where the middle one fails, and an independent one
  Stack(R"(
[resource.fake_thing.first]
name = "first"

[resource.fake_thing.middle]
name = "middle"
note = "${fake_thing.first.id}"

[resource.fake_thing.last]
name = "last"
note = "${fake_thing.middle.id}"
)");
  cloud_->FailOn("fake_thing.middle");
  parallelism_ = 1;
  auto engine = Open();
  Plan plan;
  ApplySummary summary;
  Diagnostics diags = engine->PlanAndApply({}, {}, &plan, &summary);
  // then the error names the resource, "last" never starts, "first" is in state
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_EQ(diags[0].address, "fake_thing.middle");
  EXPECT_EQ(diags[0].summary, "fake failure for fake_thing.middle");
  EXPECT_EQ(summary.failed, 1);
  State state = ReadState();
  EXPECT_EQ(state.resources.count("fake_thing.first"), 1u);
  EXPECT_EQ(state.resources.count("fake_thing.last"), 0u);
  EXPECT_TRUE(state.pending.empty());
  std::vector<std::string> log = cloud_->Log();
  EXPECT_EQ(IndexOf(log, "create fake_thing.last"), log.size());
}

TEST_F(EngineTest, ACreateThatFailsAfterTheObjectExistsIsRecordedTainted) {
  Stack("[resource.fake_thing.a]\nname = \"a\"\n");
  cloud_->FailOn("fake_thing.a", /*after_create=*/true);
  auto engine = Open();
  Plan plan;
  ApplySummary summary;
  EXPECT_TRUE(engine->PlanAndApply({}, {}, &plan, &summary).HasErrors());
  State state = ReadState();
  ASSERT_EQ(state.resources.count("fake_thing.a"), 1u);
  EXPECT_TRUE(state.resources.at("fake_thing.a").tainted);
  Plan next = MustPlan();
  EXPECT_EQ(Find(next, "fake_thing.a")->action, Action::kReplace);
}

TEST_F(EngineTest, PendingCreateIsAdoptedInsteadOfCreatedTwice) {
  Stack("[resource.fake_thing.a]\nname = \"a\"\n");
  MustApply();
  // Simulate a crash after the provider created the object but before the
  // result reached state: forget it in state, leave a pending create behind.
  std::string id = cloud_->IdOf("fake_thing.a");
  {
    auto engine = Open();
    std::vector<std::string> removed;
    ASSERT_FALSE(engine->RemoveFromState({"fake_thing.a"}, &removed).HasErrors());
  }
  std::map<std::string, PendingOperation> pending;
  pending["fake_thing.a"] = {"fake_thing.a", "fake_thing", "fake", "create", NowRfc3339(), "tok", {}, {}};
  dir_.Write(".reconcile/state/default.pending.json", SerializePending(pending));

  Plan plan = MustPlan();
  ASSERT_EQ(plan.pending.size(), 1u);
  EXPECT_EQ(plan.pending[0].address, "fake_thing.a");
  EXPECT_EQ(Find(plan, "fake_thing.a")->action, Action::kNoOp);  // adopted, nothing to create
  MustApply();
  EXPECT_EQ(cloud_->size(), 1u);
  EXPECT_EQ(cloud_->IdOf("fake_thing.a"), id);
  State state = ReadState();
  EXPECT_TRUE(state.pending.empty());
  EXPECT_EQ(state.resources.at("fake_thing.a").attributes.Find("id")->AsString(), id);
}

TEST_F(EngineTest, SavedPlanIsRefusedOnceTheStateMoved) {
  Stack("[resource.fake_thing.a]\nname = \"a\"\n");
  Plan saved = MustPlan();
  std::string file = dir_.path() + "/plan.out";
  ASSERT_FALSE(WritePlanFile(file, saved).HasErrors());
  MustApply();  // the state moves on
  Plan loaded;
  ASSERT_FALSE(ReadPlanFile(file, &loaded).HasErrors());
  auto engine = Open();
  ApplySummary summary;
  Diagnostics diags = engine->Apply(loaded, {}, &summary);
  ASSERT_TRUE(diags.HasErrors());
  EXPECT_EQ(diags[0].summary, "Saved plan is stale");
  EXPECT_EQ(cloud_->size(), 1u);
}

TEST_F(EngineTest, SavedPlanAppliesWhenTheStateIsUnchanged) {
  Stack("[resource.fake_thing.a]\nname = \"a\"\n");
  Plan saved = MustPlan();
  std::string file = dir_.path() + "/plan.out";
  ASSERT_FALSE(WritePlanFile(file, saved).HasErrors());
  Plan loaded;
  ASSERT_FALSE(ReadPlanFile(file, &loaded).HasErrors());
  auto engine = Open();
  ApplySummary summary;
  Diagnostics diags = engine->Apply(loaded, {}, &summary);
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(summary.added, 1);
  EXPECT_EQ(cloud_->size(), 1u);
}

TEST_F(EngineTest, CreateBeforeDestroyCreatesTheNewObjectFirst) {
  Stack("[resource.fake_thing.a]\nname = \"v1\"\nlifecycle = { create_before_destroy = true }\n");
  MustApply();
  std::string old_id = cloud_->IdOf("fake_thing.a");
  Stack("[resource.fake_thing.a]\nname = \"v2\"\nlifecycle = { create_before_destroy = true }\n");
  MustApply();
  std::vector<std::string> log = cloud_->Log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[1], "create fake_thing.a");
  EXPECT_EQ(log[2], "delete fake_thing.a");
  EXPECT_EQ(cloud_->size(), 1u);
  EXPECT_NE(cloud_->IdOf("fake_thing.a"), old_id);
  State state = ReadState();
  EXPECT_TRUE(state.resources.at("fake_thing.a").deposed.empty());
  EXPECT_EQ(state.resources.at("fake_thing.a").attributes.Find("name")->AsString(), "v2");
}

TEST_F(EngineTest, CreateBeforeDestroyWhoseCreateMadeNothingKeepsTheOldObjectCurrent) {
  Stack("[resource.fake_thing.a]\nname = \"v1\"\nlifecycle = { create_before_destroy = true }\n");
  MustApply();
  std::string old_id = cloud_->IdOf("fake_thing.a");
  Stack("[resource.fake_thing.a]\nname = \"v2\"\nlifecycle = { create_before_destroy = true }\n");
  cloud_->FailOn("fake_thing.a");
  Plan plan;
  ApplySummary summary;
  EXPECT_TRUE(Open()->PlanAndApply({}, {}, &plan, &summary).HasErrors());
  State state = ReadState();
  EXPECT_TRUE(state.resources.at("fake_thing.a").deposed.empty());
  EXPECT_EQ(state.resources.at("fake_thing.a").attributes.Find("id")->AsString(), old_id);
  cloud_->ClearFailures();
  Plan next = MustPlan();
  EXPECT_EQ(Find(next, "fake_thing.a")->action, Action::kReplace);
  EXPECT_TRUE(Find(next, "fake_thing.a")->deposed.empty());
  MustApply();
  EXPECT_EQ(cloud_->size(), 1u);
}

TEST_F(EngineTest, AnObjectLeftDeposedIsDestroyedByTheNextApply) {
  // Given a create_before_destroy replacement whose old object could not be deleted
  Stack("[resource.fake_thing.a]\nname = \"v1\"\nlifecycle = { create_before_destroy = true }\n");
  MustApply();
  std::string old_id = cloud_->IdOf("fake_thing.a");
  Stack("[resource.fake_thing.a]\nname = \"v2\"\nlifecycle = { create_before_destroy = true }\n");
  cloud_->FailDeletesOf("fake_thing.a");
  Plan failed;
  ApplySummary summary;
  EXPECT_TRUE(Open()->PlanAndApply({}, {}, &failed, &summary).HasErrors());
  ASSERT_EQ(cloud_->size(), 2u);
  State state = ReadState();
  ASSERT_EQ(state.resources.at("fake_thing.a").deposed.size(), 1u);
  EXPECT_EQ(state.resources.at("fake_thing.a").deposed[0].Find("id")->AsString(), old_id);

  // Then the next plan, with nothing else to do, destroys the deposed object
  cloud_->ClearFailures();
  Plan next = MustPlan();
  const PlannedChange* change = Find(next, "fake_thing.a");
  EXPECT_EQ(change->action, Action::kNoOp);
  ASSERT_EQ(change->deposed.size(), 1u);
  EXPECT_TRUE(next.HasChanges());
  EXPECT_EQ(next.Summary().destroy, 1);
  std::string shown = RenderPlan(next, {});
  EXPECT_NE(shown.find("# fake_thing.a (deposed object " + old_id + ") will be destroyed"), std::string::npos)
      << shown;
  EXPECT_NE(shown.find("0 to add, 0 to change, 1 to destroy"), std::string::npos) << shown;

  // And a saved plan keeps it
  std::string file = dir_.path() + "/plan.out";
  ASSERT_FALSE(WritePlanFile(file, next).HasErrors());
  Plan loaded;
  ASSERT_FALSE(ReadPlanFile(file, &loaded).HasErrors());
  ASSERT_EQ(Find(loaded, "fake_thing.a")->deposed.size(), 1u);

  ApplySummary applied;
  Diagnostics diags = Open()->Apply(loaded, {}, &applied);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(applied.destroyed, 1);
  EXPECT_EQ(cloud_->size(), 1u);
  EXPECT_EQ(cloud_->Objects().count(old_id), 0u);
  EXPECT_TRUE(ReadState().resources.at("fake_thing.a").deposed.empty());
  EXPECT_FALSE(MustPlan().HasChanges());
}

TEST_F(EngineTest, AReplacementThatFailedAfterCreatingLeavesNothingBehind) {
  // Given a create_before_destroy replacement whose new object failed after it was made
  Stack("[resource.fake_thing.a]\nname = \"v1\"\nlifecycle = { create_before_destroy = true }\n");
  MustApply();
  Stack("[resource.fake_thing.a]\nname = \"v2\"\nlifecycle = { create_before_destroy = true }\n");
  cloud_->FailOn("fake_thing.a", /*after_create=*/true);
  Plan failed;
  ApplySummary summary;
  EXPECT_TRUE(Open()->PlanAndApply({}, {}, &failed, &summary).HasErrors());
  ASSERT_EQ(cloud_->size(), 2u);
  EXPECT_TRUE(ReadState().resources.at("fake_thing.a").tainted);

  // Then the next apply replaces the tainted object and destroys the deposed one
  cloud_->ClearFailures();
  Plan next = MustPlan();
  EXPECT_EQ(Find(next, "fake_thing.a")->action, Action::kReplace);
  EXPECT_EQ(Find(next, "fake_thing.a")->deposed.size(), 1u);
  EXPECT_EQ(next.Summary().destroy, 2);
  MustApply();
  EXPECT_EQ(cloud_->size(), 1u);
  State state = ReadState();
  EXPECT_TRUE(state.resources.at("fake_thing.a").deposed.empty());
  EXPECT_EQ(state.resources.at("fake_thing.a").attributes.Find("id")->AsString(), cloud_->IdOf("fake_thing.a"));
  EXPECT_FALSE(MustPlan().HasChanges());
}

TEST_F(EngineTest, ReplacementWithoutCreateBeforeDestroyDeletesFirst) {
  Stack("[resource.fake_thing.a]\nname = \"v1\"\n");
  MustApply();
  Stack("[resource.fake_thing.a]\nname = \"v2\"\n");
  MustApply();
  std::vector<std::string> log = cloud_->Log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[1], "delete fake_thing.a");
  EXPECT_EQ(log[2], "create fake_thing.a");
}

TEST_F(EngineTest, OutputsAreRecordedWithTheirSensitivity) {
  Stack(R"(
[resource.fake_thing.a]
name = "a"
secret = "s3cret"

[output.id]
value = "${fake_thing.a.id}"

[output.secret]
value = "${fake_thing.a.secret}"
sensitive = true
)");
  MustApply();
  auto engine = Open();
  std::map<std::string, OutputValue> outputs;
  ASSERT_FALSE(engine->Outputs(&outputs).HasErrors());
  EXPECT_EQ(outputs.at("id").value.AsString(), cloud_->IdOf("fake_thing.a"));
  EXPECT_FALSE(outputs.at("id").sensitive);
  EXPECT_TRUE(outputs.at("secret").sensitive);
  EXPECT_EQ(outputs.at("secret").value.AsString(), "s3cret");
}

TEST_F(EngineTest, StateFileIsPrivateAndCarriesLineageAndSerial) {
  Stack("[resource.fake_thing.a]\nname = \"a\"\n");
  MustApply();
  std::string path = dir_.path() + "/.reconcile/state/default.json";
  auto perms = std::filesystem::status(path).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  State state = ReadState();
  EXPECT_EQ(state.lineage.size(), 36u);
  EXPECT_GE(state.serial, 1u);
  std::uint64_t serial = state.serial;
  Stack("[resource.fake_thing.a]\nname = \"a\"\nsize = 3\n");
  MustApply();
  EXPECT_GT(ReadState().serial, serial);
  EXPECT_EQ(ReadState().lineage, state.lineage);
}

}  // namespace
}  // namespace reconcile::testing
