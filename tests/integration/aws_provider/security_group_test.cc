// aws_security_group through the engine against moto, checked with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string GroupStack(const std::string& name, const std::string& ingress_cidrs) {
  return "[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
         "[resource.aws_security_group.web]\nname = \"" + name + "\"\ndescription = \"web\"\n"
         "vpc_id = \"${aws_vpc.main.id}\"\n"
         "ingress = [{ from_port = 443, to_port = 443, protocol = \"tcp\", cidr_blocks = [" + ingress_cidrs + "] }]\n"
         "egress = [{ from_port = 0, to_port = 0, protocol = \"-1\", cidr_blocks = [\"10.0.0.0/8\"] }]\n"
         "tags = { Name = \"web\" }\n";
}

class AwsSecurityGroupTest : public AwsStackTest {
 protected:
  json Group(const std::string& id) {
    return AwsCli("ec2 describe-security-groups --group-ids " + id)["SecurityGroups"][0];
  }
  // "protocol:from-to:cidr,cidr" per permission.
  static std::string Permissions(const json& permissions) {
    std::string out;
    for (const json& p : permissions) {
      out += p["IpProtocol"].get<std::string>() + ":" + std::to_string(p.value("FromPort", 0)) + "-" +
             std::to_string(p.value("ToPort", 0)) + ":";
      for (const json& range : p["IpRanges"]) out += range["CidrIp"].get<std::string>() + ",";
      out += " ";
    }
    return out;
  }
};

TEST_F(AwsSecurityGroupTest, CreateNoOpUpdateRulesDriftReplaceImportDelete) {
  // Given a group allowing HTTPS from one network and egress to 10/8
  WriteStack(GroupStack("web", "\"10.1.0.0/16\""));
  Apply();
  std::string id = Attr("aws_security_group.web", "id");
  ASSERT_TRUE(id.starts_with("sg-")) << id;

  // Then AWS has exactly those rules (the default allow-all egress is gone)
  json group = Group(id);
  EXPECT_EQ(group["GroupName"], "web");
  EXPECT_EQ(Permissions(group["IpPermissions"]), "tcp:443-443:10.1.0.0/16, ");
  EXPECT_EQ(Permissions(group["IpPermissionsEgress"]), "-1:0-0:10.0.0.0/8, ");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Changing the rules updates the group in place
  WriteStack(GroupStack("web", "\"10.1.0.0/16\", \"10.2.0.0/16\""));
  EXPECT_EQ(Changes(Apply()), "update aws_security_group.web\n");
  EXPECT_EQ(Attr("aws_security_group.web", "id"), id);
  EXPECT_EQ(Permissions(Group(id)["IpPermissions"]), "tcp:443-443:10.1.0.0/16,10.2.0.0/16, ");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A rule added with the aws CLI is drift, revoked by the next apply
  AwsCli("ec2 authorize-security-group-ingress --group-id " + id + " --protocol tcp --port 22 --cidr 0.0.0.0/0");
  EXPECT_EQ(Changes(Apply()), "update aws_security_group.web\n");
  EXPECT_EQ(Permissions(Group(id)["IpPermissions"]), "tcp:443-443:10.1.0.0/16,10.2.0.0/16, ");

  // A new name replaces the group, naming the attribute
  WriteStack(GroupStack("web2", "\"10.1.0.0/16\""));
  EXPECT_EQ(Changes(Apply()), "replace aws_security_group.web [name]\n");
  std::string new_id = Attr("aws_security_group.web", "id");
  EXPECT_NE(new_id, id);
  EXPECT_EQ(Group(new_id)["GroupName"], "web2");

  // Import by id matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_security_group.web").HasErrors());
  Import("aws_security_group.web", new_id);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Removed from the configuration, it is deleted
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n");
  EXPECT_EQ(Changes(Apply()), "delete aws_security_group.web\n");
  EXPECT_EQ(AwsCli("ec2 describe-security-groups --filters Name=group-id,Values=" + new_id)["SecurityGroups"].size(), 0u);
}

TEST_F(AwsSecurityGroupTest, InterruptedCreateIsAdoptedNotRepeated) {
  // Given a VPC and a group create that reached AWS but was never recorded
  WriteStack("[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n");
  Apply();
  std::string vpc = Attr("aws_vpc.main", "id");
  WriteStack(GroupStack("web", "\"10.1.0.0/16\""));
  Value planned = Value::Map({{"name", Value::String("web")},
                              {"description", Value::String("web")},
                              {"vpc_id", Value::String(vpc)}});
  std::string id = InterruptedCreate("aws_security_group", "aws_security_group.web", planned);
  ASSERT_FALSE(id.empty());

  // When applied again, it is adopted (its rules then brought in line), not created twice
  EXPECT_EQ(Changes(Apply()), "update aws_security_group.web\n");
  EXPECT_EQ(Attr("aws_security_group.web", "id"), id);
  EXPECT_EQ(Permissions(Group(id)["IpPermissions"]), "tcp:443-443:10.1.0.0/16, ");
}

}  // namespace
}  // namespace reconcile::testing
