// aws_eip_association: an Elastic IP associated with an instance or a network
// interface, apart from the address's own resource. Every attribute forces
// replacement. Its id is the association id (eipassoc-...), which import
// takes; an interrupted create is found again as the planned address's
// association with the planned instance or interface.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

const Ec2Kind kAddress{"DescribeAddresses", "addressesSet/item", "allocationId", "allocation-id",
                       "elastic-ip"};

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("allocation_id", kString).ForceNew(),
              Attribute::OptionalComputed("public_ip", kString).ForceNew(),
              Attribute::OptionalComputed("instance_id", kString).ForceNew(),
              Attribute::OptionalComputed("network_interface_id", kString).ForceNew(),
              Attribute::OptionalComputed("private_ip_address", kString).ForceNew(),
              Attribute::Optional("allow_reassociation", kBool).ForceNew(),
          },
          "An association of an Elastic IP with an instance or network interface."};
}

// The addresses matching `filters`: nullopt after recording an error.
std::optional<std::vector<aws::XmlNode>> Addresses(ResourceContext& ctx,
                                                   std::vector<aws::Ec2Filter> filters) {
  return Ec2DescribeAll(ctx, kAddress, filters);
}

Value ToState(const aws::XmlNode& address, const Value& current) {
  Value state = Value::Map({});
  state.Set("id", Str(address.Text("associationId")));
  state.Set("allocation_id", Str(address.Text("allocationId")));
  state.Set("public_ip", Str(address.Text("publicIp")));
  state.Set("instance_id", StrOrNull(address.Text("instanceId")));
  state.Set("network_interface_id", StrOrNull(address.Text("networkInterfaceId")));
  state.Set("private_ip_address", StrOrNull(address.Text("privateIpAddress")));
  KeepAttributes(current, state, {"allow_reassociation"});
  return state;
}

// The addresses holding the given associations, keyed by association id.
Found<aws::XmlNode> DescribeAssociations(ResourceContext& ctx,
                                         const std::vector<std::string>& ids) {
  std::map<std::string, aws::XmlNode> out;
  for (const std::vector<std::string>& chunk : Chunks(ids, kEc2MaxFilterValues)) {
    auto found = Addresses(ctx, {{"association-id", chunk}});
    if (!found) return std::nullopt;
    for (const aws::XmlNode& address : *found) out[address.Text("associationId")] = address;
  }
  return out;
}

// The planned address's association with the planned target; an invalid node when there is none.
std::optional<aws::XmlNode> PlannedAssociation(ResourceContext& ctx, const Value& planned) {
  std::vector<aws::Ec2Filter> filters;
  if (auto id = FindString(planned, "allocation_id"))
    filters.push_back({"allocation-id", {*id}});
  else if (auto ip = FindString(planned, "public_ip"))
    filters.push_back({"public-ip", {*ip}});
  if (auto instance = FindString(planned, "instance_id"))
    filters.push_back({"instance-id", {*instance}});
  if (auto eni = FindString(planned, "network_interface_id"))
    filters.push_back({"network-interface-id", {*eni}});
  if (filters.size() < 2) return aws::XmlNode();
  auto found = Addresses(ctx, filters);
  if (!found) return std::nullopt;
  for (const aws::XmlNode& address : *found)
    if (!address.Text("associationId").empty()) return address;
  return aws::XmlNode();
}

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params;
  if (auto id = FindString(planned, "allocation_id"))
    params.Set("AllocationId", *id);
  else if (auto ip = FindString(planned, "public_ip"))
    params.Set("PublicIp", *ip);
  else {
    ctx.Error("aws_eip_association needs allocation_id or public_ip");
    return Value();
  }
  if (auto eni = FindString(planned, "network_interface_id"))
    params.Set("NetworkInterfaceId", *eni);
  else if (auto instance = FindString(planned, "instance_id"))
    params.Set("InstanceId", *instance);
  else {
    ctx.Error("aws_eip_association needs instance_id or network_interface_id");
    return Value();
  }
  if (auto ip = FindString(planned, "private_ip_address")) params.Set("PrivateIpAddress", *ip);
  if (auto allow = FindBool(planned, "allow_reassociation"))
    params.SetBool("AllowReassociation", *allow);
  std::string association;
  RetryWhile(
      ctx, {"IncorrectInstanceState", "InvalidInstanceID"}, [&]() -> aws::AwsResult<aws::Done> {
        auto doc = Ec2Send(ctx, "AssociateAddress", params, aws::Idempotency::kNotIdempotent);
        if (!doc.ok()) return doc.error();
        association = doc->root().Text("associationId");
        return aws::Done{};
      });
  if (association.empty()) return Value();
  return Value::Map({{"id", Str(association)}});
}

void Delete(ResourceContext& ctx, const Value& prior) {
  aws::QueryParams params;
  params.Set("AssociationId", IdOf(prior));
  auto result = Ec2Send(ctx, "DisassociateAddress", params, aws::Idempotency::kIdempotent);
  if (!result.ok() &&
      (result.error().IsNotFound() || result.error().Is("InvalidAssociationID.NotFound")))
    return;
  ctx.SucceededOrGone(result);
}

}  // namespace

ResourceType aws_eip_association() {
  ResourceType type = MakeType(Schema(), Create, nullptr, Delete);
  UseBatchedReads<aws::XmlNode>(type, DescribeAssociations,
                                [](ResourceContext&, const aws::XmlNode& address,
                                   const Value& current) { return ToState(address, current); });
  type.adopt = [](ResourceContext& ctx, const Value& planned) -> Value {
    auto association = PlannedAssociation(ctx, planned);
    if (!association || !association->valid()) return Value();
    return Value::Map({{"id", Str(association->Text("associationId"))}});
  };
  return type;
}

}  // namespace reconcile::aws_provider::resources
