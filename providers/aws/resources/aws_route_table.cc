// aws_route_table: a route table of a VPC with its `route` blocks; routes are
// added, replaced and removed in place (the VPC's local route is implicit).
#include <map>

#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"

namespace reconcile::aws_provider::resources {

namespace {

const Ec2Kind kRouteTable{"DescribeRouteTables", "routeTableSet/item", "routeTableId",
                          "route-table-id", "route-table"};

// One route field: its attribute, its element in responses, its request parameter.
struct RouteField {
  const char* attribute;
  const char* element;
  const char* param;
  bool destination;
};
constexpr RouteField kRouteFields[] = {
    {"cidr_block", "destinationCidrBlock", "DestinationCidrBlock", true},
    {"ipv6_cidr_block", "destinationIpv6CidrBlock", "DestinationIpv6CidrBlock", true},
    {"destination_prefix_list_id", "destinationPrefixListId", "DestinationPrefixListId", true},
    {"gateway_id", "gatewayId", "GatewayId", false},
    {"nat_gateway_id", "natGatewayId", "NatGatewayId", false},
    {"network_interface_id", "networkInterfaceId", "NetworkInterfaceId", false},
    {"vpc_peering_connection_id", "vpcPeeringConnectionId", "VpcPeeringConnectionId", false},
    {"transit_gateway_id", "transitGatewayId", "TransitGatewayId", false},
    {"egress_only_gateway_id", "egressOnlyInternetGatewayId", "EgressOnlyInternetGatewayId", false},
};

ResourceSchema Schema() {
  std::vector<Attribute> route;
  for (const RouteField& f : kRouteFields) route.push_back(Attribute::Optional(f.attribute, kString));
  return {0,
          {
              Attribute::Required("vpc_id", kString).ForceNew(),
              Attribute::OptionalComputed("route", kSet).Block(route),
              Attribute::Computed("arn", kString),
              Attribute::Computed("owner_id", kString),
          },
          "A route table."};
}

Value RouteFromAws(const aws::XmlNode& item) {
  Value route = Value::Map({});
  for (const RouteField& f : kRouteFields) route.Set(f.attribute, StrOrNull(item.Text(f.element)));
  return route;
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& table, const Value& current) {
  std::string id = table.Text("routeTableId");
  std::string owner = table.Text("ownerId");
  ValueList routes;
  for (const aws::XmlNode& item : table.FindAll("routeSet/item")) {
    std::string origin = item.Text("origin");
    if (origin == "CreateRouteTable" || origin == "EnableVgwRoutePropagation") continue;
    routes.push_back(RouteFromAws(item));
  }
  Value state = Value::Map({});
  state.Set("id", Str(id));
  state.Set("vpc_id", Str(table.Text("vpcId")));
  state.Set("route", Value::List(std::move(routes)));
  state.Set("arn", Str(ctx.Arn("ec2", owner, "route-table/" + id)));
  state.Set("owner_id", Str(owner));
  SetEc2Tags(ctx, table, current, state);
  return state;
}

// Routes by destination ("cidr_block=0.0.0.0/0").
std::map<std::string, Value> RoutesByDestination(const Value& state) {
  std::map<std::string, Value> out;
  for (const Value& route : GetBlocks(state, "route")) {
    for (const RouteField& f : kRouteFields)
      if (f.destination && IsSet(route, f.attribute)) out[std::string(f.attribute) + "=" + GetString(route, f.attribute)] = route;
  }
  return out;
}

// CreateRoute / ReplaceRoute / DeleteRoute for one route (targets only when not deleting).
void RouteCall(ResourceContext& ctx, const std::string& action, const std::string& table,
               const Value& route) {
  aws::QueryParams params;
  params.Set("RouteTableId", table);
  for (const RouteField& f : kRouteFields) {
    if ((f.destination || action != "DeleteRoute") && IsSet(route, f.attribute))
      params.Set(f.param, GetString(route, f.attribute));
  }
  Ec2Call(ctx, action, params, aws::Idempotency::kIdempotent);
}

void ApplyRoutes(ResourceContext& ctx, const std::string& table, const Value& prior, const Value& planned) {
  std::map<std::string, Value> before = RoutesByDestination(prior);
  std::map<std::string, Value> after = RoutesByDestination(planned);
  for (const auto& [destination, route] : before)
    if (!after.count(destination) && !ctx.failed()) RouteCall(ctx, "DeleteRoute", table, route);
  for (const auto& [destination, route] : after) {
    auto old = before.find(destination);
    if (ctx.failed()) return;
    if (old == before.end()) RouteCall(ctx, "CreateRoute", table, route);
    else if (!old->second.Equals(route)) RouteCall(ctx, "ReplaceRoute", table, route);
  }
}

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params;
  params.Set("VpcId", GetString(planned, "vpc_id"))
      .Set("ClientToken", ctx.ClientToken())
      .SetEc2TagSpecification(kRouteTable.tag_type, ctx.TagsForCreate(planned));
  auto doc = Ec2Call(ctx, "CreateRouteTable", params, aws::Idempotency::kClientToken);
  if (!doc) return Value();
  std::string id = doc->root().Text("routeTable/routeTableId");
  ApplyRoutes(ctx, id, Value(), planned);
  return Value::Map({{"id", Str(id)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (Changed(prior, planned, "route")) ApplyRoutes(ctx, IdOf(prior), prior, planned);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  Ec2DeleteRetryingDependencies(ctx, "DeleteRouteTable", "RouteTableId", IdOf(prior));
}

}  // namespace

ResourceType aws_route_table() {
  return Ec2Type(kRouteTable, Schema(), ToState, Create, Update, Delete);
}

}  // namespace reconcile::aws_provider::resources
