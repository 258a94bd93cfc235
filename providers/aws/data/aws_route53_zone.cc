// data aws_route53_zone: a hosted zone by id or by name (with
// `private_zone` telling a public zone from a private one of the same
// name): its id, name servers and comment, for records in a zone the stack
// does not manage.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/route53.h"

namespace reconcile::aws_provider::data_sources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("zone_id", kString),
              Attribute::OptionalComputed("name", kString),
              Attribute::Optional("private_zone", kBool).Default(Bool(false)),
              Attribute::Computed("id", kString),
              Attribute::Computed("arn", kString),
              Attribute::Computed("comment", kString),
              Attribute::Computed("name_servers", kList).Of(kString),
              Attribute::Computed("resource_record_set_count", kNumber),
          },
          "A Route53 hosted zone, by id or name."};
}

// The zone's id, by name (the one public or private zone of it); "" after an error.
std::string ZoneIdByName(ResourceContext& ctx, const std::string& name, bool private_zone) {
  auto page = ctx.Unwrap(Route53Call(ctx, "ListHostedZonesByName", "GET", "/hostedzonesbyname", {},
                                     {{"dnsname", name}, {"maxitems", "100"}}));
  if (!page) return "";
  std::vector<std::string> ids;
  for (const aws::XmlNode& zone : page->xml.root().FindAll("HostedZones/HostedZone"))
    if (NormalizeDnsName(zone.Text("Name")) == NormalizeDnsName(name) &&
        (zone.Text("Config/PrivateZone") == "true") == private_zone)
      ids.push_back(CleanRoute53Id(zone.Text("Id")));
  if (ids.size() == 1) return ids.front();
  std::string kind = private_zone ? "private" : "public";
  if (ids.empty())
    ctx.Error("No " + kind + " hosted zone \"" + NormalizeDnsName(name) + "\"",
              private_zone ? "Set private_zone = false for a public zone." : "Set private_zone = true for a private zone.");
  else
    ctx.Error(std::to_string(ids.size()) + " " + kind + " hosted zones are named \"" + NormalizeDnsName(name) + "\"",
              "Give the zone by zone_id.");
  return "";
}

Value Read(ResourceContext& ctx, const Value& config) {
  std::string id = GetString(config, "zone_id");
  if (id.empty() && IsSet(config, "name")) id = ZoneIdByName(ctx, GetString(config, "name"), GetBool(config, "private_zone"));
  if (id.empty()) {
    if (!ctx.failed()) ctx.Error("data.aws_route53_zone needs `zone_id` or `name`");
    return Value();
  }
  auto got = ctx.Unwrap(Route53Call(ctx, "GetHostedZone", "GET", "/hostedzone/" + CleanRoute53Id(id)));
  if (!got) return Value();
  const aws::XmlNode root = got->xml.root();
  std::vector<std::string> servers;
  for (const aws::XmlNode& ns : root.FindAll("DelegationSet/NameServers/NameServer")) servers.push_back(ns.text());
  std::string zone_id = CleanRoute53Id(root.Text("HostedZone/Id"));
  Value state = Value::Map({});
  state.Set("id", Str(zone_id));
  state.Set("zone_id", Str(zone_id));
  state.Set("name", Str(NormalizeDnsName(root.Text("HostedZone/Name"))));
  state.Set("private_zone", Bool(root.Text("HostedZone/Config/PrivateZone") == "true"));
  state.Set("arn", Str(ctx.Arn("route53", "", "hostedzone/" + zone_id, false)));
  state.Set("comment", StrOrNull(root.Text("HostedZone/Config/Comment")));
  state.Set("name_servers", StrList(servers));
  state.Set("resource_record_set_count", NumFromText(root.Text("HostedZone/ResourceRecordSetCount")));
  return state;
}

}  // namespace

DataSourceType aws_route53_zone() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
