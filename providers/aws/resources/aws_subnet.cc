// aws_subnet: a subnet of a VPC in one availability zone.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

const Ec2Kind kSubnet{"DescribeSubnets", "subnetSet/item", "subnetId", "subnet-id", "subnet"};

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("vpc_id", kString).ForceNew(),
              Attribute::Optional("cidr_block", kString).ForceNew(),
              Attribute::OptionalComputed("availability_zone", kString).ForceNew(),
              Attribute::OptionalComputed("availability_zone_id", kString).ForceNew(),
              Attribute::Optional("map_public_ip_on_launch", kBool).Default(Bool(false)),
              Attribute::Computed("arn", kString),
              Attribute::Computed("owner_id", kString),
          },
          "A subnet of a VPC."};
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& subnet, const Value& current) {
  Value state = Value::Map({});
  state.Set("id", Str(subnet.Text("subnetId")));
  state.Set("vpc_id", Str(subnet.Text("vpcId")));
  state.Set("cidr_block", StrOrNull(subnet.Text("cidrBlock")));
  state.Set("availability_zone", Str(subnet.Text("availabilityZone")));
  state.Set("availability_zone_id", Str(subnet.Text("availabilityZoneId")));
  state.Set("map_public_ip_on_launch", BoolFromText(subnet.Text("mapPublicIpOnLaunch")));
  state.Set("arn", Str(subnet.Text("subnetArn")));
  state.Set("owner_id", Str(subnet.Text("ownerId")));
  SetEc2Tags(ctx, subnet, current, state);
  return state;
}

void SetMapPublicIp(ResourceContext& ctx, const std::string& id, bool on) {
  aws::QueryParams params;
  params.Set("SubnetId", id).SetBool("MapPublicIpOnLaunch.Value", on);
  Ec2Call(ctx, "ModifySubnetAttribute", params, aws::Idempotency::kIdempotent);
}

bool WaitAvailable(ResourceContext& ctx, const std::string& id) {
  return WaitFor(ctx, "subnet " + id + " to become available", [&] {
    auto subnet = Ec2DescribeOne(ctx, kSubnet, id);
    if (!subnet) return Poll::kFailed;
    return subnet->valid() && subnet->Text("state") == "available" ? Poll::kDone : Poll::kPending;
  });
}

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params;
  params.Set("VpcId", GetString(planned, "vpc_id"));
  if (auto cidr = FindString(planned, "cidr_block")) params.Set("CidrBlock", *cidr);
  if (auto zone = FindString(planned, "availability_zone")) params.Set("AvailabilityZone", *zone);
  if (auto zone_id = FindString(planned, "availability_zone_id")) params.Set("AvailabilityZoneId", *zone_id);
  params.SetEc2TagSpecification(kSubnet.tag_type, ctx.TagsForCreate(planned));
  auto doc = Ec2Call(ctx, "CreateSubnet", params, aws::Idempotency::kNotIdempotent);
  if (!doc) return Value();
  std::string id = doc->root().Text("subnet/subnetId");
  Value created = Value::Map({{"id", Str(id)}});
  if (WaitAvailable(ctx, id) && GetBool(planned, "map_public_ip_on_launch")) SetMapPublicIp(ctx, id, true);
  return created;
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (Changed(prior, planned, "map_public_ip_on_launch"))
    SetMapPublicIp(ctx, IdOf(prior), GetBool(planned, "map_public_ip_on_launch"));
}

void Delete(ResourceContext& ctx, const Value& prior) {
  Ec2DeleteRetryingDependencies(ctx, "DeleteSubnet", "SubnetId", IdOf(prior));
}

}  // namespace

ResourceType aws_subnet() {
  return Ec2Type(kSubnet, Schema(), ToState, Create, Update, Delete);
}

}  // namespace reconcile::aws_provider::resources
