#include "rds.h"

#include <algorithm>

#include "aws/pagination.h"
#include "reconcile/provider_kit.h"

namespace reconcile::aws_provider {

aws::AwsResult<aws::XmlDocument> RdsSend(const ResourceContext& ctx, const std::string& action,
                                         const aws::QueryParams& params,
                                         aws::Idempotency idempotency) {
  return ctx.client().Query("rds", action, params, {.idempotency = idempotency});
}

std::optional<aws::XmlDocument> RdsCall(ResourceContext& ctx, const std::string& action,
                                        const aws::QueryParams& params,
                                        aws::Idempotency idempotency) {
  return ctx.Unwrap(RdsSend(ctx, action, params, idempotency));
}

std::optional<aws::XmlDocument> RdsCallOrGone(ResourceContext& ctx, const std::string& action,
                                              const aws::QueryParams& params) {
  auto result = RdsSend(ctx, action, params);
  if (result.ok()) return std::move(result).value();
  if (result.error().IsNotFound()) return aws::XmlDocument();
  ctx.Fail(result.error());
  return std::nullopt;
}

void SetRdsList(aws::QueryParams& params, const std::string& prefix, const std::string& member,
                const std::vector<std::string>& values) {
  if (values.empty()) {
    params.Set(prefix, "");
    return;
  }
  for (std::size_t i = 0; i < values.size(); ++i)
    params.Set(prefix + "." + member + "." + std::to_string(i + 1), values[i]);
}

void SetRdsTags(aws::QueryParams& params, const TagMap& tags) {
  int n = 0;
  for (const auto& [key, value] : tags) {
    std::string prefix = "Tags.Tag." + std::to_string(++n);
    params.Set(prefix + ".Key", key).Set(prefix + ".Value", value);
  }
}

TagMap RdsTags(const aws::XmlNode& element) {
  TagMap tags;
  for (const aws::XmlNode& tag : element.FindAll("TagList/Tag")) tags[tag.Text("Key")] = tag.Text("Value");
  return tags;
}

std::optional<TagMap> RdsTagsOf(ResourceContext& ctx, const std::string& arn) {
  aws::QueryParams params;
  params.Set("ResourceName", arn);
  auto doc = RdsCallOrGone(ctx, "ListTagsForResource", params);
  if (!doc) return std::nullopt;
  if (doc->empty()) return TagMap();
  return RdsTags(doc->root().Find("ListTagsForResourceResult"));
}

TagUpdateFunction RdsTagUpdater() {
  return [](ResourceContext& ctx, const Value& state, const TagChanges& changes) {
    std::string arn = GetString(state, "arn");
    if (!changes.remove.empty()) {
      aws::QueryParams params;
      params.Set("ResourceName", arn);
      SetRdsList(params, "TagKeys", "member", changes.remove);
      if (!RdsCall(ctx, "RemoveTagsFromResource", params, aws::Idempotency::kIdempotent)) return;
    }
    if (!changes.set.empty()) {
      aws::QueryParams params;
      params.Set("ResourceName", arn);
      SetRdsTags(params, changes.set);
      RdsCall(ctx, "AddTagsToResource", params, aws::Idempotency::kIdempotent);
    }
  };
}

std::string RdsNameForCreate(const ResourceContext& ctx, const Value& planned,
                             const char* name_key, const char* prefix_key) {
  if (auto name = FindString(planned, name_key)) return *name;
  return FindString(planned, prefix_key).value_or("reconcile-") + ctx.ClientToken(26);
}

std::optional<TagMap> RdsHolderTags(ResourceContext& ctx, const std::optional<aws::XmlNode>& element,
                                    const char* arn_path) {
  if (!element || !element->valid()) return std::nullopt;
  return RdsTagsOf(ctx, element->Text(arn_path));
}

Found<aws::XmlNode> DescribeDbInstances(ResourceContext& ctx, const std::vector<std::string>& ids) {
  std::map<std::string, aws::XmlNode> found;
  for (const std::vector<std::string>& chunk : Chunks(ids, 100)) {
    aws::QueryParams params;
    params.Set("Filters.Filter.1.Name", "db-instance-id").SetInt("MaxRecords", 100);
    SetRdsList(params, "Filters.Filter.1.Values", "Value", chunk);
    auto done = aws::QueryPages(
        ctx.client(), "rds", "DescribeDBInstances", params,
        [&](const aws::XmlDocument& page) {
          for (const aws::XmlNode& db :
               page.root().FindAll("DescribeDBInstancesResult/DBInstances/DBInstance"))
            found[db.Text("DBInstanceIdentifier")] = db;
          return true;
        },
        aws::QueryPaging::kMarker);
    if (!done.ok()) {
      ctx.Fail(done.error());
      return std::nullopt;
    }
  }
  return found;
}

std::optional<aws::XmlNode> DescribeDbInstance(ResourceContext& ctx, const std::string& id) {
  auto found = DescribeDbInstances(ctx, {id});
  if (!found) return std::nullopt;
  auto it = found->find(id);
  return it == found->end() ? aws::XmlNode() : it->second;
}

void SetDbInstanceAttributes(const aws::XmlNode& db, Value& state) {
  std::string address = db.Text("Endpoint/Address");
  std::string port = db.Text("Endpoint/Port");
  if (port.empty()) port = db.Text("DbInstancePort");
  std::vector<std::string> groups;
  for (const aws::XmlNode& g : db.FindAll("VpcSecurityGroups/VpcSecurityGroupMembership"))
    groups.push_back(g.Text("VpcSecurityGroupId"));
  std::sort(groups.begin(), groups.end());
  aws::XmlNode parameter_group = db.Find("DBParameterGroups/DBParameterGroup");
  state.Set("id", Str(db.Text("DBInstanceIdentifier")));
  state.Set("identifier", Str(db.Text("DBInstanceIdentifier")));
  state.Set("arn", Str(db.Text("DBInstanceArn")));
  state.Set("address", StrOrNull(address));
  state.Set("port", port.empty() ? Value() : NumFromText(port));
  state.Set("endpoint", address.empty() ? Value() : Str(address + ":" + port));
  state.Set("hosted_zone_id", StrOrNull(db.Text("Endpoint/HostedZoneId")));
  state.Set("engine", Str(db.Text("Engine")));
  state.Set("engine_version_actual", Str(db.Text("EngineVersion")));
  state.Set("instance_class", Str(db.Text("DBInstanceClass")));
  state.Set("allocated_storage", NumFromText(db.Text("AllocatedStorage")));
  state.Set("storage_type", StrOrNull(db.Text("StorageType")));
  state.Set("db_name", StrOrNull(db.Text("DBName")));
  state.Set("username", StrOrNull(db.Text("MasterUsername")));
  state.Set("db_subnet_group_name", StrOrNull(db.Text("DBSubnetGroup/DBSubnetGroupName")));
  state.Set("vpc_security_group_ids", StrList(groups));
  state.Set("parameter_group_name",
            parameter_group ? StrOrNull(parameter_group.Text("DBParameterGroupName")) : Value());
  state.Set("multi_az", Bool(db.Text("MultiAZ") == "true"));
  state.Set("backup_retention_period", NumFromText(db.Text("BackupRetentionPeriod")));
  state.Set("backup_window", StrOrNull(db.Text("PreferredBackupWindow")));
  state.Set("maintenance_window", StrOrNull(db.Text("PreferredMaintenanceWindow")));
  state.Set("deletion_protection", Bool(db.Text("DeletionProtection") == "true"));
  state.Set("publicly_accessible", Bool(db.Text("PubliclyAccessible") == "true"));
  state.Set("availability_zone", StrOrNull(db.Text("AvailabilityZone")));
  state.Set("resource_id", StrOrNull(db.Text("DbiResourceId")));
  state.Set("status", Str(db.Text("DBInstanceStatus")));
}

}  // namespace reconcile::aws_provider
