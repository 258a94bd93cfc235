// aws_vpc: a VPC, its DNS attributes and tenancy, and the ids of the default
// security group, route table and network ACL AWS makes with it.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

const Ec2Kind kVpc{"DescribeVpcs", "vpcSet/item", "vpcId", "vpc-id", "vpc"};

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("cidr_block", kString).ForceNew(),
              Attribute::Optional("instance_tenancy", kString).Default(Str("default")),
              Attribute::Optional("enable_dns_support", kBool).Default(Bool(true)),
              Attribute::OptionalComputed("enable_dns_hostnames", kBool),
              Attribute::Computed("arn", kString),
              Attribute::Computed("owner_id", kString),
              Attribute::Computed("dhcp_options_id", kString),
              Attribute::Computed("main_route_table_id", kString),
              Attribute::Computed("default_route_table_id", kString),
              Attribute::Computed("default_network_acl_id", kString),
              Attribute::Computed("default_security_group_id", kString),
          },
          "A virtual private cloud."};
}

// The value of one DescribeVpcAttribute attribute ("enableDnsSupport").
Value VpcAttribute(ResourceContext& ctx, const std::string& id, const std::string& attribute) {
  aws::QueryParams params;
  params.Set("VpcId", id).Set("Attribute", attribute);
  auto doc = Ec2Call(ctx, "DescribeVpcAttribute", params);
  return doc ? BoolFromText(doc->root().Text(attribute + "/value")) : Value();
}

// The id of the first object of `kind` in the VPC matching `filter`.
std::string FirstInVpc(ResourceContext& ctx, const Ec2Kind& kind, const std::string& vpc_id,
                       aws::Ec2Filter filter) {
  auto items = Ec2DescribeAll(ctx, kind, {{"vpc-id", {vpc_id}}, std::move(filter)});
  return items && !items->empty() ? items->front().Text(kind.id_element) : "";
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& vpc, const Value& current) {
  std::string id = vpc.Text("vpcId");
  std::string owner = vpc.Text("ownerId");
  const Ec2Kind route_tables{"DescribeRouteTables", "routeTableSet/item", "routeTableId", "", ""};
  const Ec2Kind acls{"DescribeNetworkAcls", "networkAclSet/item", "networkAclId", "", ""};
  const Ec2Kind groups{"DescribeSecurityGroups", "securityGroupInfo/item", "groupId", "", ""};
  std::string main_route_table = FirstInVpc(ctx, route_tables, id, {"association.main", {"true"}});
  Value state = Value::Map({});
  state.Set("id", Str(id));
  state.Set("cidr_block", Str(vpc.Text("cidrBlock")));
  state.Set("instance_tenancy", Str(vpc.Text("instanceTenancy")));
  state.Set("enable_dns_support", VpcAttribute(ctx, id, "enableDnsSupport"));
  state.Set("enable_dns_hostnames", VpcAttribute(ctx, id, "enableDnsHostnames"));
  state.Set("arn", Str(ctx.Arn("ec2", owner, "vpc/" + id)));
  state.Set("owner_id", Str(owner));
  state.Set("dhcp_options_id", Str(vpc.Text("dhcpOptionsId")));
  state.Set("main_route_table_id", Str(main_route_table));
  state.Set("default_route_table_id", Str(main_route_table));
  state.Set("default_network_acl_id", Str(FirstInVpc(ctx, acls, id, {"default", {"true"}})));
  state.Set("default_security_group_id", Str(FirstInVpc(ctx, groups, id, {"group-name", {"default"}})));
  SetEc2Tags(ctx, vpc, current, state);
  return state;
}

void SetDnsAttribute(ResourceContext& ctx, const std::string& id, const std::string& name, bool on) {
  aws::QueryParams params;
  params.Set("VpcId", id).SetBool(name + ".Value", on);
  Ec2Call(ctx, "ModifyVpcAttribute", params, aws::Idempotency::kIdempotent);
}

// The DNS attributes, one ModifyVpcAttribute call each, with AWS's defaults.
struct DnsAttribute {
  const char* key;
  const char* name;
  bool aws_default;
};
constexpr DnsAttribute kDnsAttributes[] = {
    {"enable_dns_support", "EnableDnsSupport", true},
    {"enable_dns_hostnames", "EnableDnsHostnames", false},
};

// Applies the DNS attributes that differ from `prior` (from AWS's defaults on create).
void ApplyDnsAttributes(ResourceContext& ctx, const std::string& id, const Value& prior,
                        const Value& planned) {
  for (const DnsAttribute& a : kDnsAttributes) {
    auto wanted = FindBool(planned, a.key);
    bool now = GetBool(prior, a.key, a.aws_default);
    if (wanted && *wanted != now && !ctx.failed()) SetDnsAttribute(ctx, id, a.name, *wanted);
  }
}

bool WaitAvailable(ResourceContext& ctx, const std::string& id) {
  return WaitFor(ctx, "VPC " + id + " to become available", [&] {
    auto vpc = Ec2DescribeOne(ctx, kVpc, id);
    if (!vpc) return Poll::kFailed;
    return vpc->valid() && vpc->Text("state") == "available" ? Poll::kDone : Poll::kPending;
  });
}

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params;
  if (auto cidr = FindString(planned, "cidr_block")) params.Set("CidrBlock", *cidr);
  params.Set("InstanceTenancy", GetString(planned, "instance_tenancy"))
      .SetEc2TagSpecification(kVpc.tag_type, ctx.TagsForCreate(planned));
  auto doc = Ec2Call(ctx, "CreateVpc", params, aws::Idempotency::kNotIdempotent);
  if (!doc) return Value();
  std::string id = doc->root().Text("vpc/vpcId");
  Value created = Value::Map({{"id", Str(id)}});
  if (!WaitAvailable(ctx, id)) return created;
  ApplyDnsAttributes(ctx, id, Value(), planned);
  return created;
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  std::string id = IdOf(prior);
  ApplyDnsAttributes(ctx, id, prior, planned);
  if (Changed(prior, planned, "instance_tenancy") && !ctx.failed()) {
    aws::QueryParams params;
    params.Set("VpcId", id).Set("InstanceTenancy", GetString(planned, "instance_tenancy"));
    Ec2Call(ctx, "ModifyVpcTenancy", params, aws::Idempotency::kIdempotent);
  }
}

// AWS can only change tenancy to "default"; any other change replaces the VPC.
void Plan(ResourceContext&, const PlanRequest& request, PlanResponse& response) {
  if (request.prior_state.is_null()) return;
  if (Changed(request.prior_state, response.planned_state, "instance_tenancy") &&
      GetString(response.planned_state, "instance_tenancy") != "default")
    response.requires_replace.push_back("instance_tenancy");
}

void Delete(ResourceContext& ctx, const Value& prior) {
  Ec2DeleteRetryingDependencies(ctx, "DeleteVpc", "VpcId", IdOf(prior));
}

}  // namespace

ResourceType aws_vpc() {
  ResourceType type = Ec2Type(kVpc, Schema(), ToState, Create, Update, Delete);
  type.plan = Plan;
  return type;
}

}  // namespace reconcile::aws_provider::resources
