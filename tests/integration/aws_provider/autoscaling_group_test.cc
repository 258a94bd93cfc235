// aws_autoscaling_group through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string GroupStack(const std::string& name, int max, const std::string& role) {
  return "[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
         "[resource.aws_subnet.a]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"10.0.1.0/24\"\n"
         "availability_zone = \"us-east-1a\"\n\n"
         "[resource.aws_launch_template.node]\nname = \"node\"\nimage_id = \"ami-12c6146b\"\n"
         "instance_type = \"t3.small\"\n\n"
         "[resource.aws_autoscaling_group.nodes]\nname = \"" + name + "\"\nmin_size = 1\nmax_size = " +
         std::to_string(max) + "\ndesired_capacity = 1\nvpc_zone_identifier = [\"${aws_subnet.a.id}\"]\n"
         "health_check_type = \"EC2\"\n"
         "launch_template = { id = \"${aws_launch_template.node.id}\", version = \"$Latest\" }\n"
         "tag = [{ key = \"Role\", value = \"" + role + "\", propagate_at_launch = true }]\n";
}

class AwsAutoscalingGroupTest : public AwsStackTest {
 protected:
  json Group(const std::string& name) {
    json groups = AwsCli("autoscaling describe-auto-scaling-groups --auto-scaling-group-names " + name);
    return groups["AutoScalingGroups"].empty() ? json() : groups["AutoScalingGroups"][0];
  }
  std::string Tag(const json& group, const std::string& key) {
    for (const json& t : group["Tags"])
      if (t["Key"] == key) return t["Value"].get<std::string>() + (t["PropagateAtLaunch"] ? "+" : "");
    return "<absent>";
  }
};

TEST_F(AwsAutoscalingGroupTest, CreateNoOpUpdateDriftReplaceImportDelete) {
  // Given a group of one node from a launch template
  WriteStack(GroupStack("nodes", 2, "db"));
  Apply();
  json group = Group("nodes");
  ASSERT_FALSE(group.is_null());
  EXPECT_EQ(group["MinSize"], 1);
  EXPECT_EQ(group["MaxSize"], 2);
  EXPECT_EQ(group["VPCZoneIdentifier"], Attr("aws_subnet.a", "id"));
  EXPECT_EQ(group["LaunchTemplate"]["LaunchTemplateId"], Attr("aws_launch_template.node", "id"));
  EXPECT_EQ(Tag(group, "Role"), "db+");
  EXPECT_EQ(Tag(group, "reconcile:address"), "aws_autoscaling_group.nodes");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Size and tags change in place
  WriteStack(GroupStack("nodes", 3, "mysql"));
  EXPECT_EQ(Changes(Apply()), "update aws_autoscaling_group.nodes\n");
  EXPECT_EQ(Group("nodes")["MaxSize"], 3);
  EXPECT_EQ(Tag(Group("nodes"), "Role"), "mysql+");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A size changed with the aws CLI is drift, put back by the next apply
  AwsCli("autoscaling update-auto-scaling-group --auto-scaling-group-name nodes --max-size 5");
  EXPECT_EQ(Changes(Apply()), "update aws_autoscaling_group.nodes\n");
  EXPECT_EQ(Group("nodes")["MaxSize"], 3);

  // A new name replaces the group
  WriteStack(GroupStack("nodes2", 3, "mysql"));
  EXPECT_EQ(Changes(Apply()), "replace aws_autoscaling_group.nodes [name]\n");
  EXPECT_TRUE(Group("nodes").is_null());
  EXPECT_EQ(Group("nodes2")["MaxSize"], 3);

  // Import by name matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_autoscaling_group.nodes").HasErrors());
  Import("aws_autoscaling_group.nodes", "nodes2");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy deletes it
  Destroy();
  EXPECT_TRUE(Group("nodes2").is_null());
}

TEST_F(AwsAutoscalingGroupTest, InterruptedCreateIsAdoptedNotRepeated) {
  // Given the network and template, and a group create that was never recorded
  std::string stack = GroupStack("nodes", 2, "db");
  WriteStack(stack.substr(0, stack.find("[resource.aws_autoscaling_group")));
  Apply();
  WriteStack(stack);
  Value template_block = Value::Map({{"id", Value::String(Attr("aws_launch_template.node", "id"))},
                                     {"version", Value::String("$Latest")}});
  Value planned = Value::Map({{"name", Value::String("nodes")},
                              {"min_size", Value::Number(1)},
                              {"max_size", Value::Number(2)},
                              {"desired_capacity", Value::Number(1)},
                              {"vpc_zone_identifier", Value::List({Value::String(Attr("aws_subnet.a", "id"))})},
                              {"launch_template", Value::List({template_block})}});
  ASSERT_EQ(InterruptedCreate("aws_autoscaling_group", "aws_autoscaling_group.nodes", planned), "nodes");

  // When applied again, it is adopted by its address tag (its tags then updated)
  EXPECT_EQ(Changes(Apply()), "update aws_autoscaling_group.nodes\n");
  EXPECT_EQ(Tag(Group("nodes"), "Role"), "db+");
}

}  // namespace
}  // namespace reconcile::testing
