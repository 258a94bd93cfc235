// aws_nat_gateway: a NAT gateway in a subnet, public (with an Elastic IP's
// allocation) or private. Every setting forces replacement; create waits
// until it is available and delete until it is deleted (AWS keeps deleted
// gateways visible for a while: they read as gone). An interrupted create is
// found again by its ownership tags among the pending and available gateways.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

const Ec2Kind kGateway{"DescribeNatGateways", "natGatewaySet/item", "natGatewayId",
                       "nat-gateway-id", "natgateway"};

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("subnet_id", kString).ForceNew(),
              Attribute::Optional("allocation_id", kString).ForceNew(),
              Attribute::Optional("connectivity_type", kString).ForceNew().Default(Str("public")),
              Attribute::OptionalComputed("private_ip", kString).ForceNew(),
              Attribute::Computed("association_id", kString),
              Attribute::Computed("network_interface_id", kString),
              Attribute::Computed("public_ip", kString),
          },
          "A NAT gateway."};
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& gateway, const Value& current) {
  aws::XmlNode address = gateway.Find("natGatewayAddressSet/item");
  Value state = Value::Map({});
  state.Set("id", Str(gateway.Text("natGatewayId")));
  state.Set("subnet_id", Str(gateway.Text("subnetId")));
  std::string type = gateway.Text("connectivityType");
  state.Set("connectivity_type", Str(type.empty() ? "public" : type));
  state.Set("allocation_id", StrOrNull(address.Text("allocationId")));
  state.Set("association_id", StrOrNull(address.Text("associationId")));
  state.Set("network_interface_id", StrOrNull(address.Text("networkInterfaceId")));
  state.Set("private_ip", StrOrNull(address.Text("privateIp")));
  state.Set("public_ip", StrOrNull(address.Text("publicIp")));
  SetEc2Tags(ctx, gateway, current, state);
  return state;
}

// The gateways with the given ids that are not deleted, keyed by id.
Found<aws::XmlNode> DescribeLive(ResourceContext& ctx, const std::vector<std::string>& ids) {
  auto found = Ec2DescribeMany(ctx, kGateway, ids);
  if (!found) return std::nullopt;
  std::erase_if(*found, [](const auto& entry) {
    std::string state = entry.second.Text("state");
    return state == "deleted" || state == "deleting";
  });
  return found;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params;
  params.Set("SubnetId", GetString(planned, "subnet_id"))
      .Set("ConnectivityType", GetString(planned, "connectivity_type"))
      .Set("ClientToken", ctx.ClientToken());
  if (auto allocation = FindString(planned, "allocation_id"))
    params.Set("AllocationId", *allocation);
  if (auto ip = FindString(planned, "private_ip")) params.Set("PrivateIpAddress", *ip);
  params.SetEc2TagSpecification(kGateway.tag_type, ctx.TagsForCreate(planned));
  auto doc = Ec2Call(ctx, "CreateNatGateway", params, aws::Idempotency::kClientToken);
  if (!doc) return Value();
  std::string id = doc->root().Text("natGateway/natGatewayId");
  Ec2WaitForState(ctx, kGateway, id, "state", "NAT gateway " + id, "available",
                  {"failed", "deleted"});
  return Value::Map({{"id", Str(id)}});
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string id = IdOf(prior);
  auto state = Ec2StateOf(ctx, kGateway, id, "state");
  if (!state || state->empty() || *state == "deleted") return;
  aws::QueryParams params;
  params.Set("NatGatewayId", id);
  if (*state != "deleting" &&
      !ctx.SucceededOrGone(Ec2Send(ctx, "DeleteNatGateway", params, aws::Idempotency::kIdempotent)))
    return;
  Ec2WaitUntilGone(ctx, kGateway, id, "state", "NAT gateway " + id, {"deleted"});
}

}  // namespace

ResourceType aws_nat_gateway() {
  ResourceType type = Ec2Type(kGateway, Schema(), ToState, Create, nullptr, Delete, DescribeLive);
  type.adopt = Ec2AdoptOwned(kGateway, {{"state", {"pending", "available"}}});
  return type;
}

}  // namespace reconcile::aws_provider::resources
