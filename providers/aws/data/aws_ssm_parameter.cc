// data aws_ssm_parameter: one Systems Manager parameter's value (decrypted
// by default; always sensitive), type, version and ARN.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/json_call.h"

namespace reconcile::aws_provider::data_sources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("name", kString),
              Attribute::Optional("with_decryption", kBool).Default(Bool(true)),
              Attribute::Computed("id", kString),
              Attribute::Computed("arn", kString),
              Attribute::Computed("type", kString),
              Attribute::Computed("value", kString).Sensitive(),
              Attribute::Computed("insecure_value", kString)
                  .Describe("the value, for types other than SecureString"),
              Attribute::Computed("version", kNumber),
          },
          "A Systems Manager parameter."};
}

Value Read(ResourceContext& ctx, const Value& config) {
  std::string name = GetString(config, "name");
  bool decrypt = GetBool(config, "with_decryption", true);
  auto got = JsonCall(ctx, "ssm", "GetParameter", {{"Name", name}, {"WithDecryption", decrypt}});
  if (!got) return Value();
  const nlohmann::json& p = (*got)["Parameter"];
  std::string type = JsonString(p, "Type");
  Value state = Value::Map({});
  state.Set("name", Str(JsonString(p, "Name")));
  state.Set("with_decryption", Bool(decrypt));
  state.Set("id", Str(JsonString(p, "Name")));
  state.Set("arn", Str(JsonString(p, "ARN")));
  state.Set("type", Str(type));
  state.Set("value", Str(JsonString(p, "Value")).MarkedSensitive());
  state.Set("insecure_value", type == "SecureString" ? Value() : Str(JsonString(p, "Value")));
  state.Set("version", Num(p.value("Version", 0.0)));
  return state;
}

}  // namespace

DataSourceType aws_ssm_parameter() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
