// aws_launch_template: a launch template. A change of its data creates a new
// version (latest_version), not a replacement; update_default_version makes
// the new version the default. State reflects the latest version. Import
// takes the template's id or its name.
#include "generated_name.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ec2.h"

namespace reconcile::aws_provider::resources {

namespace {

const Ec2Kind kTemplate{"DescribeLaunchTemplates", "launchTemplates/item", "launchTemplateId", "", "launch-template"};

ResourceSchema Schema() {
  std::vector<Attribute> ebs = {
      Attribute::OptionalComputed("volume_size", kNumber), Attribute::OptionalComputed("volume_type", kString),
      Attribute::Optional("delete_on_termination", kString), Attribute::Optional("encrypted", kString),
      Attribute::OptionalComputed("iops", kNumber), Attribute::OptionalComputed("throughput", kNumber),
      Attribute::Optional("kms_key_id", kString), Attribute::Optional("snapshot_id", kString),
  };
  return {0,
          {
              Attribute::OptionalComputed("name", kString).ForceNew(),
              Attribute::Optional("name_prefix", kString).ForceNew(),
              Attribute::Optional("description", kString),
              Attribute::Optional("image_id", kString),
              Attribute::Optional("instance_type", kString),
              Attribute::Optional("key_name", kString),
              Attribute::Optional("user_data", kString).Describe("base64-encoded"),
              Attribute::Optional("vpc_security_group_ids", kSet).Of(kString),
              Attribute::Optional("iam_instance_profile", kList)
                  .Block({Attribute::Optional("name", kString), Attribute::Optional("arn", kString)})
                  .MaxItems(1),
              Attribute::Optional("block_device_mappings", kList)
                  .Block({Attribute::Optional("device_name", kString), Attribute::Optional("no_device", kString),
                          Attribute::Optional("virtual_name", kString),
                          Attribute::Optional("ebs", kList).Block(ebs).MaxItems(1)}),
              Attribute::Optional("metadata_options", kList)
                  .Block({Attribute::OptionalComputed("http_endpoint", kString),
                          Attribute::OptionalComputed("http_tokens", kString),
                          Attribute::OptionalComputed("http_put_response_hop_limit", kNumber),
                          Attribute::OptionalComputed("http_protocol_ipv6", kString),
                          Attribute::OptionalComputed("instance_metadata_tags", kString)})
                  .MaxItems(1),
              Attribute::Optional("network_interfaces", kList)
                  .Block({Attribute::Optional("device_index", kNumber),
                          Attribute::Optional("associate_public_ip_address", kString),
                          Attribute::Optional("delete_on_termination", kString),
                          Attribute::Optional("description", kString),
                          Attribute::Optional("subnet_id", kString),
                          Attribute::Optional("private_ip_address", kString),
                          Attribute::Optional("network_interface_id", kString),
                          Attribute::Optional("security_groups", kSet).Of(kString)}),
              Attribute::Optional("tag_specifications", kList)
                  .Block({Attribute::Optional("resource_type", kString),
                          Attribute::Optional("tags", kMap).Of(kString)}),
              Attribute::Optional("update_default_version", kBool),
              Attribute::Computed("default_version", kNumber),
              Attribute::Computed("latest_version", kNumber),
              Attribute::Computed("arn", kString),
          },
          "An EC2 launch template."};
}

// Attributes that are launch template data (a change makes a new version).
const std::vector<std::string> kDataAttributes = {
    "description", "image_id", "instance_type", "key_name", "user_data", "vpc_security_group_ids",
    "iam_instance_profile", "block_device_mappings", "metadata_options", "network_interfaces", "tag_specifications"};

// Scalar data fields: attribute, request name, response element.
const std::tuple<const char*, const char*, const char*> kScalars[] = {
    {"image_id", "ImageId", "imageId"}, {"instance_type", "InstanceType", "instanceType"},
    {"key_name", "KeyName", "keyName"}, {"user_data", "UserData", "userData"}};

const std::tuple<const char*, const char*, const char*> kEbsFields[] = {
    {"volume_size", "VolumeSize", "volumeSize"}, {"volume_type", "VolumeType", "volumeType"},
    {"delete_on_termination", "DeleteOnTermination", "deleteOnTermination"},
    {"encrypted", "Encrypted", "encrypted"}, {"iops", "Iops", "iops"}, {"throughput", "Throughput", "throughput"},
    {"kms_key_id", "KmsKeyId", "kmsKeyId"}, {"snapshot_id", "SnapshotId", "snapshotId"}};

const std::tuple<const char*, const char*, const char*> kMetadataFields[] = {
    {"http_endpoint", "HttpEndpoint", "httpEndpoint"}, {"http_tokens", "HttpTokens", "httpTokens"},
    {"http_put_response_hop_limit", "HttpPutResponseHopLimit", "httpPutResponseHopLimit"},
    {"http_protocol_ipv6", "HttpProtocolIpv6", "httpProtocolIpv6"},
    {"instance_metadata_tags", "InstanceMetadataTags", "instanceMetadataTags"}};

// Scalar fields of a network interface (security_groups aside).
const std::tuple<const char*, const char*, const char*> kInterfaceFields[] = {
    {"device_index", "DeviceIndex", "deviceIndex"},
    {"associate_public_ip_address", "AssociatePublicIpAddress", "associatePublicIpAddress"},
    {"delete_on_termination", "DeleteOnTermination", "deleteOnTermination"},
    {"description", "Description", "description"}, {"subnet_id", "SubnetId", "subnetId"},
    {"private_ip_address", "PrivateIpAddress", "privateIpAddress"},
    {"network_interface_id", "NetworkInterfaceId", "networkInterfaceId"}};

void SetDataParams(aws::QueryParams& params, const Value& planned) {
  const std::string p = "LaunchTemplateData.";
  for (const auto& [attribute, name, element] : kScalars)
    if (auto v = FindString(planned, attribute)) params.Set(p + name, *v);
  params.SetList(p + "SecurityGroupId", GetStrings(planned, "vpc_security_group_ids"), aws::ListStyle::kIndexed);
  for (const Value& profile : GetBlocks(planned, "iam_instance_profile")) {
    if (auto name = FindString(profile, "name")) params.Set(p + "IamInstanceProfile.Name", *name);
    if (auto arn = FindString(profile, "arn")) params.Set(p + "IamInstanceProfile.Arn", *arn);
  }
  int n = 0;
  for (const Value& mapping : GetBlocks(planned, "block_device_mappings")) {
    std::string m = p + "BlockDeviceMapping." + std::to_string(++n) + ".";
    if (auto v = FindString(mapping, "device_name")) params.Set(m + "DeviceName", *v);
    if (auto v = FindString(mapping, "no_device")) params.Set(m + "NoDevice", *v);
    if (auto v = FindString(mapping, "virtual_name")) params.Set(m + "VirtualName", *v);
    for (const Value& ebs : GetBlocks(mapping, "ebs"))
      for (const auto& [attribute, name, element] : kEbsFields)
        if (auto v = FindString(ebs, attribute)) params.Set(m + "Ebs." + name, *v);
  }
  for (const Value& options : GetBlocks(planned, "metadata_options"))
    for (const auto& [attribute, name, element] : kMetadataFields)
      if (auto v = FindString(options, attribute)) params.Set(p + "MetadataOptions." + name, *v);
  n = 0;
  for (const Value& eni : GetBlocks(planned, "network_interfaces")) {
    std::string m = p + "NetworkInterface." + std::to_string(++n) + ".";
    for (const auto& [attribute, name, element] : kInterfaceFields)
      if (auto v = FindString(eni, attribute)) params.Set(m + name, *v);
    params.SetList(m + "SecurityGroupId", GetStrings(eni, "security_groups"), aws::ListStyle::kIndexed);
  }
  n = 0;
  for (const Value& spec : GetBlocks(planned, "tag_specifications"))
    params.SetEc2TagSpecification(GetString(spec, "resource_type"), GetStringMap(spec, "tags"), ++n);
}

Value DataState(const aws::XmlNode& data) {
  Value state = Value::Map({});
  for (const auto& [attribute, name, element] : kScalars) state.Set(attribute, StrOrNull(data.Text(element)));
  std::vector<std::string> groups;
  for (const aws::XmlNode& g : data.FindAll("securityGroupIdSet/item")) groups.push_back(g.text());
  state.Set("vpc_security_group_ids", groups.empty() ? Value() : StrList(groups));
  ValueList profiles;
  if (aws::XmlNode profile = data.Child("iamInstanceProfile"))
    profiles.push_back(Value::Map({{"name", StrOrNull(profile.Text("name"))}, {"arn", StrOrNull(profile.Text("arn"))}}));
  state.Set("iam_instance_profile", Value::List(std::move(profiles)));
  ValueList mappings;
  for (const aws::XmlNode& item : data.FindAll("blockDeviceMappingSet/item")) {
    Value mapping = Value::Map({{"device_name", StrOrNull(item.Text("deviceName"))},
                                {"no_device", StrOrNull(item.Text("noDevice"))},
                                {"virtual_name", StrOrNull(item.Text("virtualName"))}});
    ValueList ebs_list;
    if (aws::XmlNode ebs_node = item.Child("ebs")) {
      Value ebs = Value::Map({});
      for (const auto& [attribute, name, element] : kEbsFields) {
        std::string text = ebs_node.Text(element);
        bool numeric = std::string(attribute) == "volume_size" || std::string(attribute) == "iops" ||
                       std::string(attribute) == "throughput";
        ebs.Set(attribute, numeric ? NumFromText(text) : StrOrNull(text));
      }
      ebs_list.push_back(ebs);
    }
    mapping.Set("ebs", Value::List(std::move(ebs_list)));
    mappings.push_back(mapping);
  }
  state.Set("block_device_mappings", Value::List(std::move(mappings)));
  ValueList metadata;
  if (aws::XmlNode options = data.Child("metadataOptions")) {
    Value block = Value::Map({});
    for (const auto& [attribute, name, element] : kMetadataFields) {
      std::string text = options.Text(element);
      block.Set(attribute, std::string(attribute) == "http_put_response_hop_limit" ? NumFromText(text) : StrOrNull(text));
    }
    metadata.push_back(block);
  }
  state.Set("metadata_options", Value::List(std::move(metadata)));
  ValueList interfaces;
  for (const aws::XmlNode& item : data.FindAll("networkInterfaceSet/item")) {
    Value eni = Value::Map({});
    for (const auto& [attribute, name, element] : kInterfaceFields) {
      std::string text = item.Text(element);
      eni.Set(attribute, std::string(attribute) == "device_index" ? NumFromText(text) : StrOrNull(text));
    }
    std::vector<std::string> eni_groups;
    for (const aws::XmlNode& g : item.FindAll("groupSet/groupId")) eni_groups.push_back(g.text());
    eni.Set("security_groups", eni_groups.empty() ? Value() : StrList(eni_groups));
    interfaces.push_back(eni);
  }
  state.Set("network_interfaces", Value::List(std::move(interfaces)));
  ValueList specs;
  for (const aws::XmlNode& item : data.FindAll("tagSpecificationSet/item")) {
    if (item.Text("resourceType") == "launch-template") continue;  // moto echoes the template's own tags here
    specs.push_back(Value::Map({{"resource_type", Str(item.Text("resourceType"))}, {"tags", TagValue(Ec2Tags(item))}}));
  }
  state.Set("tag_specifications", Value::List(std::move(specs)));
  return state;
}

Value Read(ResourceContext& ctx, const Value& current) {
  std::string id = IdOf(current);
  aws::QueryParams params;
  params.Set("LaunchTemplateId.1", id);
  auto found = ctx.client().Query("ec2", "DescribeLaunchTemplates", params);
  if (!found.ok()) {
    if (!found.error().IsNotFound()) ctx.Fail(found.error());
    return Value();
  }
  aws::XmlNode lt = found->root().Find("launchTemplates/item");
  if (!lt) return Value();
  aws::QueryParams version_params;
  version_params.Set("LaunchTemplateId", id).Set("Versions.1", lt.Text("latestVersionNumber"));
  auto versions = Ec2Call(ctx, "DescribeLaunchTemplateVersions", version_params);
  if (!versions) return Value();
  // (moto answers with every version: pick the latest by number)
  aws::XmlNode latest;
  for (const aws::XmlNode& v : versions->root().FindAll("launchTemplateVersionSet/item"))
    if (v.Text("versionNumber") == lt.Text("latestVersionNumber")) latest = v;
  Value state = DataState(latest.Child("launchTemplateData"));
  state.Set("id", Str(id));
  state.Set("name", Str(lt.Text("launchTemplateName")));
  state.Set("description", StrOrNull(latest.Text("versionDescription")));
  state.Set("default_version", NumFromText(lt.Text("defaultVersionNumber")));
  state.Set("latest_version", NumFromText(lt.Text("latestVersionNumber")));
  state.Set("arn", Str(ctx.Arn("ec2", ctx.AccountId(), "launch-template/" + id)));
  KeepAttributes(current, state, {"name_prefix", "update_default_version"});
  SetEc2Tags(ctx, lt, current, state);
  return state;
}

// The data parameters, with the data's tag specifications under their prefix.
aws::QueryParams DataParams(const Value& planned) {
  aws::QueryParams data;
  SetDataParams(data, planned);
  aws::QueryParams out;
  for (const auto& [name, value] : data.entries())
    out.Set(name.starts_with("TagSpecification.") ? "LaunchTemplateData." + name : name, value);
  if (auto description = FindString(planned, "description")) out.Set("VersionDescription", *description);
  return out;
}

// The tags of the template named `name`, its id into *id; nullopt when there is none.
std::optional<TagMap> TemplateTags(ResourceContext& ctx, const std::string& name, std::string* id) {
  aws::QueryParams params;
  params.Set("LaunchTemplateName.1", name);
  auto found = Ec2Send(ctx, "DescribeLaunchTemplates", params);
  if (!found.ok()) {
    if (!found.error().IsNotFound()) ctx.Fail(found.error());
    return std::nullopt;
  }
  aws::XmlNode lt = found->root().Find("launchTemplates/item");
  if (!lt) return std::nullopt;
  *id = lt.Text("launchTemplateId");
  return Ec2Tags(lt);
}

Value Create(ResourceContext& ctx, const Value& planned) {
  aws::QueryParams params = DataParams(planned);
  std::string name = NameForCreate(ctx, planned);
  params.Set("LaunchTemplateName", name).Set("ClientToken", ctx.ClientToken())
      .SetEc2TagSpecification(kTemplate.tag_type, ctx.TagsForCreate(planned));
  auto created = Ec2Send(ctx, "CreateLaunchTemplate", params, aws::Idempotency::kClientToken);
  if (created.ok()) return Value::Map({{"id", Str(created->root().Text("launchTemplate/launchTemplateId"))}});
  // The name is taken: by this instance's template (an earlier attempt), or an error.
  std::string id;
  if (!AdoptTakenName(ctx, created.error(), "InvalidLaunchTemplateName.AlreadyExistsException",
                      {"launch template", name}, [&] { return TemplateTags(ctx, name, &id); }))
    return Value();
  return Value::Map({{"id", Str(id)}});
}

// An id (lt-...) or a template name.
Value Import(ResourceContext& ctx, const std::string& id_or_name) {
  if (id_or_name.starts_with("lt-")) return Value::Map({{"id", Str(id_or_name)}});
  std::string id;
  if (!TemplateTags(ctx, id_or_name, &id)) {
    if (!ctx.failed()) ctx.Error("No launch template is named " + id_or_name);
    return Value();
  }
  return Value::Map({{"id", Str(id)}});
}

bool DataChanged(const Value& prior, const Value& planned) {
  for (const std::string& key : kDataAttributes)
    if (Changed(prior, planned, key)) return true;
  return false;
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  std::string id = IdOf(prior);
  if (DataChanged(prior, planned)) {
    aws::QueryParams params = DataParams(planned);
    params.Set("LaunchTemplateId", id).Set("ClientToken", ctx.ClientToken());
    auto doc = Ec2Call(ctx, "CreateLaunchTemplateVersion", params, aws::Idempotency::kClientToken);
    if (!doc) return;
    if (GetBool(planned, "update_default_version")) {
      aws::QueryParams set_default;
      set_default.Set("LaunchTemplateId", id)
          .Set("SetDefaultVersion", doc->root().Text("launchTemplateVersion/versionNumber"));
      Ec2Call(ctx, "ModifyLaunchTemplate", set_default, aws::Idempotency::kIdempotent);
    }
  }
}

void Plan(ResourceContext&, const PlanRequest& request, PlanResponse& response) {
  if (request.prior_state.is_null() || !DataChanged(request.prior_state, response.planned_state)) return;
  response.planned_state.Set("latest_version", Value::Unknown());
  if (GetBool(response.planned_state, "update_default_version"))
    response.planned_state.Set("default_version", Value::Unknown());
}

void Delete(ResourceContext& ctx, const Value& prior) {
  aws::QueryParams params;
  params.Set("LaunchTemplateId", IdOf(prior));
  ctx.SucceededOrGone(ctx.client().Query("ec2", "DeleteLaunchTemplate", params));
}

}  // namespace

ResourceType aws_launch_template() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.plan = Plan;
  type.update_tags = Ec2TagUpdater();
  type.import = Import;
  type.adopt = [](ResourceContext& ctx, const Value&) -> Value {
    std::string id = Ec2FindOwned(ctx, kTemplate);
    return id.empty() ? Value() : Value::Map({{"id", Str(id)}});
  };
  return type;
}

}  // namespace reconcile::aws_provider::resources
