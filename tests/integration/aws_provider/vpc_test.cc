// aws_vpc through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

class AwsVpcTest : public AwsStackTest {
 protected:
  // The VPC as the aws CLI sees it.
  json DescribeVpc(const std::string& id) {
    json out = AwsCli("ec2 describe-vpcs --vpc-ids " + id);
    return out["Vpcs"][0];
  }
  std::string Tag(const json& object, const std::string& key) {
    for (const json& tag : object["Tags"])
      if (tag["Key"] == key) return tag["Value"];
    return "<absent>";
  }
  bool DnsAttribute(const std::string& id, const std::string& attribute) {
    std::string key = attribute == "enableDnsSupport" ? "EnableDnsSupport" : "EnableDnsHostnames";
    return AwsCli("ec2 describe-vpc-attribute --vpc-id " + id + " --attribute " + attribute)[key]["Value"];
  }
  std::size_t VpcsTaggedWith(const std::string& address) {
    return AwsCli("ec2 describe-vpcs --filters Name=tag:reconcile:address,Values=" + address)["Vpcs"].size();
  }
};

constexpr const char* kDefaultTags = "default_tags = { team = \"core\" }";

std::string VpcStack(const std::string& cidr, bool hostnames, const std::string& name) {
  return "[resource.aws_vpc.main]\ncidr_block = \"" + cidr + "\"\nenable_dns_hostnames = " +
         (hostnames ? "true" : "false") + "\ntags = { Name = \"" + name + "\" }\n";
}

TEST_F(AwsVpcTest, CreateNoOpUpdateDriftReplaceImportDelete) {
  // Given a VPC with DNS hostnames on, a Name tag and a default tag
  WriteStack(VpcStack("10.1.0.0/16", true, "main"), kDefaultTags);

  // When it is applied
  Plan created = Apply();

  // Then it was created, and AWS has it as configured, with every tag
  EXPECT_EQ(Changes(created), "create aws_vpc.main\n");
  std::string id = Attr("aws_vpc.main", "id");
  ASSERT_TRUE(id.starts_with("vpc-")) << id;
  json vpc = DescribeVpc(id);
  EXPECT_EQ(vpc["CidrBlock"], "10.1.0.0/16");
  EXPECT_EQ(Tag(vpc, "Name"), "main");
  EXPECT_EQ(Tag(vpc, "team"), "core");
  EXPECT_EQ(Tag(vpc, "reconcile:address"), "aws_vpc.main");
  EXPECT_EQ(Tag(vpc, "reconcile:stack"), "awstest");
  EXPECT_EQ(Tag(vpc, "reconcile:workspace"), "default");
  EXPECT_TRUE(DnsAttribute(id, "enableDnsHostnames"));
  EXPECT_TRUE(DnsAttribute(id, "enableDnsSupport"));
  // and state holds the user's tags in tags and the merged set in tags_all
  EXPECT_EQ(Attr("aws_vpc.main", "tags"), R"({"Name":"main"})");
  EXPECT_EQ(Attr("aws_vpc.main", "tags_all"), R"({"Name":"main","team":"core"})");
  EXPECT_TRUE(Attr("aws_vpc.main", "default_security_group_id").starts_with("sg-"));
  EXPECT_TRUE(Attr("aws_vpc.main", "main_route_table_id").starts_with("rtb-"));
  EXPECT_TRUE(Attr("aws_vpc.main", "default_network_acl_id").starts_with("acl-"));
  EXPECT_EQ(Attr("aws_vpc.main", "arn"), "arn:aws:ec2:us-east-1:123456789012:vpc/" + id);

  // When planned again, nothing changes
  EXPECT_EQ(Changes(PlanChanges()), "");

  // When DNS hostnames and the Name tag change, the VPC is updated in place
  WriteStack(VpcStack("10.1.0.0/16", false, "renamed"), kDefaultTags);
  EXPECT_EQ(Changes(Apply()), "update aws_vpc.main\n");
  EXPECT_EQ(Attr("aws_vpc.main", "id"), id);
  EXPECT_FALSE(DnsAttribute(id, "enableDnsHostnames"));
  EXPECT_EQ(Tag(DescribeVpc(id), "Name"), "renamed");

  // When DNS support is turned off outside reconcile (drift), the plan puts it back
  AwsCli("ec2 modify-vpc-attribute --vpc-id " + id + " --enable-dns-support '{\"Value\":false}'");
  AwsCli("ec2 create-tags --resources " + id + " --tags Key=extra,Value=x");
  EXPECT_EQ(Changes(Apply()), "update aws_vpc.main\n");
  EXPECT_TRUE(DnsAttribute(id, "enableDnsSupport"));
  EXPECT_EQ(Tag(DescribeVpc(id), "extra"), "<absent>");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // When the CIDR block changes, the VPC is replaced, naming cidr_block
  WriteStack(VpcStack("10.2.0.0/16", false, "renamed"), kDefaultTags);
  Plan replaced = Apply();
  EXPECT_EQ(Changes(replaced), "replace aws_vpc.main [cidr_block]\n");
  std::string new_id = Attr("aws_vpc.main", "id");
  EXPECT_NE(new_id, id);
  EXPECT_EQ(DescribeVpc(new_id)["CidrBlock"], "10.2.0.0/16");
  EXPECT_EQ(AwsCli("ec2 describe-vpcs --filters Name=vpc-id,Values=" + id)["Vpcs"].size(), 0u);

  // When it is forgotten and imported by id, state matches the configuration again
  ASSERT_FALSE(RemoveFromState("aws_vpc.main").HasErrors());
  EXPECT_TRUE(StateOf("aws_vpc.main").is_null());
  Import("aws_vpc.main", new_id);
  EXPECT_EQ(Attr("aws_vpc.main", "cidr_block"), "10.2.0.0/16");
  EXPECT_EQ(Attr("aws_vpc.main", "tags"), R"({"Name":"renamed"})");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // When the resource leaves the configuration, the VPC is deleted
  WriteStack("", kDefaultTags);
  EXPECT_EQ(Changes(Apply()), "delete aws_vpc.main\n");
  EXPECT_EQ(AwsCli("ec2 describe-vpcs --filters Name=vpc-id,Values=" + new_id)["Vpcs"].size(), 0u);
}

TEST_F(AwsVpcTest, InterruptedCreateIsAdoptedNotRepeated) {
  // Given a create that reached AWS but was never recorded (the tool died)
  WriteStack(VpcStack("10.3.0.0/16", false, "adopted"));
  Value planned = Value::Map({{"cidr_block", Value::String("10.3.0.0/16")},
                              {"instance_tenancy", Value::String("default")},
                              {"enable_dns_support", Value::Bool(true)},
                              {"enable_dns_hostnames", Value::Bool(false)},
                              {"tags", Value::Map({{"Name", Value::String("adopted")}})}});
  std::string id = InterruptedCreate("aws_vpc", "aws_vpc.main", planned);
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(StateOf("aws_vpc.main").is_null());

  // When the stack is applied again
  Plan plan = Apply();

  // Then the VPC is adopted through its ownership tag, not created a second time
  EXPECT_EQ(Changes(plan), "");
  EXPECT_EQ(Attr("aws_vpc.main", "id"), id);
  EXPECT_EQ(VpcsTaggedWith("aws_vpc.main"), 1u);
}

}  // namespace
}  // namespace reconcile::testing
