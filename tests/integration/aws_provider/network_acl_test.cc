// aws_network_acl through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"

#include <algorithm>
#include <tuple>
#include <vector>

#include "aws/call_stats.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

// A VPC with two subnets and a network ACL holding `entries` (ingress/egress
// lines) used by `subnets`.
std::string AclStack(const std::string& entries, const std::string& subnets,
                     const std::string& vpc_cidr = "10.0.0.0/16") {
  return "[resource.aws_vpc.main]\ncidr_block = \"" + vpc_cidr + "\"\n\n"
         "[resource.aws_subnet.a]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"10.0.1.0/24\"\n\n"
         "[resource.aws_subnet.b]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"10.0.2.0/24\"\n\n"
         "[resource.aws_network_acl.private]\nvpc_id = \"${aws_vpc.main.id}\"\n"
         "subnet_ids = [" + subnets + "]\n" + entries + "tags = { Name = \"private\" }\n";
}

// HTTPS from 10/8 (protocol by name), ICMP echo denied, all egress allowed.
constexpr const char* kFirstEntries =
    "ingress = [{ rule_no = 100, protocol = \"tcp\", action = \"allow\", cidr_block = \"10.0.0.0/8\", from_port = 443, to_port = 443 },\n"
    "           { rule_no = 200, protocol = \"icmp\", action = \"deny\", cidr_block = \"0.0.0.0/0\", from_port = 0, to_port = 0, icmp_type = 8, icmp_code = -1 }]\n"
    "egress = [{ rule_no = 100, protocol = \"all\", action = \"allow\", cidr_block = \"0.0.0.0/0\", from_port = 0, to_port = 0 }]\n";
// Rule 100 on another port, rule 200 gone, rule 300 new (DNS over UDP, by number).
constexpr const char* kSecondEntries =
    "ingress = [{ rule_no = 100, protocol = \"tcp\", action = \"allow\", cidr_block = \"10.0.0.0/8\", from_port = 8443, to_port = 8443 },\n"
    "           { rule_no = 300, protocol = \"17\", action = \"ALLOW\", cidr_block = \"10.2.0.0/16\", from_port = 53, to_port = 53 }]\n"
    "egress = [{ rule_no = 100, protocol = \"all\", action = \"allow\", cidr_block = \"0.0.0.0/0\", from_port = 0, to_port = 0 }]\n";

class AwsNetworkAclTest : public AwsStackTest {
 protected:
  json Acl(const std::string& id) {
    return AwsCli("ec2 describe-network-acls --network-acl-ids " + id)["NetworkAcls"][0];
  }
  // "in|out RULE PROTOCOL ACTION CIDR FROM-TO" per entry, ingress first, each
  // direction by rule number; AWS's final deny rules are left out.
  std::string Entries(const std::string& id) {
    const json acl = Acl(id);  // a range-for over Acl(id)["Entries"] would outlive the temporary
    std::vector<std::tuple<bool, int, std::string>> lines;
    for (const json& e : acl["Entries"]) {
      int rule = e["RuleNumber"].get<int>();
      if (rule >= 32767) continue;
      bool egress = e["Egress"].get<bool>();
      std::string ports = e.contains("PortRange") ? std::to_string(e["PortRange"]["From"].get<int>()) + "-" +
                                                        std::to_string(e["PortRange"]["To"].get<int>())
                                                  : "-";
      lines.emplace_back(egress, rule,
                         std::string(egress ? "out " : "in ") + std::to_string(rule) + " " +
                             e["Protocol"].get<std::string>() + " " + e["RuleAction"].get<std::string>() + " " +
                             e["CidrBlock"].get<std::string>() + " " + ports + "\n");
    }
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const auto& line : lines) out += std::get<2>(line);
    return out;
  }
  // The network ACL a subnet uses.
  std::string AclOfSubnet(const std::string& subnet) {
    json acls = AwsCli("ec2 describe-network-acls --filters Name=association.subnet-id,Values=" + subnet);
    return acls["NetworkAcls"].size() == 1 ? acls["NetworkAcls"][0]["NetworkAclId"].get<std::string>() : "";
  }
  std::size_t AclsWithId(const std::string& id) {
    json acls = AwsCli("ec2 describe-network-acls --filters Name=vpc-id,Values=" + Attr("aws_vpc.main", "id"));
    std::size_t n = 0;
    for (const json& acl : acls["NetworkAcls"]) n += acl["NetworkAclId"] == id ? 1 : 0;
    return n;
  }
};

TEST_F(AwsNetworkAclTest, CreateNoOpUpdateEntriesAndSubnetsDriftImportDelete) {
  // Given an ACL with two ingress entries and one egress entry, used by subnet a
  WriteStack(AclStack(kFirstEntries, "\"${aws_subnet.a.id}\""));
  Apply();
  std::string id = Attr("aws_network_acl.private", "id");
  std::string subnet_a = Attr("aws_subnet.a", "id");
  std::string subnet_b = Attr("aws_subnet.b", "id");
  std::string default_acl = Attr("aws_vpc.main", "default_network_acl_id");
  ASSERT_TRUE(id.starts_with("acl-")) << id;

  // Then AWS has exactly those entries, protocols as numbers, and the association
  EXPECT_EQ(Entries(id), "in 100 6 allow 10.0.0.0/8 443-443\n"
                         "in 200 1 deny 0.0.0.0/0 -\n"
                         "out 100 -1 allow 0.0.0.0/0 -\n");
  EXPECT_EQ(AclOfSubnet(subnet_a), id);
  EXPECT_EQ(AclOfSubnet(subnet_b), default_acl);
  EXPECT_EQ(Acl(id)["VpcId"], Attr("aws_vpc.main", "id"));
  EXPECT_EQ(Attr("aws_network_acl.private", "subnet_ids"), "[\"" + subnet_a + "\"]");
  EXPECT_EQ(Attr("aws_network_acl.private", "arn"), "arn:aws:ec2:us-east-1:123456789012:network-acl/" + id);
  EXPECT_EQ(Attr("aws_network_acl.private", "owner_id"), "123456789012");
  EXPECT_EQ(Attr("aws_network_acl.private", "tags"), "{\"Name\":\"private\"}");
  EXPECT_EQ(AwsCli("ec2 describe-network-acls --filters Name=tag:reconcile:address,Values=aws_network_acl.private")
                ["NetworkAcls"].size(), 1u);

  // A second plan changes nothing ("tcp" and "all" match the recorded "6" and "-1")
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Changed, removed and added entries, and the ACL moved from subnet a to b, are one update in place
  WriteStack(AclStack(kSecondEntries, "\"${aws_subnet.b.id}\""));
  EXPECT_EQ(Changes(Apply()), "update aws_network_acl.private\n");
  EXPECT_EQ(Attr("aws_network_acl.private", "id"), id);
  EXPECT_EQ(Entries(id), "in 100 6 allow 10.0.0.0/8 8443-8443\n"
                         "in 300 17 allow 10.2.0.0/16 53-53\n"
                         "out 100 -1 allow 0.0.0.0/0 -\n");
  EXPECT_EQ(AclOfSubnet(subnet_a), default_acl);
  EXPECT_EQ(AclOfSubnet(subnet_b), id);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // An entry added and the subnet moved back with the aws CLI are drift, undone by the next apply
  AwsCli("ec2 create-network-acl-entry --network-acl-id " + id +
         " --ingress --rule-number 150 --protocol 6 --rule-action allow --cidr-block 0.0.0.0/0 --port-range From=22,To=22");
  std::string association;
  const json acl = Acl(id);
  for (const json& a : acl["Associations"]) association = a["NetworkAclAssociationId"];
  AwsCli("ec2 replace-network-acl-association --association-id " + association + " --network-acl-id " + default_acl);
  EXPECT_EQ(AclOfSubnet(subnet_b), default_acl);
  EXPECT_EQ(Changes(Apply()), "update aws_network_acl.private\n");
  EXPECT_EQ(Entries(id), "in 100 6 allow 10.0.0.0/8 8443-8443\n"
                         "in 300 17 allow 10.2.0.0/16 53-53\n"
                         "out 100 -1 allow 0.0.0.0/0 -\n");
  EXPECT_EQ(AclOfSubnet(subnet_b), id);

  // Import by id after the state forgets it matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_network_acl.private").HasErrors());
  Import("aws_network_acl.private", id);
  EXPECT_EQ(Attr("aws_network_acl.private", "subnet_ids"), "[\"" + subnet_b + "\"]");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Removed from the configuration, it is deleted and subnet b goes back to the default ACL
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
             "[resource.aws_subnet.a]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"10.0.1.0/24\"\n\n"
             "[resource.aws_subnet.b]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"10.0.2.0/24\"\n");
  EXPECT_EQ(Changes(Apply()), "delete aws_network_acl.private\n");
  EXPECT_EQ(AclsWithId(id), 0u);
  EXPECT_EQ(AclOfSubnet(subnet_b), default_acl);
}

TEST_F(AwsNetworkAclTest, ReplacingTheVpcReplacesTheAcl) {
  // Given an ACL in a VPC
  const std::string acl = "[resource.aws_network_acl.edge]\nvpc_id = \"${aws_vpc.main.id}\"\n"
                          "ingress = [{ rule_no = 10, protocol = \"tcp\", action = \"allow\", "
                          "cidr_block = \"0.0.0.0/0\", from_port = 80, to_port = 80 }]\n";
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n" + acl);
  Apply();
  std::string id = Attr("aws_network_acl.edge", "id");

  // When the VPC's CIDR changes, both are replaced, the ACL because of vpc_id
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.1.0.0/16\"\n\n" + acl);
  EXPECT_EQ(Changes(Apply()), "replace aws_network_acl.edge [vpc_id]\nreplace aws_vpc.main [cidr_block]\n");
  std::string new_id = Attr("aws_network_acl.edge", "id");
  EXPECT_NE(new_id, id);
  EXPECT_EQ(Acl(new_id)["VpcId"], Attr("aws_vpc.main", "id"));
  EXPECT_EQ(Entries(new_id), "in 10 6 allow 0.0.0.0/0 80-80\n");
}

TEST_F(AwsNetworkAclTest, RefreshOfManyAclsIsOneDescribe) {
  // Given five ACLs
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
             "[resource.aws_network_acl.many]\ncount = 5\nvpc_id = \"${aws_vpc.main.id}\"\n");
  Apply();

  // When the state is refreshed, one DescribeNetworkAcls call reads them all
  // (the second is the VPC's, for its default_network_acl_id)
  aws::CallStats::Reset();
  Refresh();
  EXPECT_EQ(aws::CallStats::Calls("ec2", "DescribeNetworkAcls"), 2u) << aws::CallStats::Format();

  // And one deleted behind reconcile's back is planned again (the batch falls back to single reads)
  std::string gone = Attr("aws_network_acl.many[2]", "id");
  AwsCli("ec2 delete-network-acl --network-acl-id " + gone);
  EXPECT_EQ(Changes(PlanChanges()), "create aws_network_acl.many[2]\n");
}

TEST_F(AwsNetworkAclTest, InterruptedCreateIsAdoptedNotRepeated) {
  // Given a VPC, and an ACL create that reached AWS but was never recorded
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n");
  Apply();
  std::string vpc = Attr("aws_vpc.main", "id");
  const std::string acl = "[resource.aws_network_acl.edge]\nvpc_id = \"${aws_vpc.main.id}\"\n"
                          "ingress = [{ rule_no = 10, protocol = \"tcp\", action = \"allow\", "
                          "cidr_block = \"0.0.0.0/0\", from_port = 80, to_port = 80 }]\n";
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n" + acl);
  std::string id = InterruptedCreate("aws_network_acl", "aws_network_acl.edge",
                                     Value::Map({{"vpc_id", Value::String(vpc)}}));
  ASSERT_TRUE(id.starts_with("acl-")) << id;

  // When applied again, it is adopted (its entries then brought in line), not created twice
  EXPECT_EQ(Changes(Apply()), "update aws_network_acl.edge\n");
  EXPECT_EQ(Attr("aws_network_acl.edge", "id"), id);
  EXPECT_EQ(Entries(id), "in 10 6 allow 0.0.0.0/0 80-80\n");
  EXPECT_EQ(AwsCli("ec2 describe-network-acls --filters Name=tag:reconcile:address,Values=aws_network_acl.edge")
                ["NetworkAcls"].size(), 1u);
}

}  // namespace
}  // namespace reconcile::testing
