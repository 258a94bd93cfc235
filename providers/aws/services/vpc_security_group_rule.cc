#include "vpc_security_group_rule.h"

#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "services/ec2.h"

namespace reconcile::aws_provider {

namespace {

const Ec2Kind kRule{"DescribeSecurityGroupRules", "securityGroupRuleSet/item",
                    "securityGroupRuleId", "security-group-rule-id", "security-group-rule"};

// The one-source attributes: attribute, ModifySecurityGroupRules field.
const std::pair<const char*, const char*> kSources[] = {
    {"cidr_ipv4", "CidrIpv4"},
    {"cidr_ipv6", "CidrIpv6"},
    {"prefix_list_id", "PrefixListId"},
    {"referenced_security_group_id", "ReferencedGroupId"}};

ResourceSchema Schema(bool egress) {
  return {0,
          {
              Attribute::Required("security_group_id", kString).ForceNew(),
              Attribute::Required("ip_protocol", kString),
              Attribute::Optional("from_port", kNumber),
              Attribute::Optional("to_port", kNumber),
              Attribute::Optional("cidr_ipv4", kString),
              Attribute::Optional("cidr_ipv6", kString),
              Attribute::Optional("prefix_list_id", kString),
              Attribute::Optional("referenced_security_group_id", kString),
              Attribute::Optional("description", kString),
              Attribute::Computed("security_group_rule_id", kString),
              Attribute::Computed("arn", kString),
          },
          egress ? "An outbound rule of a VPC security group."
                 : "An inbound rule of a VPC security group."};
}

// "all" is AWS's -1; protocol numbers of tcp, udp and icmp read back as names.
std::string Protocol(const std::string& configured) {
  if (configured == "all") return "-1";
  if (configured == "6") return "tcp";
  if (configured == "17") return "udp";
  if (configured == "1") return "icmp";
  return configured;
}

bool AllTraffic(const std::string& protocol) { return protocol == "-1"; }

Value ToState(ResourceContext& ctx, const aws::XmlNode& rule, const Value& current) {
  std::string id = rule.Text("securityGroupRuleId");
  std::string protocol = rule.Text("ipProtocol");
  Value state = Value::Map({});
  state.Set("id", Str(id));
  state.Set("security_group_rule_id", Str(id));
  state.Set("security_group_id", Str(rule.Text("groupId")));
  state.Set("ip_protocol", Str(protocol));
  state.Set("from_port", AllTraffic(protocol) ? Value() : NumFromText(rule.Text("fromPort")));
  state.Set("to_port", AllTraffic(protocol) ? Value() : NumFromText(rule.Text("toPort")));
  state.Set("cidr_ipv4", StrOrNull(rule.Text("cidrIpv4")));
  state.Set("cidr_ipv6", StrOrNull(rule.Text("cidrIpv6")));
  state.Set("prefix_list_id", StrOrNull(rule.Text("prefixListId")));
  state.Set("referenced_security_group_id", StrOrNull(rule.Text("referencedGroupInfo/groupId")));
  state.Set("description", StrOrNull(rule.Text("description")));
  state.Set("arn", Str(ctx.Arn("ec2", ctx.AccountId(), "security-group-rule/" + id)));
  // A protocol configured as a number or "all" stays as written when it means the same.
  if (auto configured = FindString(current, "ip_protocol");
      configured && Protocol(*configured) == protocol)
    state.Set("ip_protocol", Str(*configured));
  SetEc2Tags(ctx, rule, current, state);
  return state;
}

IpPermission PermissionOf(const Value& planned) {
  IpPermission p;
  p.protocol = Protocol(GetString(planned, "ip_protocol"));
  p.from_port = FindInt(planned, "from_port");
  p.to_port = FindInt(planned, "to_port");
  if (AllTraffic(p.protocol)) p.from_port = p.to_port = std::nullopt;
  if (auto v = FindString(planned, "cidr_ipv4")) p.cidr_blocks = {*v};
  if (auto v = FindString(planned, "cidr_ipv6")) p.ipv6_cidr_blocks = {*v};
  if (auto v = FindString(planned, "prefix_list_id")) p.prefix_list_ids = {*v};
  if (auto v = FindString(planned, "referenced_security_group_id")) p.group_ids = {*v};
  p.description = GetString(planned, "description");
  return p;
}

// The group's rule of this direction with the planned protocol, ports and
// source carrying this instance's ownership tags ("" when none).
std::string FindOwnedRule(ResourceContext& ctx, const Value& planned, bool egress,
                          TagMap* tags = nullptr) {
  std::string group = GetString(planned, "security_group_id");
  auto rules = Ec2GroupRules(ctx, {group});
  if (!rules) return "";
  for (const aws::XmlNode& rule : (*rules)[group]) {
    if ((rule.Text("isEgress") == "true") != egress) continue;
    TagMap rule_tags = Ec2Tags(rule);
    if (tags == nullptr && !OwnedByThisInstance(ctx, rule_tags)) continue;
    Value found = ToState(ctx, rule, planned);
    bool same = Protocol(GetString(planned, "ip_protocol")) == rule.Text("ipProtocol");
    for (const auto& [attribute, field] : kSources)
      same = same && GetString(found, attribute) == GetString(planned, attribute);
    if (!AllTraffic(rule.Text("ipProtocol")))
      same = same && GetInt(found, "from_port") == GetInt(planned, "from_port") &&
             GetInt(found, "to_port") == GetInt(planned, "to_port");
    if (!same) continue;
    if (tags != nullptr) *tags = rule_tags;
    return rule.Text("securityGroupRuleId");
  }
  return "";
}

CreateFunction Create(bool egress) {
  return [egress](ResourceContext& ctx, const Value& planned) -> Value {
    aws::QueryParams params;
    params.Set("GroupId", GetString(planned, "security_group_id"));
    SetIpPermission(params, "IpPermissions.1.", PermissionOf(planned));
    params.SetEc2TagSpecification(kRule.tag_type, ctx.TagsForCreate(planned));
    auto created =
        Ec2Send(ctx, egress ? "AuthorizeSecurityGroupEgress" : "AuthorizeSecurityGroupIngress",
                params, aws::Idempotency::kNotIdempotent);
    if (created.ok())
      return Value::Map(
          {{"id", Str(created->root().Text("securityGroupRuleSet/item/securityGroupRuleId"))}});
    // The same rule exists: this instance's (an earlier attempt made it), or an error.
    std::string id;
    bool ours = AdoptTakenName(ctx, created.error(), "InvalidPermission.Duplicate",
                               {"security group rule", GetString(planned, "security_group_id") +
                                                           " " + GetString(planned, "ip_protocol")},
                               [&]() -> std::optional<TagMap> {
                                 TagMap tags;
                                 id = FindOwnedRule(ctx, planned, egress, &tags);
                                 if (id.empty()) return std::nullopt;
                                 return tags;
                               });
    return ours ? Value::Map({{"id", Str(id)}}) : Value();
  };
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  bool changed = false;
  for (const char* key : {"ip_protocol", "from_port", "to_port", "cidr_ipv4", "cidr_ipv6",
                          "prefix_list_id", "referenced_security_group_id", "description"})
    changed = changed || Changed(prior, planned, key);
  if (!changed) return;
  IpPermission p = PermissionOf(planned);
  const std::string r = "SecurityGroupRule.1.SecurityGroupRule.";
  aws::QueryParams params;
  params.Set("GroupId", GetString(prior, "security_group_id"))
      .Set("SecurityGroupRule.1.SecurityGroupRuleId", IdOf(prior))
      .Set(r + "IpProtocol", p.protocol);
  params.SetInt(r + "FromPort", p.from_port.value_or(-1))
      .SetInt(r + "ToPort", p.to_port.value_or(-1));
  for (const auto& [attribute, field] : kSources)
    if (auto v = FindString(planned, attribute)) params.Set(r + field, *v);
  if (!p.description.empty()) params.Set(r + "Description", p.description);
  Ec2Call(ctx, "ModifySecurityGroupRules", params, aws::Idempotency::kIdempotent);
}

DeleteFunction Delete(bool egress) {
  return [egress](ResourceContext& ctx, const Value& prior) {
    aws::QueryParams params;
    params.Set("GroupId", GetString(prior, "security_group_id"))
        .Set("SecurityGroupRuleId.1", IdOf(prior));
    auto result = Ec2Send(ctx, egress ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress",
                          params, aws::Idempotency::kIdempotent);
    if (!result.ok() && result.error().code.starts_with("InvalidSecurityGroupRuleId")) return;
    ctx.SucceededOrGone(result);
  };
}

}  // namespace

ResourceType VpcSecurityGroupRuleType(bool egress) {
  ResourceType type =
      Ec2Type(kRule, Schema(egress), ToState, Create(egress), Update, Delete(egress));
  // Rules of the planned group, matched on their ownership tags (the tag
  // filters of DescribeSecurityGroupRules are not everywhere: moto has none).
  type.adopt = [egress](ResourceContext& ctx, const Value& planned) -> Value {
    std::string id = FindOwnedRule(ctx, planned, egress);
    return id.empty() ? Value() : Value::Map({{"id", Str(id)}});
  };
  return type;
}

}  // namespace reconcile::aws_provider
