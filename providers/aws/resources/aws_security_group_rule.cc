// aws_security_group_rule: one permission (protocol, ports, sources) added to
// a security group apart from the group's own resource, so a port can be
// opened without rewriting the group. A group that configures no inline
// `ingress` / `egress` keeps what these rules add (its rule blocks are also
// computed); a group that configures inline rules of the same direction
// fights these rules, as in Terraform. Only the description changes in place.
// The rule is present when AWS holds a rule of its direction, protocol and
// ports for every one of its sources; that is also how an interrupted create
// is found again. Import id (Terraform's):
// SGID_TYPE_PROTOCOL_FROM_TO_SOURCE[_SOURCE...], a source being a CIDR, a
// prefix list, a group id or "self".
#include <algorithm>
#include <cstdint>

#include "batch.h"
#include "reconcile/provider_kit.h"
#include "resource_operations.h"
#include "resource_type.h"
#include "services/ec2.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("type", kString).ForceNew().Describe("ingress or egress"),
              Attribute::Required("security_group_id", kString).ForceNew(),
              Attribute::Required("protocol", kString).ForceNew(),
              Attribute::Required("from_port", kNumber).ForceNew(),
              Attribute::Required("to_port", kNumber).ForceNew(),
              Attribute::Optional("cidr_blocks", kList).Of(kString).ForceNew(),
              Attribute::Optional("ipv6_cidr_blocks", kList).Of(kString).ForceNew(),
              Attribute::Optional("prefix_list_ids", kList).Of(kString).ForceNew(),
              Attribute::OptionalComputed("source_security_group_id", kString).ForceNew(),
              Attribute::Optional("self", kBool).ForceNew().Default(Bool(false)),
              Attribute::Optional("description", kString),
              Attribute::Computed("security_group_rule_id", kString),
          },
          "A security group rule, apart from its group."};
}

std::string Protocol(const std::string& configured) {
  if (configured == "all") return "-1";
  if (configured == "6") return "tcp";
  if (configured == "17") return "udp";
  if (configured == "1") return "icmp";
  return configured;
}

bool Egress(const Value& rule) { return GetString(rule, "type") == "egress"; }

IpPermission PermissionOf(const Value& rule) {
  IpPermission p;
  p.protocol = Protocol(GetString(rule, "protocol"));
  p.from_port = GetInt(rule, "from_port");
  p.to_port = GetInt(rule, "to_port");
  p.cidr_blocks = GetStrings(rule, "cidr_blocks");
  p.ipv6_cidr_blocks = GetStrings(rule, "ipv6_cidr_blocks");
  p.prefix_list_ids = GetStrings(rule, "prefix_list_ids");
  if (auto source = FindString(rule, "source_security_group_id")) p.group_ids.push_back(*source);
  if (GetBool(rule, "self")) p.group_ids.push_back(GetString(rule, "security_group_id"));
  p.description = GetString(rule, "description");
  return p;
}

// Terraform's kind of id: a hash of what the rule is.
std::string RuleId(const Value& rule) {
  IpPermission p = PermissionOf(rule);
  std::string key = GetString(rule, "security_group_id") + "-" + GetString(rule, "type") + "-" +
                    p.protocol + "-" + std::to_string(*p.from_port) + "-" +
                    std::to_string(*p.to_port);
  for (const auto* list : {&p.cidr_blocks, &p.ipv6_cidr_blocks, &p.prefix_list_ids, &p.group_ids})
    for (const std::string& s : *list) key += "-" + s;
  std::uint32_t hash = 2166136261u;
  for (unsigned char c : key) hash = (hash ^ c) * 16777619u;
  return "sgrule-" + std::to_string(hash);
}

// The AWS rule (DescribeSecurityGroupRules item) of `wanted`'s direction,
// protocol and ports whose source is `field` = `source`.
const aws::XmlNode* RuleFor(const std::vector<aws::XmlNode>& rules, const Value& wanted,
                            const char* field, const std::string& source) {
  std::string protocol = Protocol(GetString(wanted, "protocol"));
  for (const aws::XmlNode& rule : rules) {
    if ((rule.Text("isEgress") == "true") != Egress(wanted) || rule.Text("ipProtocol") != protocol)
      continue;
    if (protocol != "-1" && (rule.Text("fromPort") != std::to_string(GetInt(wanted, "from_port")) ||
                             rule.Text("toPort") != std::to_string(GetInt(wanted, "to_port"))))
      continue;
    if (rule.Text(field) == source) return &rule;
  }
  return nullptr;
}

// The state of `current` when the group's rules hold it whole; null when any source is missing.
Value Match(ResourceContext&, const std::vector<aws::XmlNode>& rules, const Value& current) {
  IpPermission p = PermissionOf(current);
  std::vector<const aws::XmlNode*> found;
  auto find_all = [&](const std::vector<std::string>& sources, const char* field) {
    for (const std::string& source : sources)
      found.push_back(RuleFor(rules, current, field, source));
  };
  find_all(p.cidr_blocks, "cidrIpv4");
  find_all(p.ipv6_cidr_blocks, "cidrIpv6");
  find_all(p.prefix_list_ids, "prefixListId");
  find_all(p.group_ids, "referencedGroupInfo/groupId");
  if (found.empty() || std::find(found.begin(), found.end(), nullptr) != found.end())
    return Value();
  Value state = current;
  state.Set("id", Str(RuleId(current)));
  state.Set("description", StrOrNull(found.front()->Text("description")));
  state.Set("security_group_rule_id",
            found.size() == 1 ? Str(found.front()->Text("securityGroupRuleId")) : Value());
  if (!Has(current, "self")) state.Set("self", Bool(false));
  return state;
}

std::string GroupOf(const Value& current) { return GetString(current, "security_group_id"); }

std::vector<ReadResponse> ReadBatch(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  return BatchRead(ctx, requests, Ec2GroupRules(ctx, RequestKeys(requests, GroupOf)), Match,
                   GroupOf);
}

void PermissionCall(ResourceContext& ctx, const char* ingress_action, const char* egress_action,
                    const Value& rule) {
  aws::QueryParams params;
  params.Set("GroupId", GroupOf(rule));
  SetIpPermission(params, "IpPermissions.1.", PermissionOf(rule));
  Ec2Call(ctx, Egress(rule) ? egress_action : ingress_action, params,
          aws::Idempotency::kIdempotent);
}

Value Create(ResourceContext& ctx, const Value& planned) {
  PermissionCall(ctx, "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", planned);
  return ctx.failed() ? Value() : Value::Map({{"id", Str(RuleId(planned))}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (Changed(prior, planned, "description"))
    PermissionCall(ctx, "UpdateSecurityGroupRuleDescriptionsIngress",
                   "UpdateSecurityGroupRuleDescriptionsEgress", planned);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  aws::QueryParams params;
  params.Set("GroupId", GroupOf(prior));
  SetIpPermission(params, "IpPermissions.1.", PermissionOf(prior));
  ctx.SucceededOrGone(
      Ec2Send(ctx, Egress(prior) ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress",
              params, aws::Idempotency::kIdempotent));
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at = text.find(separator); at != std::string::npos;
       at = text.find(separator, start)) {
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

Value Import(ResourceContext& ctx, const std::string& id) {
  std::vector<std::string> parts = Split(id, '_');
  if (parts.size() < 6 || (parts[1] != "ingress" && parts[1] != "egress")) {
    ctx.Error("Import id \"" + id + "\" is not SGID_TYPE_PROTOCOL_FROM_TO_SOURCE[_SOURCE...]",
              "For example: sg-0123_ingress_tcp_443_443_10.0.0.0/16 (a source is a CIDR, pl-..., "
              "sg-... or self).");
    return Value();
  }
  Value state = Value::Map({{"security_group_id", Str(parts[0])},
                            {"type", Str(parts[1])},
                            {"protocol", Str(parts[2])},
                            {"from_port", NumFromText(parts[3])},
                            {"to_port", NumFromText(parts[4])},
                            {"self", Bool(false)}});
  std::vector<std::string> cidrs, ipv6, prefix_lists;
  for (std::size_t i = 5; i < parts.size(); ++i) {
    const std::string& source = parts[i];
    if (source == "self")
      state.Set("self", Bool(true));
    else if (source.starts_with("sg-"))
      state.Set("source_security_group_id", Str(source));
    else if (source.starts_with("pl-"))
      prefix_lists.push_back(source);
    else if (source.find(':') != std::string::npos)
      ipv6.push_back(source);
    else
      cidrs.push_back(source);
  }
  if (!cidrs.empty()) state.Set("cidr_blocks", StrList(cidrs));
  if (!ipv6.empty()) state.Set("ipv6_cidr_blocks", StrList(ipv6));
  if (!prefix_lists.empty()) state.Set("prefix_list_ids", StrList(prefix_lists));
  state.Set("id", Str(RuleId(state)));
  return state;
}

}  // namespace

ResourceType aws_security_group_rule() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read_batch = ReadBatch;
  type.read = [](ResourceContext& ctx, const Value& current) {
    return ReadThroughBatch(ctx, current, ReadBatch);
  };
  type.import = Import;
  // Natural key: the planned rule, when the group already holds it whole.
  type.adopt = [](ResourceContext& ctx, const Value& planned) -> Value {
    Value found = ReadThroughBatch(
        ctx, KnownPart(planned, Value::Map({{"id", Str(RuleId(planned))}})), ReadBatch);
    return found.is_null() ? Value() : Value::Map({{"id", Str(RuleId(planned))}});
  };
  return type;
}

}  // namespace reconcile::aws_provider::resources
