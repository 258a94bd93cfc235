// data aws_lb: a load balancer by ARN or name: its DNS name and zone (for
// alias records), type, scheme, VPC, subnets, security groups and tags.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/elbv2.h"

namespace reconcile::aws_provider::data_sources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("arn", kString),
              Attribute::OptionalComputed("name", kString),
              Attribute::Computed("id", kString),
              Attribute::Computed("arn_suffix", kString),
              Attribute::Computed("dns_name", kString),
              Attribute::Computed("zone_id", kString),
              Attribute::Computed("load_balancer_type", kString),
              Attribute::Computed("internal", kBool),
              Attribute::Computed("vpc_id", kString),
              Attribute::Computed("subnets", kSet).Of(kString),
              Attribute::Computed("security_groups", kSet).Of(kString),
              Attribute::Computed("ip_address_type", kString),
              Attribute::Computed("tags", kMap).Of(kString),
          },
          "A load balancer, by ARN or name."};
}

Value Read(ResourceContext& ctx, const Value& config) {
  aws::QueryParams params;
  std::string wanted;
  if (auto arn = FindString(config, "arn")) {
    params.SetList("LoadBalancerArns", {*arn}, aws::ListStyle::kMember);
    wanted = *arn;
  } else if (auto name = FindString(config, "name")) {
    params.SetList("Names", {*name}, aws::ListStyle::kMember);
    wanted = *name;
  } else {
    ctx.Error("data.aws_lb needs `arn` or `name`", "Set one of them to the load balancer to look up.");
    return Value();
  }
  auto found = ElbDescribeAll(ctx, "DescribeLoadBalancers", params, "LoadBalancers/member", true);
  if (!found) return Value();
  if (found->empty()) {
    ctx.Error("No load balancer \"" + wanted + "\" in " + ctx.region());
    return Value();
  }
  const aws::XmlNode& lb = found->front();
  std::string arn = lb.Text("LoadBalancerArn");
  auto tags = ElbTags(ctx, {arn});
  if (!tags) return Value();
  TagMap own;
  for (const auto& [key, value] : (*tags)[arn])
    if (!IsOwnershipTag(key)) own[key] = value;
  std::vector<std::string> subnets;
  for (const aws::XmlNode& zone : lb.FindAll("AvailabilityZones/member")) subnets.push_back(zone.Text("SubnetId"));
  Value state = Value::Map({});
  state.Set("id", Str(arn));
  state.Set("arn", Str(arn));
  state.Set("arn_suffix", Str(arn.substr(arn.find(":loadbalancer/") + 14)));
  state.Set("name", Str(lb.Text("LoadBalancerName")));
  state.Set("dns_name", Str(lb.Text("DNSName")));
  state.Set("zone_id", Str(lb.Text("CanonicalHostedZoneId")));
  state.Set("load_balancer_type", Str(lb.Text("Type")));
  state.Set("internal", Bool(lb.Text("Scheme") == "internal"));
  state.Set("vpc_id", StrOrNull(lb.Text("VpcId")));
  state.Set("subnets", StrList(subnets));
  state.Set("security_groups", StrList(ElbMembers(lb, "SecurityGroups")));
  state.Set("ip_address_type", StrOrNull(lb.Text("IpAddressType")));
  state.Set("tags", TagValue(own));
  return state;
}

}  // namespace

DataSourceType aws_lb() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
