// aws_route53_zone: a public hosted zone. The apply's client token is the
// CallerReference, so a retried create finds the zone it made. Tags go on
// with ChangeTagsForResource (10 a call). A zone holding records beyond its
// NS and SOA is deleted only with force_destroy. A refresh lists all zones
// once and reads tags 10 zones a call.
#include <algorithm>
#include <map>

#include "batch.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/route53.h"
#include "services/xml_body.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

// Route53 takes at most 10 tags, and tags of 10 zones, per call.
constexpr std::size_t kTagsPerCall = 10;
constexpr std::size_t kZonesPerTagRead = 10;
constexpr std::size_t kCallerReferenceLength = 64;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("name", kString)
                  .ForceNew()
                  .Describe("the domain, with or without the trailing dot"),
              // Terraform's default: zones it made import without a difference.
              Attribute::Optional("comment", kString).Default(Str("Managed by Terraform")),
              Attribute::Optional("force_destroy", kBool)
                  .Default(Bool(false))
                  .Describe("delete every record of the zone when the zone is deleted"),
              Attribute::Computed("zone_id", kString),
              Attribute::Computed("arn", kString),
              Attribute::Computed("name_servers", kList).Of(kString),
              Attribute::Computed("primary_name_server", kString),
          },
          "A public Route53 hosted zone."};
}

// What Route53 says about one zone.
struct ZoneFacts {
  aws::XmlNode zone;                      // a HostedZone element
  std::vector<std::string> name_servers;  // empty when not read
  TagMap tags;
};

Value ToState(ResourceContext& ctx, const ZoneFacts& facts, const Value& current) {
  std::string id = CleanRoute53Id(facts.zone.Text("Id"));
  Value state = Value::Map({});
  state.Set("id", Str(id));
  state.Set("zone_id", Str(id));
  state.Set("name", Str(NormalizeDnsName(facts.zone.Text("Name"))));
  state.Set("comment", StrOrNull(facts.zone.Text("Config/Comment")));
  state.Set("force_destroy", Bool(GetBool(current, "force_destroy", false)));
  state.Set("arn", Str("arn:" + ctx.Partition() + ":route53:::hostedzone/" + id));
  if (facts.name_servers.empty()) {
    KeepAttributes(current, state, {"name_servers", "primary_name_server"});
  } else {
    state.Set("name_servers", StrList(facts.name_servers));
    state.Set("primary_name_server", Str(facts.name_servers.front()));
  }
  SetTagsFromAws(facts.tags, ctx.runtime().default_tags, current, state);
  return state;
}

TagMap TagsFromXml(const aws::XmlNode& tag_set) {
  TagMap tags;
  for (const aws::XmlNode& tag : tag_set.FindAll("Tags/Tag"))
    tags[tag.Text("Key")] = tag.Text("Value");
  return tags;
}

std::optional<TagMap> ReadTags(ResourceContext& ctx, const std::string& id) {
  auto listed =
      ctx.Unwrap(Route53Call(ctx, "ListTagsForResource", "GET", "/tags/hostedzone/" + id));
  if (!listed) return std::nullopt;
  return TagsFromXml(listed->xml.root().Child("ResourceTagSet"));
}

// GetHostedZone with its name servers and tags; an invalid zone when gone.
std::optional<ZoneFacts> Describe(ResourceContext& ctx, const std::string& id) {
  auto got = Route53Call(ctx, "GetHostedZone", "GET", "/hostedzone/" + id);
  if (!got.ok()) {
    if (got.error().IsNotFound()) return ZoneFacts{};
    ctx.Fail(got.error());
    return std::nullopt;
  }
  ZoneFacts facts;
  facts.zone = got->xml.root().Child("HostedZone");
  for (const aws::XmlNode& ns : got->xml.root().FindAll("DelegationSet/NameServers/NameServer"))
    facts.name_servers.push_back(ns.text());
  auto tags = ReadTags(ctx, id);
  if (!tags) return std::nullopt;
  facts.tags = std::move(*tags);
  return facts;
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto facts = Describe(ctx, IdOf(current));
  if (!facts || !facts->zone.valid()) return Value();
  return ToState(ctx, *facts, current);
}

// Every hosted zone by id (ListHostedZones, 100 a page).
std::optional<std::map<std::string, aws::XmlNode>> ListZones(ResourceContext& ctx) {
  std::map<std::string, aws::XmlNode> zones;
  aws::QueryList query{{"maxitems", "100"}};
  while (true) {
    auto page = ctx.Unwrap(Route53Call(ctx, "ListHostedZones", "GET", "/hostedzone", {}, query));
    if (!page) return std::nullopt;
    for (const aws::XmlNode& zone : page->xml.root().FindAll("HostedZones/HostedZone"))
      zones[CleanRoute53Id(zone.Text("Id"))] = zone;
    std::string marker = page->xml.root().Text("NextMarker");
    if (page->xml.root().Text("IsTruncated") != "true" || marker.empty()) return zones;
    query = {{"maxitems", "100"}, {"marker", marker}};
  }
}

// Tags of the zones, 10 a call (ListTagsForResources).
std::optional<std::map<std::string, TagMap>> ReadManyTags(ResourceContext& ctx,
                                                          const std::vector<std::string>& ids) {
  std::map<std::string, TagMap> out;
  for (const std::vector<std::string>& chunk : Chunks(ids, kZonesPerTagRead)) {
    std::string body =
        std::string("<ListTagsForResourcesRequest xmlns=\"") + kRoute53Xmlns + "\"><ResourceIds>";
    for (const std::string& id : chunk) body += XmlElement("ResourceId", id);
    body += "</ResourceIds></ListTagsForResourcesRequest>";
    auto page = ctx.Unwrap(Route53Call(ctx, "ListTagsForResources", "POST", "/tags/hostedzone",
                                       body, {}, aws::Idempotency::kIdempotent));
    if (!page) return std::nullopt;
    for (const aws::XmlNode& set : page->xml.root().FindAll("ResourceTagSets/ResourceTagSet"))
      out[set.Text("ResourceId")] = TagsFromXml(set);
  }
  return out;
}

// The requested zones of one listing of all zones, with their tags read 10
// zones a call (name servers left out).
Found<ZoneFacts> LookupZones(ResourceContext& ctx, const std::vector<std::string>& ids) {
  auto zones = ListZones(ctx);
  if (!zones) return std::nullopt;
  std::vector<std::string> listed;
  for (const std::string& id : ids)
    if (zones->count(id)) listed.push_back(id);
  auto tags = ReadManyTags(ctx, listed);
  if (!tags) return std::nullopt;
  std::map<std::string, ZoneFacts> found;
  for (const std::string& id : listed) found[id] = {zones->at(id), {}, (*tags)[id]};
  return found;
}

// Name servers come from state (they never change) or, when state lacks
// them, GetHostedZone.
std::vector<ReadResponse> ReadZones(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  auto to_state = [](ResourceContext& item, const ZoneFacts& facts, const Value& current) {
    return IsSet(current, "name_servers") ? ToState(item, facts, current) : Read(item, current);
  };
  return BatchRead(ctx, requests, LookupZones(ctx, RequestKeys(requests)), to_state);
}

// ChangeTagsForResource in calls of at most 10 tags and 10 removals.
void ChangeTags(ResourceContext& ctx, const std::string& id, const TagChanges& changes) {
  auto adds = Chunks(std::vector<std::pair<std::string, std::string>>(changes.set.begin(),
                                                                      changes.set.end()),
                     kTagsPerCall);
  auto removals = Chunks(changes.remove, kTagsPerCall);
  for (std::size_t call = 0; call < std::max(adds.size(), removals.size()) && !ctx.failed();
       ++call) {
    std::string body =
        std::string("<ChangeTagsForResourceRequest xmlns=\"") + kRoute53Xmlns + "\">";
    if (call < adds.size()) {
      body += "<AddTags>";
      for (const auto& [key, value] : adds[call])
        body += "<Tag>" + XmlElement("Key", key) + XmlElement("Value", value) + "</Tag>";
      body += "</AddTags>";
    }
    if (call < removals.size()) {
      body += "<RemoveTagKeys>";
      for (const std::string& key : removals[call]) body += XmlElement("Key", key);
      body += "</RemoveTagKeys>";
    }
    body += "</ChangeTagsForResourceRequest>";
    ctx.Unwrap(Route53Call(ctx, "ChangeTagsForResource", "POST", "/tags/hostedzone/" + id, body, {},
                           aws::Idempotency::kIdempotent));
  }
}

void UpdateTags(ResourceContext& ctx, const Value& state, const TagChanges& changes) {
  ChangeTags(ctx, IdOf(state), changes);
}

// The zones named `name` (ListHostedZonesByName starts at the name).
std::optional<std::vector<aws::XmlNode>> ZonesNamed(ResourceContext& ctx, const std::string& name) {
  auto page = ctx.Unwrap(Route53Call(ctx, "ListHostedZonesByName", "GET", "/hostedzonesbyname", {},
                                     {{"dnsname", name}, {"maxitems", "100"}}));
  if (!page) return std::nullopt;
  std::vector<aws::XmlNode> out;
  for (const aws::XmlNode& zone : page->xml.root().FindAll("HostedZones/HostedZone"))
    if (NormalizeDnsName(zone.Text("Name")) == NormalizeDnsName(name)) out.push_back(zone);
  return out;
}

// The zone this apply's CallerReference made ("" when none).
std::string ZoneOfCallerReference(ResourceContext& ctx, const std::string& name,
                                  const std::string& reference) {
  auto zones = ZonesNamed(ctx, name);
  if (!zones) return "";
  for (const aws::XmlNode& zone : *zones)
    if (zone.Text("CallerReference") == reference) return CleanRoute53Id(zone.Text("Id"));
  return "";
}

std::string CreateZone(ResourceContext& ctx, const Value& planned, const std::string& reference) {
  std::string name = NormalizeDnsName(GetString(planned, "name"));
  std::string body = std::string("<CreateHostedZoneRequest xmlns=\"") + kRoute53Xmlns + "\">" +
                     XmlElement("Name", name) + XmlElement("CallerReference", reference);
  if (auto comment = FindString(planned, "comment"))
    body += "<HostedZoneConfig>" + XmlElement("Comment", *comment) + "</HostedZoneConfig>";
  body += "</CreateHostedZoneRequest>";
  auto created = Route53Call(ctx, "CreateHostedZone", "POST", "/hostedzone", body, {},
                             aws::Idempotency::kClientToken);
  if (created.ok()) {
    WaitForRoute53Change(ctx, created->xml.root().Text("ChangeInfo/Id"));
    return CleanRoute53Id(created->xml.root().Text("HostedZone/Id"));
  }
  // The same CallerReference again: the zone of an earlier attempt.
  if (created.error().Is("HostedZoneAlreadyExists")) {
    std::string id = ZoneOfCallerReference(ctx, name, reference);
    if (!id.empty()) return id;
  }
  ctx.Fail(created.error());
  return "";
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string id = CreateZone(ctx, planned, ctx.ClientToken(kCallerReferenceLength));
  if (id.empty()) return Value();
  ChangeTags(ctx, id, {ctx.TagsForCreate(planned), {}});
  return Value::Map({{"id", Str(id)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (!Changed(prior, planned, "comment")) return;
  std::string body = std::string("<UpdateHostedZoneCommentRequest xmlns=\"") + kRoute53Xmlns +
                     "\">" + XmlElement("Comment", GetString(planned, "comment")) +
                     "</UpdateHostedZoneCommentRequest>";
  ctx.Unwrap(Route53Call(ctx, "UpdateHostedZoneComment", "POST", "/hostedzone/" + IdOf(prior), body,
                         {}, aws::Idempotency::kIdempotent));
}

// Deletes every record set except the zone's own NS and SOA.
bool DeleteRecords(ResourceContext& ctx, const std::string& id, const std::string& zone_name) {
  auto sets = ListRecordSets(ctx, id);
  if (!sets) return false;
  std::vector<RecordChange> changes;
  for (const RecordSet& set : *sets)
    if (!(set.name == zone_name && (set.type == "NS" || set.type == "SOA")))
      changes.emplace_back("DELETE", set);
  return ChangeRecordSets(ctx, id, changes);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string id = IdOf(prior);
  auto deleted = Route53Call(ctx, "DeleteHostedZone", "DELETE", "/hostedzone/" + id);
  if (!deleted.ok() && deleted.error().Is("HostedZoneNotEmpty")) {
    if (!GetBool(prior, "force_destroy")) {
      ctx.Fail(deleted.error());
      ctx.Error("Hosted zone " + GetString(prior, "name") + " still holds records",
                "Delete its records first, or set force_destroy = true and apply before deleting "
                "the zone.");
      return;
    }
    if (!DeleteRecords(ctx, id, NormalizeDnsName(GetString(prior, "name")))) return;
    deleted = Route53Call(ctx, "DeleteHostedZone", "DELETE", "/hostedzone/" + id);
  }
  if (!ctx.SucceededOrGone(deleted)) return;
  WaitUntilGone(ctx, "hosted zone " + id, [&]() -> std::optional<bool> {
    auto got = Route53Call(ctx, "GetHostedZone", "GET", "/hostedzone/" + id);
    if (got.ok() || got.error().IsNotFound()) return got.ok();
    ctx.Fail(got.error());
    return std::nullopt;
  });
}

// The zone an interrupted create made: same name, this apply's CallerReference.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string id = ZoneOfCallerReference(ctx, GetString(planned, "name"),
                                         ctx.ClientToken(kCallerReferenceLength));
  return id.empty() ? Value() : Value::Map({{"id", Str(id)}});
}

// Names compare without case and trailing dot.
void Plan(ResourceContext&, const PlanRequest&, PlanResponse& response) {
  Value& planned = response.planned_state;
  if (IsSet(planned, "name"))
    planned.Set("name", Str(NormalizeDnsName(GetString(planned, "name"))));
}

}  // namespace

ResourceType aws_route53_zone() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.read_batch = ReadZones;
  type.adopt = Adopt;
  type.plan = Plan;
  type.update_tags = UpdateTags;
  return type;
}

}  // namespace reconcile::aws_provider::resources
