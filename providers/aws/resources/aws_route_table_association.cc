// aws_route_table_association: a subnet (or gateway) using a route table.
// Its id is the association id; a new route table is swapped in place.
// Import id: "subnet-123/rtb-456" (or "igw-123/rtb-456").
#include "batch.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"

namespace reconcile::aws_provider::resources {

namespace {

const Ec2Kind kRouteTable{"DescribeRouteTables", "routeTableSet/item", "routeTableId",
                          "association.route-table-association-id", ""};

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Optional("subnet_id", kString).ForceNew(),
              Attribute::Optional("gateway_id", kString).ForceNew(),
              Attribute::Required("route_table_id", kString),
          },
          "The association of a subnet or gateway with a route table."};
}

Value AssociationState(const aws::XmlNode& association) {
  Value state = Value::Map({});
  state.Set("id", Str(association.Text("routeTableAssociationId")));
  state.Set("subnet_id", StrOrNull(association.Text("subnetId")));
  state.Set("gateway_id", StrOrNull(association.Text("gatewayId")));
  state.Set("route_table_id", Str(association.Text("routeTableId")));
  return state;
}

// The association matching `match` among the route tables found by `filters`.
template <typename Match>
Value FindAssociation(ResourceContext& ctx, const std::vector<aws::Ec2Filter>& filters, Match match) {
  auto tables = Ec2DescribeAll(ctx, kRouteTable, filters);
  if (!tables) return Value();
  for (const aws::XmlNode& table : *tables)
    for (const aws::XmlNode& association : table.FindAll("associationSet/item"))
      if (match(association)) return AssociationState(association);
  return Value();
}

// The association of a subnet or gateway with a route table, if any.
Value ReadByTarget(ResourceContext& ctx, const std::string& target, const std::string& table) {
  return FindAssociation(ctx, {{"route-table-id", {table}}}, [&](const aws::XmlNode& a) {
    return a.Text("subnetId") == target || a.Text("gatewayId") == target;
  });
}

// The associations with the given ids, keyed by id (their states).
Found<Value> LookupAssociations(ResourceContext& ctx, const std::vector<std::string>& ids) {
  std::map<std::string, Value> found;
  for (const std::vector<std::string>& chunk : Chunks(ids, kEc2MaxFilterValues)) {
    auto tables = Ec2DescribeAll(ctx, kRouteTable, {{kRouteTable.id_filter, chunk}});
    if (!tables) return std::nullopt;
    for (const aws::XmlNode& table : *tables)
      for (const aws::XmlNode& association : table.FindAll("associationSet/item"))
        found[association.Text("routeTableAssociationId")] = AssociationState(association);
  }
  return found;
}

Value StateAsFound(ResourceContext&, const Value& state, const Value&) { return state; }

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params;
  params.Set("RouteTableId", GetString(planned, "route_table_id"));
  if (auto subnet = FindString(planned, "subnet_id")) params.Set("SubnetId", *subnet);
  if (auto gateway = FindString(planned, "gateway_id")) params.Set("GatewayId", *gateway);
  auto doc = Ec2Call(ctx, "AssociateRouteTable", params, aws::Idempotency::kNotIdempotent);
  if (!doc) return Value();
  return Value::Map({{"id", Str(doc->root().Text("associationId"))}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (!Changed(prior, planned, "route_table_id")) return;
  aws::QueryParams params;
  params.Set("AssociationId", IdOf(prior)).Set("RouteTableId", GetString(planned, "route_table_id"));
  auto doc = Ec2Call(ctx, "ReplaceRouteTableAssociation", params, aws::Idempotency::kIdempotent);
  if (doc) ctx.set_new_id(doc->root().Text("newAssociationId"));
}

// Swapping the route table makes a new association id.
void Plan(ResourceContext&, const PlanRequest& request, PlanResponse& response) {
  if (!request.prior_state.is_null() && Changed(request.prior_state, response.planned_state, "route_table_id"))
    response.planned_state.Set("id", Value::Unknown());
}

void Delete(ResourceContext& ctx, const Value& prior) {
  aws::QueryParams params;
  params.Set("AssociationId", IdOf(prior));
  ctx.SucceededOrGone(ctx.client().Query("ec2", "DisassociateRouteTable", params));
}

Value Import(ResourceContext& ctx, const std::string& id) {
  std::size_t slash = id.find('/');
  if (slash == std::string::npos) {
    ctx.Error("Import id \"" + id + "\" is not SUBNET_OR_GATEWAY_ID/ROUTE_TABLE_ID",
              "For example: subnet-0123/rtb-4567.");
    return Value();
  }
  Value found = ReadByTarget(ctx, id.substr(0, slash), id.substr(slash + 1));
  if (found.is_null() && !ctx.failed()) ctx.Error("No association " + id + " exists");
  return found;
}

// An association has no tags, but a subnet has one explicit association: the
// one between the planned subnet (or gateway) and table is the one we made.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string target = GetString(planned, "subnet_id");
  if (target.empty()) target = GetString(planned, "gateway_id");
  return ReadByTarget(ctx, target, GetString(planned, "route_table_id"));
}

}  // namespace

ResourceType aws_route_table_association() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  UseBatchedReads<Value>(type, LookupAssociations, StateAsFound);
  type.import = Import;
  type.adopt = Adopt;
  type.plan = Plan;
  return type;
}

}  // namespace reconcile::aws_provider::resources
