// aws_secretsmanager_secret_version: one value of a secret (text or binary,
// both sensitive). The id is `SECRET_ARN|VERSION_ID`. The create's
// ClientRequestToken comes from the apply's client token and becomes the
// version id, so a repeated create makes no second version and an interrupted
// one is found again by it. A new value is a new version (replacement);
// version_stages move in place. A delete takes the version's stages away (a
// version holding AWSCURRENT keeps it: Secrets Manager only moves that label).
#include <algorithm>
#include <set>

#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/secretsmanager.h"

namespace reconcile::aws_provider::resources {

namespace {

using nlohmann::json;

constexpr const char* kCurrent = "AWSCURRENT";

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("secret_id", kString).ForceNew().Describe("the secret's ARN or name"),
              Attribute::Optional("secret_string", kString).ForceNew().Sensitive(),
              Attribute::Optional("secret_binary", kString).ForceNew().Sensitive().Describe("base64"),
              Attribute::OptionalComputed("version_stages", kSet).Of(kString),
              Attribute::Computed("arn", kString),
              Attribute::Computed("version_id", kString),
          },
          "A version (value) of a Secrets Manager secret."};
}

// The strings of a JSON array (none for anything else).
std::vector<std::string> Strings(const json& list) {
  std::vector<std::string> out;
  if (!list.is_array()) return out;
  for (const json& item : list)
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

std::string VersionId(const Value& state) {
  std::string id = IdOf(state);
  std::size_t bar = id.find('|');
  return bar == std::string::npos ? GetString(state, "version_id") : id.substr(bar + 1);
}

std::string SecretOf(const Value& state) {
  std::string id = IdOf(state);
  std::size_t bar = id.find('|');
  return bar == std::string::npos ? GetString(state, "secret_id") : id.substr(0, bar);
}

// The version's stages, from the secret's description; nullopt when the
// secret or the version is gone or after recording an error (then ctx.failed()).
std::optional<std::vector<std::string>> Stages(ResourceContext& ctx, const std::string& secret,
                                               const std::string& version, std::string* arn = nullptr) {
  auto described = DescribeSecret(ctx, secret);
  if (!described || described->is_null()) return std::nullopt;
  json map = described->value("VersionIdsToStages", json::object());
  if (!map.is_object() || !map.contains(version)) return std::nullopt;
  if (arn) *arn = JsonString(*described, "ARN");
  return Strings(map[version]);
}

Value Read(ResourceContext& ctx, const Value& current) {
  std::string secret = SecretOf(current);
  std::string version = VersionId(current);
  auto got = SecretsSend(ctx, "GetSecretValue", {{"SecretId", secret}, {"VersionId", version}});
  if (!got.ok()) {
    // A deleted secret answers InvalidRequestException ("marked for deletion").
    if (!got.error().IsNotFound() && !got.error().Is("InvalidRequestException")) ctx.Fail(got.error());
    return Value();
  }
  std::string arn = JsonString(*got, "ARN");
  Value state = Value::Map({});
  state.Set("id", Str(arn + "|" + version));
  state.Set("arn", Str(arn));
  state.Set("version_id", Str(version));
  state.Set("secret_id", Str(IsSet(current, "secret_id") ? GetString(current, "secret_id") : arn));
  state.Set("secret_string", got->contains("SecretString") ? Str(JsonString(*got, "SecretString")).MarkedSensitive()
                                                           : Value());
  state.Set("secret_binary", got->contains("SecretBinary") ? Str(JsonString(*got, "SecretBinary")).MarkedSensitive()
                                                           : Value());
  state.Set("version_stages", StrList(Strings(got->value("VersionStages", json()))));
  return state;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string token = SecretVersionToken(ctx);
  json body = {{"SecretId", GetString(planned, "secret_id")}, {"ClientRequestToken", token}};
  if (auto v = FindString(planned, "secret_string")) body["SecretString"] = *v;
  if (auto v = FindString(planned, "secret_binary")) body["SecretBinary"] = *v;
  std::vector<std::string> stages = GetStrings(planned, "version_stages");
  if (!stages.empty()) body["VersionStages"] = stages;
  // The same token and value answer with the version already made.
  auto put = SecretsCall(ctx, "PutSecretValue", body, aws::Idempotency::kClientToken);
  if (!put) return Value();
  return Value::Map({{"id", Str(JsonString(*put, "ARN") + "|" + JsonString(*put, "VersionId"))}});
}

// Moves a stage onto (`add`) or off this version.
bool MoveStage(ResourceContext& ctx, const std::string& secret, const std::string& version, const std::string& stage,
               bool add) {
  json body = {{"SecretId", secret}, {"VersionStage", stage}};
  if (add) {
    body["MoveToVersionId"] = version;
    // A stage held by another version must name it.
    auto described = DescribeSecret(ctx, secret);
    if (!described || described->is_null()) return false;
    json map = described->value("VersionIdsToStages", json::object());
    if (!map.is_object()) map = json::object();
    for (const auto& [other, stages] : map.items()) {
      std::vector<std::string> list = Strings(stages);
      if (other != version && std::find(list.begin(), list.end(), stage) != list.end())
        body["RemoveFromVersionId"] = other;
    }
  } else {
    body["RemoveFromVersionId"] = version;
  }
  return SecretsCall(ctx, "UpdateSecretVersionStage", body, aws::Idempotency::kIdempotent).has_value();
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (!Changed(prior, planned, "version_stages")) return;
  std::vector<std::string> before = GetStrings(prior, "version_stages");
  std::vector<std::string> after = GetStrings(planned, "version_stages");
  std::string secret = SecretOf(prior);
  std::string version = VersionId(prior);
  for (const std::string& stage : after)
    if (std::find(before.begin(), before.end(), stage) == before.end() && !MoveStage(ctx, secret, version, stage, true))
      return;
  for (const std::string& stage : before)
    if (std::find(after.begin(), after.end(), stage) == after.end() && stage != kCurrent &&
        !MoveStage(ctx, secret, version, stage, false))
      return;
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string secret = SecretOf(prior);
  std::string version = VersionId(prior);
  auto stages = Stages(ctx, secret, version);
  if (!stages) return;  // the secret or the version is gone (or the error is recorded)
  for (const std::string& stage : *stages)
    if (stage != kCurrent && !MoveStage(ctx, secret, version, stage, false)) return;
}

// `SECRET_ARN|VERSION_ID`.
Value Import(ResourceContext& ctx, const std::string& id) {
  std::size_t bar = id.find('|');
  if (bar == std::string::npos || bar == 0 || bar + 1 == id.size()) {
    ctx.Error("Cannot import secret version \"" + id + "\"", "Expected SECRET_ARN|VERSION_ID.");
    return Value();
  }
  return Value::Map({{"id", Str(id)}, {"secret_id", Str(id.substr(0, bar))}, {"version_id", Str(id.substr(bar + 1))}});
}

// The version this create's token made, if the put reached Secrets Manager.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string version = SecretVersionToken(ctx);
  std::string arn;
  if (!Stages(ctx, GetString(planned, "secret_id"), version, &arn)) return Value();
  return Value::Map({{"id", Str(arn + "|" + version)}});
}

void Plan(ResourceContext& ctx, const PlanRequest& request, PlanResponse&) {
  if (IsSet(request.config, "secret_string") && IsSet(request.config, "secret_binary"))
    ctx.Error("Only one of secret_string and secret_binary may be set");
}

}  // namespace

ResourceType aws_secretsmanager_secret_version() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.import = Import;
  type.adopt = Adopt;
  type.plan = Plan;
  return type;
}

}  // namespace reconcile::aws_provider::resources
