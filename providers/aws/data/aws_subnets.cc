// data aws_subnets: the ids of the subnets matching filter blocks and tags
// (DescribeSubnets, every page), sorted; none is an empty list, as in
// Terraform.
#include <algorithm>

#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"
#include "services/filter_blocks.h"

namespace reconcile::aws_provider::data_sources {

namespace {

const Ec2Kind kSubnet{"DescribeSubnets", "subnetSet/item", "subnetId", "subnet-id", "subnet"};

ResourceSchema Schema() {
  return {0,
          {
              FilterBlocksAttribute(),
              Attribute::Optional("tags", kMap).Of(kString),
              Attribute::Computed("id", kString),
              Attribute::Computed("ids", kList).Of(kString),
          },
          "The ids of the subnets that match."};
}

Value Read(ResourceContext& ctx, const Value& config) {
  std::vector<aws::Ec2Filter> filters = FiltersOf(config);
  for (const auto& [key, value] : GetStringMap(config, "tags"))
    filters.push_back({"tag:" + key, {value}});
  auto found = Ec2DescribeAll(ctx, kSubnet, filters);
  if (!found) return Value();
  std::vector<std::string> ids;
  for (const aws::XmlNode& subnet : *found) ids.push_back(subnet.Text("subnetId"));
  std::sort(ids.begin(), ids.end());
  Value state = config.is_map() ? config : Value::Map({});
  state.Set("id", Str(ctx.region()));
  state.Set("ids", StrList(ids));
  return state;
}

}  // namespace

DataSourceType aws_subnets() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
