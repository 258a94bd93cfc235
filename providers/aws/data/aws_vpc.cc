// data aws_vpc: one VPC found by id, CIDR block, default flag, state, tags
// and filter blocks (DescribeVpcs); none or several is an error, as in
// Terraform.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"
#include "services/filter_blocks.h"

namespace reconcile::aws_provider::data_sources {

namespace {

const Ec2Kind kVpc{"DescribeVpcs", "vpcSet/item", "vpcId", "vpc-id", "vpc"};

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("id", kString),
              Attribute::OptionalComputed("cidr_block", kString),
              Attribute::OptionalComputed("default", kBool),
              Attribute::OptionalComputed("state", kString),
              Attribute::OptionalComputed("tags", kMap).Of(kString),
              FilterBlocksAttribute(),
              Attribute::Computed("arn", kString),
              Attribute::Computed("owner_id", kString),
              Attribute::Computed("instance_tenancy", kString),
              Attribute::Computed("dhcp_options_id", kString),
              Attribute::Computed("enable_dns_support", kBool),
              Attribute::Computed("enable_dns_hostnames", kBool),
              Attribute::Computed("main_route_table_id", kString),
          },
          "A VPC."};
}

// The configured arguments and filter blocks as EC2 filters.
std::vector<aws::Ec2Filter> Filters(const Value& config) {
  std::vector<aws::Ec2Filter> filters = FiltersOf(config);
  if (auto id = FindString(config, "id")) filters.push_back({"vpc-id", {*id}});
  if (auto cidr = FindString(config, "cidr_block")) filters.push_back({"cidr", {*cidr}});
  if (auto is_default = FindBool(config, "default"))
    filters.push_back({"is-default", {*is_default ? "true" : "false"}});
  if (auto state = FindString(config, "state")) filters.push_back({"state", {*state}});
  for (const auto& [key, value] : GetStringMap(config, "tags"))
    filters.push_back({"tag:" + key, {value}});
  return filters;
}

Value VpcAttribute(ResourceContext& ctx, const std::string& id, const std::string& attribute) {
  aws::QueryParams params;
  params.Set("VpcId", id).Set("Attribute", attribute);
  auto doc = Ec2Call(ctx, "DescribeVpcAttribute", params);
  return doc ? BoolFromText(doc->root().Text(attribute + "/value")) : Value();
}

std::string MainRouteTable(ResourceContext& ctx, const std::string& id) {
  const Ec2Kind tables{"DescribeRouteTables", "routeTableSet/item", "routeTableId", "", ""};
  auto found = Ec2DescribeAll(ctx, tables, {{"vpc-id", {id}}, {"association.main", {"true"}}});
  return found && !found->empty() ? found->front().Text("routeTableId") : "";
}

Value Read(ResourceContext& ctx, const Value& config) {
  auto found = Ec2DescribeAll(ctx, kVpc, Filters(config));
  if (!found) return Value();
  if (found->size() != 1) {
    ctx.Error(found->empty()
                  ? "No VPC matches the query"
                  : "The query matches " + std::to_string(found->size()) + " VPCs, not one",
              "Change id, cidr_block, default, state, tags or the filter blocks so that exactly "
              "one VPC matches.");
    return Value();
  }
  const aws::XmlNode& vpc = found->front();
  std::string id = vpc.Text("vpcId");
  std::string owner = vpc.Text("ownerId");
  Value state = config.is_map() ? config : Value::Map({});
  state.Set("id", Str(id));
  state.Set("cidr_block", Str(vpc.Text("cidrBlock")));
  state.Set("default", Bool(vpc.Text("isDefault") == "true"));
  state.Set("state", Str(vpc.Text("state")));
  TagMap tags = Ec2Tags(vpc);
  std::erase_if(tags, [](const auto& tag) { return IsOwnershipTag(tag.first); });
  state.Set("tags", TagValue(tags));
  state.Set("arn", Str(ctx.Arn("ec2", owner, "vpc/" + id)));
  state.Set("owner_id", Str(owner));
  state.Set("instance_tenancy", Str(vpc.Text("instanceTenancy")));
  state.Set("dhcp_options_id", StrOrNull(vpc.Text("dhcpOptionsId")));
  state.Set("enable_dns_support", VpcAttribute(ctx, id, "enableDnsSupport"));
  state.Set("enable_dns_hostnames", VpcAttribute(ctx, id, "enableDnsHostnames"));
  state.Set("main_route_table_id", StrOrNull(MainRouteTable(ctx, id)));
  return state;
}

}  // namespace

DataSourceType aws_vpc() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
