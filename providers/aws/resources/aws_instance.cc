// aws_instance: one EC2 instance. Create waits until it runs. instance_type
// and user_data change in place by stopping the instance, modifying it and
// starting it again (user_data_replace_on_change replaces instead); security
// groups, the instance profile, metadata options and the root volume's size
// and type change while it runs. The instance metadata service requires
// session tokens (IMDSv2) unless metadata_options says otherwise. Delete
// terminates and waits until terminated; a terminated instance reads as gone.
// An interrupted create is found by its ownership tags among the instances
// not terminated (RunInstances gets a ClientToken too).
#include <algorithm>

#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

const Ec2Kind kInstance{"DescribeInstances", "reservationSet/item/instancesSet/item", "instanceId",
                        "instance-id", "instance"};
const Ec2Kind kVolume{"DescribeVolumes", "volumeSet/item", "volumeId", "volume-id", "volume"};

std::vector<Attribute> VolumeFields(bool ebs) {
  std::vector<Attribute> fields = {
      Attribute::OptionalComputed("volume_size", kNumber),
      Attribute::OptionalComputed("volume_type", kString),
      Attribute::OptionalComputed("iops", kNumber),
      Attribute::OptionalComputed("throughput", kNumber),
      Attribute::OptionalComputed("encrypted", kBool),
      Attribute::OptionalComputed("kms_key_id", kString),
      Attribute::Optional("delete_on_termination", kBool).Default(Bool(true)),
      Attribute::Computed("volume_id", kString),
  };
  if (ebs) {
    fields.insert(fields.begin(), Attribute::Required("device_name", kString));
    fields.push_back(Attribute::OptionalComputed("snapshot_id", kString));
  } else {
    fields.push_back(Attribute::Computed("device_name", kString));
  }
  return fields;
}

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("ami", kString).ForceNew(),
              Attribute::Required("instance_type", kString),
              Attribute::OptionalComputed("subnet_id", kString).ForceNew(),
              Attribute::OptionalComputed("availability_zone", kString).ForceNew(),
              Attribute::OptionalComputed("private_ip", kString).ForceNew(),
              Attribute::OptionalComputed("key_name", kString).ForceNew(),
              Attribute::OptionalComputed("vpc_security_group_ids", kSet).Of(kString),
              Attribute::Optional("user_data", kString),
              Attribute::Optional("user_data_replace_on_change", kBool).Default(Bool(false)),
              Attribute::Optional("iam_instance_profile", kString),
              Attribute::OptionalComputed("root_block_device", kList)
                  .Block(VolumeFields(false))
                  .MaxItems(1),
              Attribute::OptionalComputed("ebs_block_device", kSet)
                  .Block(VolumeFields(true))
                  .ForceNew(),
              Attribute::OptionalComputed("metadata_options", kList)
                  .Block({Attribute::OptionalComputed("http_endpoint", kString),
                          Attribute::OptionalComputed("http_tokens", kString),
                          Attribute::OptionalComputed("http_put_response_hop_limit", kNumber),
                          Attribute::OptionalComputed("instance_metadata_tags", kString)})
                  .MaxItems(1),
              Attribute::Computed("arn", kString),
              Attribute::Computed("public_ip", kString),
              Attribute::Computed("public_dns", kString),
              Attribute::Computed("private_dns", kString),
              Attribute::Computed("instance_state", kString),
              Attribute::Computed("primary_network_interface_id", kString),
          },
          "An EC2 instance."};
}

// Volume fields and their DescribeVolumes elements.
const std::pair<const char*, const char*> kVolumeFields[] = {
    {"volume_size", "size"},      {"volume_type", "volumeType"}, {"iops", "iops"},
    {"throughput", "throughput"}, {"kms_key_id", "kmsKeyId"},    {"snapshot_id", "snapshotId"}};

Value VolumeBlock(const aws::XmlNode& mapping, const aws::XmlNode& volume, bool ebs) {
  Value block = Value::Map({});
  block.Set("device_name", Str(mapping.Text("deviceName")));
  block.Set("volume_id", Str(mapping.Text("ebs/volumeId")));
  block.Set("delete_on_termination", Bool(mapping.Text("ebs/deleteOnTermination") == "true"));
  for (const auto& [field, element] : kVolumeFields) {
    if (!ebs && std::string(field) == "snapshot_id") continue;
    std::string text = volume.Text(element);
    bool number = std::string(field) != "volume_type" && std::string(field) != "kms_key_id" &&
                  std::string(field) != "snapshot_id";
    block.Set(field, number ? NumFromText(text) : StrOrNull(text));
  }
  block.Set("encrypted", Bool(volume.Text("encrypted") == "true"));
  return block;
}

// root_block_device and ebs_block_device from the instance's mappings and its volumes.
void SetBlockDevices(ResourceContext& ctx, const aws::XmlNode& instance, Value& state) {
  std::vector<aws::XmlNode> mappings = instance.FindAll("blockDeviceMapping/item");
  std::vector<std::string> volume_ids;
  for (const aws::XmlNode& m : mappings)
    if (!m.Text("ebs/volumeId").empty()) volume_ids.push_back(m.Text("ebs/volumeId"));
  auto volumes = volume_ids.empty() ? std::map<std::string, aws::XmlNode>()
                                    : Ec2DescribeMany(ctx, kVolume, volume_ids)
                                          .value_or(std::map<std::string, aws::XmlNode>());
  ValueList root, ebs;
  std::string root_name = instance.Text("rootDeviceName");
  for (const aws::XmlNode& m : mappings) {
    auto it = volumes.find(m.Text("ebs/volumeId"));
    aws::XmlNode volume = it == volumes.end() ? aws::XmlNode() : it->second;
    bool is_root = m.Text("deviceName") == root_name;
    (is_root ? root : ebs).push_back(VolumeBlock(m, volume, !is_root));
  }
  state.Set("root_block_device", Value::List(std::move(root)));
  state.Set("ebs_block_device", Value::List(std::move(ebs)));
}

// The name of an instance profile from its ARN (arn:...:instance-profile/path/NAME).
std::string ProfileName(const std::string& arn) {
  std::size_t slash = arn.rfind('/');
  return slash == std::string::npos ? "" : arn.substr(slash + 1);
}

std::string UserData(ResourceContext& ctx, const std::string& id) {
  aws::QueryParams params;
  params.Set("InstanceId", id).Set("Attribute", "userData");
  auto doc = Ec2Call(ctx, "DescribeInstanceAttribute", params);
  std::string decoded;
  if (!doc || !encoding::Base64Decode(doc->root().Text("userData/value"), &decoded)) return "";
  return decoded;
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& instance, const Value& current) {
  std::string id = instance.Text("instanceId");
  Value state = Value::Map({});
  state.Set("id", Str(id));
  state.Set("ami", Str(instance.Text("imageId")));
  state.Set("instance_type", Str(instance.Text("instanceType")));
  state.Set("subnet_id", StrOrNull(instance.Text("subnetId")));
  state.Set("availability_zone", StrOrNull(instance.Text("placement/availabilityZone")));
  state.Set("private_ip", StrOrNull(instance.Text("privateIpAddress")));
  state.Set("public_ip", StrOrNull(instance.Text("ipAddress")));
  state.Set("private_dns", StrOrNull(instance.Text("privateDnsName")));
  state.Set("public_dns", StrOrNull(instance.Text("dnsName")));
  state.Set("key_name", StrOrNull(instance.Text("keyName")));
  state.Set("instance_state", Str(instance.Text("instanceState/name")));
  state.Set("primary_network_interface_id",
            StrOrNull(instance.Text("networkInterfaceSet/item/networkInterfaceId")));
  std::vector<std::string> groups;
  for (const aws::XmlNode& g : instance.FindAll("groupSet/item"))
    groups.push_back(g.Text("groupId"));
  state.Set("vpc_security_group_ids", StrList(groups));
  state.Set("iam_instance_profile",
            StrOrNull(ProfileName(instance.Text("iamInstanceProfile/arn"))));
  state.Set("metadata_options",
            Value::List({Value::Map({
                {"http_endpoint", StrOrNull(instance.Text("metadataOptions/httpEndpoint"))},
                {"http_tokens", StrOrNull(instance.Text("metadataOptions/httpTokens"))},
                {"http_put_response_hop_limit",
                 NumFromText(instance.Text("metadataOptions/httpPutResponseHopLimit"))},
                {"instance_metadata_tags",
                 StrOrNull(instance.Text("metadataOptions/instanceMetadataTags"))},
            })}));
  SetBlockDevices(ctx, instance, state);
  std::string user_data = UserData(ctx, id);
  state.Set("user_data", StrOrNull(user_data));
  state.Set("arn", Str(ctx.Arn("ec2",
                               instance.Text("ownerId").empty() ? ctx.AccountId()
                                                                : instance.Text("ownerId"),
                               "instance/" + id)));
  KeepAttributes(current, state, {"user_data_replace_on_change"});
  if (!Has(current, "user_data_replace_on_change"))
    state.Set("user_data_replace_on_change", Bool(false));
  SetEc2Tags(ctx, instance, current, state);
  return state;
}

// The instances with the given ids that are not terminated, keyed by id.
Found<aws::XmlNode> DescribeLive(ResourceContext& ctx, const std::vector<std::string>& ids) {
  auto found = Ec2DescribeMany(ctx, kInstance, ids);
  if (found)
    std::erase_if(
        *found, [](const auto& e) { return e.second.Text("instanceState/name") == "terminated"; });
  return found;
}

// The planned metadata option (or IMDSv2's defaults).
std::string MetadataOption(const Value& planned, const char* field, const std::string& fallback) {
  std::vector<Value> blocks = GetBlocks(planned, "metadata_options");
  if (blocks.empty()) return fallback;
  return FindString(blocks.front(), field).value_or(fallback);
}

void SetMetadataParams(aws::QueryParams& params, const std::string& prefix, const Value& planned) {
  params.Set(prefix + "HttpTokens", MetadataOption(planned, "http_tokens", "required"))
      .Set(prefix + "HttpEndpoint", MetadataOption(planned, "http_endpoint", "enabled"))
      .Set(prefix + "HttpPutResponseHopLimit",
           MetadataOption(planned, "http_put_response_hop_limit", "1"))
      .Set(prefix + "InstanceMetadataTags",
           MetadataOption(planned, "instance_metadata_tags", "disabled"));
}

// The AMI's root device name ("/dev/xvda" when the image does not say).
std::string RootDeviceName(ResourceContext& ctx, const std::string& ami) {
  aws::QueryParams params;
  params.Set("ImageId.1", ami);
  auto doc = Ec2Call(ctx, "DescribeImages", params);
  std::string name = doc ? doc->root().Text("imagesSet/item/rootDeviceName") : "";
  return name.empty() ? "/dev/xvda" : name;
}

void SetVolumeParams(aws::QueryParams& params, const std::string& prefix, const Value& block) {
  for (const auto& [field, element] : kVolumeFields) {
    static const std::map<std::string, std::string> kParams = {{"volume_size", "VolumeSize"},
                                                               {"volume_type", "VolumeType"},
                                                               {"iops", "Iops"},
                                                               {"throughput", "Throughput"},
                                                               {"kms_key_id", "KmsKeyId"},
                                                               {"snapshot_id", "SnapshotId"}};
    if (auto v = FindString(block, field)) params.Set(prefix + "Ebs." + kParams.at(field), *v);
  }
  if (auto encrypted = FindBool(block, "encrypted"))
    params.SetBool(prefix + "Ebs.Encrypted", *encrypted);
  params.SetBool(prefix + "Ebs.DeleteOnTermination", GetBool(block, "delete_on_termination", true));
}

void SetBlockDeviceParams(ResourceContext& ctx, aws::QueryParams& params, const Value& planned) {
  int n = 0;
  for (const Value& root : GetBlocks(planned, "root_block_device")) {
    std::string prefix = "BlockDeviceMapping." + std::to_string(++n) + ".";
    params.Set(prefix + "DeviceName", RootDeviceName(ctx, GetString(planned, "ami")));
    SetVolumeParams(params, prefix, root);
  }
  for (const Value& ebs : GetBlocks(planned, "ebs_block_device")) {
    std::string prefix = "BlockDeviceMapping." + std::to_string(++n) + ".";
    params.Set(prefix + "DeviceName", GetString(ebs, "device_name"));
    SetVolumeParams(params, prefix, ebs);
  }
}

bool WaitForState(ResourceContext& ctx, const std::string& id, const std::string& wanted) {
  std::vector<std::string> failed = {"terminated", "shutting-down"};
  if (wanted == "running") failed.push_back("stopped");
  return Ec2WaitForState(ctx, kInstance, id, "instanceState/name", "instance " + id, wanted,
                         failed);
}

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params;
  params.Set("ImageId", GetString(planned, "ami"))
      .Set("InstanceType", GetString(planned, "instance_type"))
      .Set("MinCount", "1")
      .Set("MaxCount", "1")
      .Set("ClientToken", ctx.ClientToken());
  if (auto subnet = FindString(planned, "subnet_id")) params.Set("SubnetId", *subnet);
  if (auto zone = FindString(planned, "availability_zone"))
    params.Set("Placement.AvailabilityZone", *zone);
  if (auto ip = FindString(planned, "private_ip")) params.Set("PrivateIpAddress", *ip);
  if (auto key = FindString(planned, "key_name")) params.Set("KeyName", *key);
  if (auto user_data = FindString(planned, "user_data"))
    params.Set("UserData", encoding::Base64Encode(*user_data));
  if (auto profile = FindString(planned, "iam_instance_profile"))
    params.Set("IamInstanceProfile.Name", *profile);
  params.SetList("SecurityGroupId", GetStrings(planned, "vpc_security_group_ids"),
                 aws::ListStyle::kIndexed);
  SetMetadataParams(params, "MetadataOptions.", planned);
  SetBlockDeviceParams(ctx, params, planned);
  if (ctx.failed()) return Value();
  params.SetEc2TagSpecification(kInstance.tag_type, ctx.TagsForCreate(planned));
  auto doc = Ec2Call(ctx, "RunInstances", params, aws::Idempotency::kClientToken);
  if (!doc) return Value();
  std::string id = doc->root().Text("instancesSet/item/instanceId");
  WaitForState(ctx, id, "running");
  return Value::Map({{"id", Str(id)}});
}

bool NeedsStop(const Value& prior, const Value& planned) {
  return Changed(prior, planned, "instance_type") || Changed(prior, planned, "user_data");
}

void InstanceCall(ResourceContext& ctx, const std::string& action, const std::string& id) {
  aws::QueryParams params;
  params.Set("InstanceId.1", id);
  Ec2Call(ctx, action, params, aws::Idempotency::kIdempotent);
}

// Stop, modify instance_type and user_data, start again.
void ModifyStopped(ResourceContext& ctx, const std::string& id, const Value& prior,
                   const Value& planned) {
  InstanceCall(ctx, "StopInstances", id);
  if (ctx.failed() || !WaitForState(ctx, id, "stopped")) return;
  if (Changed(prior, planned, "instance_type")) {
    aws::QueryParams params;
    params.Set("InstanceId", id).Set("InstanceType.Value", GetString(planned, "instance_type"));
    Ec2Call(ctx, "ModifyInstanceAttribute", params, aws::Idempotency::kIdempotent);
  }
  if (!ctx.failed() && Changed(prior, planned, "user_data")) {
    aws::QueryParams params;
    params.Set("InstanceId", id)
        .Set("UserData.Value", encoding::Base64Encode(GetString(planned, "user_data")));
    Ec2Call(ctx, "ModifyInstanceAttribute", params, aws::Idempotency::kIdempotent);
  }
  // Start again even after a failed modify, so the instance is not left stopped.
  ResourceContext start(ctx.runtime(), ctx.address());
  InstanceCall(start, "StartInstances", id);
  if (!start.failed()) WaitForState(start, id, "running");
  ctx.diagnostics().Append(start.diagnostics());
}

// Associates, replaces or removes the instance profile.
void UpdateProfile(ResourceContext& ctx, const std::string& id, const Value& planned) {
  aws::QueryParams find;
  find.SetEc2Filters({{"instance-id", {id}}, {"state", {"associating", "associated"}}});
  auto found = Ec2Call(ctx, "DescribeIamInstanceProfileAssociations", find);
  if (!found) return;
  std::string association =
      found->root().Text("iamInstanceProfileAssociationSet/item/associationId");
  auto profile = FindString(planned, "iam_instance_profile");
  aws::QueryParams params;
  if (!profile) {
    if (association.empty()) return;
    params.Set("AssociationId", association);
    Ec2Call(ctx, "DisassociateIamInstanceProfile", params, aws::Idempotency::kIdempotent);
    return;
  }
  params.Set("IamInstanceProfile.Name", *profile);
  if (association.empty())
    params.Set("InstanceId", id);
  else
    params.Set("AssociationId", association);
  Ec2Call(
      ctx,
      association.empty() ? "AssociateIamInstanceProfile" : "ReplaceIamInstanceProfileAssociation",
      params, aws::Idempotency::kIdempotent);
}

// The root volume's size, type, IOPS and throughput (ModifyVolume on its
// volume) and whether it goes with the instance (ModifyInstanceAttribute).
void UpdateRootVolume(ResourceContext& ctx, const std::string& id, const Value& prior, const Value& planned) {
  std::vector<Value> before = GetBlocks(prior, "root_block_device");
  std::vector<Value> after = GetBlocks(planned, "root_block_device");
  if (before.empty() || after.empty()) return;
  if (Changed(before.front(), after.front(), "delete_on_termination")) {
    aws::QueryParams attribute;
    attribute.Set("InstanceId", id)
        .Set("BlockDeviceMapping.1.DeviceName", GetString(before.front(), "device_name"))
        .SetBool("BlockDeviceMapping.1.Ebs.DeleteOnTermination",
                 GetBool(after.front(), "delete_on_termination", true));
    if (!Ec2Call(ctx, "ModifyInstanceAttribute", attribute, aws::Idempotency::kIdempotent)) return;
  }
  aws::QueryParams params;
  params.Set("VolumeId", GetString(before.front(), "volume_id"));
  bool changed = false;
  for (const auto& [field, param] :
       {std::pair{"volume_size", "Size"}, std::pair{"volume_type", "VolumeType"},
        std::pair{"iops", "Iops"}, std::pair{"throughput", "Throughput"}}) {
    if (!Changed(before.front(), after.front(), field)) continue;
    if (auto v = FindString(after.front(), field)) params.Set(param, *v);
    changed = true;
  }
  if (changed) Ec2Call(ctx, "ModifyVolume", params, aws::Idempotency::kIdempotent);
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  std::string id = IdOf(prior);
  if (Changed(prior, planned, "vpc_security_group_ids") &&
      IsSet(planned, "vpc_security_group_ids")) {
    aws::QueryParams params;
    params.Set("InstanceId", id)
        .SetList("GroupId", GetStrings(planned, "vpc_security_group_ids"),
                 aws::ListStyle::kIndexed);
    Ec2Call(ctx, "ModifyInstanceAttribute", params, aws::Idempotency::kIdempotent);
  }
  if (!ctx.failed() && Changed(prior, planned, "iam_instance_profile"))
    UpdateProfile(ctx, id, planned);
  if (!ctx.failed() && Changed(prior, planned, "metadata_options")) {
    aws::QueryParams params;
    params.Set("InstanceId", id);
    SetMetadataParams(params, "", planned);
    Ec2Call(ctx, "ModifyInstanceMetadataOptions", params, aws::Idempotency::kIdempotent);
  }
  if (!ctx.failed() && Changed(prior, planned, "root_block_device"))
    UpdateRootVolume(ctx, id, prior, planned);
  if (!ctx.failed() && NeedsStop(prior, planned)) ModifyStopped(ctx, id, prior, planned);
}

// user_data_replace_on_change makes a user_data change a replacement; a
// stop and start changes the public IP and DNS name.
void Plan(ResourceContext&, const PlanRequest& request, PlanResponse& response) {
  const Value& prior = request.prior_state;
  if (prior.is_null()) return;
  // The root volume's encryption is fixed when it is made.
  std::vector<Value> root_before = GetBlocks(prior, "root_block_device");
  std::vector<Value> root_after = GetBlocks(response.planned_state, "root_block_device");
  if (!root_before.empty() && !root_after.empty() &&
      (Changed(root_before.front(), root_after.front(), "encrypted") ||
       Changed(root_before.front(), root_after.front(), "kms_key_id")))
    response.requires_replace.push_back("root_block_device");
  if (GetBool(response.planned_state, "user_data_replace_on_change") &&
      Changed(prior, response.planned_state, "user_data"))
    response.requires_replace.push_back("user_data");
  else if (NeedsStop(prior, response.planned_state)) {
    response.planned_state.Set("public_ip", Value::Unknown());
    response.planned_state.Set("public_dns", Value::Unknown());
  }
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string id = IdOf(prior);
  aws::QueryParams params;
  params.Set("InstanceId.1", id);
  if (!ctx.SucceededOrGone(
          Ec2Send(ctx, "TerminateInstances", params, aws::Idempotency::kIdempotent)))
    return;
  Ec2WaitUntilGone(ctx, kInstance, id, "instanceState/name", "instance " + id, {"terminated"});
}

}  // namespace

ResourceType aws_instance() {
  ResourceType type = Ec2Type(kInstance, Schema(), ToState, Create, Update, Delete, DescribeLive);
  type.plan = Plan;
  type.adopt = Ec2AdoptOwned(
      kInstance, {{"instance-state-name", {"pending", "running", "stopping", "stopped"}}});
  return type;
}

}  // namespace reconcile::aws_provider::resources
