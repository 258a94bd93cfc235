// aws_iam_instance_profile: an instance profile carrying (at most) one role;
// the role changes in place. The id is the profile name.
#include "generated_name.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "services/iam.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("name", kString).ForceNew(),
              Attribute::Optional("name_prefix", kString).ForceNew(),
              Attribute::Optional("path", kString).ForceNew().Default(Str("/")),
              Attribute::Optional("role", kString).Describe("the role's name"),
              Attribute::Computed("arn", kString),
              Attribute::Computed("unique_id", kString),
              Attribute::Computed("create_date", kString),
          },
          "An IAM instance profile."};
}

aws::QueryParams ProfileName(const std::string& name) {
  aws::QueryParams params;
  params.Set("InstanceProfileName", name);
  return params;
}

// The profile's element (invalid when it does not exist); nullopt on error.
std::optional<aws::XmlNode> GetProfile(ResourceContext& ctx, const std::string& name) {
  auto doc = IamCallOrGone(ctx, "GetInstanceProfile", ProfileName(name));
  if (!doc) return std::nullopt;
  return doc->empty() ? aws::XmlNode()
                      : doc->root().Find("GetInstanceProfileResult/InstanceProfile");
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto profile = GetProfile(ctx, IdOf(current));
  if (!profile || !profile->valid()) return Value();
  Value state = Value::Map({});
  state.Set("id", Str(profile->Text("InstanceProfileName")));
  state.Set("name", Str(profile->Text("InstanceProfileName")));
  state.Set("path", Str(profile->Text("Path")));
  state.Set("role", StrOrNull(profile->Text("Roles/member/RoleName")));
  state.Set("arn", Str(profile->Text("Arn")));
  state.Set("unique_id", Str(profile->Text("InstanceProfileId")));
  state.Set("create_date", Str(profile->Text("CreateDate")));
  KeepAttributes(current, state, {"name_prefix"});
  SetTagsFromAws(IamTags(*profile), ctx.runtime().default_tags, current, state);
  return state;
}

// Puts `role` into the profile (waiting for IAM to know a new role).
bool AddRole(ResourceContext& ctx, const std::string& profile, const std::string& role) {
  aws::QueryParams params = ProfileName(profile);
  params.Set("RoleName", role);
  return IamCallAwaitingEntities(ctx, "AddRoleToInstanceProfile", params,
                                 aws::Idempotency::kNotIdempotent);
}

// Whether the profile carries `role`; nullopt after recording an error.
std::optional<bool> HasRole(ResourceContext& ctx, const std::string& profile,
                            const std::string& role) {
  auto now = GetProfile(ctx, profile);
  if (!now) return std::nullopt;
  for (const aws::XmlNode& r : now->FindAll("Roles/member"))
    if (r.Text("RoleName") == role) return true;
  return false;
}

// Takes `role` out of the profile; the role's own delete may do so at the same time.
bool RemoveRole(ResourceContext& ctx, const std::string& profile, const std::string& role) {
  aws::QueryParams params = ProfileName(profile);
  params.Set("RoleName", role);
  return IamUnlink(ctx, "RemoveRoleFromInstanceProfile", params,
                   [&] { return HasRole(ctx, profile, role); });
}

// The tags of the profile named `name`; nullopt when there is none.
std::optional<TagMap> ProfileTags(ResourceContext& ctx, const std::string& name) {
  auto profile = GetProfile(ctx, name);
  if (!profile || !profile->valid()) return std::nullopt;
  return IamTags(*profile);
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = NameForCreate(ctx, planned);
  aws::QueryParams params = ProfileName(name);
  params.Set("Path", GetString(planned, "path"))
      .SetTags("Tags", ctx.TagsForCreate(planned), aws::ListStyle::kMember);
  auto created = IamSend(ctx, "CreateInstanceProfile", params, aws::Idempotency::kNotIdempotent);
  // A create that landed before a lost answer left this instance's profile behind.
  if (!CreatedOrAdopted(ctx, created, "EntityAlreadyExists", {"IAM instance profile", name},
                        [&] { return ProfileTags(ctx, name); }))
    return Value();
  Value result = Value::Map({{"id", Str(name)}});
  auto role = FindString(planned, "role");
  // An adopted profile may carry the role already.
  if (role && (created.ok() || HasRole(ctx, name, *role) == false)) AddRole(ctx, name, *role);
  return result;
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (!Changed(prior, planned, "role")) return;
  std::string name = IdOf(prior);
  if (auto old_role = FindString(prior, "role"); old_role && !RemoveRole(ctx, name, *old_role))
    return;
  if (auto new_role = FindString(planned, "role")) AddRole(ctx, name, *new_role);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string name = IdOf(prior);
  auto profile = GetProfile(ctx, name);
  if (!profile || !profile->valid()) return;
  for (const aws::XmlNode& role : profile->FindAll("Roles/member"))
    if (!RemoveRole(ctx, name, role.Text("RoleName"))) return;
  ctx.SucceededOrGone(ctx.client().Query("iam", "DeleteInstanceProfile", ProfileName(name),
                                         {.idempotency = aws::Idempotency::kIdempotent}));
}

// The profile this instance's create would have named, when it is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string name = NameForCreate(ctx, planned);
  return HolderIsOurs(ctx, [&] { return ProfileTags(ctx, name); })
             ? Value::Map({{"id", Str(name)}})
             : Value();
}

}  // namespace

ResourceType aws_iam_instance_profile() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.adopt = Adopt;
  type.update_tags =
      IamTagUpdater("TagInstanceProfile", "UntagInstanceProfile", "InstanceProfileName");
  return type;
}

}  // namespace reconcile::aws_provider::resources
