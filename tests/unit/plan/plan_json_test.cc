#include <sys/stat.h>

#include <gtest/gtest.h>

#include "plan_examples.h"
#include "reconcile/plan.h"
#include "support/temp_dir.h"

namespace reconcile {
namespace {

using namespace reconcile::testing;

// A plan holding kSecret everywhere a secret can hide.
Plan PlanFullOfSecrets() {
  Plan plan;
  Value secret = Str(kSecret).MarkedSensitive();
  // Created: secret at top level, inside a map, inside a list, and an unmarked
  // value inside a container that is marked as a whole.
  plan.changes.push_back(Change(
      "random_password.db", "random_password", Action::kCreate, Value(),
      Map({{"result", secret},
           {"tags", Map({{"token", secret}, {"plain", Str("ok")}})},
           {"list", Value::List({Str("a"), secret, Map({{"deep", secret}})})},
           {"whole", Map({{"inner", Str(kSecret)}, {"more", Value::List({Str(kSecret)})}}).MarkedSensitive()}})));
  // Updated from one secret to another, and from plain to secret.
  plan.changes.push_back(Change("aws_db_instance.main", "aws_db_instance", Action::kUpdate,
                                Map({{"password", Str("old-secret").MarkedSensitive()}, {"user", Str("admin")},
                                     {"nested", Map({{"k", Str("v")}})}}),
                                Map({{"password", secret}, {"user", secret},
                                     {"nested", Map({{"k", secret}})}})));
  // Replaced and deleted objects with secrets.
  PlannedChange replace = ReplaceInstance();
  replace.replace_paths = {"ami", "user_data"};
  replace.after.Set("user_data", Str(kSecret).MarkedSensitive());
  plan.changes.push_back(replace);
  plan.changes.push_back(Change("aws_ssm_parameter.p", "aws_ssm_parameter", Action::kDelete,
                                Map({{"value", secret}, {"all", Value::List({secret})}}), Value()));
  // Drift on a secret, a whole-object-sensitive resource, and sensitive outputs.
  plan.drift.push_back(Change("aws_ssm_parameter.q", "aws_ssm_parameter", Action::kUpdate,
                              Map({{"value", Str("before").MarkedSensitive()}}), Map({{"value", secret}})));
  plan.changes.push_back(Change("aws_secret.s", "aws_secret", Action::kCreate, Value(),
                                Map({{"value", Str(kSecret)}}).MarkedSensitive()));
  plan.outputs = {OutputChange{"password", Action::kCreate, Value(), Str(kSecret), true},
                  OutputChange{"nested", Action::kUpdate, Map({{"p", Str("x")}}), Map({{"p", secret}}), false},
                  OutputChange{"gone", Action::kDelete, Str(kSecret), Value(), true}};
  plan.variables["db_password"] = secret;
  return plan;
}

TEST(PlanSecrets, NeverAppearInTheRenderingOrTheJson) {
  Plan plan = PlanFullOfSecrets();
  std::string plain = RenderPlan(plan, RenderOptions{false, true});
  std::string colored = RenderPlan(plan, RenderOptions{true, true});
  std::string json = PlanToJson(plan);
  EXPECT_EQ(plain.find(kSecret), std::string::npos) << plain;
  EXPECT_EQ(plain.find("old-secret"), std::string::npos) << plain;
  EXPECT_EQ(colored.find(kSecret), std::string::npos);
  EXPECT_EQ(json.find(kSecret), std::string::npos) << json;
  EXPECT_EQ(json.find("old-secret"), std::string::npos) << json;
  // They are there, shown as sensitive
  EXPECT_NE(plain.find("      + result = (sensitive value)\n"), std::string::npos) << plain;
  EXPECT_NE(plain.find("      ~ password = (sensitive value)\n"), std::string::npos) << plain;
  EXPECT_NE(plain.find("      ~ user     = (sensitive value)\n"), std::string::npos) << plain;
  // Unchanged, but named as forcing the replacement: shown without a change marker
  EXPECT_NE(plain.find("        user_data = (sensitive value) # forces replacement\n"), std::string::npos) << plain;
  EXPECT_NE(plain.find("      # (all attributes are sensitive)\n"), std::string::npos) << plain;
  EXPECT_NE(plain.find("  + password = (sensitive value)\n"), std::string::npos) << plain;
  EXPECT_NE(plain.find("  - gone     = (sensitive value) -> null\n"), std::string::npos) << plain;
}

TEST(PlanSecrets, AreKeptInThePlanFileWhichOnlyTheOwnerCanRead) {
  TempDir tmp;
  std::string path = tmp.path() + "/plan.json";
  ASSERT_FALSE(WritePlanFile(path, PlanFullOfSecrets()).HasErrors());
  EXPECT_NE(tmp.Read("plan.json").find(kSecret), std::string::npos);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(PlanToJson, MarksSensitiveAndUnknownValues) {
  Plan plan;
  plan.workspace = "prod";
  plan.lineage = "L";
  plan.serial = 4;
  plan.state_existed = true;
  PlannedChange change = Change("aws_vpc.main", "aws_vpc", Action::kReplace,
                                Map({{"id", Str("vpc-1")}, {"cidr", Str("10.0.0.0/16")}}),
                                Map({{"id", Value::Unknown()}, {"cidr", Str("10.1.0.0/16")},
                                     {"secret", Str(kSecret).MarkedSensitive()}}));
  change.replace_paths = {"cidr"};
  change.depends_on = {"aws_x.y"};
  plan.changes = {change};
  PendingOperation op;
  op.address = "a.b";
  op.type = "a";
  op.provider = "a";
  op.action = "create";
  op.started = "2026-11-23T09:30:00Z";
  op.planned_state = Map({{"secret", Str(kSecret).MarkedSensitive()}});
  plan.pending = {op};
  plan.outputs = {OutputChange{"id", Action::kCreate, Value(), Value::Unknown(), false}};
  EXPECT_EQ(PlanToJson(plan),
            R"({"format_version":"1.0","workspace":"prod","lineage":"L","serial":4,"state_existed":true,)"
            R"("destroy":false,"targets":[],"replace":[],"excludes":[],"excluded":[],"variables":{},"release_values":[],)"
            R"("resource_changes":[{"address":"aws_vpc.main","mode":"managed","type":"aws_vpc","provider":"aws",)"
            R"("action":"replace","before":{"cidr":"10.0.0.0/16","id":"vpc-1"},)"
            R"("after":{"cidr":"10.1.0.0/16","id":{"unknown":true},"secret":{"sensitive":true}},)"
            R"("replace_paths":["cidr"],"create_before_destroy":false,"reason":"","depends_on":["aws_x.y"],"deposed":[]}],)"
            R"("resource_drift":[],)"
            R"("pending_operations":[{"address":"a.b","type":"a","provider":"a","action":"create",)"
            R"("started":"2026-11-23T09:30:00Z","outcome_unknown":false}],)"
            R"("output_changes":[{"name":"id","action":"create","sensitive":false,"before":null,)"
            R"("after":{"unknown":true}}],)"
            R"("summary":{"add":1,"change":0,"destroy":1,"read":0},"changes_present":true})");
}

TEST(PlanSummary, CountsEachAction) {
  Plan plan;
  plan.changes = {CreateVpc(), UpdateSubnet(), ReplaceInstance(), DeleteBucket(), ReadAmi(),
                  Change("a.b", "a", Action::kNoOp, Value(), Value())};
  PlanSummary summary = plan.Summary();
  EXPECT_EQ(summary.add, 2);
  EXPECT_EQ(summary.change, 1);
  EXPECT_EQ(summary.destroy, 2);
  EXPECT_EQ(summary.read, 1);
  EXPECT_TRUE(plan.HasChanges());
  EXPECT_FALSE(Plan{}.HasChanges());
  Plan outputs_only;
  outputs_only.outputs = {OutputChange{"x", Action::kUpdate, Num(1), Num(2), false}};
  EXPECT_TRUE(outputs_only.HasChanges());
  Plan pending_only;
  pending_only.pending = {PendingOperation{}};
  EXPECT_TRUE(pending_only.HasChanges());
  EXPECT_EQ(ActionName(Action::kNoOp), "no-op");
  EXPECT_EQ(ActionName(Action::kReplace), "replace");
}

}  // namespace
}  // namespace reconcile
