// data aws_caller_identity: who the provider's credentials are (STS
// GetCallerIdentity): the account id, the ARN and the user id.
#include "reconcile/provider_kit.h"
#include "resource_type.h"

namespace reconcile::aws_provider::data_sources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Computed("id", kString).Describe("the account id"),
              Attribute::Computed("account_id", kString),
              Attribute::Computed("arn", kString),
              Attribute::Computed("user_id", kString),
          },
          "The identity behind the provider's credentials."};
}

Value Read(ResourceContext& ctx, const Value&) {
  auto identity = ctx.Unwrap(ctx.client().Query("sts", "GetCallerIdentity", {}));
  if (!identity) return Value();
  aws::XmlNode result = identity->root().Child("GetCallerIdentityResult");
  Value state = Value::Map({});
  state.Set("id", Str(result.Text("Account")));
  state.Set("account_id", Str(result.Text("Account")));
  state.Set("arn", Str(result.Text("Arn")));
  state.Set("user_id", Str(result.Text("UserId")));
  return state;
}

}  // namespace

DataSourceType aws_caller_identity() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
