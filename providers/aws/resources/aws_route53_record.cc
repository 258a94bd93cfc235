// aws_route53_record: one record set (simple routing) of a hosted zone:
// `records` with a `ttl`, or an `alias`. Its id is ZONEID_NAME_TYPE. Changes
// are UPSERTs waited for until INSYNC; names compare lowercase without the
// trailing dot, and "www" means www.<zone>. TXT values are quoted for AWS and
// shown unquoted. A refresh of many records of a zone lists the zone once.
#include <algorithm>
#include <map>
#include <set>

#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/route53.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("zone_id", kString).ForceNew(),
              Attribute::Required("name", kString)
                  .ForceNew()
                  .Describe("the record name, relative to the zone or in full"),
              Attribute::Required("type", kString).ForceNew(),
              Attribute::Optional("ttl", kNumber),
              Attribute::Optional("records", kSet).Of(kString),
              Attribute::Optional("alias", kList)
                  .Block({
                      Attribute::Required("name", kString),
                      Attribute::Required("zone_id", kString),
                      Attribute::Required("evaluate_target_health", kBool),
                  })
                  .MaxItems(1),
              Attribute::Optional("allow_overwrite", kBool)
                  .Default(Bool(false))
                  .Describe("take over a record set that already exists instead of failing"),
              Attribute::Computed("fqdn", kString),
          },
          "A Route53 record set."};
}

bool IsQuotedType(const std::string& type) { return type == "TXT" || type == "SPF"; }

// "\"v=spf1 -all\"" -> "v=spf1 -all" (one quoted string only).
std::string Unquote(const std::string& value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"' &&
      value.find("\" \"") == std::string::npos)
    return value.substr(1, value.size() - 2);
  return value;
}

std::string Quote(const std::string& value) {
  return value.starts_with("\"") ? value : "\"" + value + "\"";
}

std::string RecordId(const std::string& zone_id, const std::string& fqdn, const std::string& type) {
  return zone_id + "_" + fqdn + "_" + type;
}

// ZONEID_NAME_TYPE; the name may itself hold underscores.
bool ParseRecordId(const std::string& id, std::string* zone_id, std::string* fqdn,
                   std::string* type) {
  std::size_t first = id.find('_');
  std::size_t last = id.rfind('_');
  if (first == std::string::npos || last == first) return false;
  *zone_id = id.substr(0, first);
  *fqdn = NormalizeDnsName(id.substr(first + 1, last - first - 1));
  *type = id.substr(last + 1);
  return !zone_id->empty() && !type->empty();
}

// The record set a planned state describes, named `fqdn`.
RecordSet PlannedSet(const Value& planned, const std::string& fqdn) {
  RecordSet set;
  set.name = fqdn;
  set.type = GetString(planned, "type");
  if (auto ttl = FindInt(planned, "ttl")) set.ttl = *ttl;
  for (const std::string& v : GetStrings(planned, "records"))
    set.values.push_back(IsQuotedType(set.type) ? Quote(v) : v);
  for (const Value& alias : GetBlocks(planned, "alias")) {
    set.alias = true;
    set.alias_name = NormalizeDnsName(GetString(alias, "name"));
    set.alias_zone_id = GetString(alias, "zone_id");
    set.evaluate_target_health = GetBool(alias, "evaluate_target_health");
  }
  return set;
}

Value ToState(const RecordSet& set, const std::string& zone_id, const Value& current) {
  Value state = Value::Map({});
  state.Set("id", Str(RecordId(zone_id, set.name, set.type)));
  state.Set("zone_id", Str(zone_id));
  // The name as configured when it means this record, else in full.
  std::string name = GetString(current, "name");
  std::string fqdn = GetString(current, "fqdn");
  state.Set("name", Str(!name.empty() && fqdn == set.name ? name : set.name));
  state.Set("type", Str(set.type));
  state.Set("ttl", set.ttl ? Num(static_cast<double>(*set.ttl)) : Value());
  std::vector<std::string> values;
  for (const std::string& v : set.values) values.push_back(IsQuotedType(set.type) ? Unquote(v) : v);
  state.Set("records", values.empty() ? Value() : StrList(values));
  Value alias;
  if (set.alias)
    alias =
        Value::List({Value::Map({{"name", Str(set.alias_name)},
                                 {"zone_id", Str(set.alias_zone_id)},
                                 {"evaluate_target_health", Bool(set.evaluate_target_health)}})});
  state.Set("alias", alias);
  state.Set("allow_overwrite", Bool(GetBool(current, "allow_overwrite", false)));
  state.Set("fqdn", Str(set.name));
  return state;
}

// Where a state points: zone, full name and type (from its id when the
// attributes are missing, as after an import).
struct RecordKey {
  std::string zone_id;
  std::string fqdn;
  std::string type;
};

std::optional<RecordKey> KeyOf(ResourceContext& ctx, const Value& current) {
  RecordKey key{GetString(current, "zone_id"), GetString(current, "fqdn"),
                GetString(current, "type")};
  if (!key.zone_id.empty() && !key.fqdn.empty() && !key.type.empty()) return key;
  if (ParseRecordId(IdOf(current), &key.zone_id, &key.fqdn, &key.type)) return key;
  ctx.Error("Record id " + IdOf(current) + " is not ZONEID_NAME_TYPE",
            "For example Z123456_www.example.com_A.");
  return std::nullopt;
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto key = KeyOf(ctx, current);
  if (!key) return Value();
  auto set = FindRecordSet(ctx, key->zone_id, key->fqdn, key->type);
  if (!set || set->name.empty()) return Value();
  return ToState(*set, key->zone_id, current);
}

// Many records of one zone: the zone listed once (300 record sets a call)
// instead of one call per record.
std::vector<ReadResponse> ReadRecords(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  std::map<std::string, std::vector<std::size_t>> by_zone;
  for (std::size_t i = 0; i < requests.size(); ++i)
    by_zone[GetString(requests[i].current_state, "zone_id")].push_back(i);
  std::vector<ReadResponse> out(requests.size());
  for (const auto& [zone_id, positions] : by_zone) {
    if (zone_id.empty() || positions.size() == 1) {
      for (std::size_t i : positions) {
        ResourceContext item(ctx.runtime(), requests[i].address);
        Value state = Read(item, requests[i].current_state);
        out[i] = {item.failed() ? Value() : state, item.diagnostics()};
      }
      continue;
    }
    ResourceContext zone_ctx(ctx.runtime(), "");
    auto listed = ListRecordSets(zone_ctx, zone_id, {}, {}, 0, true);
    std::map<std::pair<std::string, std::string>, RecordSet> sets;
    if (listed)
      for (const RecordSet& s : *listed) sets.emplace(std::make_pair(s.name, s.type), s);
    for (std::size_t i : positions) {
      const Value& current = requests[i].current_state;
      auto found = sets.find({GetString(current, "fqdn"), GetString(current, "type")});
      if (!listed)
        out[i] = {Value(), zone_ctx.diagnostics()};
      else if (found != sets.end())
        out[i] = {ToState(found->second, zone_id, current), {}};
    }
  }
  return out;
}

// The zone's name (GetHostedZone); "" after recording an error.
std::string ZoneName(ResourceContext& ctx, const std::string& zone_id) {
  auto zone = ctx.Unwrap(Route53Call(ctx, "GetHostedZone", "GET", "/hostedzone/" + zone_id));
  return zone ? NormalizeDnsName(zone->xml.root().Text("HostedZone/Name")) : "";
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string zone_id = GetString(planned, "zone_id");
  std::string zone = ZoneName(ctx, zone_id);
  if (zone.empty()) return Value();
  RecordSet set = PlannedSet(planned, ExpandRecordName(GetString(planned, "name"), zone));
  if (!ChangeRecordSets(ctx, zone_id,
                        {{GetBool(planned, "allow_overwrite") ? "UPSERT" : "CREATE", set}})) {
    if (!GetBool(planned, "allow_overwrite"))
      ctx.Error("Record " + set.name + " " + set.type + " could not be created",
                "When it exists already, import it (`reconcile import " + ctx.address() + " " +
                    RecordId(zone_id, set.name, set.type) + "`) or set allow_overwrite = true.");
    return Value();
  }
  return Value::Map({{"id", Str(RecordId(zone_id, set.name, set.type))}, {"fqdn", Str(set.name)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  auto key = KeyOf(ctx, prior);
  if (!key) return;
  ChangeRecordSets(ctx, key->zone_id, {{"UPSERT", PlannedSet(planned, key->fqdn)}});
}

// A DELETE must name the record set's current values exactly: read them first.
void Delete(ResourceContext& ctx, const Value& prior) {
  auto key = KeyOf(ctx, prior);
  if (!key) return;
  auto set = FindRecordSet(ctx, key->zone_id, key->fqdn, key->type);
  if (!set || set->name.empty()) return;
  ChangeRecordSets(ctx, key->zone_id, {{"DELETE", *set}});
}

// A record set an interrupted create made: the same name, type and values.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string zone_id = GetString(planned, "zone_id");
  std::string zone = ZoneName(ctx, zone_id);
  if (zone.empty()) return Value();
  RecordSet wanted = PlannedSet(planned, ExpandRecordName(GetString(planned, "name"), zone));
  auto found = FindRecordSet(ctx, zone_id, wanted.name, wanted.type);
  if (!found || found->name.empty()) return Value();
  std::multiset<std::string> have(found->values.begin(), found->values.end());
  std::multiset<std::string> want(wanted.values.begin(), wanted.values.end());
  if (have != want || found->ttl != wanted.ttl || found->alias_name != wanted.alias_name)
    return Value();
  return Value::Map(
      {{"id", Str(RecordId(zone_id, wanted.name, wanted.type))}, {"fqdn", Str(wanted.name)}});
}

// Names lowercase without the trailing dot; "www" and www.<zone> are the
// same record; TXT values compare unquoted; records need a ttl, alias none.
void Plan(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
  Value& planned = response.planned_state;
  if (IsSet(planned, "name"))
    planned.Set("name", Str(NormalizeDnsName(GetString(planned, "name"))));
  if (IsQuotedType(GetString(planned, "type")) && IsSet(planned, "records")) {
    std::vector<std::string> values;
    for (const std::string& v : GetStrings(planned, "records")) values.push_back(Unquote(v));
    std::sort(values.begin(), values.end());
    planned.Set("records", StrList(values));
  }
  std::vector<Value> alias = GetBlocks(planned, "alias");
  if (!alias.empty() && IsSet(alias.front(), "name")) {
    alias.front().Set("name", Str(NormalizeDnsName(GetString(alias.front(), "name"))));
    planned.Set("alias", Value::List(alias));
  }
  bool has_records = IsSet(request.config, "records");
  bool has_alias = IsSet(request.config, "alias");
  if (has_alias && (has_records || IsSet(request.config, "ttl")))
    ctx.Error("alias cannot be combined with records or ttl");
  else if (!has_alias && has_records && !IsSet(request.config, "ttl") &&
           !request.config.ContainsUnknown())
    ctx.Error("ttl must be set with records");
  const Value& prior = request.prior_state;
  if (prior.is_null() || GetString(prior, "name") == GetString(planned, "name") ||
      !IsSet(planned, "name"))
    return;
  // The same record written relatively or in full: keep the recorded form.
  std::string zone = ZoneName(ctx, GetString(planned, "zone_id"));
  if (!zone.empty() &&
      ExpandRecordName(GetString(planned, "name"), zone) == GetString(prior, "fqdn"))
    planned.Set("name", *prior.Find("name"));
}

}  // namespace

ResourceType aws_route53_record() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.read_batch = ReadRecords;
  type.adopt = Adopt;
  type.plan = Plan;
  type.import = [](ResourceContext& ctx, const std::string& id) {
    std::string zone_id, fqdn, record_type;
    if (!ParseRecordId(id, &zone_id, &fqdn, &record_type)) {
      ctx.Error("Record id " + id + " is not ZONEID_NAME_TYPE",
                "For example Z123456_www.example.com_A.");
      return Value();
    }
    return Value::Map({{"id", Str(id)},
                       {"zone_id", Str(zone_id)},
                       {"fqdn", Str(fqdn)},
                       {"type", Str(record_type)}});
  };
  return type;
}

}  // namespace reconcile::aws_provider::resources
