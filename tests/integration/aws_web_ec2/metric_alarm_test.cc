// aws_cloudwatch_metric_alarm through the engine against moto, checked with
// the aws CLI.
#include "aws_stack.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string AlarmStack(const std::string& name, const std::string& threshold,
                       const std::string& tag) {
  return "[resource.aws_cloudwatch_metric_alarm.idle]\nalarm_name = \"" + name +
         "\"\n"
         "comparison_operator = \"LessThanThreshold\"\nevaluation_periods = 6\nmetric_name = "
         "\"CPUUtilization\"\n"
         "namespace = \"AWS/EC2\"\nperiod = 300\nstatistic = \"Average\"\nthreshold = " +
         threshold +
         "\n"
         "dimensions = { InstanceId = \"i-0123456789abcdef0\" }\n"
         "alarm_description = \"stop the build server when idle\"\n"
         "alarm_actions = [\"arn:aws:automate:us-east-1:ec2:stop\"]\n"
         "tags = { Name = \"" +
         tag + "\" }\n";
}

class AwsMetricAlarmTest : public AwsStackTest {
 protected:
  json Alarms(const std::string& name) {
    return AwsCli("cloudwatch describe-alarms --alarm-names " + name)["MetricAlarms"];
  }
  std::map<std::string, std::string> Tags(const std::string& name) {
    json alarms = Alarms(name);
    if (alarms.empty()) return {};
    return TagsOf(AwsCli("cloudwatch list-tags-for-resource --resource-arn " +
                         alarms[0]["AlarmArn"].get<std::string>())["Tags"]);
  }
};

TEST_F(AwsMetricAlarmTest, CreateUpdateReplaceImportDelete) {
  // Given an idle-CPU alarm whose action stops the instance
  WriteStack(AlarmStack("build-idle", "5", "idle"));
  Apply();
  EXPECT_EQ(Attr("aws_cloudwatch_metric_alarm.idle", "id"), "build-idle");
  json alarm = Alarms("build-idle")[0];
  EXPECT_EQ(alarm["MetricName"], "CPUUtilization");
  EXPECT_EQ(alarm["Namespace"], "AWS/EC2");
  EXPECT_EQ(alarm["Threshold"], 5.0);
  EXPECT_EQ(alarm["EvaluationPeriods"], 6);
  EXPECT_EQ(alarm["Dimensions"][0]["Name"], "InstanceId");
  EXPECT_EQ(alarm["Dimensions"][0]["Value"], "i-0123456789abcdef0");
  EXPECT_EQ(alarm["AlarmActions"][0], "arn:aws:automate:us-east-1:ec2:stop");
  EXPECT_EQ(Attr("aws_cloudwatch_metric_alarm.idle", "arn"), alarm["AlarmArn"]);
  EXPECT_EQ(Tags("build-idle")["Name"], "idle");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Threshold and tags change in place
  WriteStack(AlarmStack("build-idle", "2.5", "idle2"));
  EXPECT_EQ(Changes(Apply()), "update aws_cloudwatch_metric_alarm.idle\n");
  EXPECT_EQ(Alarms("build-idle")[0]["Threshold"], 2.5);
  EXPECT_EQ(Tags("build-idle")["Name"], "idle2");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new name replaces it
  WriteStack(AlarmStack("build-idle2", "2.5", "idle2"));
  EXPECT_EQ(Changes(Apply()), "replace aws_cloudwatch_metric_alarm.idle [alarm_name]\n");
  EXPECT_EQ(Alarms("build-idle").size(), 0u);
  EXPECT_EQ(Alarms("build-idle2").size(), 1u);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Import by name matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_cloudwatch_metric_alarm.idle").HasErrors());
  Import("aws_cloudwatch_metric_alarm.idle", "build-idle2");
  EXPECT_EQ(Changes(PlanChanges()), "");

  Destroy();
  EXPECT_EQ(Alarms("build-idle2").size(), 0u);
}

TEST_F(AwsMetricAlarmTest, InterruptedCreateAdoptedAndAnUnmanagedAlarmKept) {
  WriteStack(AlarmStack("build-idle", "5", "idle"));
  Value planned = Value::Map({{"alarm_name", Value::String("build-idle")},
                              {"comparison_operator", Value::String("LessThanThreshold")},
                              {"evaluation_periods", Value::Number(6)},
                              {"tags", Value::Map({{"Name", Value::String("idle")}})}});
  ASSERT_EQ(
      InterruptedCreate("aws_cloudwatch_metric_alarm", "aws_cloudwatch_metric_alarm.idle", planned),
      "build-idle");
  // The adopted alarm is read back and brought in line with the configuration
  EXPECT_EQ(Changes(Apply()), "update aws_cloudwatch_metric_alarm.idle\n");
  EXPECT_EQ(Alarms("build-idle")[0]["MetricName"], "CPUUtilization");
  EXPECT_EQ(Changes(PlanChanges()), "");
  Destroy();

  // An alarm of the same name made outside reconcile is not overwritten (another
  // name than before: moto keeps a deleted alarm's tags for the next of its name)
  AwsCli(
      "cloudwatch put-metric-alarm --alarm-name ops-idle --comparison-operator "
      "GreaterThanThreshold "
      "--evaluation-periods 1 --metric-name Other --namespace Custom --period 60 --statistic Sum "
      "--threshold 1 "
      "--tags Key=team,Value=ops");
  ExpectUnmanagedRefused(AlarmStack("ops-idle", "5", "idle"), "CloudWatch alarm \"ops-idle\"",
                         [&] { return Tags("ops-idle"); });
  EXPECT_EQ(Alarms("ops-idle")[0]["MetricName"], "Other");
}

}  // namespace
}  // namespace reconcile::testing
