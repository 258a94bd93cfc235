#include "migrate/terraform_state.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "migrate/terraform_types.h"
#include "support/temp_dir.h"

namespace reconcile::migrate {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(testing::SourceDir() + "/tests/data/terraform/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const TerraformResource* FindResource(const TerraformState& state, const std::string& module,
                                      const std::string& type, const std::string& name) {
  for (const TerraformResource& r : state.resources)
    if (r.module == module && r.type == type && r.name == name) return &r;
  return nullptr;
}

TEST(TerraformStateTest, ReadsTheMainStateTerraformWrote) {
  TerraformState state;
  Diagnostics diags = ParseTerraformState(Fixture("main_terraform.tfstate"), "main", &state);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  EXPECT_EQ(state.version, 4);
  EXPECT_EQ(state.terraform_version, "1.11.4");
  EXPECT_FALSE(state.lineage.empty());
  ASSERT_EQ(state.outputs.size(), 3u);
  EXPECT_TRUE(state.outputs.at("api_key").sensitive);
  EXPECT_TRUE(state.outputs.at("api_key").value.sensitive());
  EXPECT_FALSE(state.outputs.at("vpc_id").sensitive);
  EXPECT_EQ(state.outputs.at("public_subnets").value.AsList().size(), 2u);

  const TerraformResource* subnets = FindResource(state, "", "aws_subnet", "public");
  ASSERT_NE(subnets, nullptr);
  ASSERT_EQ(subnets->instances.size(), 2u);
  EXPECT_EQ(subnets->instances[0].key, InstanceKey::String("a"));
  EXPECT_EQ(subnets->instances[0].schema_version, 1);
  EXPECT_EQ(subnets->instances[0].dependencies, std::vector<std::string>{"aws_vpc.main"});
  const TerraformResource* private_subnets = FindResource(state, "", "aws_subnet", "private");
  ASSERT_NE(private_subnets, nullptr);
  EXPECT_EQ(private_subnets->instances[1].key, InstanceKey::Index(1));

  const TerraformResource* secret = FindResource(state, "", "aws_ssm_parameter", "api_key");
  ASSERT_NE(secret, nullptr);
  ValuePath value_path;
  ASSERT_TRUE(ParsePath("value", &value_path));
  EXPECT_NE(std::find(secret->instances[0].sensitive_paths.begin(),
                      secret->instances[0].sensitive_paths.end(), value_path),
            secret->instances[0].sensitive_paths.end());

  const TerraformResource* lt = FindResource(state, "", "aws_launch_template", "web");
  ASSERT_NE(lt, nullptr);
  EXPECT_TRUE(lt->instances[0].create_before_destroy);

  const TerraformResource* zones = FindResource(state, "", "aws_availability_zones", "available");
  ASSERT_NE(zones, nullptr);
  EXPECT_EQ(zones->mode, "data");
  const TerraformResource* release = FindResource(state, "", "terraform_data", "release");
  ASSERT_NE(release, nullptr);
  TerraformProvider builtin;
  ASSERT_TRUE(ParseTerraformProvider(release->provider, &builtin));
  EXPECT_EQ(builtin.hostname, "terraform.io");
  EXPECT_FALSE(IsAdoptableProvider(builtin));
}

TEST(TerraformStateTest, ModulePathsBecomeReconcileAddresses) {
  TerraformState state;
  ASSERT_FALSE(
      ParseTerraformState(Fixture("env_staging_modular_terraform.tfstate"), "modular", &state)
          .HasErrors());
  const TerraformResource* subnets = FindResource(state, "module.network", "aws_subnet", "app");
  ASSERT_NE(subnets, nullptr);
  ResourceAddress address;
  std::string error;
  ASSERT_TRUE(InstanceAddress(*subnets, subnets->instances[1], &address, &error)) << error;
  EXPECT_EQ(address.ToString(), "module.network.aws_subnet.app[1]");
  const TerraformResource* parameter = FindResource(state, "", "aws_ssm_parameter", "vpc_id");
  ASSERT_NE(parameter, nullptr);
  EXPECT_EQ(parameter->instances[0].dependencies,
            std::vector<std::string>{"module.network.aws_vpc.this"});
}

TEST(TerraformStateTest, ModuleInstancesHaveNoReconcileAddress) {
  TerraformResource r{"module.zone[\"eu\"].module.net", "managed", "aws_vpc", "main", "", {}};
  TerraformInstance i;
  ResourceAddress address;
  std::string error;
  EXPECT_FALSE(InstanceAddress(r, i, &address, &error));
  EXPECT_EQ(
      error,
      "it is inside module.zone[\"eu\"], an instance of a module with count or for_each, which "
      "the import does not take over yet");
}

TEST(TerraformStateTest, ProviderAddresses) {
  TerraformProvider p;
  ASSERT_TRUE(ParseTerraformProvider("provider[\"registry.terraform.io/hashicorp/aws\"].west", &p));
  EXPECT_EQ(p.Key(), "aws.west");
  EXPECT_EQ(p.ToString(), "provider[\"registry.terraform.io/hashicorp/aws\"].west");
  ASSERT_TRUE(ParseTerraformProvider(
      "module.net.provider[\"registry.terraform.io/hashicorp/random\"]", &p));
  EXPECT_EQ(p.Key(), "random");
  EXPECT_TRUE(IsAdoptableProvider(p));
  ASSERT_TRUE(ParseTerraformProvider("provider.aws", &p));  // Terraform 0.12's form
  EXPECT_EQ(p.Key(), "aws");
  ASSERT_TRUE(
      ParseTerraformProvider("provider[\"registry.terraform.io/integrations/github\"]", &p));
  EXPECT_FALSE(IsAdoptableProvider(p));
  EXPECT_FALSE(ParseTerraformProvider("provider[\"aws\"]", &p));
}

TEST(TerraformStateTest, SensitivePathsBothWays) {
  Value steps = FromJson(
      R"([{"type":"get_attr","value":"rule"},{"type":"index","value":{"value":2,"type":"number"}},
                            {"type":"get_attr","value":"key"},{"type":"index","value":{"value":"k","type":"string"}}])");
  ValuePath path;
  ASSERT_TRUE(ParseTerraformPath(steps, &path));
  EXPECT_EQ(FormatPath(path), "rule[2].key.k");
  ValuePath back;
  ASSERT_TRUE(ParseTerraformPath(TerraformPathSteps(path), &back));
  EXPECT_EQ(back, path);
  EXPECT_FALSE(ParseTerraformPath(FromJson(R"([{"type":"splat"}])"), &path));
}

// Terraform 0.12's form of version 4 (no sensitive_attributes, legacy
// provider addresses, depends_on), written here as 0.12 wrote it.
TEST(TerraformStateTest, ReadsTerraform012States) {
  TerraformState state;
  Diagnostics diags = ParseTerraformState(R"({
    "version": 4, "terraform_version": "0.12.31", "serial": 9, "lineage": "a1",
    "outputs": {},
    "resources": [{"module": "module.net", "mode": "managed", "type": "aws_subnet", "name": "s", "each": "list",
                   "provider": "provider.aws.west",
                   "instances": [{"index_key": 1, "schema_version": 1, "attributes": {"id": "subnet-1"},
                                  "private": "eyJzY2hlbWFfdmVyc2lvbiI6IjEifQ==", "depends_on": ["aws_vpc.main"]}]}]})",
                                          "old.tfstate", &state);
  ASSERT_FALSE(diags.HasErrors()) << diags.ToString();
  ASSERT_EQ(state.resources.size(), 1u);
  const TerraformResource& r = state.resources[0];
  TerraformProvider provider;
  ASSERT_TRUE(ParseTerraformProvider(r.provider, &provider));
  EXPECT_EQ(provider.Key(), "aws.west");
  EXPECT_TRUE(IsAdoptableProvider(provider));
  EXPECT_EQ(r.instances[0].dependencies, std::vector<std::string>{"aws_vpc.main"});
  EXPECT_TRUE(r.instances[0].sensitive_paths.empty());
  ResourceAddress address;
  std::string error;
  ASSERT_TRUE(InstanceAddress(r, r.instances[0], &address, &error));
  EXPECT_EQ(address.ToString(), "module.net.aws_subnet.s[1]");
}

TEST(TerraformStateTest, RefusesWhatItCannotRead) {
  TerraformState state;
  Diagnostics v3 =
      ParseTerraformState(R"({"version": 3, "serial": 1, "modules": []})", "old.tfstate", &state);
  ASSERT_TRUE(v3.HasErrors());
  EXPECT_EQ(v3[0].summary, "Terraform state old.tfstate has format version 3");
  EXPECT_NE(v3[0].detail.find("terraform apply -refresh-only"), std::string::npos);

  Diagnostics flat = ParseTerraformState(
      R"({"version": 4, "resources": [{"mode": "managed", "type": "aws_vpc", "name": "m",
          "provider": "provider.aws", "instances": [{"attributes_flat": {"id": "vpc-1"}}]}]})",
      "flat.tfstate", &state);
  ASSERT_TRUE(flat.HasErrors());
  EXPECT_NE(flat.ToString().find("resources[0].instances[0]"), std::string::npos)
      << flat.ToString();
  EXPECT_NE(flat.ToString().find("attributes_flat"), std::string::npos);

  Diagnostics ours = ParseTerraformState(R"({"format_version": 1, "lineage": "x", "serial": 1})",
                                         "s.json", &state);
  ASSERT_TRUE(ours.HasErrors());
  EXPECT_NE(ours[0].detail.find("reconcile state"), std::string::npos);

  Diagnostics junk = ParseTerraformState("{not json", "junk", &state);
  ASSERT_TRUE(junk.HasErrors());
  EXPECT_EQ(junk[0].summary, "Cannot read the Terraform state junk");

  Diagnostics key = ParseTerraformState(
      R"({"version": 4, "resources": [{"mode": "managed", "type": "aws_vpc", "name": "m", "provider": "provider.aws",
          "instances": [{"index_key": true, "attributes": {}}]}]})",
      "key.tfstate", &state);
  ASSERT_TRUE(key.HasErrors());
  EXPECT_NE(key.ToString().find("resources[0].instances[0].index_key"), std::string::npos)
      << key.ToString();
}

}  // namespace
}  // namespace reconcile::migrate
