// data aws_region: the provider's region (or the one named), checked against
// EC2 DescribeRegions, with its EC2 endpoint and its description.
#include <map>

#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"

namespace reconcile::aws_provider::data_sources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Computed("id", kString),
              Attribute::OptionalComputed("name", kString)
                  .Describe("the region; the provider's when unset"),
              Attribute::OptionalComputed("endpoint", kString)
                  .Describe("the region's EC2 endpoint host"),
              Attribute::Computed("description", kString).Describe("\"US East (N. Virginia)\""),
          },
          "A region: the provider's or the one named."};
}

// The names AWS gives its regions in the console and documentation (no API
// returns them).
std::string DescriptionOf(const std::string& region) {
  static const std::map<std::string, std::string> kDescriptions = {
      {"af-south-1", "Africa (Cape Town)"},
      {"ap-east-1", "Asia Pacific (Hong Kong)"},
      {"ap-northeast-1", "Asia Pacific (Tokyo)"},
      {"ap-northeast-2", "Asia Pacific (Seoul)"},
      {"ap-northeast-3", "Asia Pacific (Osaka)"},
      {"ap-south-1", "Asia Pacific (Mumbai)"},
      {"ap-south-2", "Asia Pacific (Hyderabad)"},
      {"ap-southeast-1", "Asia Pacific (Singapore)"},
      {"ap-southeast-2", "Asia Pacific (Sydney)"},
      {"ap-southeast-3", "Asia Pacific (Jakarta)"},
      {"ap-southeast-4", "Asia Pacific (Melbourne)"},
      {"ca-central-1", "Canada (Central)"},
      {"ca-west-1", "Canada West (Calgary)"},
      {"cn-north-1", "China (Beijing)"},
      {"cn-northwest-1", "China (Ningxia)"},
      {"eu-central-1", "Europe (Frankfurt)"},
      {"eu-central-2", "Europe (Zurich)"},
      {"eu-north-1", "Europe (Stockholm)"},
      {"eu-south-1", "Europe (Milan)"},
      {"eu-south-2", "Europe (Spain)"},
      {"eu-west-1", "Europe (Ireland)"},
      {"eu-west-2", "Europe (London)"},
      {"eu-west-3", "Europe (Paris)"},
      {"il-central-1", "Israel (Tel Aviv)"},
      {"me-central-1", "Middle East (UAE)"},
      {"me-south-1", "Middle East (Bahrain)"},
      {"sa-east-1", "South America (Sao Paulo)"},
      {"us-east-1", "US East (N. Virginia)"},
      {"us-east-2", "US East (Ohio)"},
      {"us-gov-east-1", "AWS GovCloud (US-East)"},
      {"us-gov-west-1", "AWS GovCloud (US-West)"},
      {"us-west-1", "US West (N. California)"},
      {"us-west-2", "US West (Oregon)"},
  };
  auto it = kDescriptions.find(region);
  return it == kDescriptions.end() ? "" : it->second;
}

Value Read(ResourceContext& ctx, const Value& config) {
  std::string name = FindString(config, "name").value_or(ctx.region());
  aws::QueryParams params;
  params.Set("RegionName.1", name).SetBool("AllRegions", true);
  auto described = Ec2Call(ctx, "DescribeRegions", params);
  if (!described) return Value();
  aws::XmlNode region = described->root().Find("regionInfo/item");
  if (!region.valid()) {
    ctx.Error("No region named " + name, "Check the name: for example us-east-1.");
    return Value();
  }
  std::string endpoint = region.Text("regionEndpoint");
  if (auto wanted = FindString(config, "endpoint"); wanted && *wanted != endpoint) {
    ctx.Error("Region " + name + " has the endpoint " + endpoint + ", not " + *wanted);
    return Value();
  }
  Value state = Value::Map({});
  state.Set("id", Str(name));
  state.Set("name", Str(name));
  state.Set("endpoint", Str(endpoint));
  state.Set("description", StrOrNull(DescriptionOf(name)));
  return state;
}

}  // namespace

DataSourceType aws_region() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
