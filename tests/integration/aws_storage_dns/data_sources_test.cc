// The AWS data sources through the engine against moto, checked with the aws CLI.
#include <chrono>
#include <thread>

#include "aws_stack.h"
#include "shell_command.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

class AwsDataSourcesTest : public AwsStackTest {
 protected:
  // Registers an image named `name` owned by this account; returns its id.
  std::string RegisterImage(const std::string& name) {
    return AwsCli("ec2 register-image --name " + name +
                  " --root-device-name /dev/xvda --architecture x86_64 "
                  "--block-device-mappings DeviceName=/dev/xvda,Ebs={VolumeSize=8}")["ImageId"];
  }
};

TEST_F(AwsDataSourcesTest, IdentityRegionZonesImagesAndParameters) {
  // Given two images of our own (registered a second apart: creation dates
  // have second resolution) and a parameter a resource of the stack writes
  std::string older = RegisterImage("app-2024-01");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  std::string newer = RegisterImage("app-2024-02");
  WriteStack(R"(
[data.aws_caller_identity.me]

[data.aws_region.current]

[data.aws_availability_zones.available]
state = "available"
exclude_names = ["us-east-1f"]

[data.aws_ami.app]
owners = ["self"]
most_recent = true
filter = [{ name = "name", values = ["app-*"] }]

[data.aws_ami.first]
owners = ["self"]
name_regex = "-01$"

[resource.aws_ssm_parameter.db]
name = "/app/db-host"
type = "String"
value = "db.internal"

[data.aws_ssm_parameter.db]
name = "${aws_ssm_parameter.db.id}"

[output.account]
value = "${data.aws_caller_identity.me.account_id}"
)");

  // When applied
  Apply();

  // Then each data source reads what an independent client sees
  json identity = AwsCli("sts get-caller-identity");
  EXPECT_EQ(Attr("data.aws_caller_identity.me", "account_id"), identity["Account"]);
  EXPECT_EQ(Attr("data.aws_caller_identity.me", "arn"), identity["Arn"]);
  EXPECT_EQ(Attr("data.aws_caller_identity.me", "user_id"), identity["UserId"]);
  EXPECT_EQ(Attr("data.aws_region.current", "name"), "us-east-1");
  EXPECT_EQ(Attr("data.aws_region.current", "description"), "US East (N. Virginia)");
  EXPECT_EQ(Attr("data.aws_region.current", "endpoint"), "ec2.us-east-1.amazonaws.com");

  std::vector<std::string> names, ids;
  json zones = AwsCli(
      "ec2 describe-availability-zones --filters Name=state,Values=available")["AvailabilityZones"];
  std::vector<std::pair<std::string, std::string>> expected;
  for (const json& z : zones)
    if (z["ZoneName"] != "us-east-1f") expected.emplace_back(z["ZoneName"], z["ZoneId"]);
  std::sort(expected.begin(), expected.end());
  for (const auto& [name, id] : expected) {
    names.push_back(name);
    ids.push_back(id);
  }
  ASSERT_GE(names.size(), 2u);
  EXPECT_EQ(Attr("data.aws_availability_zones.available", "names"), json(names).dump());
  EXPECT_EQ(Attr("data.aws_availability_zones.available", "zone_ids"), json(ids).dump());

  EXPECT_EQ(Attr("data.aws_ami.app", "id"), newer);
  EXPECT_EQ(Attr("data.aws_ami.app", "name"), "app-2024-02");
  json image = AwsCli("ec2 describe-images --image-ids " + newer)["Images"][0];
  EXPECT_EQ(Attr("data.aws_ami.app", "root_device_name"), image["RootDeviceName"]);
  EXPECT_EQ(Attr("data.aws_ami.app", "creation_date"), image["CreationDate"]);
  EXPECT_EQ(Attr("data.aws_ami.app", "arn"), "arn:aws:ec2:us-east-1::image/" + newer);
  EXPECT_EQ(Attr("data.aws_ami.first", "id"), older);

  EXPECT_EQ(Attr("data.aws_ssm_parameter.db", "value"), "db.internal");
  EXPECT_EQ(Attr("data.aws_ssm_parameter.db", "type"), "String");
  EXPECT_EQ(Attr("data.aws_ssm_parameter.db", "version"), "1");
  Value parameter = StateOf("data.aws_ssm_parameter.db");
  ASSERT_TRUE(parameter.Find("value") != nullptr);
  EXPECT_TRUE(parameter.Find("value")->sensitive());

  // and a second plan changes nothing
  EXPECT_EQ(Changes(PlanChanges()), "");
}

TEST_F(AwsDataSourcesTest, AmbiguousOrEmptyImageQueriesAreErrors) {
  // Given two matching images and no most_recent
  RegisterImage("web-1");
  RegisterImage("web-2");
  WriteStack("[data.aws_ami.web]\nowners = [\"self\"]\nname_regex = \"^web-\"\n");

  // Then the plan fails saying there is more than one
  Diagnostics ambiguous = ApplyAllowingErrors();
  EXPECT_NE(ambiguous.ToString().find("more than one result (2 images)"), std::string::npos)
      << ambiguous.ToString();

  // and a query matching nothing fails saying so
  WriteStack("[data.aws_ami.web]\nowners = [\"self\"]\nname_regex = \"^db-\"\n");
  Diagnostics none = ApplyAllowingErrors();
  EXPECT_NE(none.ToString().find("returned no results"), std::string::npos) << none.ToString();

  // and a pattern RE2 refuses is an error at the data block (the block's
  // line of main.toml, column 1)
  WriteStack("[data.aws_ami.web]\nowners = [\"self\"]\nname_regex = \"^web-(1\"\n");
  std::string invalid = ApplyAllowingErrors().ToString();
  EXPECT_EQ(invalid.rfind("main.toml:", 0), 0u) << invalid;
  EXPECT_NE(
      invalid.find(":1: error: data.aws_ami.web: name_regex is not a valid regular expression\n"
                   "  /^web-(1/: missing ): ^web-(1 (patterns use RE2 syntax, as in Terraform)"),
      std::string::npos)
      << invalid;
}

TEST_F(AwsDataSourcesTest, NameRegexIsRe2Syntax) {
  // Given images whose names differ in case and digits
  RegisterImage("Web-7");
  std::string wanted = RegisterImage("web-42");
  // When the pattern uses RE2's \d and an anchored, case-sensitive match
  WriteStack("[data.aws_ami.web]\nowners = [\"self\"]\nname_regex = '^web-\\d{2}$'\n");
  Apply();
  // Then only the matching image is chosen
  EXPECT_EQ(Attr("data.aws_ami.web", "id"), wanted);
}

}  // namespace
}  // namespace reconcile::testing
