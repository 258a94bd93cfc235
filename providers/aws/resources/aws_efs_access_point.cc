// aws_efs_access_point: an application's entry into an EFS file system (the
// POSIX user it acts as, the directory it sees as its root, created with the
// given owner and mode when missing). Everything but tags forces a new access
// point. The create's ClientToken makes it idempotent; an interrupted create
// is found by its ownership tags among the file system's access points. A
// refresh lists every access point once.
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
              Attribute::Required("file_system_id", kString).ForceNew(),
              Attribute::Optional("posix_user", kList)
                  .ForceNew()
                  .Block({
                      Attribute::Required("uid", kNumber),
                      Attribute::Required("gid", kNumber),
                      Attribute::Optional("secondary_gids", kSet).Of(kNumber),
                  })
                  .MaxItems(1),
              Attribute::OptionalComputed("root_directory", kList)
                  .ForceNew()
                  .Block({
                      Attribute::Optional("path", kString).Default(Str("/")),
                      Attribute::Optional("creation_info", kList)
                          .Block({
                              Attribute::Required("owner_uid", kNumber),
                              Attribute::Required("owner_gid", kNumber),
                              Attribute::Required("permissions", kString).Describe("octal, as \"755\""),
                          })
                          .MaxItems(1),
                  })
                  .MaxItems(1),
              Attribute::Computed("arn", kString),
              Attribute::Computed("file_system_arn", kString),
              Attribute::Computed("owner_id", kString),
          },
          "An EFS access point."};
}

// ---- AWS to state.

Value Numbers(const json& list) {
  ValueList out;
  if (list.is_array())
    for (const json& n : list)
      if (n.is_number()) out.push_back(Num(n.get<double>()));
  return out.empty() ? Value() : Value::List(std::move(out));
}

Value PosixUserState(const json& user) {
  if (!user.is_object()) return Value();
  return Value::List({Value::Map({{"uid", Num(user.value("Uid", 0.0))},
                                  {"gid", Num(user.value("Gid", 0.0))},
                                  {"secondary_gids", Numbers(user.value("SecondaryGids", json()))}})});
}

Value RootDirectoryState(const json& root) {
  if (!root.is_object()) return Value();
  Value creation;
  if (root.contains("CreationInfo") && root["CreationInfo"].is_object()) {
    const json& info = root["CreationInfo"];
    creation = Value::List({Value::Map({{"owner_uid", Num(info.value("OwnerUid", 0.0))},
                                        {"owner_gid", Num(info.value("OwnerGid", 0.0))},
                                        {"permissions", Str(JsonString(info, "Permissions"))}})});
  }
  std::string path = JsonString(root, "Path");
  return Value::List({Value::Map({{"path", Str(path.empty() ? "/" : path)}, {"creation_info", creation}})});
}

Value ToState(ResourceContext& ctx, const json& point, const Value& current) {
  Value state = Value::Map({});
  state.Set("id", Str(JsonString(point, "AccessPointId")));
  state.Set("file_system_id", Str(JsonString(point, "FileSystemId")));
  state.Set("posix_user", PosixUserState(point.value("PosixUser", json())));
  state.Set("root_directory", RootDirectoryState(point.value("RootDirectory", json())));
  state.Set("arn", Str(JsonString(point, "AccessPointArn")));
  state.Set("file_system_arn", Str(ctx.Arn("elasticfilesystem", JsonString(point, "OwnerId"),
                                           "file-system/" + JsonString(point, "FileSystemId"))));
  state.Set("owner_id", Str(JsonString(point, "OwnerId")));
  SetTagsFromAws(TagMapFromJson(point.value("Tags", json::array())), ctx.runtime().default_tags, current, state);
  return state;
}

// ---- Reads.

// The access point with `id` (null json when gone); nullopt on error.
std::optional<json> Describe(ResourceContext& ctx, const std::string& id) {
  auto page = EfsCallOrGone(ctx, "DescribeAccessPoints", "GET", "/access-points", {{"AccessPointId", id}});
  if (!page) return std::nullopt;
  json list = page->value("AccessPoints", json::array());
  return list.empty() ? json() : list[0];
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto point = Describe(ctx, IdOf(current));
  return point && !point->is_null() ? ToState(ctx, *point, current) : Value();
}

// Every access point by id (of one file system when `file_system_id` is set), 100 a page.
Found<json> ListAccessPoints(ResourceContext& ctx, const std::string& file_system_id = "") {
  std::map<std::string, json> found;
  aws::QueryList base = {{"MaxResults", "100"}};
  if (!file_system_id.empty()) base.emplace_back("FileSystemId", file_system_id);
  aws::QueryList query = base;
  while (true) {
    auto page = EfsCall(ctx, "DescribeAccessPoints", "GET", "/access-points", query);
    if (!page) return std::nullopt;
    for (const json& point : page->value("AccessPoints", json::array()))
      found[JsonString(point, "AccessPointId")] = point;
    std::string token = JsonString(*page, "NextToken");
    if (token.empty()) return found;
    query = base;
    query.emplace_back("NextToken", token);
  }
}

std::vector<ReadResponse> ReadBatch(BatchContext& ctx, const std::vector<ReadRequest>& requests) {
  return BatchRead(ctx, requests, ListAccessPoints(ctx), ToState);
}

// ---- Create, delete, adopt.

json PosixUserJson(const Value& planned) {
  for (const Value& user : GetBlocks(planned, "posix_user")) {
    json out = {{"Uid", GetInt(user, "uid")}, {"Gid", GetInt(user, "gid")}};
    if (const Value* gids = user.Find("secondary_gids"); gids && gids->is_list()) {
      json list = json::array();
      for (const Value& g : gids->AsList())
        if (g.is_number()) list.push_back(static_cast<long long>(g.AsNumber()));
      if (!list.empty()) out["SecondaryGids"] = list;
    }
    return out;
  }
  return nullptr;
}

json RootDirectoryJson(const Value& planned) {
  for (const Value& root : GetBlocks(planned, "root_directory")) {
    json out = {{"Path", FindString(root, "path").value_or("/")}};
    for (const Value& info : GetBlocks(root, "creation_info"))
      out["CreationInfo"] = {{"OwnerUid", GetInt(info, "owner_uid")},
                             {"OwnerGid", GetInt(info, "owner_gid")},
                             {"Permissions", GetString(info, "permissions")}};
    return out;
  }
  return nullptr;
}

bool WaitAvailable(ResourceContext& ctx, const std::string& id) {
  return WaitFor(ctx, "access point " + id + " to become available", [&] {
    auto point = Describe(ctx, id);
    if (!point) return Poll::kFailed;
    return !point->is_null() && JsonString(*point, "LifeCycleState") == "available" ? Poll::kDone : Poll::kPending;
  });
}

Value Create(ResourceContext& ctx, const Value& planned) {
  json body = {{"ClientToken", ctx.ClientToken(64)},
               {"FileSystemId", GetString(planned, "file_system_id")},
               {"Tags", TagListJson(ctx.TagsForCreate(planned))}};
  if (json user = PosixUserJson(planned); !user.is_null()) body["PosixUser"] = user;
  if (json root = RootDirectoryJson(planned); !root.is_null()) body["RootDirectory"] = root;
  auto created = EfsCall(ctx, "CreateAccessPoint", "POST", "/access-points", {}, body, aws::Idempotency::kClientToken);
  if (!created) return Value();
  std::string id = JsonString(*created, "AccessPointId");
  WaitAvailable(ctx, id);
  return Value::Map({{"id", Str(id)}});
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
  DeleteUntilGone(ctx, {.what = "access point " + id,
                        .call = [&] { return AsDone(EfsSend(ctx, "DeleteAccessPoint", "DELETE", "/access-points/" + id)); },
                        .exists = [&]() -> std::optional<bool> {
                          auto point = Describe(ctx, id);
                          if (!point) return std::nullopt;
                          return !point->is_null();
                        }});
}

// The planned file system's access point carrying this instance's ownership tags.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  Found<json> points = ListAccessPoints(ctx, GetString(planned, "file_system_id"));
  if (!points) return Value();
  for (const auto& [id, point] : *points)
    if (OwnedByThisInstance(ctx, TagMapFromJson(point.value("Tags", json::array()))))
      return Value::Map({{"id", Str(id)}});
  return Value();
}

}  // namespace

ResourceType aws_efs_access_point() {
  ResourceType type = MakeType(Schema(), Create, nullptr, Delete);
  type.read = Read;
  type.read_batch = ReadBatch;
  type.adopt = Adopt;
  type.update_tags = UpdateTags;
  return type;
}

}  // namespace reconcile::aws_provider::resources
