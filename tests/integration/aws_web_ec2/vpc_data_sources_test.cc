// data aws_vpc and data aws_subnets through the engine against moto.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

const char* kNetwork =
    "[resource.aws_vpc.main]\ncidr_block = \"10.7.0.0/16\"\ntags = { Name = \"main\" }\n\n"
    "[resource.aws_vpc.other]\ncidr_block = \"10.8.0.0/16\"\ntags = { Name = \"other\" }\n\n"
    "[resource.aws_subnet.private]\nfor_each = { a = \"10.7.1.0/24\", b = \"10.7.2.0/24\" }\n"
    "vpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"${each.value}\"\ntags = { Tier = \"private\" "
    "}\n\n"
    "[resource.aws_subnet.public]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"10.7.9.0/24\"\n"
    "tags = { Tier = \"public\" }\n\n"
    "[resource.aws_subnet.elsewhere]\nvpc_id = \"${aws_vpc.other.id}\"\ncidr_block = "
    "\"10.8.1.0/24\"\n"
    "tags = { Tier = \"private\" }\n\n";

const char* kLookups =
    "[data.aws_vpc.main]\ntags = { Name = \"main\" }\n\n"
    "[data.aws_vpc.by_cidr]\ncidr_block = \"10.8.0.0/16\"\n\n"
    "[data.aws_subnets.private]\ntags = { Tier = \"private\" }\n"
    "filter = [{ name = \"vpc-id\", values = [\"${data.aws_vpc.main.id}\"] }]\n\n"
    "[data.aws_subnets.none]\nfilter = [{ name = \"vpc-id\", values = [\"vpc-00000000\"] }]\n\n"
    "[output.private_subnets]\nvalue = \"${data.aws_subnets.private.ids}\"\n";

class AwsVpcDataSourcesTest : public AwsStackTest {};

TEST_F(AwsVpcDataSourcesTest, FindsTheVpcAndItsPrivateSubnets) {
  // Given two VPCs, one with two private and one public subnet
  WriteStack(kNetwork);
  Apply();
  std::vector<std::string> private_ids = {Attr("aws_subnet.private[\"a\"]", "id"),
                                          Attr("aws_subnet.private[\"b\"]", "id")};
  std::sort(private_ids.begin(), private_ids.end());

  // When the stack looks them up by tags, CIDR and filter blocks
  WriteStack(std::string(kNetwork) + kLookups);
  EXPECT_EQ(Changes(Apply()), "");

  // Then it finds exactly those
  EXPECT_EQ(Attr("data.aws_vpc.main", "id"), Attr("aws_vpc.main", "id"));
  EXPECT_EQ(Attr("data.aws_vpc.main", "cidr_block"), "10.7.0.0/16");
  EXPECT_EQ(Attr("data.aws_vpc.main", "arn"), Attr("aws_vpc.main", "arn"));
  EXPECT_EQ(Attr("data.aws_vpc.main", "main_route_table_id"),
            Attr("aws_vpc.main", "main_route_table_id"));
  EXPECT_EQ(Attr("data.aws_vpc.main", "enable_dns_support"), "true");
  EXPECT_EQ(Attr("data.aws_vpc.by_cidr", "id"), Attr("aws_vpc.other", "id"));
  EXPECT_EQ(Attr("data.aws_subnets.private", "ids"), json(private_ids).dump());
  EXPECT_EQ(Attr("data.aws_subnets.none", "ids"), "[]");
  EXPECT_EQ(Changes(PlanChanges()), "");
}

TEST_F(AwsVpcDataSourcesTest, NoMatchingVpcIsAnError) {
  WriteStack("[data.aws_vpc.missing]\ntags = { Name = \"nowhere\" }\n");
  std::string errors = ApplyAllowingErrors().ToString();
  EXPECT_NE(errors.find("No VPC matches the query"), std::string::npos) << errors;
}

}  // namespace
}  // namespace reconcile::testing
