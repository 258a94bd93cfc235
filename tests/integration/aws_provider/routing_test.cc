// aws_internet_gateway, aws_route_table and aws_route_table_association
// through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

// A VPC with a gateway, two route tables and a subnet using one of them.
std::string RoutingStack(const std::string& routes, const std::string& table_for_subnet,
                         const std::string& gateway_vpc = "main") {
  return "[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
         "[resource.aws_vpc.other]\ncidr_block = \"10.9.0.0/16\"\n\n"
         "[resource.aws_subnet.a]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"10.0.1.0/24\"\n\n"
         "[resource.aws_internet_gateway.gw]\nvpc_id = \"${aws_vpc." + gateway_vpc + ".id}\"\n"
         "tags = { Name = \"gw\" }\n\n"
         "[resource.aws_route_table.public]\nvpc_id = \"${aws_vpc.main.id}\"\n" + routes + "\n\n"
         "[resource.aws_route_table.private]\nvpc_id = \"${aws_vpc.main.id}\"\n\n"
         "[resource.aws_route_table_association.a]\nsubnet_id = \"${aws_subnet.a.id}\"\n"
         "route_table_id = \"${aws_route_table." + table_for_subnet + ".id}\"\n";
}

constexpr const char* kDefaultRoute =
    "route = [{ cidr_block = \"0.0.0.0/0\", gateway_id = \"${aws_internet_gateway.gw.id}\" }]";
constexpr const char* kTwoRoutes =
    "route = [{ cidr_block = \"0.0.0.0/0\", gateway_id = \"${aws_internet_gateway.gw.id}\" },\n"
    "         { cidr_block = \"192.168.0.0/16\", gateway_id = \"${aws_internet_gateway.gw.id}\" }]";

class AwsRoutingTest : public AwsStackTest {
 protected:
  // "destination>target" of every route the CLI shows, local route excluded.
  std::string Routes(const std::string& table) {
    std::string out;
    json tables = AwsCli("ec2 describe-route-tables --route-table-ids " + table)["RouteTables"];
    for (const json& route : tables[0]["Routes"]) {
      if (route["GatewayId"] == "local") continue;
      out += route["DestinationCidrBlock"].get<std::string>() + ">" + route["GatewayId"].get<std::string>() + " ";
    }
    return out;
  }
  std::string AttachedVpc(const std::string& gateway) {
    json gw = AwsCli("ec2 describe-internet-gateways --internet-gateway-ids " + gateway)["InternetGateways"][0];
    return gw["Attachments"].empty() ? "" : gw["Attachments"][0]["VpcId"].get<std::string>();
  }
  std::string TableOfSubnet(const std::string& subnet) {
    json tables = AwsCli("ec2 describe-route-tables --filters Name=association.subnet-id,Values=" + subnet);
    return tables["RouteTables"].empty() ? "" : tables["RouteTables"][0]["RouteTableId"].get<std::string>();
  }
};

TEST_F(AwsRoutingTest, CreateNoOpUpdateDriftImportDelete) {
  // Given a public route table with a default route through the gateway
  WriteStack(RoutingStack(kDefaultRoute, "public"));
  Apply();
  std::string gw = Attr("aws_internet_gateway.gw", "id");
  std::string table = Attr("aws_route_table.public", "id");
  std::string subnet = Attr("aws_subnet.a", "id");
  ASSERT_TRUE(gw.starts_with("igw-")) << gw;

  // Then AWS has the gateway attached, the route, and the association
  EXPECT_EQ(AttachedVpc(gw), Attr("aws_vpc.main", "id"));
  EXPECT_EQ(Routes(table), "0.0.0.0/0>" + gw + " ");
  EXPECT_EQ(TableOfSubnet(subnet), table);
  EXPECT_TRUE(Attr("aws_route_table_association.a", "id").starts_with("rtbassoc-"));
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A second route, the subnet moved to the private table and the gateway
  // moved to another VPC are all updates in place
  WriteStack(RoutingStack(kTwoRoutes, "private", "other"));
  EXPECT_EQ(Changes(Apply()),
            "update aws_internet_gateway.gw\nupdate aws_route_table.public\n"
            "update aws_route_table_association.a\n");
  EXPECT_EQ(Attr("aws_route_table.public", "id"), table);
  EXPECT_EQ(Routes(table), "0.0.0.0/0>" + gw + " 192.168.0.0/16>" + gw + " ");
  EXPECT_EQ(TableOfSubnet(subnet), Attr("aws_route_table.private", "id"));
  EXPECT_EQ(AttachedVpc(gw), Attr("aws_vpc.other", "id"));
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A route deleted with the aws CLI is drift, put back by the next apply
  AwsCli("ec2 delete-route --route-table-id " + table + " --destination-cidr-block 192.168.0.0/16");
  EXPECT_EQ(Changes(Apply()), "update aws_route_table.public\n");
  EXPECT_EQ(Routes(table), "0.0.0.0/0>" + gw + " 192.168.0.0/16>" + gw + " ");

  // Import of each after the state forgets them matches the configuration
  std::string private_table = Attr("aws_route_table.private", "id");
  for (const char* address : {"aws_internet_gateway.gw", "aws_route_table.public", "aws_route_table_association.a"})
    ASSERT_FALSE(RemoveFromState(address).HasErrors());
  Import("aws_internet_gateway.gw", gw);
  Import("aws_route_table.public", table);
  Import("aws_route_table_association.a", subnet + "/" + private_table);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy removes everything; the VPC delete waits for its dependants
  Destroy();
  EXPECT_EQ(AwsCli("ec2 describe-internet-gateways --filters Name=internet-gateway-id,Values=" + gw)["InternetGateways"].size(), 0u);
  EXPECT_EQ(AwsCli("ec2 describe-route-tables --filters Name=route-table-id,Values=" + table)["RouteTables"].size(), 0u);
}

TEST_F(AwsRoutingTest, ReplacingTheVpcReplacesItsRouteTable) {
  // Given a route table in a VPC
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
             "[resource.aws_route_table.t]\nvpc_id = \"${aws_vpc.main.id}\"\n");
  Apply();
  std::string table = Attr("aws_route_table.t", "id");

  // When the VPC's CIDR changes, both are replaced, the table because of vpc_id
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.1.0.0/16\"\n\n"
             "[resource.aws_route_table.t]\nvpc_id = \"${aws_vpc.main.id}\"\n");
  Plan plan = Apply();
  EXPECT_EQ(Changes(plan), "replace aws_route_table.t [vpc_id]\nreplace aws_vpc.main [cidr_block]\n");
  EXPECT_NE(Attr("aws_route_table.t", "id"), table);
}

TEST_F(AwsRoutingTest, InterruptedCreatesAreAdoptedNotRepeated) {
  // Given a VPC, and a gateway and route table whose creates were never recorded
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n");
  Apply();
  std::string vpc = Attr("aws_vpc.main", "id");
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
             "[resource.aws_internet_gateway.gw]\nvpc_id = \"${aws_vpc.main.id}\"\n\n"
             "[resource.aws_route_table.t]\nvpc_id = \"${aws_vpc.main.id}\"\n");
  Value planned = Value::Map({{"vpc_id", Value::String(vpc)}});
  std::string gw = InterruptedCreate("aws_internet_gateway", "aws_internet_gateway.gw", planned);
  ASSERT_FALSE(gw.empty());

  // When applied again, the gateway is adopted and only the table is created
  EXPECT_EQ(Changes(Apply()), "create aws_route_table.t\n");
  EXPECT_EQ(Attr("aws_internet_gateway.gw", "id"), gw);
  EXPECT_EQ(AwsCli("ec2 describe-internet-gateways --filters Name=tag:reconcile:address,Values=aws_internet_gateway.gw")["InternetGateways"].size(), 1u);
}

}  // namespace
}  // namespace reconcile::testing
