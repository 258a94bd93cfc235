#include "backends/s3/dynamodb_lock_store.h"

#include <thread>

#include <nlohmann/json.hpp>

namespace reconcile::s3 {

namespace {

using nlohmann::json;

json StringAttribute(const std::string& value) { return {{"S", value}}; }

json KeyOf(const std::string& lock_id) { return {{"LockID", StringAttribute(lock_id)}}; }

// The put of a lock entry is safe to repeat: a repeat that finds our own entry
// is recognised by its ID, so it may be retried after a 5xx or a timeout.
constexpr aws::CallOptions kRepeatable{.idempotency = aws::Idempotency::kIdempotent};

// The string attribute `name` of an item ("" when absent or not a string).
std::string StringIn(const json& item, const char* name) {
  auto value = item.find(name);
  if (value == item.end() || !value->contains("S") || !(*value)["S"].is_string()) return "";
  return (*value)["S"].get<std::string>();
}

}  // namespace

aws::AwsResult<std::optional<json>> DynamoDbLockStore::ReadItem(const std::string& lock_id) {
  json request = {{"TableName", table_}, {"Key", KeyOf(lock_id)}, {"ConsistentRead", true}};
  aws::AwsResult<json> response = client_->Json("dynamodb", "GetItem", request);
  if (!response.ok()) return response.error();
  auto item = response->find("Item");
  if (item == response->end() || !item->is_object()) return std::optional<json>();
  return std::optional<json>(*item);
}

aws::AwsResult<LockAttempt> DynamoDbLockStore::TryCreate(const std::string& state_path, const std::string& info_json) {
  json request = {{"TableName", table_},
                  {"Item", {{"LockID", StringAttribute(LockId(state_path))}, {"Info", StringAttribute(info_json)}}},
                  {"ConditionExpression", "attribute_not_exists(LockID)"}};
  aws::AwsResult<json> response = client_->Json("dynamodb", "PutItem", request, kRepeatable);
  if (response.ok()) return LockAttempt{.acquired = true, .entry = {info_json, ""}};
  if (!response.error().Is("ConditionalCheckFailedException")) return response.error();
  aws::AwsResult<std::optional<LockEntry>> holder = Read(state_path);
  if (!holder.ok()) return holder.error();
  return LockAttempt{.acquired = false, .entry = holder.value().value_or(LockEntry{})};
}

aws::AwsResult<std::optional<LockEntry>> DynamoDbLockStore::Read(const std::string& state_path) {
  aws::AwsResult<std::optional<json>> item = ReadItem(LockId(state_path));
  if (!item.ok()) return item.error();
  if (!item.value()) return std::optional<LockEntry>();
  return std::optional<LockEntry>(LockEntry{StringIn(*item.value(), "Info"), ""});
}

aws::AwsResult<bool> DynamoDbLockStore::DeleteIfUnchanged(const std::string& state_path, const LockEntry& expected) {
  json request = {{"TableName", table_},
                  {"Key", KeyOf(LockId(state_path))},
                  {"ConditionExpression", "Info = :info"},
                  {"ExpressionAttributeValues", {{":info", StringAttribute(expected.info_json)}}}};
  aws::AwsResult<json> response = client_->Json("dynamodb", "DeleteItem", request, kRepeatable);
  if (response.ok()) return true;
  if (response.error().Is("ConditionalCheckFailedException")) return false;
  return response.error();
}

aws::AwsResult<std::optional<StateDigest>> DynamoDbLockStore::ReadDigest(const std::string& state_path) {
  aws::AwsResult<std::optional<json>> item = ReadItem(DigestId(state_path));
  if (!item.ok()) return item.error();
  if (!item.value()) return std::optional<StateDigest>();
  StateDigest digest{StringIn(*item.value(), "Digest"), std::nullopt};
  auto serial = item.value()->find("Serial");
  if (serial != item.value()->end() && serial->contains("N") && (*serial)["N"].is_string())
    digest.serial = ParseSerial((*serial)["N"].get<std::string>());
  return std::optional<StateDigest>(std::move(digest));
}

aws::AwsResult<aws::Done> DynamoDbLockStore::WriteDigest(const std::string& state_path, const StateDigest& digest) {
  json item = {{"LockID", StringAttribute(DigestId(state_path))}, {"Digest", StringAttribute(digest.md5_hex)}};
  if (digest.serial) item["Serial"] = {{"N", std::to_string(*digest.serial)}};
  json request = {{"TableName", table_}, {"Item", std::move(item)}};
  aws::AwsResult<json> response = client_->Json("dynamodb", "PutItem", request, kRepeatable);
  if (!response.ok()) return response.error();
  return aws::Done{};
}

aws::AwsResult<aws::Done> DynamoDbLockStore::DeleteDigest(const std::string& state_path) {
  json request = {{"TableName", table_}, {"Key", KeyOf(DigestId(state_path))}};
  aws::AwsResult<json> response = client_->Json("dynamodb", "DeleteItem", request, kRepeatable);
  if (!response.ok()) return response.error();
  return aws::Done{};
}

std::string DynamoDbLockStore::LockLocation(const std::string& state_path) const {
  return "DynamoDB table \"" + table_ + "\", item LockID = \"" + LockId(state_path) + "\"";
}

std::string DynamoDbLockStore::DigestLocation(const std::string& state_path) const {
  return "DynamoDB table \"" + table_ + "\", item LockID = \"" + DigestId(state_path) + "\", attribute Digest";
}

Diagnostics DynamoDbLockStore::WaitUntilActive() {
  Diagnostics diags;
  for (int attempt = 0; attempt < 120; ++attempt) {
    aws::AwsResult<json> described = client_->Json("dynamodb", "DescribeTable", {{"TableName", table_}});
    if (!described.ok()) {
      diags.Add(described.error().ToDiagnostic());
      return diags;
    }
    if (described.value()["Table"].value("TableStatus", "") == "ACTIVE") return diags;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  diags.Error("DynamoDB lock table \"" + table_ + "\" did not become ACTIVE within 2 minutes",
              "check the table in the DynamoDB console, then run `reconcile init --bootstrap` again");
  return diags;
}

Diagnostics DynamoDbLockStore::Bootstrap(std::vector<std::string>* report) {
  Diagnostics diags;
  aws::AwsResult<json> described = client_->Json("dynamodb", "DescribeTable", {{"TableName", table_}});
  if (described.ok()) {
    report->push_back("DynamoDB lock table \"" + table_ + "\" already exists.");
    return diags;
  }
  if (!described.error().IsNotFound()) {
    diags.Add(described.error().ToDiagnostic());
    return diags;
  }
  json create = {{"TableName", table_},
                 {"AttributeDefinitions", json::array({{{"AttributeName", "LockID"}, {"AttributeType", "S"}}})},
                 {"KeySchema", json::array({{{"AttributeName", "LockID"}, {"KeyType", "HASH"}}})},
                 {"BillingMode", "PAY_PER_REQUEST"}};
  aws::AwsResult<json> created = client_->Json("dynamodb", "CreateTable", create);
  if (!created.ok() && !created.error().Is("ResourceInUseException")) {
    diags.Add(created.error().ToDiagnostic());
    return diags;
  }
  diags.Append(WaitUntilActive());
  if (!diags.HasErrors())
    report->push_back("Created DynamoDB lock table \"" + table_ + "\" (LockID string hash key, on-demand billing).");
  return diags;
}

Diagnostics DynamoDbLockStore::Check() {
  Diagnostics diags;
  aws::AwsResult<json> described = client_->Json("dynamodb", "DescribeTable", {{"TableName", table_}});
  if (!described.ok()) {
    if (described.error().IsNotFound()) {
      diags.Error("DynamoDB lock table \"" + table_ + "\" does not exist in " + client_->region(),
                  "create it with `reconcile init --bootstrap`, or set [backend.s3] lock_table to an existing "
                  "table with a LockID string hash key");
    } else {
      diags.Add(described.error().ToDiagnostic());
    }
    return diags;
  }
  const json& keys = described.value()["Table"]["KeySchema"];
  bool keyed_by_lock_id = keys.is_array() && keys.size() == 1 && keys[0].value("AttributeName", "") == "LockID";
  if (!keyed_by_lock_id)
    diags.Error("DynamoDB table \"" + table_ + "\" cannot hold locks: its hash key is not LockID",
                "expected a table whose only key is the string attribute LockID (what `reconcile init --bootstrap` "
                "creates)");
  return diags;
}

}  // namespace reconcile::s3
