// aws_security_group_rule, aws_vpc_security_group_ingress_rule and
// aws_vpc_security_group_egress_rule through the engine against moto, beside
// a group without inline rules, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

struct RuleSettings {
  std::string https_port = "443";
  std::string https_description = "https";
  std::string ssh_cidr = "10.2.0.0/16";
  std::string ssh_group = "web";
  std::string ssh_tag = "ssh";
};

std::string RuleStack(const RuleSettings& s) {
  return "[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
         "[resource.aws_security_group.web]\nname = \"web\"\nvpc_id = \"${aws_vpc.main.id}\"\n\n"
         "[resource.aws_security_group.other]\nname = \"other\"\nvpc_id = "
         "\"${aws_vpc.main.id}\"\n\n"
         "[resource.aws_security_group_rule.https]\ntype = \"ingress\"\nsecurity_group_id = "
         "\"${aws_security_group.web.id}\"\n"
         "protocol = \"tcp\"\nfrom_port = " +
         s.https_port + "\nto_port = " + s.https_port +
         "\n"
         "cidr_blocks = [\"10.1.0.0/16\", \"10.3.0.0/16\"]\ndescription = \"" +
         s.https_description +
         "\"\n\n"
         "[resource.aws_vpc_security_group_ingress_rule.ssh]\nsecurity_group_id = "
         "\"${aws_security_group." +
         s.ssh_group +
         ".id}\"\n"
         "ip_protocol = \"tcp\"\nfrom_port = 22\nto_port = 22\ncidr_ipv4 = \"" +
         s.ssh_cidr +
         "\"\n"
         "tags = { Name = \"" +
         s.ssh_tag +
         "\" }\n\n"
         "[resource.aws_vpc_security_group_egress_rule.db]\nsecurity_group_id = "
         "\"${aws_security_group.web.id}\"\n"
         "ip_protocol = \"tcp\"\nfrom_port = 5432\nto_port = 5432\n"
         "referenced_security_group_id = \"${aws_security_group.other.id}\"\n";
}

class AwsSecurityGroupRuleTest : public AwsStackTest {
 protected:
  // "in|out protocol from-to source description" per rule of the group, sorted.
  std::string Rules(const std::string& group) {
    std::vector<std::string> lines;
    const json rules = AwsCli("ec2 describe-security-group-rules")["SecurityGroupRules"];
    for (const json& r : rules) {
      if (r["GroupId"] != group) continue;
      std::string source = r.value("CidrIpv4", "");
      if (r.contains("ReferencedGroupInfo")) source = r["ReferencedGroupInfo"].value("GroupId", "");
      lines.push_back(std::string(r["IsEgress"].get<bool>() ? "out " : "in ") +
                      r["IpProtocol"].get<std::string>() + " " +
                      std::to_string(r.value("FromPort", 0)) + "-" +
                      std::to_string(r.value("ToPort", 0)) + " " + source + " " +
                      r.value("Description", "") + "\n");
    }
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (const std::string& line : lines) out += line;
    return out;
  }
  json Rule(const std::string& id) {
    return AwsCli(
        "ec2 describe-security-group-rules --filters Name=security-group-rule-id,Values=" +
        id)["SecurityGroupRules"][0];
  }
};

TEST_F(AwsSecurityGroupRuleTest, RulesBesideAGroupUpdateReplaceImportDelete) {
  // Given a group without inline rules and three standalone rules
  RuleSettings s;
  WriteStack(RuleStack(s));
  Apply();
  std::string web = Attr("aws_security_group.web", "id");
  std::string other = Attr("aws_security_group.other", "id");
  std::string ssh = Attr("aws_vpc_security_group_ingress_rule.ssh", "id");
  ASSERT_TRUE(ssh.starts_with("sgr-")) << ssh;
  EXPECT_TRUE(Attr("aws_security_group_rule.https", "id").starts_with("sgrule-"));
  EXPECT_EQ(Rules(web),
            "in tcp 22-22 10.2.0.0/16 \n"
            "in tcp 443-443 10.1.0.0/16 https\n"
            "in tcp 443-443 10.3.0.0/16 https\n"
            "out -1 -1--1 0.0.0.0/0 \n"
            "out tcp 5432-5432 " +
                other + " \n");
  EXPECT_EQ(TagsOf(Rule(ssh)["Tags"])["Name"], "ssh");
  EXPECT_EQ(Attr("aws_vpc_security_group_ingress_rule.ssh", "arn"),
            "arn:aws:ec2:us-east-1:123456789012:security-group-rule/" + ssh);
  // Then the group (whose rule blocks are computed) and the rules agree: nothing to do
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A description, a CIDR and a tag change in place
  s.https_description = "web traffic";
  s.ssh_cidr = "10.4.0.0/16";
  s.ssh_tag = "ssh2";
  WriteStack(RuleStack(s));
  EXPECT_EQ(
      Changes(Apply()),
      "update aws_security_group_rule.https\nupdate aws_vpc_security_group_ingress_rule.ssh\n");
  EXPECT_EQ(Attr("aws_vpc_security_group_ingress_rule.ssh", "id"), ssh);
  EXPECT_EQ(Rule(ssh)["CidrIpv4"], "10.4.0.0/16");
  EXPECT_EQ(TagsOf(Rule(ssh)["Tags"])["Name"], "ssh2");
  EXPECT_NE(Rules(web).find("in tcp 443-443 10.3.0.0/16 web traffic\n"), std::string::npos)
      << Rules(web);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Another port or another group replaces a rule
  s.https_port = "8443";
  s.ssh_group = "other";
  WriteStack(RuleStack(s));
  EXPECT_EQ(Changes(Apply()),
            "replace aws_security_group_rule.https [from_port] [to_port]\n"
            "replace aws_vpc_security_group_ingress_rule.ssh [security_group_id]\n");
  EXPECT_EQ(Rules(web),
            "in tcp 8443-8443 10.1.0.0/16 web traffic\n"
            "in tcp 8443-8443 10.3.0.0/16 web traffic\n"
            "out -1 -1--1 0.0.0.0/0 \n"
            "out tcp 5432-5432 " +
                other + " \n");
  EXPECT_NE(Rules(other).find("in tcp 22-22 10.4.0.0/16 \n"), std::string::npos) << Rules(other);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Import by Terraform's ids matches the configuration
  std::string new_ssh = Attr("aws_vpc_security_group_ingress_rule.ssh", "id");
  ASSERT_FALSE(RemoveFromState("aws_security_group_rule.https").HasErrors());
  ASSERT_FALSE(RemoveFromState("aws_vpc_security_group_ingress_rule.ssh").HasErrors());
  Import("aws_security_group_rule.https", web + "_ingress_tcp_8443_8443_10.1.0.0/16_10.3.0.0/16");
  Import("aws_vpc_security_group_ingress_rule.ssh", new_ssh);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy revokes the rules and deletes the groups
  Destroy();
  EXPECT_EQ(AwsCli("ec2 describe-security-groups --filters Name=group-name,Values=web,other")
                ["SecurityGroups"]
                    .size(),
            0u);
}

TEST_F(AwsSecurityGroupRuleTest, InterruptedCreatesAreAdoptedNotRepeated) {
  WriteStack(RuleStack({}));
  Apply();
  std::string web = Attr("aws_security_group.web", "id");
  std::string ssh = Attr("aws_vpc_security_group_ingress_rule.ssh", "id");
  const std::string rules_before = Rules(web);
  ASSERT_FALSE(RemoveFromState("aws_vpc_security_group_ingress_rule.ssh").HasErrors());
  // Given a create whose result was lost (the rule exists, only the journal knows)
  PendingCreate("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_ingress_rule.ssh",
                Value::Map({{"security_group_id", Value::String(web)},
                            {"ip_protocol", Value::String("tcp")},
                            {"from_port", Value::Number(22)},
                            {"to_port", Value::Number(22)},
                            {"cidr_ipv4", Value::String("10.2.0.0/16")}}));
  // When the next apply runs, then it is adopted, not made twice
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_vpc_security_group_ingress_rule.ssh", "id"), ssh);
  EXPECT_EQ(Rules(web), rules_before);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A legacy rule's interrupted create is found by what it is
  ASSERT_FALSE(RemoveFromState("aws_security_group_rule.https").HasErrors());
  PendingCreate("aws_security_group_rule", "aws_security_group_rule.https",
                Value::Map({{"type", Value::String("ingress")},
                            {"security_group_id", Value::String(web)},
                            {"protocol", Value::String("tcp")},
                            {"from_port", Value::Number(443)},
                            {"to_port", Value::Number(443)},
                            {"cidr_blocks", Value::List({Value::String("10.1.0.0/16"),
                                                         Value::String("10.3.0.0/16")})},
                            {"description", Value::String("https")}}));
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_security_group_rule.https", "description"), "https");
  EXPECT_EQ(Rules(web), rules_before);
  EXPECT_EQ(Changes(PlanChanges()), "");
}

}  // namespace
}  // namespace reconcile::testing
