// aws_dynamodb_table: a DynamoDB table with its key schema, billing mode and
// capacity, stream and TTL settings. Creates and updates wait for ACTIVE,
// deletes until the table is gone. Keys force a new table; billing,
// capacity, stream, TTL and deletion protection change in place. A refresh
// reads tags of all tables in bulk (Tagging API).
#include <set>

#include "batch.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/json_call.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

using nlohmann::json;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("name", kString).ForceNew(),
              Attribute::Optional("billing_mode", kString)
                  .Default(Str("PROVISIONED"))
                  .OneOf({"PROVISIONED", "PAY_PER_REQUEST"}),
              Attribute::Required("hash_key", kString).ForceNew(),
              Attribute::Optional("range_key", kString).ForceNew(),
              Attribute::Required("attribute", kSet)
                  .Block({
                      Attribute::Required("name", kString),
                      Attribute::Required("type", kString).OneOf({"S", "N", "B"}),
                  }),
              Attribute::OptionalComputed("read_capacity", kNumber),
              Attribute::OptionalComputed("write_capacity", kNumber),
              Attribute::OptionalComputed("ttl", kList)
                  .Block({
                      Attribute::Optional("attribute_name", kString),
                      Attribute::Optional("enabled", kBool).Default(Bool(false)),
                  })
                  .MaxItems(1),
              Attribute::Optional("stream_enabled", kBool).Default(Bool(false)),
              Attribute::OptionalComputed("stream_view_type", kString)
                  .Describe("KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES"),
              Attribute::Optional("deletion_protection_enabled", kBool).Default(Bool(false)),
              Attribute::Computed("arn", kString),
              Attribute::Computed("stream_arn", kString),
              Attribute::Computed("stream_label", kString),
          },
          "A DynamoDB table."};
}

// What AWS says about one table.
struct TableFacts {
  json table;  // DescribeTable's Table
  json ttl;    // DescribeTimeToLive's TimeToLiveDescription
  TagMap tags;
};

Value TtlBlock(const json& ttl, const Value& current) {
  std::string status = JsonString(ttl, "TimeToLiveStatus");
  bool enabled = status == "ENABLED" || status == "ENABLING";
  std::string name = JsonString(ttl, "AttributeName");
  std::vector<Value> prior = GetBlocks(current, "ttl");
  // A disabled TTL has no name in AWS; keep the configured one.
  if (name.empty() && !enabled && !prior.empty() && !GetBool(prior.front(), "enabled"))
    name = GetString(prior.front(), "attribute_name");
  Value block = Value::Map({});
  block.Set("attribute_name", StrOrNull(name));
  block.Set("enabled", Bool(enabled));
  return Value::List({block});
}

Value AttributesFromAws(const json& table) {
  ValueList out;
  for (const json& a : table.value("AttributeDefinitions", json::array()))
    out.push_back(Value::Map({{"name", Str(JsonString(a, "AttributeName"))},
                              {"type", Str(JsonString(a, "AttributeType"))}}));
  return Value::List(std::move(out));
}

std::string KeyOfType(const json& table, const char* key_type) {
  for (const json& k : table.value("KeySchema", json::array()))
    if (JsonString(k, "KeyType") == key_type) return JsonString(k, "AttributeName");
  return "";
}

Value ToState(ResourceContext& ctx, const TableFacts& facts, const Value& current) {
  const json& t = facts.table;
  json throughput = t.value("ProvisionedThroughput", json::object());
  json stream = t.value("StreamSpecification", json::object());
  std::string billing = JsonString(t.value("BillingModeSummary", json::object()), "BillingMode");
  bool stream_on = stream.value("StreamEnabled", false);
  Value state = Value::Map({});
  state.Set("id", Str(JsonString(t, "TableName")));
  state.Set("name", Str(JsonString(t, "TableName")));
  state.Set("billing_mode", Str(billing.empty() ? "PROVISIONED" : billing));
  state.Set("hash_key", Str(KeyOfType(t, "HASH")));
  state.Set("range_key", StrOrNull(KeyOfType(t, "RANGE")));
  state.Set("attribute", AttributesFromAws(t));
  state.Set("read_capacity", Num(throughput.value("ReadCapacityUnits", 0.0)));
  state.Set("write_capacity", Num(throughput.value("WriteCapacityUnits", 0.0)));
  state.Set("ttl", TtlBlock(facts.ttl, current));
  state.Set("stream_enabled", Bool(stream_on));
  state.Set("stream_view_type",
            stream_on ? StrOrNull(JsonString(stream, "StreamViewType")) : Value());
  state.Set("deletion_protection_enabled", Bool(t.value("DeletionProtectionEnabled", false)));
  state.Set("arn", Str(JsonString(t, "TableArn")));
  state.Set("stream_arn", StrOrNull(JsonString(t, "LatestStreamArn")));
  state.Set("stream_label", StrOrNull(JsonString(t, "LatestStreamLabel")));
  SetTagsFromAws(facts.tags, ctx.runtime().default_tags, current, state);
  return state;
}

// DescribeTable: the table, null json when it does not exist; nullopt on error.
std::optional<json> Describe(ResourceContext& ctx, const std::string& name) {
  auto described = ctx.client().Json("dynamodb", "DescribeTable", {{"TableName", name}});
  if (described.ok()) return described->value("Table", json::object());
  if (described.error().IsNotFound()) return json();
  ctx.Fail(described.error());
  return std::nullopt;
}

std::optional<json> DescribeTtl(ResourceContext& ctx, const std::string& name) {
  auto ttl = JsonCall(ctx, "dynamodb", "DescribeTimeToLive", {{"TableName", name}});
  if (!ttl) return std::nullopt;
  return ttl->value("TimeToLiveDescription", json::object());
}

std::optional<TagMap> ListTags(ResourceContext& ctx, const std::string& arn) {
  TagMap tags;
  json request = {{"ResourceArn", arn}};
  while (true) {
    auto page = JsonCall(ctx, "dynamodb", "ListTagsOfResource", request);
    if (!page) return std::nullopt;
    for (const auto& [k, v] : TagMapFromJson(page->value("Tags", json::array()))) tags[k] = v;
    std::string token = JsonString(*page, "NextToken");
    if (token.empty()) return tags;
    request["NextToken"] = token;
  }
}

// The table and its TTL (tags are read by the caller); table null when gone.
std::optional<TableFacts> DescribeWithTtl(ResourceContext& ctx, const std::string& name) {
  auto table = Describe(ctx, name);
  if (!table) return std::nullopt;
  if (table->is_null()) return TableFacts{};
  auto ttl = DescribeTtl(ctx, name);
  if (!ttl) return std::nullopt;
  return TableFacts{*table, *ttl, {}};
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto facts = DescribeWithTtl(ctx, IdOf(current));
  if (!facts || facts->table.is_null()) return Value();
  auto tags = ListTags(ctx, JsonString(facts->table, "TableArn"));
  if (!tags) return Value();
  facts->tags = std::move(*tags);
  return ToState(ctx, *facts, current);
}

// Each table described on its own (DynamoDB has no batch describe); the tags
// of all of them in one Tagging API call per 100.
Found<TableFacts> LookupTables(ResourceContext& ctx, const std::vector<std::string>& names) {
  std::map<std::string, TableFacts> found;
  std::vector<std::string> arns;
  for (const std::string& name : names) {
    auto facts = DescribeWithTtl(ctx, name);
    if (!facts) return std::nullopt;
    if (facts->table.is_null()) continue;
    arns.push_back(JsonString(facts->table, "TableArn"));
    found[name] = std::move(*facts);
  }
  auto tags = ReadTagsByArn(ctx, arns);
  if (!tags) return std::nullopt;
  for (auto& [name, facts] : found) facts.tags = (*tags)[JsonString(facts.table, "TableArn")];
  return found;
}

std::vector<ReadResponse> ReadTables(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  return BatchRead(ctx, requests, LookupTables(ctx, RequestKeys(requests)), ToState);
}

bool WaitActive(ResourceContext& ctx, const std::string& name) {
  return WaitFor(ctx, "DynamoDB table " + name + " to become ACTIVE", [&] {
    auto table = Describe(ctx, name);
    if (!table) return Poll::kFailed;
    return !table->is_null() && JsonString(*table, "TableStatus") == "ACTIVE" ? Poll::kDone
                                                                              : Poll::kPending;
  });
}

json Throughput(const Value& planned) {
  return {{"ReadCapacityUnits", GetInt(planned, "read_capacity")},
          {"WriteCapacityUnits", GetInt(planned, "write_capacity")}};
}

json StreamSpecification(const Value& planned) {
  json spec = {{"StreamEnabled", GetBool(planned, "stream_enabled")}};
  if (GetBool(planned, "stream_enabled"))
    spec["StreamViewType"] = GetString(planned, "stream_view_type");
  return spec;
}

json CreateRequest(ResourceContext& ctx, const Value& planned) {
  json attributes = json::array();
  for (const Value& a : GetBlocks(planned, "attribute"))
    attributes.push_back(
        {{"AttributeName", GetString(a, "name")}, {"AttributeType", GetString(a, "type")}});
  json keys =
      json::array({{{"AttributeName", GetString(planned, "hash_key")}, {"KeyType", "HASH"}}});
  if (auto range = FindString(planned, "range_key"))
    keys.push_back({{"AttributeName", *range}, {"KeyType", "RANGE"}});
  json request = {{"TableName", GetString(planned, "name")},
                  {"AttributeDefinitions", attributes},
                  {"KeySchema", keys},
                  {"BillingMode", GetString(planned, "billing_mode")},
                  {"DeletionProtectionEnabled", GetBool(planned, "deletion_protection_enabled")},
                  {"Tags", TagListJson(ctx.TagsForCreate(planned))}};
  if (GetString(planned, "billing_mode") == "PROVISIONED")
    request["ProvisionedThroughput"] = Throughput(planned);
  if (GetBool(planned, "stream_enabled"))
    request["StreamSpecification"] = StreamSpecification(planned);
  return request;
}

// UpdateTimeToLive from the prior block to the planned one (AWS knows one
// TTL attribute at a time: a rename disables the old one first).
void ApplyTtl(ResourceContext& ctx, const std::string& name, const Value& prior,
              const Value& planned) {
  std::vector<Value> before = GetBlocks(prior, "ttl");
  std::vector<Value> after = GetBlocks(planned, "ttl");
  bool was_on = !before.empty() && GetBool(before.front(), "enabled");
  bool on = !after.empty() && GetBool(after.front(), "enabled");
  std::string old_name = was_on ? GetString(before.front(), "attribute_name") : "";
  std::string new_name = on ? GetString(after.front(), "attribute_name") : "";
  auto set = [&](bool enabled, const std::string& attribute) {
    json spec = {{"Enabled", enabled}, {"AttributeName", attribute}};
    JsonCall(ctx, "dynamodb", "UpdateTimeToLive",
             {{"TableName", name}, {"TimeToLiveSpecification", spec}},
             aws::Idempotency::kIdempotent);
  };
  if (was_on && (!on || old_name != new_name)) set(false, old_name);
  if (on && (!was_on || old_name != new_name) && !ctx.failed()) set(true, new_name);
}

// The tags of the table named `name`; nullopt when there is none.
std::optional<TagMap> TableTags(ResourceContext& ctx, const std::string& name) {
  auto table = Describe(ctx, name);
  if (!table || table->is_null()) return std::nullopt;
  return ListTags(ctx, JsonString(*table, "TableArn"));
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = GetString(planned, "name");
  auto created = ctx.client().Json("dynamodb", "CreateTable", CreateRequest(ctx, planned),
                                   {.idempotency = aws::Idempotency::kNotIdempotent});
  // A create that landed before a lost answer left this instance's table behind.
  if (!CreatedOrAdopted(ctx, created, "ResourceInUseException", {"DynamoDB table", name},
                        [&] { return TableTags(ctx, name); }))
    return Value();
  Value id = Value::Map({{"id", Str(name)}});
  // An adopted table is read back as it is: its TTL is the next plan's business.
  if (WaitActive(ctx, name) && created.ok()) ApplyTtl(ctx, name, Value(), planned);
  return id;
}

// One UpdateTable call (waited for), when `request` changes anything.
void UpdateTable(ResourceContext& ctx, const std::string& name, json request) {
  if (request.empty() || ctx.failed()) return;
  request["TableName"] = name;
  if (JsonCall(ctx, "dynamodb", "UpdateTable", request, aws::Idempotency::kIdempotent))
    WaitActive(ctx, name);
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  std::string name = IdOf(prior);
  json table;
  std::string billing = GetString(planned, "billing_mode");
  if (Changed(prior, planned, "billing_mode")) table["BillingMode"] = billing;
  bool capacity =
      Changed(prior, planned, "read_capacity") || Changed(prior, planned, "write_capacity");
  if (billing == "PROVISIONED" && (capacity || table.contains("BillingMode")))
    table["ProvisionedThroughput"] = Throughput(planned);
  if (Changed(prior, planned, "deletion_protection_enabled"))
    table["DeletionProtectionEnabled"] = GetBool(planned, "deletion_protection_enabled");
  bool stream_changed =
      Changed(prior, planned, "stream_enabled") ||
      (GetBool(planned, "stream_enabled") && Changed(prior, planned, "stream_view_type"));
  // A stream changes its view type only by being turned off and on again.
  if (stream_changed && GetBool(prior, "stream_enabled") && GetBool(planned, "stream_enabled"))
    UpdateTable(ctx, name, {{"StreamSpecification", {{"StreamEnabled", false}}}});
  if (stream_changed) table["StreamSpecification"] = StreamSpecification(planned);
  UpdateTable(ctx, name, table);
  if (Changed(prior, planned, "ttl") && !ctx.failed()) ApplyTtl(ctx, name, prior, planned);
}

void UpdateTags(ResourceContext& ctx, const Value& state, const TagChanges& changes) {
  std::string arn = GetString(state, "arn");
  if (!changes.remove.empty() &&
      !JsonCall(ctx, "dynamodb", "UntagResource",
                {{"ResourceArn", arn}, {"TagKeys", changes.remove}}, aws::Idempotency::kIdempotent))
    return;
  if (!changes.set.empty())
    JsonCall(ctx, "dynamodb", "TagResource",
             {{"ResourceArn", arn}, {"Tags", TagListJson(changes.set)}},
             aws::Idempotency::kIdempotent);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string name = IdOf(prior);
  DeleteUntilGone(ctx, {.what = "DynamoDB table " + name,
                        .call = [&] {
                          return AsDone(ctx.client().Json("dynamodb", "DeleteTable", {{"TableName", name}},
                                                          {.idempotency = aws::Idempotency::kIdempotent}));
                        },
                        .retry_while = {"ResourceInUseException"},
                        .exists = [&]() -> std::optional<bool> {
                          auto table = Describe(ctx, name);
                          if (!table) return std::nullopt;
                          return !table->is_null();
                        }});
}

// A table of the planned name that is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string name = GetString(planned, "name");
  return HolderIsOurs(ctx, [&] { return TableTags(ctx, name); }) ? Value::Map({{"id", Str(name)}})
                                                                  : Value();
}

// What DynamoDB would refuse: keys missing from `attribute`, attributes no
// key uses, provisioned tables without capacity.
void Validate(ResourceContext& ctx, const Value& config) {
  if (config.ContainsUnknown()) return;
  std::set<std::string> keys{GetString(config, "hash_key")};
  if (auto range = FindString(config, "range_key")) keys.insert(*range);
  std::set<std::string> declared;
  for (const Value& a : GetBlocks(config, "attribute")) declared.insert(GetString(a, "name"));
  for (const std::string& key : keys)
    if (!declared.count(key))
      ctx.Error("Key " + key + " has no attribute block",
                "Declare it: attribute { name = \"" + key + "\", type = \"S\" }.");
  for (const std::string& name : declared)
    if (!keys.count(name))
      ctx.Error("Attribute " + name + " is not a key",
                "DynamoDB only takes attributes that are keys; remove its attribute block.");
  std::string billing = FindString(config, "billing_mode").value_or("PROVISIONED");
  if (billing == "PROVISIONED" &&
      (!IsSet(config, "read_capacity") || !IsSet(config, "write_capacity")))
    ctx.Error("read_capacity and write_capacity must be set when billing_mode is PROVISIONED");
}

void Plan(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
  Validate(ctx, request.config);
  Value& planned = response.planned_state;
  if (request.prior_state.is_null()) return;
  const Value& prior = request.prior_state;
  // A new key type means a new table.
  if (Changed(prior, planned, "attribute")) response.requires_replace.push_back("attribute");
  if (Changed(prior, planned, "billing_mode")) {
    for (const char* capacity : {"read_capacity", "write_capacity"})
      if (!IsSet(request.config, capacity)) planned.Set(capacity, Value::Unknown());
  }
  // A disabled TTL has no attribute in AWS: its name is not a difference.
  std::vector<Value> prior_ttl = GetBlocks(prior, "ttl");
  std::vector<Value> planned_ttl = GetBlocks(planned, "ttl");
  if (!prior_ttl.empty() && !planned_ttl.empty() && !GetBool(prior_ttl.front(), "enabled") &&
      !GetBool(planned_ttl.front(), "enabled"))
    planned.Set("ttl", *prior.Find("ttl"));
  bool stream_changed =
      Changed(prior, planned, "stream_enabled") || Changed(prior, planned, "stream_view_type");
  if (!GetBool(planned, "stream_enabled") && !IsSet(request.config, "stream_view_type"))
    planned.Set("stream_view_type", Value());
  if (stream_changed) {
    planned.Set("stream_arn", Value::Unknown());
    planned.Set("stream_label", Value::Unknown());
  }
}

}  // namespace

ResourceType aws_dynamodb_table() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.read_batch = ReadTables;
  type.adopt = Adopt;
  type.plan = Plan;
  type.update_tags = UpdateTags;
  return type;
}

}  // namespace reconcile::aws_provider::resources
