// data aws_iam_policy_document: an IAM policy written as statement blocks,
// rendered to JSON exactly as Terraform renders it (see policy_document.h),
// merged over source_policy_documents and under override_policy_documents by
// Sid. No AWS call is made.
#include <set>

#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/policy_document.h"

namespace reconcile::aws_provider::data_sources {

namespace {

std::vector<Attribute> PrincipalFields() {
  return {
      Attribute::Required("type", kString).Describe("AWS, Service, Federated, CanonicalUser or *"),
      Attribute::Required("identifiers", kSet).Of(kString)};
}

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Optional("version", kString).Default(Str("2012-10-17")),
              Attribute::Optional("policy_id", kString),
              Attribute::Optional("source_policy_documents", kList).Of(kString),
              Attribute::Optional("override_policy_documents", kList).Of(kString),
              Attribute::Optional("statement", kList)
                  .Block({
                      Attribute::Optional("sid", kString),
                      Attribute::Optional("effect", kString).Default(Str("Allow")),
                      Attribute::Optional("actions", kSet).Of(kString),
                      Attribute::Optional("not_actions", kSet).Of(kString),
                      Attribute::Optional("resources", kSet).Of(kString),
                      Attribute::Optional("not_resources", kSet).Of(kString),
                      Attribute::Optional("principals", kSet).Block(PrincipalFields()),
                      Attribute::Optional("not_principals", kSet).Block(PrincipalFields()),
                      Attribute::Optional("condition", kSet)
                          .Block({
                              Attribute::Required("test", kString),
                              Attribute::Required("variable", kString),
                              Attribute::Required("values", kSet).Of(kString),
                          }),
                  }),
              Attribute::Computed("id", kString),
              Attribute::Computed("json", kString),
              Attribute::Computed("minified_json", kString),
          },
          "An IAM policy document built from statement blocks."};
}

std::vector<PolicyPrincipal> Principals(const Value& statement, const char* key) {
  std::vector<PolicyPrincipal> out;
  for (const Value& p : GetBlocks(statement, key))
    out.push_back({GetString(p, "type"), ConfiguredPolicyList(GetStrings(p, "identifiers"))});
  return out;
}

PolicyStatement StatementOf(const Value& block) {
  PolicyStatement s;
  s.sid = GetString(block, "sid");
  s.effect = FindString(block, "effect").value_or("Allow");
  s.actions = ConfiguredPolicyList(GetStrings(block, "actions"));
  s.not_actions = ConfiguredPolicyList(GetStrings(block, "not_actions"));
  s.resources = ConfiguredPolicyList(GetStrings(block, "resources"));
  s.not_resources = ConfiguredPolicyList(GetStrings(block, "not_resources"));
  s.principals = Principals(block, "principals");
  s.not_principals = Principals(block, "not_principals");
  for (const Value& c : GetBlocks(block, "condition"))
    s.conditions.push_back({GetString(c, "test"), GetString(c, "variable"),
                            ConfiguredPolicyList(GetStrings(c, "values")).values});
  return s;
}

// The configured statements; two with one Sid is an error.
std::optional<PolicyDocument> ConfiguredDocument(ResourceContext& ctx, const Value& config) {
  PolicyDocument doc;
  doc.version = FindString(config, "version").value_or("2012-10-17");
  doc.id = GetString(config, "policy_id");
  std::set<std::string> sids;
  for (const Value& block : GetBlocks(config, "statement")) {
    PolicyStatement s = StatementOf(block);
    if (!s.sid.empty() && !sids.insert(s.sid).second) {
      ctx.Error("Two statements have the Sid \"" + s.sid + "\"",
                "Sids must be unique within a policy document.");
      return std::nullopt;
    }
    doc.statements.push_back(std::move(s));
  }
  return doc;
}

// Merges each JSON document of `key` into `merged`; false on a bad document.
bool MergeDocuments(ResourceContext& ctx, const Value& config, const char* key,
                    PolicyDocument& merged) {
  std::vector<std::string> documents = GetStrings(config, key);
  for (std::size_t i = 0; i < documents.size(); ++i) {
    std::string error;
    auto doc = ParsePolicyDocument(documents[i], &error);
    if (!doc) {
      ctx.Error(std::string(key) + "[" + std::to_string(i) + "] is not a policy document", error);
      return false;
    }
    merged.Merge(*doc);
  }
  return true;
}

Value Read(ResourceContext& ctx, const Value& config) {
  PolicyDocument merged;
  if (!MergeDocuments(ctx, config, "source_policy_documents", merged)) return Value();
  auto own = ConfiguredDocument(ctx, config);
  if (!own) return Value();
  merged.Merge(*own);
  if (!MergeDocuments(ctx, config, "override_policy_documents", merged)) return Value();
  std::string json = merged.Render(true);
  Value state = config.is_map() ? config : Value::Map({});
  state.Set("id", Str(PolicyHashId(json)));
  state.Set("json", Str(json));
  state.Set("minified_json", Str(merged.Render(false)));
  return state;
}

}  // namespace

DataSourceType aws_iam_policy_document() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
