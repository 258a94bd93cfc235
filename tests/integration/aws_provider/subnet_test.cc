// aws_subnet through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string SubnetStack(const std::string& cidr, bool public_ip, const std::string& zone = "us-east-1a") {
  return "[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
         "[resource.aws_subnet.a]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"" + cidr +
         "\"\navailability_zone = \"" + zone + "\"\nmap_public_ip_on_launch = " +
         (public_ip ? "true" : "false") + "\ntags = { Name = \"a\" }\n";
}

class AwsSubnetTest : public AwsStackTest {
 protected:
  json DescribeSubnet(const std::string& id) {
    return AwsCli("ec2 describe-subnets --subnet-ids " + id)["Subnets"][0];
  }
  std::size_t SubnetsWithId(const std::string& id) {
    return AwsCli("ec2 describe-subnets --filters Name=subnet-id,Values=" + id)["Subnets"].size();
  }
};

TEST_F(AwsSubnetTest, CreateNoOpUpdateDriftReplaceImportDelete) {
  // Given a subnet in a VPC, with public IPs off
  WriteStack(SubnetStack("10.0.1.0/24", false));

  // When applied, both are created and AWS has the subnet as configured
  EXPECT_EQ(Changes(Apply()), "create aws_subnet.a\ncreate aws_vpc.main\n");
  std::string id = Attr("aws_subnet.a", "id");
  ASSERT_TRUE(id.starts_with("subnet-")) << id;
  json subnet = DescribeSubnet(id);
  EXPECT_EQ(subnet["CidrBlock"], "10.0.1.0/24");
  EXPECT_EQ(subnet["VpcId"], Attr("aws_vpc.main", "id"));
  EXPECT_EQ(subnet["AvailabilityZone"], "us-east-1a");
  EXPECT_EQ(subnet["MapPublicIpOnLaunch"], false);
  EXPECT_EQ(Attr("aws_subnet.a", "availability_zone_id"), subnet["AvailabilityZoneId"]);
  EXPECT_EQ(Attr("aws_subnet.a", "arn"), subnet["SubnetArn"]);

  // A second plan changes nothing
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Public IPs on launch change in place
  WriteStack(SubnetStack("10.0.1.0/24", true));
  EXPECT_EQ(Changes(Apply()), "update aws_subnet.a\n");
  EXPECT_EQ(Attr("aws_subnet.a", "id"), id);
  EXPECT_EQ(DescribeSubnet(id)["MapPublicIpOnLaunch"], true);

  // Drift made with the aws CLI is planned and corrected
  AwsCli("ec2 modify-subnet-attribute --subnet-id " + id + " --no-map-public-ip-on-launch");
  EXPECT_EQ(Changes(Apply()), "update aws_subnet.a\n");
  EXPECT_EQ(DescribeSubnet(id)["MapPublicIpOnLaunch"], true);

  // A new availability zone replaces the subnet, naming the attribute
  WriteStack(SubnetStack("10.0.1.0/24", true, "us-east-1b"));
  EXPECT_EQ(Changes(Apply()), "replace aws_subnet.a [availability_zone]\n");
  std::string new_id = Attr("aws_subnet.a", "id");
  EXPECT_NE(new_id, id);
  EXPECT_EQ(SubnetsWithId(id), 0u);
  EXPECT_EQ(DescribeSubnet(new_id)["AvailabilityZone"], "us-east-1b");

  // Import by id after the state forgets it gives a state matching the configuration
  ASSERT_FALSE(RemoveFromState("aws_subnet.a").HasErrors());
  Import("aws_subnet.a", new_id);
  EXPECT_EQ(Attr("aws_subnet.a", "cidr_block"), "10.0.1.0/24");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroying deletes the subnet and then the VPC
  Destroy();
  EXPECT_EQ(SubnetsWithId(new_id), 0u);
  EXPECT_TRUE(StateOf("aws_vpc.main").is_null());
}

TEST_F(AwsSubnetTest, InterruptedCreateIsAdoptedNotRepeated) {
  // Given a VPC, and a subnet create that reached AWS but was never recorded
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n");
  Apply();
  std::string vpc = Attr("aws_vpc.main", "id");
  WriteStack(SubnetStack("10.0.7.0/24", false));
  Value planned = Value::Map({{"vpc_id", Value::String(vpc)},
                              {"cidr_block", Value::String("10.0.7.0/24")},
                              {"availability_zone", Value::String("us-east-1a")},
                              {"tags", Value::Map({{"Name", Value::String("a")}})}});
  std::string id = InterruptedCreate("aws_subnet", "aws_subnet.a", planned);
  ASSERT_FALSE(id.empty());

  // When applied again, the subnet is adopted, not created twice
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_subnet.a", "id"), id);
  EXPECT_EQ(AwsCli("ec2 describe-subnets --filters Name=tag:reconcile:address,Values=aws_subnet.a")["Subnets"].size(), 1u);
}

TEST_F(AwsSubnetTest, InterruptedCreateOfACountedInstanceIsAdoptedNotRepeated) {
  // Given a subnet `aws_subnet.a[0]` (count) whose create reached AWS but was
  // never recorded. (The lookup once filtered on the address tag, and moto
  // reads "[0]" in a filter value as a character class: the next apply created
  // the subnet again and failed with InvalidSubnet.Conflict; e2e.faults.)
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n");
  Apply();
  std::string vpc = Attr("aws_vpc.main", "id");
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
             "[resource.aws_subnet.a]\ncount = 1\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"10.0.8.0/24\"\n"
             "availability_zone = \"us-east-1a\"\n");
  Value planned = Value::Map({{"vpc_id", Value::String(vpc)},
                              {"cidr_block", Value::String("10.0.8.0/24")},
                              {"availability_zone", Value::String("us-east-1a")}});
  std::string id = InterruptedCreate("aws_subnet", "aws_subnet.a[0]", planned);
  ASSERT_FALSE(id.empty());

  // When applied again, that subnet is adopted, not created a second time
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_subnet.a[0]", "id"), id);
  EXPECT_EQ(AwsCli("ec2 describe-subnets --filters Name=vpc-id,Values=" + vpc)["Subnets"].size(), 1u);
}

}  // namespace
}  // namespace reconcile::testing
