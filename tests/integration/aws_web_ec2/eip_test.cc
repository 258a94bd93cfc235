// aws_eip and aws_eip_association through the engine against moto, checked
// with the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

const char* kNetwork =
    "[resource.aws_vpc.main]\ncidr_block = \"10.0.0.0/16\"\n\n"
    "[resource.aws_subnet.a]\nvpc_id = \"${aws_vpc.main.id}\"\ncidr_block = \"10.0.1.0/24\"\n"
    "availability_zone = \"us-east-1a\"\n\n";

class AwsEipTest : public AwsStackTest {
 protected:
  json Address(const std::string& allocation_id) {
    json found = AwsCli("ec2 describe-addresses --filters Name=allocation-id,Values=" +
                        allocation_id)["Addresses"];
    return found.empty() ? json() : found[0];
  }
  std::size_t AddressCount() { return AwsCli("ec2 describe-addresses")["Addresses"].size(); }
  // An instance made outside the stack, in the stack's subnet.
  std::string RunInstance() {
    return AwsCli(
        "ec2 run-instances --image-id ami-12c6146b --instance-type t3.micro --subnet-id " +
        Attr("aws_subnet.a", "id"))["Instances"][0]["InstanceId"];
  }
};

std::string EipStack(const std::string& extra, const std::string& tag) {
  return std::string(kNetwork) + "[resource.aws_eip.web]\ndomain = \"vpc\"\n" + extra +
         "tags = { Name = \"" + tag + "\" }\n";
}

TEST_F(AwsEipTest, CreateAssociateRetagReplaceImportDelete) {
  // Given an Elastic IP of the VPC domain
  WriteStack(EipStack("", "web"));
  Apply();
  std::string id = Attr("aws_eip.web", "id");
  ASSERT_TRUE(id.starts_with("eipalloc-")) << id;
  EXPECT_EQ(Attr("aws_eip.web", "allocation_id"), id);
  json address = Address(id);
  EXPECT_EQ(address["Domain"], "vpc");
  EXPECT_EQ(Attr("aws_eip.web", "public_ip"), address["PublicIp"]);
  EXPECT_EQ(TagsOf(address["Tags"])["Name"], "web");
  EXPECT_EQ(TagsOf(address["Tags"])["reconcile:address"], "aws_eip.web");
  EXPECT_EQ(Attr("aws_eip.web", "arn"), "arn:aws:ec2:us-east-1:123456789012:elastic-ip/" + id);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Associating it with an instance and retagging it are changes in place
  std::string instance = RunInstance();
  WriteStack(EipStack("instance = \"" + instance + "\"\n", "web2"));
  EXPECT_EQ(Changes(Apply()), "update aws_eip.web\n");
  EXPECT_EQ(Attr("aws_eip.web", "id"), id);
  address = Address(id);
  EXPECT_EQ(address["InstanceId"], instance);
  EXPECT_EQ(TagsOf(address["Tags"])["Name"], "web2");
  EXPECT_EQ(Attr("aws_eip.web", "association_id"), address["AssociationId"]);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Moving it to another instance keeps the address
  std::string other = RunInstance();
  WriteStack(EipStack("instance = \"" + other + "\"\n", "web2"));
  EXPECT_EQ(Changes(Apply()), "update aws_eip.web\n");
  EXPECT_EQ(Address(id)["InstanceId"], other);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Import by allocation id matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_eip.web").HasErrors());
  Import("aws_eip.web", id);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Asking for a specific address replaces it
  WriteStack(EipStack("address = \"198.51.100.7\"\n", "web2"));
  EXPECT_EQ(Changes(Apply()), "replace aws_eip.web [address]\n");
  std::string new_id = Attr("aws_eip.web", "id");
  EXPECT_NE(new_id, id);
  EXPECT_TRUE(Address(id).is_null());
  EXPECT_EQ(Address(new_id)["PublicIp"], "198.51.100.7");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Destroy releases it
  Destroy();
  EXPECT_EQ(AddressCount(), 0u);
}

TEST_F(AwsEipTest, InterruptedCreateIsAdoptedNotRepeated) {
  WriteStack("[resource.aws_eip.web]\ndomain = \"vpc\"\ntags = { Name = \"web\" }\n");
  Value planned = Value::Map(
      {{"domain", Value::String("vpc")}, {"tags", Value::Map({{"Name", Value::String("web")}})}});
  std::string id = InterruptedCreate("aws_eip", "aws_eip.web", planned);
  ASSERT_FALSE(id.empty());

  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_eip.web", "id"), id);
  EXPECT_EQ(AddressCount(), 1u);
  EXPECT_EQ(Changes(PlanChanges()), "");
}

std::string AssociationStack(const std::string& instance) {
  return std::string(kNetwork) +
         "[resource.aws_eip.web]\ndomain = \"vpc\"\n\n"
         "[resource.aws_eip_association.web]\nallocation_id = \"${aws_eip.web.allocation_id}\"\n"
         "instance_id = \"" +
         instance + "\"\n";
}

TEST_F(AwsEipTest, AssociationCreateReplaceImportAdoptDelete) {
  WriteStack(kNetwork);
  Apply();
  std::string first = RunInstance();
  std::string second = RunInstance();

  // Given an address associated with an instance by its own resource
  WriteStack(AssociationStack(first));
  Apply();
  std::string association = Attr("aws_eip_association.web", "id");
  ASSERT_TRUE(association.starts_with("eipassoc-")) << association;
  std::string allocation = Attr("aws_eip.web", "id");
  EXPECT_EQ(Address(allocation)["InstanceId"], first);
  EXPECT_EQ(Attr("aws_eip_association.web", "public_ip"), Address(allocation)["PublicIp"]);
  // Then neither the address nor the association plans a change
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Another instance replaces the association; the address stays
  WriteStack(AssociationStack(second));
  EXPECT_EQ(Changes(Apply()), "replace aws_eip_association.web [instance_id]\n");
  EXPECT_EQ(Address(allocation)["InstanceId"], second);
  EXPECT_EQ(Attr("aws_eip.web", "id"), allocation);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Import by association id matches the configuration
  association = Attr("aws_eip_association.web", "id");
  ASSERT_FALSE(RemoveFromState("aws_eip_association.web").HasErrors());
  Import("aws_eip_association.web", association);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // An interrupted create is adopted: the association the create made is found again
  ASSERT_FALSE(RemoveFromState("aws_eip_association.web").HasErrors());
  PendingCreate("aws_eip_association", "aws_eip_association.web",
                Value::Map({{"allocation_id", Value::String(allocation)},
                            {"instance_id", Value::String(second)}}));
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_eip_association.web", "id"), association);

  // Destroy disassociates and releases
  Destroy();
  EXPECT_EQ(AddressCount(), 0u);
}

}  // namespace
}  // namespace reconcile::testing
