// aws_efs_mount_target: a file system's mount target in one subnet. Its
// security groups change in place. A file system has one mount target per
// availability zone, so an interrupted create is found by file system and subnet.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/efs.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

using nlohmann::json;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("file_system_id", kString).ForceNew(),
              Attribute::Required("subnet_id", kString).ForceNew(),
              Attribute::OptionalComputed("ip_address", kString).ForceNew(),
              Attribute::OptionalComputed("security_groups", kSet).Of(kString),
              Attribute::Computed("network_interface_id", kString),
              Attribute::Computed("availability_zone_name", kString),
              Attribute::Computed("availability_zone_id", kString),
              Attribute::Computed("owner_id", kString),
              Attribute::Computed("dns_name", kString),
              Attribute::Computed("mount_target_dns_name", kString),
              Attribute::Computed("file_system_arn", kString),
          },
          "A mount target of an EFS file system."};
}

// The mount target with `id` (null json when gone); nullopt on error.
std::optional<json> Describe(ResourceContext& ctx, const std::string& id) {
  auto page = EfsCallOrGone(ctx, "DescribeMountTargets", "GET", "/mount-targets", {{"MountTargetId", id}});
  if (!page) return std::nullopt;
  json list = page->value("MountTargets", json::array());
  return list.empty() ? json() : list[0];
}

Value Read(ResourceContext& ctx, const Value& current) {
  std::string id = IdOf(current);
  auto mt = Describe(ctx, id);
  if (!mt || mt->is_null()) return Value();
  auto groups = EfsCall(ctx, "DescribeMountTargetSecurityGroups", "GET", "/mount-targets/" + id + "/security-groups");
  if (!groups) return Value();
  std::string fs = JsonString(*mt, "FileSystemId");
  std::string zone = JsonString(*mt, "AvailabilityZoneName");
  std::string dns = fs + ".efs." + ctx.region() + ".amazonaws.com";
  Value state = Value::Map({});
  state.Set("id", Str(id));
  state.Set("file_system_id", Str(fs));
  state.Set("subnet_id", Str(JsonString(*mt, "SubnetId")));
  state.Set("ip_address", Str(JsonString(*mt, "IpAddress")));
  state.Set("security_groups", StrList(groups->value("SecurityGroups", std::vector<std::string>{})));
  state.Set("network_interface_id", Str(JsonString(*mt, "NetworkInterfaceId")));
  state.Set("availability_zone_name", Str(zone));
  state.Set("availability_zone_id", Str(JsonString(*mt, "AvailabilityZoneId")));
  state.Set("owner_id", Str(JsonString(*mt, "OwnerId")));
  state.Set("dns_name", Str(dns));
  state.Set("mount_target_dns_name", Str(zone + "." + dns));
  state.Set("file_system_arn", Str(ctx.Arn("elasticfilesystem", JsonString(*mt, "OwnerId"), "file-system/" + fs)));
  return state;
}

bool WaitAvailable(ResourceContext& ctx, const std::string& id) {
  return WaitFor(ctx, "mount target " + id + " to become available", [&] {
    auto mt = Describe(ctx, id);
    if (!mt) return Poll::kFailed;
    return !mt->is_null() && JsonString(*mt, "LifeCycleState") == "available" ? Poll::kDone : Poll::kPending;
  });
}

Value Create(ResourceContext& ctx, const Value& planned) {
  json body = {{"FileSystemId", GetString(planned, "file_system_id")}, {"SubnetId", GetString(planned, "subnet_id")}};
  if (auto ip = FindString(planned, "ip_address")) body["IpAddress"] = *ip;
  if (IsSet(planned, "security_groups")) body["SecurityGroups"] = GetStrings(planned, "security_groups");
  auto mt = EfsCall(ctx, "CreateMountTarget", "POST", "/mount-targets", {}, body, aws::Idempotency::kNotIdempotent);
  if (!mt) return Value();
  std::string id = JsonString(*mt, "MountTargetId");
  WaitAvailable(ctx, id);
  return Value::Map({{"id", Str(id)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (!Changed(prior, planned, "security_groups")) return;
  EfsCall(ctx, "ModifyMountTargetSecurityGroups", "PUT", "/mount-targets/" + IdOf(prior) + "/security-groups", {},
          {{"SecurityGroups", GetStrings(planned, "security_groups")}}, aws::Idempotency::kIdempotent);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string id = IdOf(prior);
  DeleteUntilGone(ctx, {.what = "mount target " + id,
                        .call = [&] { return AsDone(EfsSend(ctx, "DeleteMountTarget", "DELETE", "/mount-targets/" + id)); },
                        .exists = [&]() -> std::optional<bool> {
                          auto mt = Describe(ctx, id);
                          if (!mt) return std::nullopt;
                          return !mt->is_null();
                        }});
}

Value Adopt(ResourceContext& ctx, const Value& planned) {
  auto page = EfsCallOrGone(ctx, "DescribeMountTargets", "GET", "/mount-targets",
                            {{"FileSystemId", GetString(planned, "file_system_id")}});
  if (!page) return Value();
  for (const json& mt : page->value("MountTargets", json::array()))
    if (JsonString(mt, "SubnetId") == GetString(planned, "subnet_id"))
      return Value::Map({{"id", Str(JsonString(mt, "MountTargetId"))}});
  return Value();
}

}  // namespace

ResourceType aws_efs_mount_target() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.adopt = Adopt;
  return type;
}

}  // namespace reconcile::aws_provider::resources
