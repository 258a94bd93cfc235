// data aws_ami: one machine image found by owners, filters and a name
// pattern (DescribeImages); with most_recent the newest of several, else
// several is an error, as in Terraform.
#include "core/regex.h"
#include "ec2.h"
#include "fields.h"
#include "filter_blocks.h"
#include "resource_type.h"

namespace reconcile::aws_provider::data_sources {

namespace {

// Image attributes copied as text: attribute, element of the image item.
constexpr std::pair<const char*, const char*> kTextFields[] = {
    {"name", "name"},
    {"description", "description"},
    {"architecture", "architecture"},
    {"creation_date", "creationDate"},
    {"owner_id", "imageOwnerId"},
    {"image_owner_alias", "imageOwnerAlias"},
    {"image_type", "imageType"},
    {"image_location", "imageLocation"},
    {"kernel_id", "kernelId"},
    {"ramdisk_id", "ramdiskId"},
    {"platform", "platform"},
    {"platform_details", "platformDetails"},
    {"usage_operation", "usageOperation"},
    {"root_device_name", "rootDeviceName"},
    {"root_device_type", "rootDeviceType"},
    {"state", "imageState"},
    {"virtualization_type", "virtualizationType"},
    {"hypervisor", "hypervisor"},
    {"boot_mode", "bootMode"},
    {"deprecation_time", "deprecationTime"},
};

ResourceSchema Schema() {
  std::vector<Attribute> attributes{
      Attribute::Optional("owners", kList)
          .Of(kString)
          .Describe("account ids, self, amazon, aws-marketplace"),
      FilterBlocksAttribute(),
      Attribute::Optional("most_recent", kBool).Default(Bool(false)),
      Attribute::Optional("name_regex", kString),
      Attribute::Optional("executable_users", kList).Of(kString),
      Attribute::Optional("include_deprecated", kBool).Default(Bool(false)),
      Attribute::Computed("id", kString),
      Attribute::Computed("image_id", kString),
      Attribute::Computed("arn", kString),
      Attribute::Computed("public", kBool),
      Attribute::Computed("ena_support", kBool),
      Attribute::Computed("root_snapshot_id", kString),
      Attribute::Computed("tags", kMap).Of(kString),
      Attribute::Computed("block_device_mappings", kSet)
          .Block({
              Attribute::Computed("device_name", kString),
              Attribute::Computed("virtual_name", kString),
              Attribute::Computed("no_device", kString),
              Attribute::Computed("ebs", kMap).Of(kString),
          }),
  };
  for (const auto& [attribute, element] : kTextFields)
    attributes.push_back(Attribute::Computed(attribute, kString));
  return {0, std::move(attributes), "A machine image (AMI)."};
}

std::optional<std::vector<aws::XmlNode>> DescribeImages(ResourceContext& ctx, const Value& config) {
  aws::QueryParams params;
  params.SetList("Owner", GetStrings(config, "owners"), aws::ListStyle::kIndexed)
      .SetList("ExecutableBy", GetStrings(config, "executable_users"), aws::ListStyle::kIndexed)
      .SetEc2Filters(FiltersOf(config));
  if (GetBool(config, "include_deprecated")) params.SetBool("IncludeDeprecated", true);
  auto described = Ec2Call(ctx, "DescribeImages", params);
  if (!described) return std::nullopt;
  return described->root().FindAll("imagesSet/item");
}

// The images whose name matches name_regex (all when unset); nullopt when the pattern is invalid.
std::optional<std::vector<aws::XmlNode>> MatchingName(ResourceContext& ctx, const Value& config,
                                                      std::vector<aws::XmlNode> images) {
  auto pattern = FindString(config, "name_regex");
  if (!pattern) return images;
  std::string problem;
  std::optional<Regex> regex = Regex::Compile(*pattern, &problem);
  if (!regex) {
    ctx.Error("name_regex is not a valid regular expression",
              "/" + *pattern + "/: " + problem + " (patterns use RE2 syntax, as in Terraform)");
    return std::nullopt;
  }
  std::vector<aws::XmlNode> out;
  for (const aws::XmlNode& image : images)
    if (regex->Search(image.Text("name"))) out.push_back(image);
  return out;
}

Value BlockDeviceMappings(const aws::XmlNode& image) {
  ValueList out;
  for (const aws::XmlNode& m : image.FindAll("blockDeviceMapping/item")) {
    ValueMap ebs;
    const std::pair<const char*, const char*> fields[] = {
        {"snapshot_id", "snapshotId"}, {"volume_size", "volumeSize"},
        {"volume_type", "volumeType"}, {"delete_on_termination", "deleteOnTermination"},
        {"encrypted", "encrypted"},    {"iops", "iops"},
        {"throughput", "throughput"}};
    if (aws::XmlNode e = m.Child("ebs"))
      for (const auto& [key, element] : fields)
        if (auto text = e.TextIf(element)) ebs.emplace(key, Str(*text));
    out.push_back(Value::Map({{"device_name", StrOrNull(m.Text("deviceName"))},
                              {"virtual_name", StrOrNull(m.Text("virtualName"))},
                              {"no_device", StrOrNull(m.Text("noDevice"))},
                              {"ebs", ebs.empty() ? Value() : Value::Map(std::move(ebs))}}));
  }
  return Value::List(std::move(out));
}

std::string RootSnapshot(const aws::XmlNode& image) {
  for (const aws::XmlNode& m : image.FindAll("blockDeviceMapping/item"))
    if (m.Text("deviceName") == image.Text("rootDeviceName")) return m.Text("ebs/snapshotId");
  return "";
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& image, const Value& config) {
  Value state = config.is_map() ? config : Value::Map({});
  std::string id = image.Text("imageId");
  state.Set("id", Str(id));
  state.Set("image_id", Str(id));
  state.Set("arn", Str(ctx.Arn("ec2", "", "image/" + id)));
  for (const auto& [attribute, element] : kTextFields)
    state.Set(attribute, StrOrNull(image.Text(element)));
  state.Set("public", Bool(image.Text("isPublic") == "true"));
  state.Set("ena_support", Bool(image.Text("enaSupport") == "true"));
  state.Set("root_snapshot_id", StrOrNull(RootSnapshot(image)));
  state.Set("tags", TagValue(Ec2Tags(image)));
  state.Set("block_device_mappings", BlockDeviceMappings(image));
  return state;
}

Value Read(ResourceContext& ctx, const Value& config) {
  auto described = DescribeImages(ctx, config);
  if (!described) return Value();
  auto images = MatchingName(ctx, config, std::move(*described));
  if (!images) return Value();
  if (images->empty()) {
    ctx.Error("Your query returned no results",
              "Change the owners, filters or name_regex and try again.");
    return Value();
  }
  if (images->size() > 1 && !GetBool(config, "most_recent")) {
    ctx.Error(
        "Your query returned more than one result (" + std::to_string(images->size()) + " images)",
        "Use more specific filters, or set most_recent = true to take the newest.");
    return Value();
  }
  auto newest = std::max_element(images->begin(), images->end(),
                                 [](const aws::XmlNode& a, const aws::XmlNode& b) {
                                   return a.Text("creationDate") < b.Text("creationDate");
                                 });
  return ToState(ctx, *newest, config);
}

}  // namespace

DataSourceType aws_ami() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
