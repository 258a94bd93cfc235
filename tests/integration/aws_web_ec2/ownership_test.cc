// Ownership of the named objects of this folder's types: a key pair or an
// alarm name held by another workspace is refused, never taken over; a create
// repeated after its first answer was lost adopts what the first made.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

const char* kKeyPair =
    "[resource.aws_key_pair.build]\nkey_name = \"build\"\n"
    "public_key = \"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEntcWMA9lENT5DnCDZtIrasdBzwX+LR02lumAKlftDT build\"\n";

const char* kAlarm =
    "[resource.aws_cloudwatch_metric_alarm.idle]\nalarm_name = \"build-idle\"\n"
    "comparison_operator = \"LessThanThreshold\"\nevaluation_periods = 6\nmetric_name = \"CPUUtilization\"\n"
    "namespace = \"AWS/EC2\"\nperiod = 300\nstatistic = \"Average\"\nthreshold = 5\n";

class AwsWebEc2OwnershipTest : public AwsStackTest {
 protected:
  std::map<std::string, std::string> KeyTags() {
    json keys = AwsCli("ec2 describe-key-pairs --filters Name=key-name,Values=build")["KeyPairs"];
    return keys.empty() ? std::map<std::string, std::string>() : TagsOf(keys[0]["Tags"]);
  }
  std::map<std::string, std::string> AlarmTags() {
    json alarms = AwsCli("cloudwatch describe-alarms --alarm-names build-idle")["MetricAlarms"];
    if (alarms.empty()) return {};
    return TagsOf(AwsCli("cloudwatch list-tags-for-resource --resource-arn " +
                         alarms[0]["AlarmArn"].get<std::string>())["Tags"]);
  }
};

TEST_F(AwsWebEc2OwnershipTest, KeyPairOfAnotherWorkspaceIsRefused) {
  ExpectTakenByOtherWorkspace(kKeyPair, "key pair \"build\"", [&] { return KeyTags(); });
}

TEST_F(AwsWebEc2OwnershipTest, AlarmOfAnotherWorkspaceIsRefused) {
  ExpectTakenByOtherWorkspace(kAlarm, "CloudWatch alarm \"build-idle\"", [&] { return AlarmTags(); });
}

TEST_F(AwsWebEc2OwnershipTest, RepeatedCreatesAreAdopted) {
  WriteStack("");
  ExpectRepeatedCreateAdopted(
      "aws_key_pair", "aws_key_pair.build",
      Value::Map({{"key_name", Value::String("build")},
                  {"public_key", Value::String("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEntcWMA9lENT5DnCDZtIrasdBzwX+"
                                               "LR02lumAKlftDT build")}}));
  ExpectRepeatedCreateAdopted("aws_cloudwatch_metric_alarm", "aws_cloudwatch_metric_alarm.idle",
                              Value::Map({{"alarm_name", Value::String("build-idle")},
                                          {"comparison_operator", Value::String("LessThanThreshold")},
                                          {"evaluation_periods", Value::Number(6)}}));
}

}  // namespace
}  // namespace reconcile::testing
