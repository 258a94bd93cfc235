// aws_route53_zone and aws_route53_record through the engine against moto,
// checked with the aws CLI.
#include "aws/call_stats.h"
#include "aws_stack.h"
#include "services/route53.h"
#include "shell_command.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string ZoneStack(const std::string& comment, const std::string& extra = "") {
  return "[resource.aws_route53_zone.main]\nname = \"Example.com.\"\ncomment = \"" + comment +
         "\"\ntags = { Name = \"main\" }\n" + extra + "\n";
}

std::string RecordStack(const std::string& name, const std::string& ttl,
                        const std::string& records) {
  return "[resource.aws_route53_record.www]\nzone_id = \"${aws_route53_zone.main.zone_id}\"\nname "
         "= \"" +
         name + "\"\ntype = \"A\"\nttl = " + ttl + "\nrecords = " + records +
         "\n\n"
         "[resource.aws_route53_record.api]\nzone_id = \"${aws_route53_zone.main.zone_id}\"\nname "
         "= \"api.example.com.\"\n"
         "type = \"A\"\nalias = { name = \"WWW.example.com.\", zone_id = "
         "\"${aws_route53_zone.main.zone_id}\", "
         "evaluate_target_health = false }\n\n"
         "[resource.aws_route53_record.spf]\nzone_id = \"${aws_route53_zone.main.zone_id}\"\nname "
         "= \"example.com\"\n"
         "type = \"TXT\"\nttl = 60\nrecords = [\"v=spf1 -all\"]\n";
}

class AwsRoute53Test : public AwsStackTest {
 protected:
  // The record sets of the zone by "name type".
  std::map<std::string, json> Records(const std::string& zone_id) {
    std::map<std::string, json> out;
    json listed = AwsCli("route53 list-resource-record-sets --hosted-zone-id " + zone_id);
    for (const json& set : listed["ResourceRecordSets"])
      out[set["Name"].get<std::string>() + " " + set["Type"].get<std::string>()] = set;
    return out;
  }
  std::vector<std::string> Values(const json& set) {
    std::vector<std::string> values;
    for (const json& r : set["ResourceRecords"]) values.push_back(r["Value"]);
    std::sort(values.begin(), values.end());
    return values;
  }
  std::map<std::string, std::string> Tags(const std::string& zone_id) {
    std::map<std::string, std::string> tags;
    json listed = AwsCli(
        "route53 list-tags-for-resource --resource-type hostedzone --resource-id " + zone_id);
    for (const json& tag : listed["ResourceTagSet"]["Tags"]) tags[tag["Key"]] = tag["Value"];
    return tags;
  }
};

TEST_F(AwsRoute53Test, ZoneAndRecordsCreateNoOpUpdateDriftReplaceImportDelete) {
  // Given a zone written with a capital and a trailing dot, an A record, an alias and a TXT record
  WriteStack(ZoneStack("primary") + RecordStack("www", "300", "[\"10.0.0.1\", \"10.0.0.2\"]"));

  // When applied, Route53 holds them
  EXPECT_EQ(Changes(Apply()),
            "create aws_route53_record.api\ncreate aws_route53_record.spf\ncreate "
            "aws_route53_record.www\n"
            "create aws_route53_zone.main\n");
  std::string zone = Attr("aws_route53_zone.main", "zone_id");
  json hosted = AwsCli("route53 get-hosted-zone --id " + zone);
  EXPECT_EQ(hosted["HostedZone"]["Name"], "example.com.");
  EXPECT_EQ(hosted["HostedZone"]["Config"]["Comment"], "primary");
  EXPECT_EQ(Attr("aws_route53_zone.main", "name"), "example.com");
  EXPECT_EQ(Attr("aws_route53_zone.main", "name_servers"),
            hosted["DelegationSet"]["NameServers"].dump());
  EXPECT_EQ(Attr("aws_route53_zone.main", "arn"), "arn:aws:route53:::hostedzone/" + zone);
  EXPECT_EQ(Tags(zone)["Name"], "main");
  EXPECT_EQ(Tags(zone)["reconcile:address"], "aws_route53_zone.main");
  std::map<std::string, json> records = Records(zone);
  EXPECT_EQ(Values(records["www.example.com. A"]),
            (std::vector<std::string>{"10.0.0.1", "10.0.0.2"}));
  EXPECT_EQ(records["www.example.com. A"]["TTL"], 300);
  EXPECT_EQ(records["api.example.com. A"]["AliasTarget"]["DNSName"], "www.example.com");
  EXPECT_EQ(Values(records["example.com. TXT"]), (std::vector<std::string>{"\"v=spf1 -all\""}));
  EXPECT_EQ(Attr("aws_route53_record.www", "id"), zone + "_www.example.com_A");
  EXPECT_EQ(Attr("aws_route53_record.www", "fqdn"), "www.example.com");
  EXPECT_EQ(Attr("aws_route53_record.spf", "records"), R"(["v=spf1 -all"])");

  // A second plan changes nothing, the three records refreshed by one listing of the zone
  aws::CallStats::Reset();
  EXPECT_EQ(Changes(PlanChanges()), "");
  EXPECT_EQ(aws::CallStats::Calls("route53", "ListResourceRecordSets"), 1u)
      << aws::CallStats::Format();

  // A new comment and new record values update in place (UPSERT)
  WriteStack(ZoneStack("primary zone") + RecordStack("www", "600", "[\"10.0.0.3\"]"));
  EXPECT_EQ(Changes(Apply()), "update aws_route53_record.www\nupdate aws_route53_zone.main\n");
  EXPECT_EQ(AwsCli("route53 get-hosted-zone --id " + zone)["HostedZone"]["Config"]["Comment"],
            "primary zone");
  records = Records(zone);
  EXPECT_EQ(Values(records["www.example.com. A"]), (std::vector<std::string>{"10.0.0.3"}));
  EXPECT_EQ(records["www.example.com. A"]["TTL"], 600);
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A record changed with the aws CLI is drift: planned and put back
  AwsCli("route53 change-resource-record-sets --hosted-zone-id " + zone +
         " --change-batch "
         "'{\"Changes\":[{\"Action\":\"UPSERT\",\"ResourceRecordSet\":{\"Name\":\"www.example."
         "com\",\"Type\":\"A\","
         "\"TTL\":60,\"ResourceRecords\":[{\"Value\":\"192.0.2.9\"}]}}]}'");
  EXPECT_EQ(Changes(Apply()), "update aws_route53_record.www\n");
  EXPECT_EQ(Values(Records(zone)["www.example.com. A"]), (std::vector<std::string>{"10.0.0.3"}));
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new name replaces the record, naming the attribute
  WriteStack(ZoneStack("primary zone") + RecordStack("www2", "600", "[\"10.0.0.3\"]"));
  EXPECT_EQ(Changes(Apply()), "replace aws_route53_record.www [name]\n");
  records = Records(zone);
  EXPECT_EQ(records.count("www.example.com. A"), 0u);
  EXPECT_EQ(Values(records["www2.example.com. A"]), (std::vector<std::string>{"10.0.0.3"}));

  // Import by ZONEID_NAME_TYPE (the configuration names it relatively) and by zone id
  ASSERT_FALSE(RemoveFromState("aws_route53_record.www").HasErrors());
  ASSERT_FALSE(RemoveFromState("aws_route53_zone.main").HasErrors());
  Import("aws_route53_record.www", zone + "_www2.example.com_A");
  Import("aws_route53_zone.main", zone);
  EXPECT_EQ(Attr("aws_route53_record.www", "ttl"), "600");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A zone still holding a record of its own is not deleted without force_destroy
  AwsCli("route53 change-resource-record-sets --hosted-zone-id " + zone +
         " --change-batch "
         "'{\"Changes\":[{\"Action\":\"CREATE\",\"ResourceRecordSet\":{\"Name\":\"manual.example."
         "com\",\"Type\":\"A\","
         "\"TTL\":60,\"ResourceRecords\":[{\"Value\":\"192.0.2.1\"}]}}]}'");
  WriteStack("");
  Diagnostics refused = ApplyAllowingErrors();
  EXPECT_NE(refused.ToString().find("HostedZoneNotEmpty"), std::string::npos) << refused.ToString();
  EXPECT_NE(refused.ToString().find("force_destroy = true"), std::string::npos)
      << refused.ToString();
  EXPECT_EQ(Records(zone).count("www2.example.com. A"), 0u);

  // With force_destroy the zone goes with its remaining records
  WriteStack(ZoneStack("primary zone", "force_destroy = true"));
  EXPECT_EQ(Changes(Apply()), "update aws_route53_zone.main\n");
  WriteStack("");
  EXPECT_EQ(Changes(Apply()), "delete aws_route53_zone.main\n");
  std::string out;
  EXPECT_NE(AwsStatus("route53 get-hosted-zone --id " + zone, &out), 0);
  EXPECT_NE(out.find("NoSuchHostedZone"), std::string::npos) << out;
}

TEST_F(AwsRoute53Test, InterruptedZoneCreateIsAdoptedThroughItsCallerReference) {
  // Given a zone create that reached Route53 but was never recorded
  WriteStack(ZoneStack("primary"));
  Value planned = Value::Map({{"name", Value::String("example.com")},
                              {"comment", Value::String("primary")},
                              {"tags", Value::Map({{"Name", Value::String("main")}})}});
  std::string made = InterruptedCreate("aws_route53_zone", "aws_route53_zone.main", planned);
  ASSERT_FALSE(made.empty());

  // When applied again, that zone is adopted: still one zone
  EXPECT_EQ(Changes(Apply()), "");
  EXPECT_EQ(Attr("aws_route53_zone.main", "zone_id"), made);
  EXPECT_EQ(AwsCli("route53 list-hosted-zones")["HostedZones"].size(), 1u);
}

TEST(Route53Names, NormalizedAndExpandedAsTerraformDoes) {
  EXPECT_EQ(aws_provider::NormalizeDnsName("WWW.Example.COM."), "www.example.com");
  EXPECT_EQ(aws_provider::NormalizeDnsName("\\052.example.com."), "*.example.com");
  EXPECT_EQ(aws_provider::NormalizeDnsName("a\\100b.example.com"), "a@b.example.com");
  EXPECT_EQ(aws_provider::ExpandRecordName("www", "example.com."), "www.example.com");
  EXPECT_EQ(aws_provider::ExpandRecordName("WWW.example.com.", "example.com"), "www.example.com");
  EXPECT_EQ(aws_provider::ExpandRecordName("example.com", "example.com"), "example.com");
  EXPECT_EQ(aws_provider::ExpandRecordName("", "example.com"), "example.com");
  EXPECT_EQ(aws_provider::ExpandRecordName("notexample.com", "example.com"),
            "notexample.com.example.com");
  EXPECT_EQ(aws_provider::CleanRoute53Id("/hostedzone/Z123"), "Z123");
  EXPECT_EQ(aws_provider::CleanRoute53Id("Z123"), "Z123");
}

}  // namespace
}  // namespace reconcile::testing
