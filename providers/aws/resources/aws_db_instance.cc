// aws_db_instance: an RDS database (Postgres, MySQL and the other engines
// RDS runs). The id is the DB instance identifier. Settings change in place
// through ModifyDBInstance, now or in the next maintenance window as
// `apply_immediately` says (queued values read back as planned, so the next
// plan is clean). `password` is sensitive and never read back: state keeps
// what was applied. A protected database (`deletion_protection`) refuses a
// replacement at plan time and a destroy at its turn, naming the address;
// without `skip_final_snapshot` a destroy takes a final snapshot named by
// `final_snapshot_identifier` (required then). Refresh reads up to 100
// databases a call.
#include <algorithm>
#include <cctype>

#include "batch.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/rds.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

using std::chrono::minutes;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("identifier", kString).ForceNew(),
              Attribute::Optional("identifier_prefix", kString).ForceNew(),
              Attribute::Required("engine", kString).ForceNew(),
              Attribute::OptionalComputed("engine_version", kString),
              Attribute::Optional("allow_major_version_upgrade", kBool).Default(Bool(false)),
              Attribute::Required("instance_class", kString),
              Attribute::OptionalComputed("allocated_storage", kNumber),
              Attribute::OptionalComputed("storage_type", kString),
              Attribute::Optional("storage_encrypted", kBool).ForceNew().Default(Bool(false)),
              Attribute::OptionalComputed("db_name", kString).ForceNew(),
              Attribute::OptionalComputed("username", kString).ForceNew(),
              Attribute::Optional("password", kString).Sensitive(),
              Attribute::OptionalComputed("port", kNumber),
              Attribute::OptionalComputed("db_subnet_group_name", kString),
              Attribute::OptionalComputed("vpc_security_group_ids", kSet).Of(kString),
              Attribute::OptionalComputed("parameter_group_name", kString),
              Attribute::OptionalComputed("multi_az", kBool),
              Attribute::OptionalComputed("backup_retention_period", kNumber),
              Attribute::OptionalComputed("backup_window", kString),
              Attribute::OptionalComputed("maintenance_window", kString),
              Attribute::Optional("deletion_protection", kBool).Default(Bool(false)),
              Attribute::Optional("final_snapshot_identifier", kString),
              Attribute::Optional("skip_final_snapshot", kBool).Default(Bool(false)),
              Attribute::Optional("apply_immediately", kBool).Default(Bool(false)),
              Attribute::Optional("publicly_accessible", kBool).Default(Bool(false)),
              Attribute::Computed("address", kString),
              Attribute::Computed("endpoint", kString),
              Attribute::Computed("arn", kString),
              Attribute::Computed("hosted_zone_id", kString),
              Attribute::Computed("availability_zone", kString),
              Attribute::Computed("resource_id", kString),
              Attribute::Computed("status", kString),
              Attribute::Computed("engine_version_actual", kString),
          },
          "An RDS DB instance."};
}

// What a plan sets that AWS never reports: kept from the prior (or planned) state.
const std::vector<std::string_view> kStateOnly = {
    "identifier_prefix", "password", "allow_major_version_upgrade", "final_snapshot_identifier",
    "skip_final_snapshot", "apply_immediately"};

// Values a modification queued for the maintenance window, over what runs now.
void OverlayPending(const aws::XmlNode& db, Value& state) {
  aws::XmlNode pending = db.Find("PendingModifiedValues");
  if (!pending) return;
  auto text = [&](const char* field, const char* attribute) {
    if (auto v = pending.TextIf(field)) state.Set(attribute, Str(*v));
  };
  auto number = [&](const char* field, const char* attribute) {
    if (auto v = pending.TextIf(field)) state.Set(attribute, NumFromText(*v));
  };
  text("DBInstanceClass", "instance_class");
  text("StorageType", "storage_type");
  text("DBSubnetGroupName", "db_subnet_group_name");
  number("AllocatedStorage", "allocated_storage");
  number("BackupRetentionPeriod", "backup_retention_period");
  number("Port", "port");
  if (auto v = pending.TextIf("MultiAZ")) state.Set("multi_az", Bool(*v == "true"));
  if (auto v = pending.TextIf("EngineVersion")) state.Set("engine_version_actual", Str(*v));
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& db, const Value& current) {
  Value state = Value::Map({});
  SetDbInstanceAttributes(db, state);
  OverlayPending(db, state);
  state.Set("storage_encrypted", Bool(db.Text("StorageEncrypted") == "true"));
  // A configured "15" stays while AWS runs 15.x.
  std::string actual = GetString(state, "engine_version_actual");
  std::string configured = GetString(current, "engine_version");
  bool prefix = !configured.empty() && actual.starts_with(configured + ".");
  state.Set("engine_version", Str(prefix ? configured : actual));
  KeepAttributes(current, state, kStateOnly);
  for (const char* flag : {"allow_major_version_upgrade", "skip_final_snapshot", "apply_immediately"})
    state.Set(flag, Bool(GetBool(current, flag)));
  SetTagsFromAws(RdsTags(db), ctx.runtime().default_tags, current, state);
  return state;
}

std::string Identifier(const ResourceContext& ctx, const Value& planned) {
  std::string id = RdsNameForCreate(ctx, planned, "identifier", "identifier_prefix");
  std::transform(id.begin(), id.end(), id.begin(), [](unsigned char c) { return std::tolower(c); });
  return id;
}

std::optional<TagMap> HolderTags(ResourceContext& ctx, const std::string& id) {
  auto db = DescribeDbInstance(ctx, id);
  if (!db || !db->valid()) return std::nullopt;
  return RdsTags(*db);
}

// Waits until the database is available with nothing queued to apply now.
bool WaitAvailable(ResourceContext& ctx, const std::string& id) {
  return WaitFor(
      ctx, "DB instance " + id + " to become available",
      [&] {
        auto db = DescribeDbInstance(ctx, id);
        if (!db) return Poll::kFailed;
        std::string status = db->valid() ? db->Text("DBInstanceStatus") : "";
        if (status == "available") return Poll::kDone;
        if (status == "failed" || status.starts_with("incompatible-") || status == "storage-full") {
          ctx.Error("DB instance " + id + " is " + status, "RDS could not bring the database up.");
          return Poll::kFailed;
        }
        return Poll::kPending;
      },
      minutes(60));
}

aws::QueryParams InstanceId(const std::string& id) {
  aws::QueryParams params;
  params.Set("DBInstanceIdentifier", id);
  return params;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string id = Identifier(ctx, planned);
  aws::QueryParams params = InstanceId(id);
  params.Set("Engine", GetString(planned, "engine"))
      .Set("DBInstanceClass", GetString(planned, "instance_class"))
      .SetBool("DeletionProtection", GetBool(planned, "deletion_protection"))
      .SetBool("PubliclyAccessible", GetBool(planned, "publicly_accessible"))
      .SetBool("StorageEncrypted", GetBool(planned, "storage_encrypted"));
  auto text = [&](const char* attribute, const char* param) {
    if (auto v = FindString(planned, attribute)) params.Set(param, *v);
  };
  auto number = [&](const char* attribute, const char* param) {
    if (auto v = FindInt(planned, attribute)) params.SetInt(param, *v);
  };
  text("engine_version", "EngineVersion");
  text("storage_type", "StorageType");
  text("db_name", "DBName");
  text("username", "MasterUsername");
  text("password", "MasterUserPassword");
  text("db_subnet_group_name", "DBSubnetGroupName");
  text("parameter_group_name", "DBParameterGroupName");
  text("backup_window", "PreferredBackupWindow");
  text("maintenance_window", "PreferredMaintenanceWindow");
  number("allocated_storage", "AllocatedStorage");
  number("backup_retention_period", "BackupRetentionPeriod");
  number("port", "Port");
  if (auto v = FindBool(planned, "multi_az")) params.SetBool("MultiAZ", *v);
  if (IsSet(planned, "vpc_security_group_ids"))
    SetRdsList(params, "VpcSecurityGroupIds", "VpcSecurityGroupId", GetStrings(planned, "vpc_security_group_ids"));
  SetRdsTags(params, ctx.TagsForCreate(planned));
  auto created = RdsSend(ctx, "CreateDBInstance", params, aws::Idempotency::kNotIdempotent);
  if (!CreatedOrAdopted(ctx, created, "DBInstanceAlreadyExists", {"DB instance", id},
                        [&] { return HolderTags(ctx, id); }))
    return Value();
  Value out = Value::Map({{"id", Str(id)}});
  WaitAvailable(ctx, id);
  return out;
}

// The ModifyDBInstance parameters for what changed; false when nothing AWS holds did.
bool Modifications(const Value& prior, const Value& planned, aws::QueryParams& params) {
  bool any = false;
  auto text = [&](const char* attribute, const char* param) {
    if (!Changed(prior, planned, attribute) || !IsSet(planned, attribute)) return;
    params.Set(param, GetString(planned, attribute));
    any = true;
  };
  auto number = [&](const char* attribute, const char* param) {
    if (!Changed(prior, planned, attribute) || !IsSet(planned, attribute)) return;
    params.SetInt(param, GetInt(planned, attribute));
    any = true;
  };
  auto flag = [&](const char* attribute, const char* param) {
    if (!Changed(prior, planned, attribute) || !IsSet(planned, attribute)) return;
    params.SetBool(param, GetBool(planned, attribute));
    any = true;
  };
  text("instance_class", "DBInstanceClass");
  text("storage_type", "StorageType");
  text("engine_version", "EngineVersion");
  text("password", "MasterUserPassword");
  text("db_subnet_group_name", "DBSubnetGroupName");
  text("parameter_group_name", "DBParameterGroupName");
  text("backup_window", "PreferredBackupWindow");
  text("maintenance_window", "PreferredMaintenanceWindow");
  number("allocated_storage", "AllocatedStorage");
  number("backup_retention_period", "BackupRetentionPeriod");
  number("port", "DBPortNumber");
  flag("multi_az", "MultiAZ");
  flag("deletion_protection", "DeletionProtection");
  flag("publicly_accessible", "PubliclyAccessible");
  if (Changed(prior, planned, "vpc_security_group_ids") && IsSet(planned, "vpc_security_group_ids")) {
    SetRdsList(params, "VpcSecurityGroupIds", "VpcSecurityGroupId", GetStrings(planned, "vpc_security_group_ids"));
    any = true;
  }
  if (any && Changed(prior, planned, "engine_version"))
    params.SetBool("AllowMajorVersionUpgrade", GetBool(planned, "allow_major_version_upgrade"));
  return any;
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  std::string id = IdOf(prior);
  aws::QueryParams params = InstanceId(id);
  if (!Modifications(prior, planned, params)) return;
  bool now = GetBool(planned, "apply_immediately");
  params.SetBool("ApplyImmediately", now);
  if (!RdsCall(ctx, "ModifyDBInstance", params, aws::Idempotency::kIdempotent)) return;
  WaitAvailable(ctx, id);
}

std::string ProtectedMessage(const std::string& address, const std::string& id, const char* what) {
  return address + " (DB instance " + id + ") has deletion_protection enabled: reconcile will not " + what +
         " it";
}
constexpr const char* kUnprotectHint =
    "Set deletion_protection = false and apply that first; then the database can be destroyed.";

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string id = IdOf(prior);
  auto db = DescribeDbInstance(ctx, id);
  if (!db) return;
  if (!db->valid()) return;  // already gone
  if (db->Text("DeletionProtection") == "true") {
    ctx.Error(ProtectedMessage(ctx.address(), id, "destroy"), kUnprotectHint);
    return;
  }
  bool skip = GetBool(prior, "skip_final_snapshot");
  std::string snapshot = GetString(prior, "final_snapshot_identifier");
  if (!skip && snapshot.empty()) {
    ctx.Error(ctx.address() + " (DB instance " + id + ") needs a final snapshot before it is destroyed",
              "Set final_snapshot_identifier (the snapshot's name), or skip_final_snapshot = true to "
              "destroy the data with it, and apply that first.");
    return;
  }
  aws::QueryParams params = InstanceId(id);
  params.SetBool("SkipFinalSnapshot", skip);
  if (!skip) params.Set("FinalDBSnapshotIdentifier", snapshot);
  auto deleted = RdsSend(ctx, "DeleteDBInstance", params, aws::Idempotency::kIdempotent);
  // A delete already under way (an earlier attempt) is waited for like this one.
  if (!deleted.ok() && !deleted.error().IsNotFound() && !deleted.error().Is("InvalidDBInstanceState")) {
    ctx.Fail(deleted.error());
    return;
  }
  WaitFor(
      ctx, "DB instance " + id + " to be deleted",
      [&] {
        auto now = DescribeDbInstance(ctx, id);
        if (!now) return Poll::kFailed;
        return now->valid() ? Poll::kPending : Poll::kDone;
      },
      minutes(60));
}

// A replacement destroys the database: a protected one is refused in the plan.
void Plan(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
  if (request.prior_state.is_null() || !GetBool(request.prior_state, "deletion_protection")) return;
  static const ResourceSchema schema = Schema();
  for (const Attribute& a : schema.attributes) {
    if (!a.force_new || !Changed(request.prior_state, response.planned_state, a.name)) continue;
    if (IsUnknown(response.planned_state, a.name) && !IsSet(request.config, a.name)) continue;
    ctx.Error(ProtectedMessage(request.address, IdOf(request.prior_state), "replace"),
              "Changing " + a.name + " replaces the database. " + kUnprotectHint);
    return;
  }
}

// The database this instance's create would have named, when it is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string id = Identifier(ctx, planned);
  return HolderIsOurs(ctx, [&] { return HolderTags(ctx, id); }) ? Value::Map({{"id", Str(id)}}) : Value();
}

}  // namespace

ResourceType aws_db_instance() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  UseBatchedReads<aws::XmlNode>(type, DescribeDbInstances, ToState);
  type.adopt = Adopt;
  type.plan = Plan;
  type.update_tags = RdsTagUpdater();
  return type;
}

}  // namespace reconcile::aws_provider::resources
