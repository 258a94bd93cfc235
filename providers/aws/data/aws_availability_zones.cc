// data aws_availability_zones: the zones of the provider's region
// (DescribeAvailabilityZones), by state and filters, minus exclusions;
// sorted by name, as Terraform does.
#include <algorithm>
#include <set>

#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"
#include "services/filter_blocks.h"

namespace reconcile::aws_provider::data_sources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Computed("id", kString).Describe("the region"),
              Attribute::Optional("state", kString)
                  .Describe("available, information, impaired or unavailable"),
              Attribute::Optional("all_availability_zones", kBool)
                  .Describe("include Local and Wavelength Zones"),
              FilterBlocksAttribute(),
              Attribute::Optional("exclude_names", kSet).Of(kString),
              Attribute::Optional("exclude_zone_ids", kSet).Of(kString),
              Attribute::Computed("names", kList).Of(kString),
              Attribute::Computed("zone_ids", kList).Of(kString),
              Attribute::Computed("group_names", kSet).Of(kString),
          },
          "The availability zones of the region."};
}

// One zone: name, id, group.
struct Zone {
  std::string name;
  std::string id;
  std::string group;
};

std::optional<std::vector<Zone>> DescribeZones(ResourceContext& ctx, const Value& config) {
  std::vector<aws::Ec2Filter> filters = FiltersOf(config);
  if (auto state = FindString(config, "state")) filters.push_back({"state", {*state}});
  aws::QueryParams params;
  params.SetEc2Filters(filters);
  if (auto all = FindBool(config, "all_availability_zones"))
    params.SetBool("AllAvailabilityZones", *all);
  auto described = Ec2Call(ctx, "DescribeAvailabilityZones", params);
  if (!described) return std::nullopt;
  std::vector<std::string> excluded_names = GetStrings(config, "exclude_names");
  std::vector<std::string> excluded_ids = GetStrings(config, "exclude_zone_ids");
  std::set<std::string> skip_names(excluded_names.begin(), excluded_names.end());
  std::set<std::string> skip_ids(excluded_ids.begin(), excluded_ids.end());
  std::vector<Zone> zones;
  for (const aws::XmlNode& item : described->root().FindAll("availabilityZoneInfo/item")) {
    Zone zone{item.Text("zoneName"), item.Text("zoneId"), item.Text("groupName")};
    if (!skip_names.count(zone.name) && !skip_ids.count(zone.id)) zones.push_back(zone);
  }
  std::sort(zones.begin(), zones.end(),
            [](const Zone& a, const Zone& b) { return a.name < b.name; });
  return zones;
}

Value Read(ResourceContext& ctx, const Value& config) {
  auto zones = DescribeZones(ctx, config);
  if (!zones) return Value();
  std::vector<std::string> names, ids;
  std::set<std::string> groups;
  for (const Zone& z : *zones) {
    names.push_back(z.name);
    ids.push_back(z.id);
    if (!z.group.empty()) groups.insert(z.group);
  }
  Value state = config.is_map() ? config : Value::Map({});
  state.Set("id", Str(ctx.region()));
  state.Set("names", StrList(names));
  state.Set("zone_ids", StrList(ids));
  state.Set("group_names", StrList({groups.begin(), groups.end()}));
  return state;
}

}  // namespace

DataSourceType aws_availability_zones() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
