#include "migrate/terraform_export.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "migrate/terraform_state.h"

namespace reconcile::migrate {
namespace {

ResourceInstanceState Instance(const std::string& address, const std::string& type,
                               Value attributes) {
  ResourceInstanceState r;
  r.address = address;
  r.mode = "managed";
  r.type = type;
  r.provider = "aws";
  r.attributes = std::move(attributes);
  return r;
}

State SampleState() {
  State state;
  state.lineage = "6c3f1f0e-0000-4000-8000-000000000001";
  state.serial = 12;
  Value vpc =
      Value::Map({{"id", Value::String("vpc-1")}, {"cidr_block", Value::String("10.0.0.0/16")}});
  state.resources["aws_vpc.main"] = Instance("aws_vpc.main", "aws_vpc", vpc);
  state.resources["aws_vpc.main"].create_before_destroy = true;
  for (int i : {0, 1, 10}) {
    std::string address = "aws_ssm_parameter.p[" + std::to_string(i) + "]";
    Value p = Value::Map({{"id", Value::String("/p/" + std::to_string(i))},
                          {"value", Value::String("secret").MarkedSensitive()}});
    state.resources[address] = Instance(address, "aws_ssm_parameter", p);
    state.resources[address].dependencies = {"aws_vpc.main"};
  }
  ResourceInstanceState subnet = Instance("module.net.aws_subnet.s[\"a\"]", "aws_subnet",
                                          Value::Map({{"id", Value::String("subnet-1")}}));
  subnet.provider = "aws.west";
  subnet.tainted = true;
  subnet.deposed = {Value::Map({{"id", Value::String("subnet-0")}})};
  state.resources[subnet.address] = subnet;
  state.resources["aws_autoscaling_group.web"] =
      Instance("aws_autoscaling_group.web", "aws_autoscaling_group",
               Value::Map({{"id", Value::String("web")}}));
  state.outputs["ids"] = {Value::List({Value::String("a"), Value::Number(2)}), false};
  state.outputs["token"] = {Value::String("t").MarkedSensitive(), true};
  return state;
}

const Value* FindResource(const Value& doc, const std::string& type) {
  for (const Value& r : doc.Find("resources")->AsList())
    if (r.Find("type")->AsString() == type) return &r;
  return nullptr;
}

TEST(TerraformExportTest, WritesFormatVersion4) {
  Value doc = FromJson(TerraformDocument(SampleState()));
  ASSERT_TRUE(doc.is_map());
  EXPECT_EQ(doc.Find("version")->AsNumber(), 4);
  EXPECT_EQ(doc.Find("terraform_version")->AsString(), "1.0.0");
  EXPECT_EQ(doc.Find("serial")->AsNumber(), 12);
  EXPECT_EQ(doc.Find("lineage")->AsString(), "6c3f1f0e-0000-4000-8000-000000000001");
  EXPECT_EQ(
      ToJson(*doc.Find("outputs")),
      R"({"ids":{"type":["tuple",["string","number"]],"value":["a",2]},"token":{"sensitive":true,"type":"string","value":"t"}})");

  const Value* vpc = FindResource(doc, "aws_vpc");
  ASSERT_NE(vpc, nullptr);
  EXPECT_EQ(vpc->Find("provider")->AsString(), "provider[\"registry.terraform.io/hashicorp/aws\"]");
  EXPECT_EQ(vpc->Find("each"), nullptr);
  const Value& vpc_instance = vpc->Find("instances")->AsList()[0];
  EXPECT_EQ(vpc_instance.Find("schema_version")->AsNumber(), 1);
  EXPECT_EQ(vpc_instance.Find("create_before_destroy")->AsBool(), true);
  EXPECT_EQ(vpc_instance.Find("index_key"), nullptr);

  const Value* parameters = FindResource(doc, "aws_ssm_parameter");
  ASSERT_NE(parameters, nullptr);
  EXPECT_EQ(parameters->Find("each")->AsString(), "list");
  const ValueList& instances = parameters->Find("instances")->AsList();
  ASSERT_EQ(instances.size(), 3u);
  EXPECT_EQ(instances[2].Find("index_key")->AsNumber(), 10);  // by index, not by text
  EXPECT_EQ(ToJson(*instances[0].Find("sensitive_attributes")),
            R"([[{"type":"get_attr","value":"value"}]])");
  EXPECT_EQ(instances[0].Find("attributes")->Find("value")->AsString(), "secret");
  EXPECT_EQ(ToJson(*instances[0].Find("dependencies")), R"(["aws_vpc.main"])");

  const Value* subnet = FindResource(doc, "aws_subnet");
  ASSERT_NE(subnet, nullptr);
  EXPECT_EQ(subnet->Find("module")->AsString(), "module.net");
  EXPECT_EQ(subnet->Find("each")->AsString(), "map");
  EXPECT_EQ(subnet->Find("provider")->AsString(),
            "provider[\"registry.terraform.io/hashicorp/aws\"].west");
  const ValueList& objects = subnet->Find("instances")->AsList();
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0].Find("status")->AsString(), "tainted");
  EXPECT_EQ(objects[1].Find("deposed")->AsString(), "00000001");
  EXPECT_EQ(objects[1].Find("attributes")->Find("id")->AsString(), "subnet-0");

  // What Terraform's own import records and reconcile's schema lacks.
  const Value& asg = FindResource(doc, "aws_autoscaling_group")->Find("instances")->AsList()[0];
  EXPECT_EQ(asg.Find("attributes")->Find("wait_for_capacity_timeout")->AsString(), "10m");
}

TEST(TerraformExportTest, ReadsBackAsTheSameAddresses) {
  TerraformState back;
  ASSERT_FALSE(ParseTerraformState(TerraformDocument(SampleState()), "pulled", &back).HasErrors());
  std::vector<std::string> addresses;
  for (const TerraformResource& r : back.resources) {
    for (const TerraformInstance& i : r.instances) {
      if (!i.deposed.empty()) continue;
      ResourceAddress a;
      std::string error;
      ASSERT_TRUE(InstanceAddress(r, i, &a, &error));
      addresses.push_back(a.ToString());
    }
  }
  std::sort(addresses.begin(), addresses.end());
  EXPECT_EQ(addresses,
            (std::vector<std::string>{"aws_autoscaling_group.web", "aws_ssm_parameter.p[0]",
                                      "aws_ssm_parameter.p[10]", "aws_ssm_parameter.p[1]",
                                      "aws_vpc.main", "module.net.aws_subnet.s[\"a\"]"}));
  EXPECT_TRUE(back.outputs.at("token").sensitive);
}

}  // namespace
}  // namespace reconcile::migrate
