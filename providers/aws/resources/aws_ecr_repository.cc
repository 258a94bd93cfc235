// aws_ecr_repository: an ECR image repository. The id is its name. Tag
// mutability and scan on push change in place; the name and encryption force
// a new repository. A repository holding images is deleted only with
// `force_delete`. A refresh lists the registry's repositories once.
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/ecr.h"

namespace reconcile::aws_provider::resources {

namespace {

using nlohmann::json;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("name", kString).ForceNew(),
              Attribute::Optional("image_tag_mutability", kString).Default(Str("MUTABLE")),
              Attribute::OptionalComputed("image_scanning_configuration", kList)
                  .Block({Attribute::Required("scan_on_push", kBool)})
                  .MaxItems(1),
              Attribute::OptionalComputed("encryption_configuration", kList)
                  .Block({Attribute::Optional("encryption_type", kString).Default(Str("AES256")),
                          Attribute::OptionalComputed("kms_key", kString)})
                  .MaxItems(1)
                  .ForceNew(),
              Attribute::Optional("force_delete", kBool).Default(Bool(false)),
              Attribute::Computed("arn", kString),
              Attribute::Computed("registry_id", kString),
              Attribute::Computed("repository_url", kString),
          },
          "An ECR repository."};
}

Value ToStateWithTags(ResourceContext& ctx, const json& repo, const TagMap& tags, const Value& current) {
  const json& encryption = repo.value("encryptionConfiguration", json::object());
  Value state = Value::Map({});
  state.Set("id", Str(JsonString(repo, "repositoryName")));
  state.Set("name", Str(JsonString(repo, "repositoryName")));
  state.Set("image_tag_mutability", Str(JsonString(repo, "imageTagMutability")));
  state.Set("image_scanning_configuration",
            Value::List({Value::Map({{"scan_on_push", Bool(repo.value("imageScanningConfiguration", json::object())
                                                                .value("scanOnPush", false))}})}));
  state.Set("encryption_configuration",
            Value::List({Value::Map({{"encryption_type", Str(JsonString(encryption, "encryptionType"))},
                                     {"kms_key", StrOrNull(JsonString(encryption, "kmsKey"))}})}));
  state.Set("force_delete", Bool(GetBool(current, "force_delete")));
  state.Set("arn", Str(JsonString(repo, "repositoryArn")));
  state.Set("registry_id", Str(JsonString(repo, "registryId")));
  state.Set("repository_url", Str(JsonString(repo, "repositoryUri")));
  SetTagsFromAws(tags, ctx.runtime().default_tags, current, state);
  return state;
}

Value ToState(ResourceContext& ctx, const json& repo, const Value& current) {
  auto tags = EcrTagsOf(ctx, JsonString(repo, "repositoryArn"));
  return tags ? ToStateWithTags(ctx, repo, *tags, current) : Value();
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto repo = DescribeRepository(ctx, IdOf(current));
  return repo && !repo->is_null() ? ToState(ctx, *repo, current) : Value();
}

// One listing of the registry answers every request (tags are one call each).
std::vector<ReadResponse> ReadBatch(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  return BatchRead(ctx, requests, ListRepositories(ctx, {}), ToState);
}

std::optional<TagMap> HolderTags(ResourceContext& ctx, const std::string& name) {
  auto repo = DescribeRepository(ctx, name);
  if (!repo || repo->is_null()) return std::nullopt;
  return EcrTagsOf(ctx, JsonString(*repo, "repositoryArn"));
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = GetString(planned, "name");
  json body = {{"repositoryName", name},
               {"imageTagMutability", GetString(planned, "image_tag_mutability")},
               {"tags", TagListJson(ctx.TagsForCreate(planned))}};
  std::vector<Value> scanning = GetBlocks(planned, "image_scanning_configuration");
  if (!scanning.empty()) body["imageScanningConfiguration"] = {{"scanOnPush", GetBool(scanning[0], "scan_on_push")}};
  std::vector<Value> encryption = GetBlocks(planned, "encryption_configuration");
  if (!encryption.empty()) {
    body["encryptionConfiguration"] = {{"encryptionType", GetString(encryption[0], "encryption_type")}};
    if (auto key = FindString(encryption[0], "kms_key")) body["encryptionConfiguration"]["kmsKey"] = *key;
  }
  auto created = EcrSend(ctx, "CreateRepository", body, aws::Idempotency::kNotIdempotent);
  if (!CreatedOrAdopted(ctx, created, "RepositoryAlreadyExistsException", {"ECR repository", name},
                        [&] { return HolderTags(ctx, name); }))
    return Value();
  return Value::Map({{"id", Str(name)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  std::string name = IdOf(prior);
  if (Changed(prior, planned, "image_tag_mutability") &&
      !EcrCall(ctx, "PutImageTagMutability",
               {{"repositoryName", name}, {"imageTagMutability", GetString(planned, "image_tag_mutability")}},
               aws::Idempotency::kIdempotent))
    return;
  std::vector<Value> scanning = GetBlocks(planned, "image_scanning_configuration");
  if (Changed(prior, planned, "image_scanning_configuration") && !scanning.empty())
    EcrCall(ctx, "PutImageScanningConfiguration",
            {{"repositoryName", name},
             {"imageScanningConfiguration", {{"scanOnPush", GetBool(scanning[0], "scan_on_push")}}}},
            aws::Idempotency::kIdempotent);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  auto deleted = EcrSend(ctx, "DeleteRepository",
                         {{"repositoryName", IdOf(prior)}, {"force", GetBool(prior, "force_delete")}},
                         aws::Idempotency::kIdempotent);
  if (!deleted.ok() && deleted.error().Is("RepositoryNotEmptyException")) {
    ctx.Error("ECR repository " + IdOf(prior) + " of " + ctx.address() + " still holds images",
              "Set force_delete = true and apply to delete it with its images, or delete the images first.");
    return;
  }
  ctx.SucceededOrGone(deleted);
}

Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string name = GetString(planned, "name");
  return HolderIsOurs(ctx, [&] { return HolderTags(ctx, name); }) ? Value::Map({{"id", Str(name)}}) : Value();
}

}  // namespace

ResourceType aws_ecr_repository() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.read_batch = ReadBatch;
  type.adopt = Adopt;
  type.update_tags = EcrTagUpdater();
  return type;
}

}  // namespace reconcile::aws_provider::resources
