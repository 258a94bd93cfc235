// data aws_ecr_image: one image of an ECR repository, by tag, by digest, or
// the most recently pushed (most_recent = true): its digest, tags, size,
// push time and a pullable URI pinned to the digest.
#include <algorithm>

#include "aws/pagination.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ecr.h"

namespace reconcile::aws_provider::data_sources {

namespace {

using nlohmann::json;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("repository_name", kString),
              Attribute::OptionalComputed("registry_id", kString),
              Attribute::OptionalComputed("image_tag", kString),
              Attribute::OptionalComputed("image_digest", kString),
              Attribute::Optional("most_recent", kBool).Default(Bool(false)),
              Attribute::Computed("id", kString),
              Attribute::Computed("image_tags", kList).Of(kString),
              Attribute::Computed("image_pushed_at", kNumber),
              Attribute::Computed("image_size_in_bytes", kNumber),
              Attribute::Computed("image_uri", kString),
          },
          "An image in an ECR repository."};
}

// The images the configuration selects (every image for most_recent); nullopt on error.
std::optional<json> Images(ResourceContext& ctx, const Value& config) {
  json body = {{"repositoryName", GetString(config, "repository_name")}};
  if (auto registry = FindString(config, "registry_id")) body["registryId"] = *registry;
  if (auto digest = FindString(config, "image_digest")) body["imageIds"] = {{{"imageDigest", *digest}}};
  else if (auto tag = FindString(config, "image_tag")) body["imageIds"] = {{{"imageTag", *tag}}};
  json images = json::array();
  auto done = aws::JsonPages(ctx.client(), "ecr", "DescribeImages", body,
                             [&](const json& page) {
                               for (const json& image : page.value("imageDetails", json::array()))
                                 images.push_back(image);
                               return true;
                             },
                             "nextToken", "nextToken");
  if (!done.ok()) {
    ctx.Fail(done.error());
    return std::nullopt;
  }
  return images;
}

Value Read(ResourceContext& ctx, const Value& config) {
  bool by_id = IsSet(config, "image_digest") || IsSet(config, "image_tag");
  if (by_id == GetBool(config, "most_recent")) {
    ctx.Error("data aws_ecr_image needs exactly one way to pick the image",
              "Set image_tag or image_digest, or most_recent = true.");
    return Value();
  }
  auto images = Images(ctx, config);
  if (!images) return Value();
  if (images->empty()) {
    ctx.Error("No image in ECR repository " + GetString(config, "repository_name") + " matches",
              "Push the image first, or pick another tag or digest.");
    return Value();
  }
  const json& image = *std::max_element(images->begin(), images->end(), [](const json& a, const json& b) {
    return a.value("imagePushedAt", 0.0) < b.value("imagePushedAt", 0.0);
  });
  std::string digest = JsonString(image, "imageDigest");
  std::vector<std::string> tags = image.value("imageTags", std::vector<std::string>());
  std::string registry = JsonString(image, "registryId");
  std::string repository = JsonString(image, "repositoryName");
  Value state = config;
  state.Set("id", Str(digest));
  state.Set("image_digest", Str(digest));
  state.Set("registry_id", Str(registry));
  if (!IsSet(config, "image_tag")) state.Set("image_tag", tags.empty() ? Value() : Str(tags[0]));
  state.Set("image_tags", StrList(tags));
  state.Set("image_pushed_at", Num(image.value("imagePushedAt", 0.0)));
  state.Set("image_size_in_bytes", Num(image.value("imageSizeInBytes", 0.0)));
  state.Set("image_uri", Str(registry + ".dkr.ecr." + ctx.region() + ".amazonaws.com/" + repository + "@" + digest));
  return state;
}

}  // namespace

DataSourceType aws_ecr_image() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
