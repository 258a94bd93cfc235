// Given lists, maps, tags, filters and nested JSON, when flattened for the
// query protocols, then the exact dotted names AWS expects.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "aws/query.h"

namespace reconcile::aws {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

TEST(QueryParamsTest, Ec2FiltersAndTagSpecification) {
  QueryParams params;
  params.SetEc2Filters({{"vpc-id", {"vpc-1"}}, {"tag:Name", {"a", "b"}}})
      .SetEc2TagSpecification("instance", {{"Name", "web"}, {"env", "prod"}});
  EXPECT_EQ(params.entries(), (Entries{{"Filter.1.Name", "vpc-id"},
                                       {"Filter.1.Value.1", "vpc-1"},
                                       {"Filter.2.Name", "tag:Name"},
                                       {"Filter.2.Value.1", "a"},
                                       {"Filter.2.Value.2", "b"},
                                       {"TagSpecification.1.ResourceType", "instance"},
                                       {"TagSpecification.1.Tag.1.Key", "Name"},
                                       {"TagSpecification.1.Tag.1.Value", "web"},
                                       {"TagSpecification.1.Tag.2.Key", "env"},
                                       {"TagSpecification.1.Tag.2.Value", "prod"}}));
}

TEST(QueryParamsTest, MemberListsTagsAndMaps) {
  QueryParams params;
  params.SetList("AvailabilityZones", {"us-east-1a", "us-east-1b"}, ListStyle::kMember)
      .SetTags("Tags", {{"stack", "web"}}, ListStyle::kMember)
      .SetMap("Attributes", {{"Policy", "{}"}})
      .SetList("InstanceId", {"i-1"}, ListStyle::kIndexed);
  EXPECT_EQ(params.entries(), (Entries{{"AvailabilityZones.member.1", "us-east-1a"},
                                       {"AvailabilityZones.member.2", "us-east-1b"},
                                       {"Tags.member.1.Key", "stack"},
                                       {"Tags.member.1.Value", "web"},
                                       {"Attributes.entry.1.key", "Policy"},
                                       {"Attributes.entry.1.value", "{}"},
                                       {"InstanceId.1", "i-1"}}));
}

TEST(QueryParamsTest, StructListAndScalars) {
  QueryParams params;
  params.SetStructList("LaunchTemplate", {{{"LaunchTemplateId", "lt-1"}, {"Version", "$Latest"}}},
                       ListStyle::kMember)
      .SetBool("DryRun", false)
      .SetInt("MaxCount", 3)
      .Set("MaxCount", "4");  // setting again replaces
  EXPECT_EQ(params.entries(), (Entries{{"LaunchTemplate.member.1.LaunchTemplateId", "lt-1"},
                                       {"LaunchTemplate.member.1.Version", "$Latest"},
                                       {"DryRun", "false"},
                                       {"MaxCount", "4"}}));
  ASSERT_NE(params.Get("DryRun"), nullptr);
  EXPECT_EQ(*params.Get("DryRun"), "false");
  EXPECT_EQ(params.Get("Missing"), nullptr);
}

TEST(QueryParamsTest, JsonIsFlattenedByStyle) {
  nlohmann::json value = {{"BlockDeviceMappings", {{{"DeviceName", "/dev/sda1"},
                                                    {"Ebs", {{"VolumeSize", 20}, {"Encrypted", true}}}}}},
                          {"Skipped", nullptr}};
  QueryParams ec2;
  ec2.SetJson("", value, ListStyle::kIndexed);
  EXPECT_EQ(ec2.entries(), (Entries{{"BlockDeviceMappings.1.DeviceName", "/dev/sda1"},
                                    {"BlockDeviceMappings.1.Ebs.Encrypted", "true"},
                                    {"BlockDeviceMappings.1.Ebs.VolumeSize", "20"}}));
  QueryParams query;
  query.SetJson("Subnets", nlohmann::json::array({"s-1", "s-2"}), ListStyle::kMember);
  EXPECT_EQ(query.entries(), (Entries{{"Subnets.member.1", "s-1"}, {"Subnets.member.2", "s-2"}}));
}

TEST(QueryParamsTest, FormBodyPutsActionAndVersionFirstAndEncodes) {
  QueryParams params;
  params.Set("PolicyDocument", R"({"a": "b/c"})").Set("Path", "/x y/");
  EXPECT_EQ(params.FormBody("CreatePolicy", "2010-05-08"),
            "Action=CreatePolicy&Version=2010-05-08"
            "&PolicyDocument=%7B%22a%22%3A%20%22b%2Fc%22%7D&Path=%2Fx%20y%2F");
}

}  // namespace
}  // namespace reconcile::aws
