// aws_ecs_cluster through the engine against moto, checked with the aws CLI.
#include "aws/call_stats.h"
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

constexpr const char* kDefaultTags = "default_tags = { team = \"core\" }";

std::string ClusterStack(const std::string& name, const std::string& insights,
                         const std::string& tag) {
  return "[resource.aws_ecs_cluster.main]\nname = \"" + name +
         "\"\n"
         "setting = [{ name = \"containerInsights\", value = \"" +
         insights +
         "\" }]\n"
         "tags = { Name = \"" +
         tag + "\" }\n";
}

class AwsEcsClusterTest : public AwsStackTest {
 protected:
  // The cluster as the aws CLI sees it (null when missing or INACTIVE).
  json Describe(const std::string& name) {
    json out = AwsCli("ecs describe-clusters --clusters " + name + " --include TAGS SETTINGS");
    for (const json& c : out["clusters"])
      if (c["status"] == "ACTIVE") return c;
    return json();
  }
  static std::map<std::string, std::string> Tags(const json& cluster) {
    std::map<std::string, std::string> tags;
    for (const json& t : cluster["tags"]) tags[t["key"]] = t["value"];
    return tags;
  }
  static std::string Insights(const json& cluster) {
    for (const json& s : cluster["settings"])
      if (s["name"] == "containerInsights") return s["value"];
    return "<absent>";
  }
};

TEST_F(AwsEcsClusterTest, CreateNoOpUpdateDriftReplaceImportDelete) {
  // Given a cluster with Container Insights on and a Name tag
  WriteStack(ClusterStack("web", "enabled", "web"), kDefaultTags);

  // When applied, ECS has it with the setting and every tag
  EXPECT_EQ(Changes(Apply()), "create aws_ecs_cluster.main\n");
  json cluster = Describe("web");
  ASSERT_TRUE(cluster.is_object());
  EXPECT_EQ(Insights(cluster), "enabled");
  std::map<std::string, std::string> tags = Tags(cluster);
  EXPECT_EQ(tags["Name"], "web");
  EXPECT_EQ(tags["team"], "core");
  EXPECT_EQ(tags["reconcile:address"], "aws_ecs_cluster.main");
  EXPECT_EQ(Attr("aws_ecs_cluster.main", "id"), "arn:aws:ecs:us-east-1:123456789012:cluster/web");
  EXPECT_EQ(Attr("aws_ecs_cluster.main", "arn"), cluster["clusterArn"]);
  EXPECT_EQ(Attr("aws_ecs_cluster.main", "tags_all"), R"({"Name":"web","team":"core"})");

  // A second plan changes nothing
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Turning Container Insights off and renaming the tag updates in place
  WriteStack(ClusterStack("web", "disabled", "web-2"), kDefaultTags);
  EXPECT_EQ(Changes(Apply()), "update aws_ecs_cluster.main\n");
  cluster = Describe("web");
  EXPECT_EQ(Insights(cluster), "disabled");
  EXPECT_EQ(Tags(cluster)["Name"], "web-2");

  // A setting and a tag changed with the aws CLI are drift, put back
  AwsCli("ecs update-cluster --cluster web --settings name=containerInsights,value=enabled");
  AwsCli("ecs tag-resource --resource-arn " + Attr("aws_ecs_cluster.main", "arn") +
         " --tags key=extra,value=x");
  EXPECT_EQ(Changes(Apply()), "update aws_ecs_cluster.main\n");
  cluster = Describe("web");
  EXPECT_EQ(Insights(cluster), "disabled");
  EXPECT_EQ(Tags(cluster).count("extra"), 0u);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new name replaces the cluster, naming the attribute
  WriteStack(ClusterStack("api", "disabled", "web-2"), kDefaultTags);
  EXPECT_EQ(Changes(Apply()), "replace aws_ecs_cluster.main [name]\n");
  EXPECT_TRUE(Describe("web").is_null());
  EXPECT_TRUE(Describe("api").is_object());

  // Forgotten and imported by name, the state matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_ecs_cluster.main").HasErrors());
  Import("aws_ecs_cluster.main", "api");
  EXPECT_EQ(Attr("aws_ecs_cluster.main", "id"), "arn:aws:ecs:us-east-1:123456789012:cluster/api");
  EXPECT_EQ(Attr("aws_ecs_cluster.main", "tags"), R"({"Name":"web-2"})");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Removed from the configuration, the cluster is deleted (INACTIVE)
  WriteStack("", kDefaultTags);
  EXPECT_EQ(Changes(Apply()), "delete aws_ecs_cluster.main\n");
  EXPECT_TRUE(Describe("api").is_null());
}

TEST_F(AwsEcsClusterTest, RefreshDescribesManyClustersInOneCall) {
  // Given 30 clusters under management
  WriteStack("[resource.aws_ecs_cluster.many]\ncount = 30\nname = \"c${count.index}\"\n");
  ASSERT_EQ(Apply().Summary().add, 30);

  // When state is refreshed, one DescribeClusters call reads them all
  aws::CallStats::Reset();
  Refresh();
  EXPECT_EQ(aws::CallStats::Calls("ecs", "DescribeClusters"), 1u) << aws::CallStats::Format();
  EXPECT_EQ(aws::CallStats::TotalCalls(), 1u) << aws::CallStats::Format();

  // and a cluster deleted outside reconcile is planned again
  AwsCli("ecs delete-cluster --cluster c7");
  EXPECT_EQ(Changes(PlanChanges()), "create aws_ecs_cluster.many[7]\n");
}

TEST_F(AwsEcsClusterTest, InterruptedCreateIsAdoptedNotRepeated) {
  // Given a cluster create that reached ECS but was never recorded
  WriteStack("[resource.aws_ecs_cluster.main]\nname = \"adopted\"\n");
  Value planned = Value::Map({{"name", Value::String("adopted")}});
  std::string arn = InterruptedCreate("aws_ecs_cluster", "aws_ecs_cluster.main", planned);
  ASSERT_EQ(arn, "arn:aws:ecs:us-east-1:123456789012:cluster/adopted");

  // When applied again, it is adopted through its address tag
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_ecs_cluster.main", "id"), arn);
}

}  // namespace
}  // namespace reconcile::testing
