#include <gtest/gtest.h>

#include "plan_examples.h"
#include "reconcile/plan.h"
#include "support/temp_dir.h"

namespace reconcile {
namespace {

using namespace reconcile::testing;

void ExpectSameChange(const PlannedChange& got, const PlannedChange& want) {
  EXPECT_EQ(got.address, want.address);
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.provider, want.provider);
  EXPECT_EQ(got.mode, want.mode) << want.address;
  EXPECT_EQ(got.action, want.action) << want.address;
  EXPECT_EQ(got.before, want.before) << want.address;  // operator== compares every mark
  EXPECT_EQ(got.after, want.after) << want.address;
  EXPECT_EQ(got.replace_paths, want.replace_paths);
  EXPECT_EQ(got.create_before_destroy, want.create_before_destroy);
  EXPECT_EQ(got.reason, want.reason);
  EXPECT_EQ(got.depends_on, want.depends_on);
}

Plan FullPlan() {
  Plan plan;
  plan.workspace = "staging";
  plan.lineage = "3f1c2a9e-0b7d-4c55-9e21-7a8b6c5d4e3f";
  plan.serial = 12;
  plan.state_existed = true;
  plan.destroy = false;
  plan.targets = {"aws_vpc.main", "module.net"};
  PlannedChange replace = ReplaceInstance();
  replace.create_before_destroy = true;
  replace.depends_on = {"aws_vpc.main"};
  replace.reason = "tainted";
  Value whole = Map({{"a", Str("b").MarkedSensitive()}}).MarkedSensitive();  // marks at two depths
  PlannedChange created = CreateVpc();
  created.after.Set("whole", whole);
  created.after.Set("unknown_secret", Value::Unknown().MarkedSensitive());
  plan.changes = {created, UpdateSubnet(), replace, DeleteBucket(), ReadAmi()};
  plan.drift = {Change("aws_subnet.x", "aws_subnet", Action::kDelete, Map({{"id", Str("s")}}), Value())};
  PendingOperation op;
  op.address = "aws_vpc.main";
  op.type = "aws_vpc";
  op.provider = "aws";
  op.action = "create";
  op.started = "2026-11-23T09:30:00Z";
  op.client_token = "tok";
  op.planned_state = Map({{"id", Value::Unknown()}, {"secret", Str(kSecret).MarkedSensitive()}});
  plan.pending = {op};
  plan.outputs = {OutputChange{"id", Action::kCreate, Value(), Value::Unknown(), false},
                  OutputChange{"pw", Action::kUpdate, Str("a"), Str(kSecret).MarkedSensitive(), true}};
  plan.variables = {{"count", Num(3)}, {"password", Str(kSecret).MarkedSensitive()},
                    {"tags", Map({{"k", Str("v")}})}};
  plan.config_digest = "sha256:abc";
  return plan;
}

TEST(PlanFile, RoundTripKeepsEverything) {
  // Given a plan with every field set, unknowns and sensitive marks at several depths
  TempDir tmp;
  std::string path = tmp.path() + "/saved.plan";
  Plan plan = FullPlan();
  // When it is saved and read back
  ASSERT_FALSE(WritePlanFile(path, plan).HasErrors());
  Plan read;
  Diagnostics diags = ReadPlanFile(path, &read);
  // Then it is the same plan
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(read.workspace, "staging");
  EXPECT_EQ(read.lineage, plan.lineage);
  EXPECT_EQ(read.serial, 12u);
  EXPECT_TRUE(read.state_existed);
  EXPECT_FALSE(read.destroy);
  EXPECT_EQ(read.targets, plan.targets);
  EXPECT_EQ(read.config_digest, "sha256:abc");
  // A sensitive variable is kept by name only: unknown until apply resolves it again
  EXPECT_EQ(read.variables.size(), plan.variables.size());
  for (const auto& [name, value] : plan.variables) {
    if (!value.sensitive()) {
      EXPECT_EQ(read.variables.at(name), value) << name;
    }
  }
  EXPECT_TRUE(read.variables.at("password").sensitive());
  EXPECT_TRUE(read.variables.at("password").is_unknown());
  ASSERT_EQ(read.changes.size(), plan.changes.size());
  for (std::size_t i = 0; i < plan.changes.size(); ++i) ExpectSameChange(read.changes[i], plan.changes[i]);
  EXPECT_TRUE(read.changes[0].after.Find("whole")->Find("a")->sensitive());
  EXPECT_TRUE(read.changes[0].after.Find("unknown_secret")->is_unknown());
  EXPECT_TRUE(read.changes[0].after.Find("unknown_secret")->sensitive());
  ASSERT_EQ(read.drift.size(), 1u);
  ExpectSameChange(read.drift[0], plan.drift[0]);
  ASSERT_EQ(read.pending.size(), 1u);
  EXPECT_EQ(read.pending[0].address, "aws_vpc.main");
  EXPECT_EQ(read.pending[0].client_token, "tok");
  EXPECT_EQ(read.pending[0].planned_state, plan.pending[0].planned_state);
  ASSERT_EQ(read.outputs.size(), 2u);
  EXPECT_EQ(read.outputs[1].name, "pw");
  EXPECT_EQ(read.outputs[1].action, Action::kUpdate);
  EXPECT_TRUE(read.outputs[1].sensitive);
  EXPECT_EQ(read.outputs[1].after, plan.outputs[1].after);
  EXPECT_TRUE(read.outputs[0].after.is_unknown());
  // And it renders the same
  EXPECT_EQ(RenderPlan(read, {}), RenderPlan(plan, {}));
}

TEST(PlanFile, MissingFileIsAnError) {
  Plan plan;
  Diagnostics diags = ReadPlanFile("/nonexistent/plan", &plan);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "cannot read plan file /nonexistent/plan");
  EXPECT_EQ(diags[0].detail, "no such file");
}

TEST(PlanFile, RefusesOtherFilesAndVersions) {
  TempDir tmp;
  Plan plan;
  std::string state = tmp.Write("state.json", R"({"format_version": 1, "lineage": "L", "serial": 1})");
  Diagnostics diags = ReadPlanFile(state, &plan);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "plan file " + state +
                                  ": kind: this is not a saved reconcile plan (expected \"kind\": \"reconcile-plan\")");

  std::string future = tmp.Write("future.plan", R"({"kind": "reconcile-plan", "format_version": 2})");
  diags = ReadPlanFile(future, &plan);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "plan file " + future +
                                  ": format_version: unsupported plan file version 2; this reconcile reads "
                                  "version 1. Make the plan again with this version.");

  std::string broken = tmp.Write("broken.plan", "{\"kind\": ");
  diags = ReadPlanFile(broken, &plan);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "plan file " + broken + " is not valid JSON");
}

TEST(PlanFile, ReportsBadFieldsWithTheirJsonPath) {
  TempDir tmp;
  std::string path = tmp.path() + "/p.plan";
  Plan plan;
  plan.lineage = "L";
  plan.changes = {CreateVpc()};
  ASSERT_FALSE(WritePlanFile(path, plan).HasErrors());
  std::string text = tmp.Read("p.plan");
  text.replace(text.find("\"action\": \"create\""), 18, "\"action\": \"explode\"");
  tmp.Write("p.plan", text);
  Diagnostics diags = ReadPlanFile(path, &plan);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].summary, "plan file " + path +
                                  ": changes[0].action: unknown action \"explode\"; expected no-op, create, read, "
                                  "update, replace or delete");
}

}  // namespace
}  // namespace reconcile
