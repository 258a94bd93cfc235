// aws_efs_file_system: an EFS file system. Its CreationToken makes the create
// idempotent and finds it again after an interrupted apply (a configured
// token is a name: another owner's file system holding it is an error);
// throughput settings change in place. A refresh lists every file system once.
#include "batch.h"
#include "ownership.h"
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
              Attribute::OptionalComputed("creation_token", kString).ForceNew(),
              Attribute::OptionalComputed("encrypted", kBool).ForceNew(),
              Attribute::OptionalComputed("kms_key_id", kString).ForceNew(),
              Attribute::OptionalComputed("performance_mode", kString).ForceNew(),
              Attribute::OptionalComputed("availability_zone_name", kString).ForceNew(),
              Attribute::Optional("throughput_mode", kString).Default(Str("bursting")),
              Attribute::Optional("provisioned_throughput_in_mibps", kNumber),
              Attribute::Computed("arn", kString),
              Attribute::Computed("dns_name", kString),
              Attribute::Computed("owner_id", kString),
              Attribute::Computed("number_of_mount_targets", kNumber),
          },
          "An EFS file system."};
}

Value ToState(ResourceContext& ctx, const json& fs, const Value& current) {
  std::string id = JsonString(fs, "FileSystemId");
  Value state = Value::Map({});
  state.Set("id", Str(id));
  state.Set("creation_token", Str(JsonString(fs, "CreationToken")));
  state.Set("encrypted", Bool(fs.value("Encrypted", false)));
  state.Set("kms_key_id", StrOrNull(JsonString(fs, "KmsKeyId")));
  state.Set("performance_mode", Str(JsonString(fs, "PerformanceMode")));
  state.Set("availability_zone_name", StrOrNull(JsonString(fs, "AvailabilityZoneName")));
  state.Set("throughput_mode", Str(JsonString(fs, "ThroughputMode")));
  state.Set("provisioned_throughput_in_mibps",
            fs.contains("ProvisionedThroughputInMibps") && JsonString(fs, "ThroughputMode") == "provisioned"
                ? Num(fs["ProvisionedThroughputInMibps"].get<double>())
                : Value());
  state.Set("arn", Str(JsonString(fs, "FileSystemArn")));
  state.Set("dns_name", Str(id + ".efs." + ctx.region() + ".amazonaws.com"));
  state.Set("owner_id", Str(JsonString(fs, "OwnerId")));
  state.Set("number_of_mount_targets", Num(fs.value("NumberOfMountTargets", 0.0)));
  SetTagsFromAws(TagMapFromJson(fs.value("Tags", json::array())), ctx.runtime().default_tags, current, state);
  return state;
}

// The file system with `id` (null json when gone); nullopt on error.
std::optional<json> Describe(ResourceContext& ctx, const std::string& id) {
  auto page = EfsCallOrGone(ctx, "DescribeFileSystems", "GET", "/file-systems", {{"FileSystemId", id}});
  if (!page) return std::nullopt;
  json list = page->value("FileSystems", json::array());
  return list.empty() ? json() : list[0];
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto fs = Describe(ctx, IdOf(current));
  return fs && !fs->is_null() ? ToState(ctx, *fs, current) : Value();
}

// Every file system by id (DescribeFileSystems, 100 a page).
Found<json> ListFileSystems(ResourceContext& ctx) {
  std::map<std::string, json> found;
  aws::QueryList query = {{"MaxItems", "100"}};
  while (true) {
    auto page = EfsCall(ctx, "DescribeFileSystems", "GET", "/file-systems", query);
    if (!page) return std::nullopt;
    for (const json& fs : page->value("FileSystems", json::array())) found[JsonString(fs, "FileSystemId")] = fs;
    std::string marker = JsonString(*page, "NextMarker");
    if (marker.empty()) return found;
    query = {{"MaxItems", "100"}, {"Marker", marker}};
  }
}

// One listing answers every request.
std::vector<ReadResponse> ReadBatch(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  return BatchRead(ctx, requests, ListFileSystems(ctx), ToState);
}

bool WaitAvailable(ResourceContext& ctx, const std::string& id) {
  return WaitFor(ctx, "file system " + id + " to become available", [&] {
    auto fs = Describe(ctx, id);
    if (!fs) return Poll::kFailed;
    return !fs->is_null() && JsonString(*fs, "LifeCycleState") == "available" ? Poll::kDone : Poll::kPending;
  });
}

std::string CreationToken(ResourceContext& ctx, const Value& planned) {
  return FindString(planned, "creation_token").value_or(ctx.ClientToken(64));
}

// The tags of the file system made with `token`, its id into *id; nullopt
// when there is none.
std::optional<TagMap> TokenHolderTags(ResourceContext& ctx, const std::string& token, std::string* id) {
  auto page = EfsCall(ctx, "DescribeFileSystems", "GET", "/file-systems", {{"CreationToken", token}});
  if (!page || page->value("FileSystems", json::array()).empty()) return std::nullopt;
  const json& fs = (*page)["FileSystems"][0];
  *id = JsonString(fs, "FileSystemId");
  return TagMapFromJson(fs.value("Tags", json::array()));
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string token = CreationToken(ctx, planned);
  json body = {{"CreationToken", token},
               {"ThroughputMode", GetString(planned, "throughput_mode")},
               {"Tags", TagListJson(ctx.TagsForCreate(planned))}};
  if (auto v = FindBool(planned, "encrypted")) body["Encrypted"] = *v;
  if (auto v = FindString(planned, "kms_key_id")) body["KmsKeyId"] = *v;
  if (auto v = FindString(planned, "performance_mode")) body["PerformanceMode"] = *v;
  if (auto v = FindString(planned, "availability_zone_name")) body["AvailabilityZoneName"] = *v;
  if (auto v = FindInt(planned, "provisioned_throughput_in_mibps")) body["ProvisionedThroughputInMibps"] = *v;
  auto created = EfsSend(ctx, "CreateFileSystem", "POST", "/file-systems", {}, body, aws::Idempotency::kClientToken);
  std::string id = created.ok() ? JsonString(*created, "FileSystemId") : "";
  NamedObject fs{"EFS file system with creation token", token};
  if (!CreatedOrAdopted(ctx, created, "FileSystemAlreadyExists", fs, [&] {
        std::optional<TagMap> tags = TokenHolderTags(ctx, token, &id);
        fs.import_id = id;  // import takes the file system's id
        return tags;
      }))
    return Value();
  WaitAvailable(ctx, id);
  return Value::Map({{"id", Str(id)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (!Changed(prior, planned, "throughput_mode") && !Changed(prior, planned, "provisioned_throughput_in_mibps"))
    return;
  json body = {{"ThroughputMode", GetString(planned, "throughput_mode")}};
  if (auto v = FindInt(planned, "provisioned_throughput_in_mibps")) body["ProvisionedThroughputInMibps"] = *v;
  if (EfsCall(ctx, "UpdateFileSystem", "PUT", "/file-systems/" + IdOf(prior), {}, body, aws::Idempotency::kIdempotent))
    WaitAvailable(ctx, IdOf(prior));
}

void UpdateTags(ResourceContext& ctx, const Value& state, const TagChanges& changes) {
  std::string path = "/resource-tags/" + IdOf(state);
  if (!changes.remove.empty()) {
    aws::QueryList keys;
    for (const std::string& key : changes.remove) keys.emplace_back("tagKeys", key);
    if (!EfsCall(ctx, "UntagResource", "DELETE", path, keys)) return;
  }
  if (!changes.set.empty())
    EfsCall(ctx, "TagResource", "POST", path, {}, {{"Tags", TagListJson(changes.set)}}, aws::Idempotency::kIdempotent);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string id = IdOf(prior);
  DeleteUntilGone(ctx, {.what = "file system " + id,
                        .call = [&] { return AsDone(EfsSend(ctx, "DeleteFileSystem", "DELETE", "/file-systems/" + id)); },
                        .retry_while = {"FileSystemInUse"},
                        .exists = [&]() -> std::optional<bool> {
                          auto fs = Describe(ctx, id);
                          if (!fs) return std::nullopt;
                          return !fs->is_null();
                        }});
}

// The file system made with this create's CreationToken, when it is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string id;
  return HolderIsOurs(ctx, [&] { return TokenHolderTags(ctx, CreationToken(ctx, planned), &id); })
             ? Value::Map({{"id", Str(id)}})
             : Value();
}

}  // namespace

ResourceType aws_efs_file_system() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.read_batch = ReadBatch;
  type.adopt = Adopt;
  type.update_tags = UpdateTags;
  return type;
}

}  // namespace reconcile::aws_provider::resources
