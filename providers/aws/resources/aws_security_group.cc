// aws_security_group: a security group with `ingress` and `egress` rule
// blocks, updated in place (rules that went away are revoked, new ones
// authorized). One block is one AWS permission: a protocol and port range
// with its CIDRs, groups and prefix lists.
#include <algorithm>

#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"

namespace reconcile::aws_provider::resources {

namespace {

const Ec2Kind kGroup{"DescribeSecurityGroups", "securityGroupInfo/item", "groupId", "group-id",
                     "security-group"};

std::vector<Attribute> RuleFields() {
  return {
      Attribute::Required("from_port", kNumber),
      Attribute::Required("to_port", kNumber),
      Attribute::Required("protocol", kString),
      Attribute::Optional("cidr_blocks", kSet).Of(kString),
      Attribute::Optional("ipv6_cidr_blocks", kSet).Of(kString),
      Attribute::Optional("prefix_list_ids", kSet).Of(kString),
      Attribute::Optional("security_groups", kSet).Of(kString),
      Attribute::Optional("self", kBool).Default(Bool(false)),
      Attribute::Optional("description", kString),
  };
}

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("name", kString).ForceNew(),
              Attribute::Optional("name_prefix", kString).ForceNew(),
              Attribute::Optional("description", kString).ForceNew().Default(Str("Managed by Terraform")),
              Attribute::OptionalComputed("vpc_id", kString).ForceNew(),
              Attribute::OptionalComputed("ingress", kSet).Block(RuleFields()),
              Attribute::OptionalComputed("egress", kSet).Block(RuleFields()),
              Attribute::Optional("revoke_rules_on_delete", kBool).Default(Bool(false)),
              Attribute::Computed("arn", kString),
              Attribute::Computed("owner_id", kString),
          },
          "A security group."};
}

std::vector<std::string> Texts(const aws::XmlNode& node, const char* path) {
  std::vector<std::string> out;
  for (const aws::XmlNode& item : node.FindAll(path)) out.push_back(item.text());
  std::sort(out.begin(), out.end());
  return out;
}

Value SetOrNull(const std::vector<std::string>& items) { return items.empty() ? Value() : StrList(items); }

Value RuleFromAws(const aws::XmlNode& permission, const std::string& group_id) {
  std::string protocol = permission.Text("ipProtocol");
  std::vector<std::string> groups;
  bool self = false;
  for (const std::string& g : Texts(permission, "groups/item/groupId")) {
    if (g == group_id) self = true;
    else groups.push_back(g);
  }
  std::string description = permission.Text("ipRanges/item/description");
  if (description.empty()) description = permission.Text("groups/item/description");
  Value rule = Value::Map({});
  rule.Set("protocol", Str(protocol));
  rule.Set("from_port", protocol == "-1" ? Num(0) : NumFromText(permission.Text("fromPort")));
  rule.Set("to_port", protocol == "-1" ? Num(0) : NumFromText(permission.Text("toPort")));
  rule.Set("cidr_blocks", SetOrNull(Texts(permission, "ipRanges/item/cidrIp")));
  rule.Set("ipv6_cidr_blocks", SetOrNull(Texts(permission, "ipv6Ranges/item/cidrIpv6")));
  rule.Set("prefix_list_ids", SetOrNull(Texts(permission, "prefixListIds/item/prefixListId")));
  rule.Set("security_groups", SetOrNull(groups));
  rule.Set("self", Bool(self));
  rule.Set("description", StrOrNull(description));
  return rule;
}

Value Rules(const aws::XmlNode& group, const char* path) {
  ValueList rules;
  std::string id = group.Text("groupId");
  for (const aws::XmlNode& permission : group.FindAll(path)) rules.push_back(RuleFromAws(permission, id));
  return Value::List(std::move(rules));
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& group, const Value& current) {
  std::string id = group.Text("groupId");
  std::string owner = group.Text("ownerId");
  Value state = Value::Map({});
  state.Set("id", Str(id));
  state.Set("name", Str(group.Text("groupName")));
  state.Set("description", Str(group.Text("groupDescription")));
  state.Set("vpc_id", StrOrNull(group.Text("vpcId")));
  state.Set("ingress", Rules(group, "ipPermissions/item"));
  state.Set("egress", Rules(group, "ipPermissionsEgress/item"));
  state.Set("arn", Str(ctx.Arn("ec2", owner, "security-group/" + id)));
  state.Set("owner_id", Str(owner));
  KeepAttributes(current, state, {"name_prefix"});
  state.Set("revoke_rules_on_delete", Bool(GetBool(current, "revoke_rules_on_delete")));
  SetEc2Tags(ctx, group, current, state);
  return state;
}

// IpPermissions.N.* for one rule block.
void AddPermission(aws::QueryParams& params, int n, const Value& rule, const std::string& group_id) {
  std::string prefix = "IpPermissions." + std::to_string(n) + ".";
  std::string description = GetString(rule, "description");
  params.Set(prefix + "IpProtocol", GetString(rule, "protocol"))
      .SetInt(prefix + "FromPort", GetInt(rule, "from_port"))
      .SetInt(prefix + "ToPort", GetInt(rule, "to_port"));
  auto add_list = [&](const char* attribute, const std::string& list, const char* field) {
    int m = 0;
    for (const std::string& v : GetStrings(rule, attribute)) {
      std::string item = prefix + list + "." + std::to_string(++m) + ".";
      params.Set(item + field, v);
      if (!description.empty()) params.Set(item + "Description", description);
    }
  };
  add_list("cidr_blocks", "IpRanges", "CidrIp");
  add_list("ipv6_cidr_blocks", "Ipv6Ranges", "CidrIpv6");
  add_list("prefix_list_ids", "PrefixListIds", "PrefixListId");
  std::vector<std::string> groups = GetStrings(rule, "security_groups");
  if (GetBool(rule, "self")) groups.push_back(group_id);
  int m = 0;
  for (const std::string& g : groups) params.Set(prefix + "Groups." + std::to_string(++m) + ".GroupId", g);
}

void PermissionCall(ResourceContext& ctx, const std::string& action, const std::string& group_id,
                    const std::vector<Value>& rules) {
  if (rules.empty() || ctx.failed()) return;
  aws::QueryParams params;
  params.Set("GroupId", group_id);
  int n = 0;
  for (const Value& rule : rules) AddPermission(params, ++n, rule, group_id);
  Ec2Call(ctx, action, params, aws::Idempotency::kIdempotent);
}

// Rules in `a` that are not in `b`.
std::vector<Value> Missing(const std::vector<Value>& a, const std::vector<Value>& b) {
  std::vector<Value> out;
  for (const Value& rule : a)
    if (std::none_of(b.begin(), b.end(), [&](const Value& other) { return other.Equals(rule); })) out.push_back(rule);
  return out;
}

// Revokes the rules of `direction` that went away, then authorizes the new ones.
void ApplyRules(ResourceContext& ctx, const std::string& id, const char* direction,
                const std::vector<Value>& before, const std::vector<Value>& after) {
  bool egress = std::string(direction) == "egress";
  PermissionCall(ctx, egress ? "RevokeSecurityGroupEgress" : "RevokeSecurityGroupIngress", id, Missing(before, after));
  PermissionCall(ctx, egress ? "AuthorizeSecurityGroupEgress" : "AuthorizeSecurityGroupIngress", id, Missing(after, before));
}

// AWS's rule on a new VPC group: all egress allowed.
Value AllowAllEgress() {
  return Value::Map({{"protocol", Str("-1")}, {"from_port", Num(0)}, {"to_port", Num(0)},
                     {"cidr_blocks", StrList({"0.0.0.0/0"})}, {"ipv6_cidr_blocks", Value()},
                     {"prefix_list_ids", Value()}, {"security_groups", Value()}, {"self", Bool(false)},
                     {"description", Value()}});
}

std::string GroupName(ResourceContext& ctx, const Value& planned) {
  if (auto name = FindString(planned, "name")) return *name;
  std::string prefix = FindString(planned, "name_prefix").value_or("reconcile-");
  return prefix + ctx.ClientToken(26 - std::min<std::size_t>(prefix.size(), 10));
}

// The group a create refused as a duplicate found: the one of the name (in
// the planned VPC) when it is this instance's. Its rules are read back as
// they are; the next plan brings them in line.
Value AdoptDuplicate(ResourceContext& ctx, const aws::AwsError& failure, const Value& planned,
                     const std::string& name) {
  NamedObject group{"security group", name};
  std::string id;
  bool ours = AdoptTakenName(ctx, failure, "InvalidGroup.Duplicate", group, [&]() -> std::optional<TagMap> {
    std::vector<aws::Ec2Filter> filters = {{"group-name", {name}}};
    if (auto vpc = FindString(planned, "vpc_id")) filters.push_back({"vpc-id", {*vpc}});
    auto found = Ec2DescribeAll(ctx, kGroup, filters);
    if (!found || found->empty()) return std::nullopt;
    id = found->front().Text("groupId");
    group.import_id = id;  // import takes the group's id
    return Ec2Tags(found->front());
  });
  return ours ? Value::Map({{"id", Str(id)}}) : Value();
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = GroupName(ctx, planned);
  aws::QueryParams params;
  params.Set("GroupName", name).Set("GroupDescription", GetString(planned, "description"));
  if (auto vpc = FindString(planned, "vpc_id")) params.Set("VpcId", *vpc);
  params.SetEc2TagSpecification(kGroup.tag_type, ctx.TagsForCreate(planned));
  auto created = Ec2Send(ctx, "CreateSecurityGroup", params, aws::Idempotency::kNotIdempotent);
  if (!created.ok()) return AdoptDuplicate(ctx, created.error(), planned, name);
  std::string id = created->root().Text("groupId");
  ApplyRules(ctx, id, "ingress", {}, GetBlocks(planned, "ingress"));
  if (IsSet(planned, "egress") && IsSet(planned, "vpc_id"))
    ApplyRules(ctx, id, "egress", {AllowAllEgress()}, GetBlocks(planned, "egress"));
  return Value::Map({{"id", Str(id)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  for (const char* direction : {"ingress", "egress"}) {
    if (Changed(prior, planned, direction))
      ApplyRules(ctx, IdOf(prior), direction, GetBlocks(prior, direction), GetBlocks(planned, direction));
  }
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string id = IdOf(prior);
  if (GetBool(prior, "revoke_rules_on_delete")) Update(ctx, prior, Value::Map({}));
  if (!ctx.failed()) Ec2DeleteRetryingDependencies(ctx, "DeleteSecurityGroup", "GroupId", id);
}

}  // namespace

ResourceType aws_security_group() {
  return Ec2Type(kGroup, Schema(), ToState, Create, Update, Delete);
}

}  // namespace reconcile::aws_provider::resources
