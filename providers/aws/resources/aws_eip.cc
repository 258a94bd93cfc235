// aws_eip: an Elastic IP address (VPC domain), optionally associated with an
// instance or a network interface. The association changes in place
// (disassociate, then associate); the address itself never moves. Its id is
// the allocation id. `instance` and `network_interface` are also computed, so
// an association made by aws_eip_association is not a change here.
#include <algorithm>

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
              Attribute::OptionalComputed("domain", kString).ForceNew(),
              Attribute::Optional("address", kString).ForceNew(),
              Attribute::OptionalComputed("public_ipv4_pool", kString).ForceNew(),
              Attribute::OptionalComputed("network_border_group", kString).ForceNew(),
              Attribute::OptionalComputed("instance", kString),
              Attribute::OptionalComputed("network_interface", kString),
              Attribute::Optional("associate_with_private_ip", kString),
              Attribute::Computed("allocation_id", kString),
              Attribute::Computed("association_id", kString),
              Attribute::Computed("public_ip", kString),
              Attribute::Computed("public_dns", kString),
              Attribute::Computed("private_ip", kString),
              Attribute::Computed("private_dns", kString),
              Attribute::Computed("carrier_ip", kString),
              Attribute::Computed("customer_owned_ip", kString),
              Attribute::Computed("ptr_record", kString),
              Attribute::Computed("arn", kString),
          },
          "An Elastic IP address."};
}

// EC2's DNS name for an IP ("ec2-1-2-3-4.compute-1.amazonaws.com").
std::string DnsName(const std::string& prefix, const std::string& ip, const std::string& region,
                    bool is_public) {
  if (ip.empty()) return "";
  std::string dashed = ip;
  std::replace(dashed.begin(), dashed.end(), '.', '-');
  if (region == "us-east-1")
    return prefix + dashed + (is_public ? ".compute-1.amazonaws.com" : ".ec2.internal");
  return prefix + dashed + "." + region +
         (is_public ? ".compute.amazonaws.com" : ".compute.internal");
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& address, const Value& current) {
  std::string id = address.Text("allocationId");
  std::string public_ip = address.Text("publicIp");
  std::string private_ip = address.Text("privateIpAddress");
  Value state = Value::Map({});
  state.Set("id", Str(id));
  state.Set("allocation_id", Str(id));
  state.Set("domain", Str(address.Text("domain")));
  state.Set("public_ip", Str(public_ip));
  state.Set("public_dns", StrOrNull(DnsName("ec2-", public_ip, ctx.region(), true)));
  state.Set("private_ip", StrOrNull(private_ip));
  state.Set("private_dns", StrOrNull(DnsName("ip-", private_ip, ctx.region(), false)));
  state.Set("instance", StrOrNull(address.Text("instanceId")));
  state.Set("network_interface", StrOrNull(address.Text("networkInterfaceId")));
  state.Set("association_id", StrOrNull(address.Text("associationId")));
  state.Set("public_ipv4_pool", StrOrNull(address.Text("publicIpv4Pool")));
  state.Set("network_border_group", StrOrNull(address.Text("networkBorderGroup")));
  state.Set("carrier_ip", StrOrNull(address.Text("carrierIp")));
  state.Set("customer_owned_ip", StrOrNull(address.Text("customerOwnedIp")));
  state.Set("ptr_record", Value());
  state.Set("arn", Str(ctx.Arn("ec2", ctx.AccountId(), "elastic-ip/" + id)));
  KeepAttributes(current, state, {"address", "associate_with_private_ip"});
  SetEc2Tags(ctx, address, current, state);
  return state;
}

// Associates the address with the planned instance or network interface
// (retried while a new instance is still pending).
void Associate(ResourceContext& ctx, const std::string& id, const Value& planned) {
  auto instance = FindString(planned, "instance");
  auto eni = FindString(planned, "network_interface");
  if (!instance && !eni) return;
  aws::QueryParams params;
  params.Set("AllocationId", id).SetBool("AllowReassociation", true);
  if (eni)
    params.Set("NetworkInterfaceId", *eni);
  else
    params.Set("InstanceId", *instance);
  if (auto ip = FindString(planned, "associate_with_private_ip"))
    params.Set("PrivateIpAddress", *ip);
  RetryWhile(ctx, {"IncorrectInstanceState", "InvalidInstanceID"}, [&] {
    return AsDone(Ec2Send(ctx, "AssociateAddress", params, aws::Idempotency::kIdempotent));
  });
}

void Disassociate(ResourceContext& ctx, const std::string& association_id) {
  if (association_id.empty()) return;
  aws::QueryParams params;
  params.Set("AssociationId", association_id);
  ctx.SucceededOrGone(Ec2Send(ctx, "DisassociateAddress", params, aws::Idempotency::kIdempotent));
}

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params;
  params.Set("Domain", FindString(planned, "domain").value_or("vpc"));
  if (auto address = FindString(planned, "address")) params.Set("Address", *address);
  if (auto pool = FindString(planned, "public_ipv4_pool")) params.Set("PublicIpv4Pool", *pool);
  if (auto group = FindString(planned, "network_border_group"))
    params.Set("NetworkBorderGroup", *group);
  params.SetEc2TagSpecification(kAddress.tag_type, ctx.TagsForCreate(planned));
  auto doc = Ec2Call(ctx, "AllocateAddress", params, aws::Idempotency::kNotIdempotent);
  if (!doc) return Value();
  std::string id = doc->root().Text("allocationId");
  Associate(ctx, id, planned);
  return Value::Map({{"id", Str(id)}});
}

bool AssociationChanged(const Value& prior, const Value& planned) {
  for (const char* key : {"instance", "network_interface", "associate_with_private_ip"})
    if (!IsUnknown(planned, key) && IsSet(planned, key) && Changed(prior, planned, key))
      return true;
  return false;
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (!AssociationChanged(prior, planned)) return;
  Disassociate(ctx, GetString(prior, "association_id"));
  if (!ctx.failed()) Associate(ctx, IdOf(prior), planned);
}

// A new association gives a new association id (and private ip).
void Plan(ResourceContext&, const PlanRequest& request, PlanResponse& response) {
  if (request.prior_state.is_null() ||
      !AssociationChanged(request.prior_state, response.planned_state))
    return;
  for (const char* key :
       {"association_id", "private_ip", "private_dns", "instance", "network_interface"})
    if (!IsSet(request.config, key)) response.planned_state.Set(key, Value::Unknown());
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string id = IdOf(prior);
  // The association of now (another tool may have made one) blocks the release.
  auto address = Ec2DescribeOne(ctx, kAddress, id);
  if (!address) return;
  if (!address->valid()) return;
  Disassociate(ctx, address->Text("associationId"));
  if (ctx.failed()) return;
  aws::QueryParams params;
  params.Set("AllocationId", id);
  DeleteUntilGone(ctx, {.what = "Elastic IP " + id,
                        .call =
                            [&] {
                              return AsDone(Ec2Send(ctx, "ReleaseAddress", params,
                                                    aws::Idempotency::kIdempotent));
                            },
                        .retry_while = {"InvalidIPAddress.InUse", "AuthFailure"}});
}

}  // namespace

ResourceType aws_eip() {
  ResourceType type = Ec2Type(kAddress, Schema(), ToState, Create, Update, Delete);
  type.plan = Plan;
  return type;
}

}  // namespace reconcile::aws_provider::resources
