// aws_nat_gateway through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string NatStack(const std::string& gateway_settings, const std::string& tag) {
  return "[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
         "[resource.aws_subnet.public]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = "
         "\"10.0.1.0/24\"\n\n"
         "[resource.aws_eip.nat]\ndomain = \"vpc\"\n\n"
         "[resource.aws_nat_gateway.main]\nsubnet_id = \"${aws_subnet.public.id}\"\n" +
         gateway_settings + "tags = { Name = \"" + tag + "\" }\n";
}

const char* kPublic = "allocation_id = \"${aws_eip.nat.id}\"\n";
const char* kPrivate = "connectivity_type = \"private\"\n";

class AwsNatGatewayTest : public AwsStackTest {
 protected:
  json Gateway(const std::string& id) {
    return AwsCli("ec2 describe-nat-gateways --nat-gateway-ids " + id)["NatGateways"][0];
  }
  std::size_t LiveGateways() {
    return AwsCli("ec2 describe-nat-gateways --filter Name=state,Values=pending,available")
        ["NatGateways"]
            .size();
  }
};

TEST_F(AwsNatGatewayTest, CreateRetagReplaceImportDelete) {
  // Given a public NAT gateway with an Elastic IP
  WriteStack(NatStack(kPublic, "nat"));
  Apply();
  std::string id = Attr("aws_nat_gateway.main", "id");
  ASSERT_TRUE(id.starts_with("nat-")) << id;
  json gateway = Gateway(id);
  EXPECT_EQ(gateway["State"], "available");
  EXPECT_EQ(gateway["SubnetId"], Attr("aws_subnet.public", "id"));
  EXPECT_EQ(gateway["NatGatewayAddresses"][0]["AllocationId"], Attr("aws_eip.nat", "id"));
  EXPECT_EQ(Attr("aws_nat_gateway.main", "public_ip"), Attr("aws_eip.nat", "public_ip"));
  EXPECT_EQ(Attr("aws_nat_gateway.main", "connectivity_type"), "public");
  EXPECT_EQ(TagsOf(gateway["Tags"])["Name"], "nat");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A tag changes in place
  WriteStack(NatStack(kPublic, "nat2"));
  EXPECT_EQ(Changes(Apply()), "update aws_nat_gateway.main\n");
  EXPECT_EQ(TagsOf(Gateway(id)["Tags"])["Name"], "nat2");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A private gateway replaces it; the old one is deleted
  WriteStack(NatStack(kPrivate, "nat2"));
  EXPECT_EQ(Changes(Apply()), "replace aws_nat_gateway.main [allocation_id] [connectivity_type]\n");
  std::string new_id = Attr("aws_nat_gateway.main", "id");
  EXPECT_EQ(Gateway(id)["State"], "deleted");
  EXPECT_EQ(Gateway(new_id)["ConnectivityType"], "private");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Import by id matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_nat_gateway.main").HasErrors());
  Import("aws_nat_gateway.main", new_id);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy deletes it and waits for it
  Destroy();
  EXPECT_EQ(LiveGateways(), 0u);
  EXPECT_EQ(Gateway(new_id)["State"], "deleted");
}

TEST_F(AwsNatGatewayTest, InterruptedCreateIsAdoptedNotRepeated) {
  WriteStack(
      "[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
      "[resource.aws_subnet.public]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = "
      "\"10.0.1.0/24\"\n");
  Apply();
  std::string subnet = Attr("aws_subnet.public", "id");
  WriteStack(
      "[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
      "[resource.aws_subnet.public]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = "
      "\"10.0.1.0/24\"\n\n"
      "[resource.aws_nat_gateway.main]\nsubnet_id = \"${aws_subnet.public.id}\"\n" +
      std::string(kPrivate));
  Value planned = Value::Map(
      {{"subnet_id", Value::String(subnet)}, {"connectivity_type", Value::String("private")}});
  std::string id = InterruptedCreate("aws_nat_gateway", "aws_nat_gateway.main", planned);
  ASSERT_FALSE(id.empty());

  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_nat_gateway.main", "id"), id);
  EXPECT_EQ(LiveGateways(), 1u);
  Destroy();
  EXPECT_EQ(LiveGateways(), 0u);
}

}  // namespace
}  // namespace reconcile::testing
