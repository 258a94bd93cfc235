// aws_dynamodb_table through the engine against moto, checked with the aws CLI.
#include "aws/call_stats.h"
#include "aws_stack.h"
#include "shell_command.h"

namespace reconcile::testing {
namespace {

using nlohmann::json;

std::string OrdersTable(const std::string& range_key, const std::string& range_type,
                        const std::string& settings) {
  return "[resource.aws_dynamodb_table.orders]\nname = \"orders\"\nhash_key = \"pk\"\nrange_key = "
         "\"" +
         range_key + "\"\nattribute = [{ name = \"pk\", type = \"S\" }, { name = \"" + range_key +
         "\", type = \"" + range_type + "\" }]\n" + settings +
         "\n"
         "[resource.aws_dynamodb_table.events]\nname = \"events\"\nbilling_mode = "
         "\"PAY_PER_REQUEST\"\n"
         "hash_key = \"id\"\nattribute = { name = \"id\", type = \"S\" }\n";
}

const char* kProvisioned =
    "read_capacity = 5\nwrite_capacity = 5\nttl = { attribute_name = \"expires\", enabled = true "
    "}\n"
    "tags = { Name = \"orders\" }\n";
const char* kOnDemand =
    "billing_mode = \"PAY_PER_REQUEST\"\nstream_enabled = true\nstream_view_type = \"NEW_IMAGE\"\n"
    "ttl = { attribute_name = \"expires\", enabled = false }\ntags = { Name = \"orders\", tier = "
    "\"gold\" }\n";

class AwsDynamoDbTest : public AwsStackTest {
 protected:
  json Table(const std::string& name) {
    return AwsCli("dynamodb describe-table --table-name " + name)["Table"];
  }
  std::map<std::string, std::string> Tags(const std::string& arn) {
    std::map<std::string, std::string> tags;
    json listed = AwsCli("dynamodb list-tags-of-resource --resource-arn " + arn);
    for (const json& tag : listed["Tags"]) tags[tag["Key"]] = tag["Value"];
    return tags;
  }
  json Ttl(const std::string& name) {
    return AwsCli("dynamodb describe-time-to-live --table-name " + name)["TimeToLiveDescription"];
  }
};

TEST_F(AwsDynamoDbTest, TableCreateNoOpUpdateDriftReplaceImportDelete) {
  // Given an attribute no key uses, the plan is refused with DynamoDB's rule
  WriteStack(OrdersTable("sk", "N", kProvisioned) +
             "\n[resource.aws_dynamodb_table.bad]\nname = \"bad\"\n"
             "billing_mode = \"PAY_PER_REQUEST\"\nhash_key = \"id\"\nattribute = [{ name = \"id\", "
             "type = \"S\" }, "
             "{ name = \"extra\", type = \"S\" }]\n");
  Diagnostics refused = ApplyAllowingErrors();
  EXPECT_NE(refused.ToString().find("Attribute extra is not a key"), std::string::npos)
      << refused.ToString();

  // Given a provisioned table with a range key and TTL, and an on-demand one
  WriteStack(OrdersTable("sk", "N", kProvisioned), "default_tags = { team = \"data\" }");

  // When applied, DynamoDB holds them as configured
  EXPECT_EQ(Changes(Apply()),
            "create aws_dynamodb_table.events\ncreate aws_dynamodb_table.orders\n");
  json table = Table("orders");
  EXPECT_EQ(table["TableStatus"], "ACTIVE");
  EXPECT_EQ(
      table["KeySchema"],
      json::parse(
          R"([{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}])"));
  EXPECT_EQ(table["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
  EXPECT_EQ(table["ProvisionedThroughput"]["WriteCapacityUnits"], 5);
  EXPECT_EQ(Ttl("orders")["TimeToLiveStatus"], "ENABLED");
  EXPECT_EQ(Ttl("orders")["AttributeName"], "expires");
  std::map<std::string, std::string> tags = Tags(table["TableArn"]);
  EXPECT_EQ(tags["Name"], "orders");
  EXPECT_EQ(tags["team"], "data");
  EXPECT_EQ(tags["reconcile:address"], "aws_dynamodb_table.orders");
  EXPECT_EQ(Table("events")["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST");
  EXPECT_EQ(Attr("aws_dynamodb_table.orders", "arn"), table["TableArn"]);
  EXPECT_EQ(Attr("aws_dynamodb_table.orders", "ttl"),
            R"([{"attribute_name":"expires","enabled":true}])");

  // A second plan changes nothing, and the refresh read tags of both tables in one bulk call
  aws::CallStats::Reset();
  EXPECT_EQ(Changes(PlanChanges()), "");
  EXPECT_EQ(aws::CallStats::Calls("dynamodb", "ListTagsOfResource"), 0u)
      << aws::CallStats::Format();
  EXPECT_EQ(aws::CallStats::Calls("tagging", "GetResources"), 1u) << aws::CallStats::Format();

  // On-demand billing, a stream, TTL off and a new tag update the table in place
  WriteStack(OrdersTable("sk", "N", kOnDemand), "default_tags = { team = \"data\" }");
  EXPECT_EQ(Changes(Apply()), "update aws_dynamodb_table.orders\n");
  table = Table("orders");
  EXPECT_EQ(table["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST");
  EXPECT_EQ(table["StreamSpecification"]["StreamViewType"], "NEW_IMAGE");
  EXPECT_EQ(Ttl("orders")["TimeToLiveStatus"], "DISABLED");
  EXPECT_EQ(Tags(table["TableArn"])["tier"], "gold");
  EXPECT_NE(Attr("aws_dynamodb_table.orders", "stream_arn"), "");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Billing changed with the aws CLI is drift: planned and put back
  AwsCli(
      "dynamodb update-table --table-name orders --billing-mode PROVISIONED "
      "--provisioned-throughput ReadCapacityUnits=1,WriteCapacityUnits=1");
  EXPECT_EQ(Changes(Apply()), "update aws_dynamodb_table.orders\n");
  EXPECT_EQ(Table("orders")["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // A new range key replaces the table, naming what forces it
  WriteStack(OrdersTable("created", "S", kOnDemand), "default_tags = { team = \"data\" }");
  EXPECT_EQ(Changes(Apply()), "replace aws_dynamodb_table.orders [attribute] [range_key]\n");
  EXPECT_EQ(Table("orders")["KeySchema"][1]["AttributeName"], "created");

  // Import by name after the state forgets it matches the configuration
  ASSERT_FALSE(RemoveFromState("aws_dynamodb_table.orders").HasErrors());
  Import("aws_dynamodb_table.orders", "orders");
  EXPECT_EQ(Attr("aws_dynamodb_table.orders", "range_key"), "created");
  EXPECT_EQ(Changes(PlanChanges()), "");

  // Removing them from the configuration deletes them, waiting until they are gone
  WriteStack("");
  EXPECT_EQ(Changes(Apply()),
            "delete aws_dynamodb_table.events\ndelete aws_dynamodb_table.orders\n");
  std::string out;
  EXPECT_NE(AwsStatus("dynamodb describe-table --table-name orders", &out), 0);
  EXPECT_NE(out.find("ResourceNotFoundException"), std::string::npos) << out;
}

}  // namespace
}  // namespace reconcile::testing
