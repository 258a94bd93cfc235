// data aws_iam_policy: one managed IAM policy (customer or AWS managed), by
// ARN or by name (and path prefix): its default version's text, id and tags.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/iam.h"

namespace reconcile::aws_provider::data_sources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("arn", kString),
              Attribute::OptionalComputed("name", kString),
              Attribute::Optional("path_prefix", kString),
              Attribute::Computed("id", kString),
              Attribute::Computed("path", kString),
              Attribute::Computed("description", kString),
              Attribute::Computed("policy", kString),
              Attribute::Computed("policy_id", kString),
              Attribute::Computed("tags", kMap).Of(kString),
          },
          "A managed IAM policy."};
}

// The ARNs of the policies named `name` under `path_prefix`, customer managed
// ones first, AWS managed ones only when none matched; nullopt on error.
std::optional<std::vector<std::string>> ArnsNamed(ResourceContext& ctx, const std::string& name,
                                                  const std::string& path_prefix) {
  std::vector<std::string> arns;
  for (const char* scope : {"Local", "AWS"}) {
    aws::QueryParams params;
    params.Set("Scope", scope).Set("PathPrefix", path_prefix.empty() ? "/" : path_prefix);
    auto done = aws::QueryPages(
        ctx.client(), "iam", "ListPolicies", params,
        [&](const aws::XmlDocument& page) {
          for (const aws::XmlNode& p : page.root().FindAll("ListPoliciesResult/Policies/member"))
            if (p.Text("PolicyName") == name) arns.push_back(p.Text("Arn"));
          return true;
        },
        aws::QueryPaging::kMarker);
    if (!done.ok()) {
      ctx.Fail(done.error());
      return std::nullopt;
    }
    if (!arns.empty()) break;
  }
  return arns;
}

Value Read(ResourceContext& ctx, const Value& config) {
  std::string arn = GetString(config, "arn");
  if (arn.empty()) {
    std::string name = GetString(config, "name");
    if (name.empty()) {
      ctx.Error("data aws_iam_policy needs arn or name");
      return Value();
    }
    auto arns = ArnsNamed(ctx, name, GetString(config, "path_prefix"));
    if (!arns) return Value();
    if (arns->size() != 1) {
      ctx.Error(arns->empty() ? "No IAM policy is named \"" + name + "\""
                              : "More than one IAM policy is named \"" + name + "\"",
                arns->empty() ? "Check the name and path_prefix." : "Set path_prefix or arn to choose one.");
      return Value();
    }
    arn = arns->front();
  }
  std::optional<ManagedPolicy> policy = GetManagedPolicy(ctx, arn);
  if (!policy) return Value();
  if (!policy->found) {
    ctx.Error("No IAM policy has the ARN " + arn);
    return Value();
  }
  Value state = Value::Map({});
  state.Set("id", Str(policy->arn));
  state.Set("arn", Str(policy->arn));
  state.Set("name", Str(policy->name));
  state.Set("path_prefix", IsSet(config, "path_prefix") ? Str(GetString(config, "path_prefix")) : Value());
  state.Set("path", Str(policy->path));
  state.Set("description", StrOrNull(policy->description));
  state.Set("policy", Str(policy->document));
  state.Set("policy_id", Str(policy->policy_id));
  TagMap own;
  for (const auto& [key, value] : policy->tags)
    if (!IsOwnershipTag(key)) own[key] = value;
  state.Set("tags", TagValue(own));
  return state;
}

}  // namespace

DataSourceType aws_iam_policy() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
