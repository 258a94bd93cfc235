// aws_secretsmanager_secret: a Secrets Manager secret, without its value (that
// is aws_secretsmanager_secret_version). The id is its ARN. Description and
// KMS key change in place; recovery_window_in_days lives in state and decides
// the delete (0 deletes at once, 7-30 schedules it). A refresh lists every
// secret once.
#include "batch.h"
#include "generated_name.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/secretsmanager.h"

namespace reconcile::aws_provider::resources {

namespace {

using nlohmann::json;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("name", kString).ForceNew(),
              Attribute::Optional("name_prefix", kString).ForceNew(),
              Attribute::Optional("description", kString),
              Attribute::Optional("kms_key_id", kString),
              Attribute::Optional("recovery_window_in_days", kNumber)
                  .Default(Num(30))
                  .Describe("0 deletes without recovery; else 7 to 30 days"),
              Attribute::Computed("arn", kString),
          },
          "A Secrets Manager secret (its value is aws_secretsmanager_secret_version)."};
}

Value ToState(ResourceContext& ctx, const json& secret, const Value& current) {
  Value state = Value::Map({});
  state.Set("id", Str(JsonString(secret, "ARN")));
  state.Set("arn", Str(JsonString(secret, "ARN")));
  state.Set("name", Str(JsonString(secret, "Name")));
  state.Set("description", StrOrNull(JsonString(secret, "Description")));
  // moto reports its default key alias for secrets made without one.
  std::string key = JsonString(secret, "KmsKeyId");
  state.Set("kms_key_id", key.empty() || (key == "alias/aws/secretsmanager" && !IsSet(current, "kms_key_id"))
                              ? Value()
                              : Str(key));
  state.Set("recovery_window_in_days", Num(static_cast<double>(GetInt(current, "recovery_window_in_days", 30))));
  KeepAttributes(current, state, {"name_prefix"});
  SetTagsFromAws(TagMapFromJson(secret.value("Tags", json::array())), ctx.runtime().default_tags, current, state);
  return state;
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto secret = DescribeSecret(ctx, IdOf(current));
  return secret && !secret->is_null() ? ToState(ctx, *secret, current) : Value();
}

// Every live secret by ARN (ListSecrets, 100 a page).
Found<json> ListSecrets(ResourceContext& ctx) {
  std::map<std::string, json> found;
  json request = {{"MaxResults", 100}};
  while (true) {
    auto page = SecretsCall(ctx, "ListSecrets", request);
    if (!page) return std::nullopt;
    for (const json& secret : page->value("SecretList", json::array()))
      if (!secret.contains("DeletedDate") || secret["DeletedDate"].is_null()) found[JsonString(secret, "ARN")] = secret;
    std::string token = JsonString(*page, "NextToken");
    if (token.empty()) return found;
    request["NextToken"] = token;
  }
}

std::vector<ReadResponse> ReadBatch(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  return BatchRead(ctx, requests, ListSecrets(ctx), ToState);
}

// The tags and ARN of the live secret named `name`; nullopt when there is none.
std::optional<TagMap> NameHolderTags(ResourceContext& ctx, const std::string& name, std::string* arn) {
  auto secret = DescribeSecret(ctx, name);
  if (!secret || secret->is_null()) return std::nullopt;
  *arn = JsonString(*secret, "ARN");
  return TagMapFromJson(secret->value("Tags", json::array()));
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = NameForCreate(ctx, planned);
  json body = {{"Name", name}, {"Tags", TagListJson(ctx.TagsForCreate(planned))}};
  if (auto v = FindString(planned, "description")) body["Description"] = *v;
  if (auto v = FindString(planned, "kms_key_id")) body["KmsKeyId"] = *v;
  auto created = SecretsSend(ctx, "CreateSecret", body, aws::Idempotency::kNotIdempotent);
  std::string arn = created.ok() ? JsonString(*created, "ARN") : "";
  NamedObject secret{"Secrets Manager secret", name};
  if (!CreatedOrAdopted(ctx, created, "ResourceExistsException", secret, [&] {
        std::optional<TagMap> tags = NameHolderTags(ctx, name, &arn);
        secret.import_id = arn;
        return tags;
      }))
    return Value();
  return Value::Map({{"id", Str(arn)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (!Changed(prior, planned, "description") && !Changed(prior, planned, "kms_key_id")) return;
  // The token names the version a value would make (none is given): SDKs always
  // send one, and moto refuses the call without it.
  json body = {{"SecretId", IdOf(prior)},
               {"Description", GetString(planned, "description")},
               {"ClientRequestToken", SecretVersionToken(ctx)}};
  if (auto v = FindString(planned, "kms_key_id")) body["KmsKeyId"] = *v;
  SecretsCall(ctx, "UpdateSecret", body, aws::Idempotency::kIdempotent);
}

void UpdateTags(ResourceContext& ctx, const Value& state, const TagChanges& changes) {
  if (!changes.remove.empty() &&
      !SecretsCall(ctx, "UntagResource", {{"SecretId", IdOf(state)}, {"TagKeys", changes.remove}},
                   aws::Idempotency::kIdempotent))
    return;
  if (!changes.set.empty())
    SecretsCall(ctx, "TagResource", {{"SecretId", IdOf(state)}, {"Tags", TagListJson(changes.set)}},
                aws::Idempotency::kIdempotent);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  json body = {{"SecretId", IdOf(prior)}};
  long long window = GetInt(prior, "recovery_window_in_days", 30);
  if (window == 0)
    body["ForceDeleteWithoutRecovery"] = true;
  else
    body["RecoveryWindowInDays"] = window;
  auto deleted = SecretsSend(ctx, "DeleteSecret", body, aws::Idempotency::kIdempotent);
  // A secret already scheduled for deletion is gone as far as the stack goes.
  if (!deleted.ok() && deleted.error().Is("InvalidRequestException") &&
      deleted.error().message.find("marked deleted") != std::string::npos)
    return;
  ctx.SucceededOrGone(deleted);
}

Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string arn;
  std::string name = NameForCreate(ctx, planned);
  return HolderIsOurs(ctx, [&] { return NameHolderTags(ctx, name, &arn); }) ? Value::Map({{"id", Str(arn)}})
                                                                            : Value();
}

void Plan(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
  if (IsSet(request.config, "name") && IsSet(request.config, "name_prefix"))
    ctx.Error("Only one of name and name_prefix may be set");
  long long window = GetInt(response.planned_state, "recovery_window_in_days", 30);
  if (window != 0 && (window < 7 || window > 30))
    ctx.Error("recovery_window_in_days of " + request.address + " must be 0 or from 7 to 30");
}

}  // namespace

ResourceType aws_secretsmanager_secret() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.read_batch = ReadBatch;
  type.adopt = Adopt;
  type.plan = Plan;
  type.update_tags = UpdateTags;
  return type;
}

}  // namespace reconcile::aws_provider::resources
