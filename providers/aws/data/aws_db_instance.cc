// data aws_db_instance: an RDS database by identifier: where to reach it
// (address, endpoint, port), its ARN, engine, class, storage, network and
// backup settings, and tags. The password is never readable.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/rds.h"

namespace reconcile::aws_provider::data_sources {

namespace {

// Terraform's data source names for what the resource calls otherwise.
const std::vector<std::pair<const char*, const char*>> kRenamed = {
    {"arn", "db_instance_arn"},
    {"instance_class", "db_instance_class"},
    {"username", "master_username"},
    {"db_subnet_group_name", "db_subnet_group"},
    {"vpc_security_group_ids", "vpc_security_groups"},
    {"backup_window", "preferred_backup_window"},
    {"maintenance_window", "preferred_maintenance_window"},
    {"engine_version_actual", "engine_version"},
};

ResourceSchema Schema() {
  std::vector<Attribute> attributes = {Attribute::Required("db_instance_identifier", kString)};
  for (const char* name : {"id", "db_instance_arn", "address", "endpoint", "hosted_zone_id", "engine",
                           "engine_version", "db_instance_class", "storage_type", "db_name", "master_username",
                           "db_subnet_group", "preferred_backup_window", "preferred_maintenance_window",
                           "availability_zone", "resource_id", "status"})
    attributes.push_back(Attribute::Computed(name, kString));
  for (const char* name : {"port", "db_instance_port", "allocated_storage", "backup_retention_period"})
    attributes.push_back(Attribute::Computed(name, kNumber));
  for (const char* name : {"multi_az", "deletion_protection", "publicly_accessible"})
    attributes.push_back(Attribute::Computed(name, kBool));
  attributes.push_back(Attribute::Computed("vpc_security_groups", kList).Of(kString));
  attributes.push_back(Attribute::Computed("db_parameter_groups", kList).Of(kString));
  attributes.push_back(Attribute::Computed("tags", kMap).Of(kString));
  return {0, std::move(attributes), "An RDS DB instance."};
}

Value Read(ResourceContext& ctx, const Value& config) {
  std::string id = GetString(config, "db_instance_identifier");
  auto db = DescribeDbInstance(ctx, id);
  if (!db) return Value();
  if (!db->valid()) {
    ctx.Error("No RDS DB instance " + id, "Check the identifier (RDS keeps identifiers in lowercase) and region.");
    return Value();
  }
  Value found = Value::Map({});
  SetDbInstanceAttributes(*db, found);
  for (const auto& [from, to] : kRenamed) found.Set(to, *found.Find(from));
  Value state = Value::Map({});
  static const ResourceSchema schema = Schema();
  for (const Attribute& a : schema.attributes) {
    const Value* v = found.Find(a.name);
    state.Set(a.name, v == nullptr ? Value() : *v);
  }
  state.Set("db_instance_identifier", Str(id));
  state.Set("db_instance_port", state.Find("port") ? *state.Find("port") : Value());
  std::vector<std::string> groups;
  for (const aws::XmlNode& g : db->FindAll("DBParameterGroups/DBParameterGroup"))
    groups.push_back(g.Text("DBParameterGroupName"));
  state.Set("db_parameter_groups", StrList(groups));
  TagMap tags;
  for (const auto& [key, value] : RdsTags(*db))
    if (!IsOwnershipTag(key)) tags[key] = value;
  state.Set("tags", TagValue(tags));
  return state;
}

}  // namespace

DataSourceType aws_db_instance() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
