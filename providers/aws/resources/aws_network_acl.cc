// aws_network_acl: a network ACL of a VPC with its `ingress` and `egress`
// entries and the subnets using it. Entries are diffed in place by rule
// number (create / replace / delete); subnets are moved to it with
// ReplaceNetworkAclAssociation and, when dropped or on delete, back to the
// VPC's default network ACL. Protocols are kept as numbers, as AWS and
// Terraform do ("tcp" plans as "6", "all" as "-1").
#include <algorithm>
#include <cctype>
#include <set>

#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

const Ec2Kind kAcl{"DescribeNetworkAcls", "networkAclSet/item", "networkAclId", "network-acl-id",
                   "network-acl"};

// Ids per DescribeNetworkAcls call.
constexpr std::size_t kIdsPerCall = 200;
// Entries AWS adds to every ACL (the final deny, IPv4 and IPv6): not ours.
constexpr long long kFirstDefaultRule = 32767;
constexpr long long kMaxRuleNumber = 32766;

std::vector<Attribute> EntryFields() {
  return {
      Attribute::Required("protocol", kString),
      Attribute::Required("rule_no", kNumber),
      Attribute::Required("action", kString),
      Attribute::Optional("cidr_block", kString),
      Attribute::Optional("ipv6_cidr_block", kString),
      Attribute::Required("from_port", kNumber),
      Attribute::Required("to_port", kNumber),
      Attribute::Optional("icmp_type", kNumber).Default(Num(0)),
      Attribute::Optional("icmp_code", kNumber).Default(Num(0)),
  };
}

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("vpc_id", kString).ForceNew(),
              Attribute::OptionalComputed("subnet_ids", kSet).Of(kString),
              Attribute::OptionalComputed("ingress", kSet).Block(EntryFields()),
              Attribute::OptionalComputed("egress", kSet).Block(EntryFields()),
              Attribute::Computed("arn", kString),
              Attribute::Computed("owner_id", kString),
          },
          "A network ACL."};
}

// ---- Entries: protocol numbers and the canonical form plans and reads share.

// IP protocol names users write, with their IANA numbers.
struct ProtocolName {
  const char* name;
  int number;
};
constexpr ProtocolName kProtocolNames[] = {
    {"all", -1},   {"icmp", 1},  {"igmp", 2},   {"ipv4", 4},   {"tcp", 6},        {"egp", 8},
    {"udp", 17},   {"ipv6", 41}, {"rsvp", 46},  {"gre", 47},   {"esp", 50},       {"ah", 51},
    {"icmpv6", 58}, {"ipv6-icmp", 58}, {"eigrp", 88}, {"ospf", 89}, {"pim", 103}, {"vrrp", 112},
    {"l2tp", 115}, {"sctp", 132},
};

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The protocol number ("6") for a name or number; nullopt when it is neither.
std::optional<std::string> ProtocolNumber(const std::string& protocol) {
  Value number = NumFromText(protocol);
  if (number.is_number()) {
    double n = number.AsNumber();
    if (n != static_cast<long long>(n) || n < -1 || n > 255) return std::nullopt;
    return FormatNumber(n);
  }
  std::string name = Lower(protocol);
  for (const ProtocolName& p : kProtocolNames)
    if (name == p.name) return std::to_string(p.number);
  return std::nullopt;
}

bool HasPorts(const std::string& protocol) { return protocol == "6" || protocol == "17"; }
bool IsIcmp(const std::string& protocol) { return protocol == "1" || protocol == "58"; }

// An entry as AWS keeps it: the protocol as its number, the action in lower
// case, ports only for TCP and UDP and ICMP type/code only for ICMP (0
// otherwise, as AWS ignores them). Unknown fields are left alone.
Value CanonicalEntry(const Value& entry) {
  if (!entry.is_map()) return entry;
  Value out = entry;
  if (auto action = FindString(entry, "action")) out.Set("action", Str(Lower(*action)));
  auto protocol = FindString(entry, "protocol");
  if (!protocol) return out;
  std::string number = ProtocolNumber(*protocol).value_or(*protocol);
  out.Set("protocol", Str(number));
  if (!HasPorts(number)) {
    out.Set("from_port", Num(0));
    out.Set("to_port", Num(0));
  }
  if (!IsIcmp(number)) {
    out.Set("icmp_type", Num(0));
    out.Set("icmp_code", Num(0));
  }
  return out;
}

// A set in the engine's order (by JSON text); left as is while it holds unknowns.
Value SortedSet(ValueList items) {
  Value list = Value::List(std::move(items));
  if (list.ContainsUnknown()) return list;
  ValueList& sorted = list.MutableList();
  std::sort(sorted.begin(), sorted.end(),
            [](const Value& a, const Value& b) { return ToJson(a) < ToJson(b); });
  return list;
}

// Records what is wrong with one configured entry.
void ValidateEntry(ResourceContext& ctx, const std::string& direction, const Value& entry) {
  std::string where = direction + " entry " + GetString(entry, "rule_no");
  auto protocol = FindString(entry, "protocol");
  if (protocol && !ProtocolNumber(*protocol))
    ctx.Error(where + ": \"" + *protocol + "\" is not an IP protocol",
              "Use a protocol number (0-255), \"-1\" or \"all\", or a name such as tcp, udp, icmp.");
  auto action = FindString(entry, "action");
  if (action && Lower(*action) != "allow" && Lower(*action) != "deny")
    ctx.Error(where + ": action \"" + *action + "\" is neither \"allow\" nor \"deny\"");
  auto rule = FindInt(entry, "rule_no");
  if (rule && (*rule < 1 || *rule > kMaxRuleNumber))
    ctx.Error(where + ": rule_no must be between 1 and 32766");
  const Value* v4 = entry.Find("cidr_block");
  const Value* v6 = entry.Find("ipv6_cidr_block");
  bool unknown = (v4 != nullptr && v4->is_unknown()) || (v6 != nullptr && v6->is_unknown());
  if (!unknown && IsSet(entry, "cidr_block") == IsSet(entry, "ipv6_cidr_block"))
    ctx.Error(where + ": exactly one of cidr_block and ipv6_cidr_block must be set");
}

// Records rule numbers used twice in one direction.
void CheckUniqueRuleNumbers(ResourceContext& ctx, const std::string& direction,
                            const ValueList& entries) {
  std::set<long long> seen;
  for (const Value& entry : entries) {
    auto rule = FindInt(entry, "rule_no");
    if (rule && !seen.insert(*rule).second)
      ctx.Error(direction + " rule_no " + std::to_string(*rule) + " is used by two entries",
                "AWS keeps one entry per rule number and direction.");
  }
}

// Validates the configured entries and plans them in canonical form, so that
// "tcp" against a recorded "6" is no change.
void Plan(ResourceContext& ctx, const PlanRequest&, PlanResponse& response) {
  for (const std::string direction : {"ingress", "egress"}) {
    const Value* entries = response.planned_state.Find(direction);
    if (entries == nullptr || !entries->is_list()) continue;
    ValueList canonical;
    for (const Value& entry : entries->AsList()) {
      if (entry.is_map()) ValidateEntry(ctx, direction, entry);
      canonical.push_back(CanonicalEntry(entry));
    }
    CheckUniqueRuleNumbers(ctx, direction, canonical);
    response.planned_state.Set(direction, SortedSet(std::move(canonical)));
  }
}

// ---- Reading.

// One DescribeNetworkAcls call for `ids`.
aws::AwsResult<aws::XmlDocument> DescribeByIds(ResourceContext& ctx, const std::vector<std::string>& ids) {
  aws::QueryParams params;
  params.SetList("NetworkAclId", ids, aws::ListStyle::kIndexed);
  return ctx.client().Query("ec2", kAcl.describe_action, params);
}

// The network ACLs with the given ids, keyed by id; ids that do not exist are
// left out. One call per 200 ids; when one of them is missing AWS fails the
// whole call, and each is then asked for alone. (By id rather than by the
// network-acl-id filter, which moto does not implement.)
std::optional<std::map<std::string, aws::XmlNode>> DescribeAcls(ResourceContext& ctx,
                                                                const std::vector<std::string>& requested) {
  std::vector<std::string> ids = requested;
  ids.erase(std::remove(ids.begin(), ids.end(), ""), ids.end());
  std::map<std::string, aws::XmlNode> found;
  auto add = [&](const aws::XmlDocument& doc) {
    for (const aws::XmlNode& item : doc.root().FindAll(kAcl.item_path)) found[item.Text(kAcl.id_element)] = item;
  };
  for (std::size_t start = 0; start < ids.size(); start += kIdsPerCall) {
    std::vector<std::string> chunk(ids.begin() + static_cast<long>(start),
                                   ids.begin() + static_cast<long>(std::min(ids.size(), start + kIdsPerCall)));
    auto all = DescribeByIds(ctx, chunk);
    if (all.ok()) {
      add(*all);
      continue;
    }
    if (!all.error().IsNotFound()) {
      ctx.Fail(all.error());
      return std::nullopt;
    }
    for (const std::string& id : chunk) {
      auto one = DescribeByIds(ctx, {id});
      if (one.ok()) {
        add(*one);
      } else if (!one.error().IsNotFound()) {
        ctx.Fail(one.error());
        return std::nullopt;
      }
    }
  }
  return found;
}

std::optional<aws::XmlNode> DescribeAcl(ResourceContext& ctx, const std::string& id) {
  auto found = DescribeAcls(ctx, {id});
  if (!found) return std::nullopt;
  auto it = found->find(id);
  return it == found->end() ? aws::XmlNode() : it->second;
}

// The recorded entry of `direction` with rule number `rule` (null when none).
Value PriorEntry(const Value& current, const std::string& direction, const Value& rule) {
  for (const Value& entry : GetBlocks(current, direction)) {
    const Value* number = entry.Find("rule_no");
    if (number != nullptr && number->Equals(rule)) return entry;
  }
  return Value();
}

Value EntryFromAws(const aws::XmlNode& item) {
  auto port = [&](const char* path) { return item.TextIf(path) ? NumFromText(item.Text(path)) : Num(0); };
  Value entry = Value::Map({});
  entry.Set("protocol", Str(item.Text("protocol")));
  entry.Set("rule_no", NumFromText(item.Text("ruleNumber")));
  entry.Set("action", Str(item.Text("ruleAction")));
  entry.Set("cidr_block", StrOrNull(item.Text("cidrBlock")));
  entry.Set("ipv6_cidr_block", StrOrNull(item.Text("ipv6CidrBlock")));
  entry.Set("from_port", port("portRange/from"));
  entry.Set("to_port", port("portRange/to"));
  entry.Set("icmp_type", NumFromText(item.Text("icmpTypeCode/type")));
  entry.Set("icmp_code", NumFromText(item.Text("icmpTypeCode/code")));
  return CanonicalEntry(entry);
}

// The entries of one direction. An ICMP entry AWS reports without its type
// and code (moto drops them) keeps the recorded ones.
Value Entries(const aws::XmlNode& acl, const std::string& direction, const Value& current) {
  std::string egress = direction == "egress" ? "true" : "false";
  ValueList entries;
  for (const aws::XmlNode& item : acl.FindAll("entrySet/item")) {
    if (item.Text("egress") != egress) continue;
    Value entry = EntryFromAws(item);
    if (GetInt(entry, "rule_no") >= kFirstDefaultRule) continue;
    Value prior = PriorEntry(current, direction, *entry.Find("rule_no"));
    for (const char* field : {"icmp_type", "icmp_code"}) {
      if (IsSet(entry, field)) continue;
      const Value* recorded = prior.Find(field);
      entry.Set(field, recorded != nullptr && recorded->is_number() ? *recorded : Num(0));
    }
    entries.push_back(std::move(entry));
  }
  return SortedSet(std::move(entries));
}

std::vector<std::string> AssociatedSubnets(const aws::XmlNode& acl) {
  std::vector<std::string> subnets;
  for (const aws::XmlNode& a : acl.FindAll("associationSet/item")) subnets.push_back(a.Text("subnetId"));
  std::sort(subnets.begin(), subnets.end());
  return subnets;
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& acl, const Value& current) {
  std::string id = acl.Text("networkAclId");
  std::string owner = acl.Text("ownerId");
  Value state = Value::Map({});
  state.Set("id", Str(id));
  state.Set("vpc_id", Str(acl.Text("vpcId")));
  state.Set("subnet_ids", StrList(AssociatedSubnets(acl)));
  state.Set("ingress", Entries(acl, "ingress", current));
  state.Set("egress", Entries(acl, "egress", current));
  state.Set("arn", Str(ctx.Arn("ec2", owner, "network-acl/" + id)));
  state.Set("owner_id", Str(owner));
  SetEc2Tags(ctx, acl, current, state);
  return state;
}

// ---- Entries in AWS.

// Create/Replace/DeleteNetworkAclEntry for one entry of one direction.
aws::AwsResult<aws::XmlDocument> EntryCall(ResourceContext& ctx, const std::string& action,
                                           const std::string& acl, bool egress, const Value& entry) {
  aws::QueryParams params;
  params.Set("NetworkAclId", acl).SetInt("RuleNumber", GetInt(entry, "rule_no")).SetBool("Egress", egress);
  if (action != "DeleteNetworkAclEntry") {
    std::string protocol = GetString(entry, "protocol");
    params.Set("Protocol", protocol).Set("RuleAction", GetString(entry, "action"));
    if (auto cidr = FindString(entry, "cidr_block")) params.Set("CidrBlock", *cidr);
    if (auto cidr = FindString(entry, "ipv6_cidr_block")) params.Set("Ipv6CidrBlock", *cidr);
    if (HasPorts(protocol))
      params.SetInt("PortRange.From", GetInt(entry, "from_port")).SetInt("PortRange.To", GetInt(entry, "to_port"));
    if (IsIcmp(protocol))
      params.SetInt("Icmp.Type", GetInt(entry, "icmp_type")).SetInt("Icmp.Code", GetInt(entry, "icmp_code"));
  }
  return ctx.client().Query("ec2", action, params, {.idempotency = aws::Idempotency::kIdempotent});
}

// Creates an entry; one that exists already under its rule number (a retried
// call that went through) is replaced instead.
void CreateEntry(ResourceContext& ctx, const std::string& acl, bool egress, const Value& entry) {
  auto created = EntryCall(ctx, "CreateNetworkAclEntry", acl, egress, entry);
  if (created.ok()) return;
  if (created.error().Is("NetworkAclEntryAlreadyExists"))
    created = EntryCall(ctx, "ReplaceNetworkAclEntry", acl, egress, entry);
  if (!created.ok()) ctx.Fail(created.error());
}

std::map<long long, Value> ByRuleNumber(const std::vector<Value>& entries) {
  std::map<long long, Value> out;
  for (const Value& entry : entries) out[GetInt(entry, "rule_no")] = entry;
  return out;
}

// Turns the entries of one direction from `before` into `after`: rule
// numbers that went away are deleted, changed ones replaced, new ones created.
void ApplyEntries(ResourceContext& ctx, const std::string& acl, const std::string& direction,
                  const std::vector<Value>& before, const std::vector<Value>& after) {
  bool egress = direction == "egress";
  std::map<long long, Value> old_entries = ByRuleNumber(before);
  std::map<long long, Value> new_entries = ByRuleNumber(after);
  for (const auto& [rule, entry] : old_entries) {
    if (ctx.failed()) return;
    if (!new_entries.count(rule)) ctx.SucceededOrGone(EntryCall(ctx, "DeleteNetworkAclEntry", acl, egress, entry));
  }
  for (const auto& [rule, entry] : new_entries) {
    auto old = old_entries.find(rule);
    if (ctx.failed()) return;
    if (old == old_entries.end()) CreateEntry(ctx, acl, egress, entry);
    else if (!old->second.Equals(entry)) ctx.Unwrap(EntryCall(ctx, "ReplaceNetworkAclEntry", acl, egress, entry));
  }
}

// ---- Subnet associations.

struct SubnetAssociation {
  std::string id;   // the association id
  std::string acl;  // the network ACL the subnet uses
};

// The current network ACL association of each of `subnets` that AWS shows.
std::optional<std::map<std::string, SubnetAssociation>> SubnetAssociations(
    ResourceContext& ctx, const std::vector<std::string>& subnets) {
  auto acls = Ec2DescribeAll(ctx, kAcl, {{"association.subnet-id", subnets}});
  if (!acls) return std::nullopt;
  std::set<std::string> wanted(subnets.begin(), subnets.end());
  std::map<std::string, SubnetAssociation> out;
  for (const aws::XmlNode& acl : *acls)
    for (const aws::XmlNode& a : acl.FindAll("associationSet/item"))
      if (wanted.count(a.Text("subnetId")))
        out[a.Text("subnetId")] = {a.Text("networkAclAssociationId"), acl.Text("networkAclId")};
  return out;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Moves `subnets` to the ACL `target`. With `from` empty, every one of them
// moves, waiting briefly for subnets AWS does not show yet; otherwise only
// those now using `from` move and the others are left alone. A move that
// fails transiently is retried after a fresh look.
bool MoveSubnets(ResourceContext& ctx, std::vector<std::string> subnets, const std::string& target,
                 const std::string& from) {
  if (subnets.empty()) return true;
  std::string what = "subnets " + Joined(subnets) + " to use network ACL " + target;
  return WaitFor(ctx, what, [&] {
    auto current = SubnetAssociations(ctx, subnets);
    if (!current) return Poll::kFailed;
    std::vector<std::string> left;
    for (const std::string& subnet : subnets) {
      auto it = current->find(subnet);
      if (it == current->end()) {
        if (from.empty()) left.push_back(subnet);
        continue;
      }
      if (it->second.acl == target || (!from.empty() && it->second.acl != from)) continue;
      aws::QueryParams params;
      params.Set("AssociationId", it->second.id).Set("NetworkAclId", target);
      auto moved = ctx.client().Query("ec2", "ReplaceNetworkAclAssociation", params,
                                      {.idempotency = aws::Idempotency::kNotIdempotent});
      if (moved.ok()) continue;
      if (!moved.error().retryable && !moved.error().IsNotFound()) {
        ctx.Fail(moved.error());
        return Poll::kFailed;
      }
      left.push_back(subnet);
    }
    subnets = std::move(left);
    return subnets.empty() ? Poll::kDone : Poll::kPending;
  }, ctx.runtime().timeouts.read_after_create);
}

// The id of the VPC's default network ACL ("" after recording an error).
std::string DefaultAcl(ResourceContext& ctx, const std::string& vpc_id) {
  auto acls = Ec2DescribeAll(ctx, kAcl, {{"vpc-id", {vpc_id}}, {"default", {"true"}}});
  if (!acls) return "";
  if (acls->empty()) {
    ctx.Error("VPC " + vpc_id + " has no default network ACL to return subnets to");
    return "";
  }
  return acls->front().Text(kAcl.id_element);
}

// Returns `subnets` now using `acl` to the VPC's default network ACL.
void ReleaseSubnets(ResourceContext& ctx, const std::string& acl, const std::string& vpc_id,
                    const std::vector<std::string>& subnets) {
  if (subnets.empty()) return;
  std::string fallback = DefaultAcl(ctx, vpc_id);
  if (!fallback.empty()) MoveSubnets(ctx, subnets, fallback, acl);
}

std::vector<std::string> Without(const std::vector<std::string>& items, const std::vector<std::string>& drop) {
  std::vector<std::string> out;
  for (const std::string& item : items)
    if (std::find(drop.begin(), drop.end(), item) == drop.end()) out.push_back(item);
  return out;
}

// ---- Create, update, delete, adopt.

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params;
  params.Set("VpcId", GetString(planned, "vpc_id"))
      .Set("ClientToken", ctx.ClientToken())
      .SetEc2TagSpecification(kAcl.tag_type, ctx.TagsForCreate(planned));
  auto doc = Ec2Call(ctx, "CreateNetworkAcl", params, aws::Idempotency::kClientToken);
  if (!doc) return Value();
  std::string id = doc->root().Text("networkAcl/networkAclId");
  for (const std::string direction : {"ingress", "egress"})
    ApplyEntries(ctx, id, direction, {}, GetBlocks(planned, direction));
  if (!ctx.failed()) MoveSubnets(ctx, GetStrings(planned, "subnet_ids"), id, "");
  return Value::Map({{"id", Str(id)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  std::string id = IdOf(prior);
  for (const std::string direction : {"ingress", "egress"}) {
    if (Changed(prior, planned, direction) && !ctx.failed())
      ApplyEntries(ctx, id, direction, GetBlocks(prior, direction), GetBlocks(planned, direction));
  }
  if (!Changed(prior, planned, "subnet_ids") || ctx.failed()) return;
  std::vector<std::string> before = GetStrings(prior, "subnet_ids");
  std::vector<std::string> after = GetStrings(planned, "subnet_ids");
  ReleaseSubnets(ctx, id, GetString(prior, "vpc_id"), Without(before, after));
  if (!ctx.failed()) MoveSubnets(ctx, Without(after, before), id, "");
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string id = IdOf(prior);
  auto acl = DescribeAcl(ctx, id);
  if (!acl || !acl->valid()) return;
  ReleaseSubnets(ctx, id, acl->Text("vpcId"), AssociatedSubnets(*acl));
  if (!ctx.failed()) Ec2DeleteRetryingDependencies(ctx, "DeleteNetworkAcl", "NetworkAclId", id);
}

// The ACL an interrupted create made, by its ownership tags in the planned VPC.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string id = Ec2FindOwned(ctx, kAcl, {{"vpc-id", {GetString(planned, "vpc_id")}}});
  return id.empty() ? Value() : Value::Map({{"id", Str(id)}});
}

}  // namespace

ResourceType aws_network_acl() {
  ResourceType type = Ec2Type(kAcl, Schema(), ToState, Create, Update, Delete, DescribeAcls);
  type.adopt = Adopt;  // in the planned VPC only
  type.plan = Plan;
  return type;
}

}  // namespace reconcile::aws_provider::resources
