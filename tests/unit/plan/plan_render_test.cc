#include <gtest/gtest.h>

#include "plan_examples.h"
#include "reconcile/plan.h"

namespace reconcile {
namespace {

using namespace reconcile::testing;

Plan PlanOf(std::vector<PlannedChange> changes) {
  Plan plan;
  plan.workspace = "default";
  plan.changes = std::move(changes);
  return plan;
}

std::string Render(const Plan& plan) { return RenderPlan(plan, RenderOptions{}); }

TEST(RenderPlan, CreateShowsEveryAttributeWithPlus) {
  EXPECT_EQ(Render(PlanOf({CreateVpc()})),
            R"(Resource actions are indicated with the following symbols:
  + create

reconcile will perform the following actions:

  # aws_vpc.main will be created
  + resource "aws_vpc" "main" {
      + cidr_block = "10.0.0.0/16"
      + enable_dns = true
      + id         = (known after apply)
      + tags       = {
          + "Name" = "main"
          + "env"  = "prod"
        }
      + zones      = [
          + "a",
          + "b",
        ]
    }

Plan: 1 to add, 0 to change, 0 to destroy.
)");
}

TEST(RenderPlan, UpdateShowsWhatChangedOldToNew) {
  EXPECT_EQ(Render(PlanOf({UpdateSubnet()})),
            R"(Resource actions are indicated with the following symbols:
  ~ update in-place

reconcile will perform the following actions:

  # aws_subnet.public["a"] will be updated in-place
  ~ resource "aws_subnet" "public" {
        id            = "subnet-1"
      ~ map_public_ip = false -> true
      ~ ports         = [
          - 80,
          + 8080,
            # (2 unchanged elements hidden)
        ]
      ~ tags          = {
          ~ "Name"  = "old" -> "new"
          + "added" = "y"
          - "gone"  = "x" -> null
            # (1 unchanged element hidden)
        }
        # (1 unchanged attribute hidden)
    }

Plan: 0 to add, 1 to change, 0 to destroy.
)");
}

TEST(RenderPlan, ReplaceNamesTheAttributeThatForcesIt) {
  EXPECT_EQ(Render(PlanOf({ReplaceInstance()})),
            R"(Resource actions are indicated with the following symbols:
-/+ destroy and then create replacement

reconcile will perform the following actions:

  # aws_instance.web must be replaced
-/+ resource "aws_instance" "web" {
      ~ ami = "ami-1" -> "ami-2" # forces replacement
      ~ id  = "i-1" -> (known after apply)
        # (2 unchanged attributes hidden)
    }

Plan: 1 to add, 0 to change, 1 to destroy.
)");
}

TEST(RenderPlan, CreateBeforeDestroyAndTaintedReplacements) {
  PlannedChange replace = ReplaceInstance();
  replace.create_before_destroy = true;
  replace.reason = "tainted";
  std::string text = Render(PlanOf({replace}));
  EXPECT_NE(text.find("+/- create replacement and then destroy\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  # aws_instance.web is tainted, so must be replaced\n+/- resource \"aws_instance\" \"web\" {\n"),
            std::string::npos)
      << text;
}

TEST(RenderPlan, NestedAttributeForcingReplacementIsMarked) {
  PlannedChange change = Change("aws_instance.web", "aws_instance", Action::kReplace,
                                Map({{"root", Map({{"size", Num(20)}, {"type", Str("gp3")}})}}),
                                Map({{"root", Map({{"size", Num(40)}, {"type", Str("gp3")}})}}));
  change.replace_paths = {"root.size"};
  std::string text = Render(PlanOf({change}));
  EXPECT_NE(text.find(R"(
      ~ root = {
          ~ "size" = 20 -> 40 # forces replacement
            # (1 unchanged element hidden)
        }
)"),
            std::string::npos)
      << text;
}

TEST(RenderPlan, DeleteShowsEverythingGoingToNull) {
  EXPECT_EQ(Render(PlanOf({DeleteBucket()})),
            R"(Resource actions are indicated with the following symbols:
  - destroy

reconcile will perform the following actions:

  # aws_s3_bucket.logs will be destroyed
  # (because no longer in the configuration)
  - resource "aws_s3_bucket" "logs" {
      - bucket = "logs" -> null
      - tags   = {
          - "team" = "ops"
        } -> null
    }

Plan: 0 to add, 0 to change, 1 to destroy.
)");
}

TEST(RenderPlan, ReadOfADataSource) {
  EXPECT_EQ(Render(PlanOf({ReadAmi()})),
            R"(Resource actions are indicated with the following symbols:
 <= read (data resources)

reconcile will perform the following actions:

  # data.aws_ami.ubuntu will be read during apply
  # (because configuration depends on values known only after apply)
 <= data "aws_ami" "ubuntu" {
      + id     = (known after apply)
      + owners = [
          + "099720109477",
        ]
    }

Plan: 0 to add, 0 to change, 0 to destroy.
)");
}

TEST(RenderPlan, NoChanges) {
  PlannedChange same = Change("aws_vpc.main", "aws_vpc", Action::kNoOp, Map({{"id", Str("vpc-1")}}),
                              Map({{"id", Str("vpc-1")}}));
  EXPECT_EQ(Render(PlanOf({same})), "No changes. Your infrastructure matches the configuration.\n");
  EXPECT_EQ(Render(Plan{}), "No changes. Your infrastructure matches the configuration.\n");
}

TEST(RenderPlan, DriftComesBeforeThePlan) {
  Plan plan = PlanOf({CreateVpc()});
  PlannedChange changed = Change("aws_subnet.a", "aws_subnet", Action::kUpdate,
                                 Map({{"id", Str("subnet-1")}, {"tags", Map({{"Name", Str("a")}})}}),
                                 Map({{"id", Str("subnet-1")}, {"tags", Map({})}}));
  changed.reason = "changed outside reconcile";
  PlannedChange gone = Change("aws_vpc.main", "aws_vpc", Action::kDelete, Map({{"id", Str("vpc-1")}}), Value());
  plan.drift = {gone, changed};
  std::string text = Render(plan);
  EXPECT_EQ(text.substr(0, text.find("Resource actions")),
            R"(Note: Objects have changed outside of reconcile

reconcile detected the following changes made outside of reconcile since the last apply:

  # aws_subnet.a has changed
  ~ resource "aws_subnet" "a" {
        id   = "subnet-1"
      ~ tags = {
          - "Name" = "a" -> null
        }
    }

  # aws_vpc.main has been deleted
  - resource "aws_vpc" "main" {
      - id = "vpc-1" -> null
    }

)");
}

TEST(RenderPlan, DriftAloneIsNoChange) {
  Plan plan;
  plan.drift = {Change("aws_vpc.main", "aws_vpc", Action::kUpdate, Map({{"x", Num(1)}}), Map({{"x", Num(2)}}))};
  std::string text = Render(plan);
  EXPECT_EQ(text.substr(text.size() - 62), "}\n\nNo changes. Your infrastructure matches the configuration.\n");
}

TEST(RenderPlan, PendingOperationsAreListedFirst) {
  Plan plan;
  PendingOperation create;
  create.address = "aws_vpc.main";
  create.action = "create";
  create.started = "2026-11-23T09:30:00Z";
  PendingOperation remove = create;
  remove.address = "random_id.x";
  remove.action = "delete";
  plan.pending = {create, remove};
  EXPECT_EQ(Render(plan), R"(Interrupted operations from a previous apply:

  # aws_vpc.main: create started 2026-11-23T09:30:00Z and did not finish
  # random_id.x: delete started 2026-11-23T09:30:00Z and did not finish

The next apply or refresh finds out what they did and records it before changing anything else.

Plan: 0 to add, 0 to change, 0 to destroy.
)");
}

TEST(RenderPlan, UnknownOutcomesAndReplacementsSaySoInThePendingSection) {
  // Given a create that failed with an unknown outcome and an interrupted
  // create_before_destroy replacement of vpc-1
  Plan plan;
  PendingOperation unknown;
  unknown.address = "aws_ebs_volume.data";
  unknown.action = "create";
  unknown.started = "2026-11-23T09:30:00Z";
  unknown.outcome_unknown = true;
  PendingOperation replacement = unknown;
  replacement.address = "aws_vpc.main";
  replacement.outcome_unknown = false;
  replacement.prior_state = Map({{"id", Str("vpc-1")}});
  plan.pending = {unknown, replacement};
  // Then each says what it was and how it ended, and the footer how it is settled
  EXPECT_EQ(Render(plan), R"(Interrupted operations from a previous apply:

  # aws_ebs_volume.data: create started 2026-11-23T09:30:00Z and failed without saying whether it took effect
  # aws_vpc.main: create of the replacement of vpc-1 (create_before_destroy) started 2026-11-23T09:30:00Z and did not finish

The next apply or refresh finds out what they did and records it before changing anything else:
a create is looked up (ownership tags, client token, name) and recorded when found, else made again
with the same client token; a delete is read back.

Plan: 0 to add, 0 to change, 0 to destroy.
)");
}

TEST(RenderPlan, OutputChangesFollowTheSummary) {
  Plan plan = PlanOf({CreateVpc()});
  plan.outputs = {OutputChange{"vpc_id", Action::kCreate, Value(), Value::Unknown(), false},
                  OutputChange{"name", Action::kUpdate, Str("a"), Str("b"), false},
                  OutputChange{"old", Action::kDelete, Str("x"), Value(), false},
                  OutputChange{"db_password", Action::kUpdate, Str("a"), Str(kSecret), true},
                  OutputChange{"same", Action::kNoOp, Num(1), Num(1), false}};
  std::string text = Render(plan);
  EXPECT_EQ(text.substr(text.find("Plan:")), R"(Plan: 1 to add, 0 to change, 0 to destroy.

Changes to Outputs:
  + vpc_id      = (known after apply)
  ~ name        = "a" -> "b"
  - old         = "x" -> null
  ~ db_password = (sensitive value)
)");
}

TEST(RenderPlan, OnlyOutputsChanging) {
  Plan plan;
  plan.outputs = {OutputChange{"name", Action::kCreate, Value(), Str("b"), false}};
  EXPECT_EQ(Render(plan), "Plan: 0 to add, 0 to change, 0 to destroy.\n\nChanges to Outputs:\n  + name = \"b\"\n");
}

TEST(RenderPlan, ColourMarksTheSymbols) {
  Plan plan = PlanOf({CreateVpc(), DeleteBucket(), UpdateSubnet(), ReplaceInstance(), ReadAmi()});
  std::string text = RenderPlan(plan, RenderOptions{true, false});
  EXPECT_NE(text.find("  \x1b[32m+\x1b[0m create\n"), std::string::npos);
  EXPECT_NE(text.find("  \x1b[33m~\x1b[0m update in-place\n"), std::string::npos);
  EXPECT_NE(text.find("  \x1b[31m-\x1b[0m destroy\n"), std::string::npos);
  EXPECT_NE(text.find("\x1b[35m-/+\x1b[0m destroy and then create replacement\n"), std::string::npos);
  EXPECT_NE(text.find(" \x1b[36m<=\x1b[0m read (data resources)\n"), std::string::npos);
  EXPECT_NE(text.find("\x1b[1m  # aws_vpc.main will be created\x1b[0m\n"), std::string::npos);
  EXPECT_NE(text.find("      \x1b[32m+\x1b[0m cidr_block = \"10.0.0.0/16\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\x1b[31m# forces replacement\x1b[0m"), std::string::npos);
  EXPECT_EQ(Render(plan).find('\x1b'), std::string::npos);
}

TEST(RenderPlan, ShowNoOpsListsUnchangedInstances) {
  PlannedChange same = Change("aws_vpc.other", "aws_vpc", Action::kNoOp, Map({{"id", Str("vpc-1")}, {"x", Num(1)}}),
                              Map({{"id", Str("vpc-1")}, {"x", Num(1)}}));
  std::string text = RenderPlan(PlanOf({same, CreateVpc()}), RenderOptions{false, true});
  EXPECT_NE(text.find("  # aws_vpc.other has no changes\n    resource \"aws_vpc\" \"other\" {\n        id = \"vpc-1\"\n"
                      "        # (1 unchanged attribute hidden)\n    }\n"),
            std::string::npos)
      << text;
}

}  // namespace
TEST(RenderPlan, JsonDocumentsInStringsShowAsStructure) {
  PlannedChange c;
  c.address = "aws_ecs_task_definition.app";
  c.type = "aws_ecs_task_definition";
  c.action = Action::kUpdate;
  c.before = Value::Map({{"container_definitions",
                          Value::String(R"([{"image":"app:1","name":"app","cpu":256}])")}});
  c.after = Value::Map({{"container_definitions",
                         Value::String(R"([{"image":"app:2","name":"app","cpu":256}])")}});
  std::string text = Render(PlanOf({c}));
  EXPECT_NE(text.find(R"(      ~ container_definitions = jsonencode(
          ~ [
              ~ {
                  ~ "image" = "app:1" -> "app:2"
                    # (2 unchanged elements hidden)
                },
            ]
        )
)"),
            std::string::npos)
      << text;
}

}  // namespace reconcile
