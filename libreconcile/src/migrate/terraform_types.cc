#include "migrate/terraform_types.h"

#include <map>

namespace reconcile::migrate {

namespace {

std::string Attr(const Value& attributes, const char* name) {
  const Value* v = attributes.Find(name);
  return v != nullptr && v->is_string() ? v->AsString() : std::string();
}

// "arn:aws:ecs:r:a:cluster/name" -> "name"; a name stays as it is.
std::string AfterLastSlash(const std::string& text) {
  std::size_t slash = text.rfind('/');
  return slash == std::string::npos ? text : text.substr(slash + 1);
}

std::string Joined(const std::string& a, const char* separator, const std::string& b) {
  return a.empty() || b.empty() ? std::string() : a + separator + b;
}

std::string RouteTableAssociationId(const Value& a) {
  std::string target = Attr(a, "subnet_id");
  if (target.empty()) target = Attr(a, "gateway_id");
  return Joined(target, "/", Attr(a, "route_table_id"));
}

std::string VolumeAttachmentId(const Value& a) {
  std::string device = Attr(a, "device_name");
  return Joined(Joined(device, ":", Attr(a, "volume_id")), ":", Attr(a, "instance_id"));
}

std::string RolePolicyAttachmentId(const Value& a) {
  return Joined(Attr(a, "role"), "/", Attr(a, "policy_arn"));
}

std::string EcsServiceId(const Value& a) {
  return Joined(AfterLastSlash(Attr(a, "cluster")), "/", Attr(a, "name"));
}

std::string TaskDefinitionId(const Value& a) {
  std::string arn = Attr(a, "arn");
  return arn.empty() ? Attr(a, "id") : arn;
}

// The S3 bucket sub-resources: Terraform's id is "BUCKET" or "BUCKET,OWNER".
std::string BucketId(const Value& a) { return Attr(a, "bucket"); }

Value Str(const char* s) { return Value::String(s); }

const std::map<std::string, TerraformTypeInfo>& Table() {
  static const std::map<std::string, TerraformTypeInfo> table = [] {
    std::vector<TerraformTypeInfo> entries = {
        {"aws_autoscaling_group",
         1,
         nullptr,
         {"availability_zones"},
         {{"force_delete", Value::Bool(false)},
          {"force_delete_warm_pool", Value::Bool(false)},
          {"ignore_failed_scaling_activities", Value::Bool(false)},
          {"wait_for_capacity_timeout", Str("10m")}}},
        {"aws_dynamodb_table", 1, nullptr, {}, {}},
        {"aws_ebs_volume", 0, nullptr, {"iops", "throughput", "kms_key_id"}, {{"final_snapshot", Value::Bool(false)}}},
        {"aws_ecs_service", 1, EcsServiceId, {}, {{"wait_for_steady_state", Value::Bool(false)}}},
        {"aws_ecs_task_definition", 1, TaskDefinitionId, {}, {}},
        {"aws_efs_mount_target", 0, nullptr, {"ip_address"}, {}},
        {"aws_iam_role_policy_attachment", 0, RolePolicyAttachmentId, {}, {}},
        {"aws_route53_record", 2, nullptr, {}, {}},
        {"aws_route_table_association", 0, RouteTableAssociationId, {}, {}},
        {"aws_s3_bucket_public_access_block", 0, BucketId, {}, {}},
        {"aws_s3_bucket_server_side_encryption_configuration", 0, BucketId, {}, {}},
        {"aws_s3_bucket_versioning", 0, BucketId, {}, {}},
        {"aws_security_group", 1, nullptr, {}, {}},
        {"aws_ssm_parameter", 0, nullptr, {"key_id", "tier", "data_type"}, {}},
        {"aws_subnet", 1, nullptr, {"availability_zone_id"}, {}},
        {"aws_volume_attachment", 0, VolumeAttachmentId, {}, {}},
        {"aws_vpc", 1, nullptr, {}, {}},
        {"random_password", 3, nullptr, {}, {}},
        {"random_string", 2, nullptr, {}, {}},
    };
    std::map<std::string, TerraformTypeInfo> out;
    for (TerraformTypeInfo& e : entries) out.emplace(e.type, std::move(e));
    return out;
  }();
  return table;
}

}  // namespace

const TerraformTypeInfo& TerraformType(const std::string& type) {
  static const TerraformTypeInfo plain;
  auto it = Table().find(type);
  return it == Table().end() ? plain : it->second;
}

std::string TerraformImportId(const std::string& type, const Value& attributes) {
  const TerraformTypeInfo& info = TerraformType(type);
  return info.import_id ? info.import_id(attributes) : Attr(attributes, "id");
}

bool IsAdoptableProvider(const TerraformProvider& provider) {
  return provider.hostname == "registry.terraform.io" && provider.namespace_ == "hashicorp" &&
         (provider.type == "aws" || provider.type == "random" || provider.type == "local");
}

AdoptionRead HowToRead(const std::string& type) {
  if (type.starts_with("random_")) return AdoptionRead::kAsRecorded;
  if (type.starts_with("local_")) return AdoptionRead::kRead;
  return AdoptionRead::kImportAndRead;
}

}  // namespace reconcile::migrate
