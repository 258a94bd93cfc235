// aws_iam_role: an IAM role. assume_role_policy is JSON text compared by
// meaning (IAM reformats it). Description, session duration and the trust
// policy change in place. Delete takes the role out of its instance profiles
// (and, with force_detach_policies, drops its policies) first. The id is the
// role name.
#include <algorithm>

#include "generated_name.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "services/iam.h"
#include "services/iam_policy_text.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("name", kString).ForceNew(),
              Attribute::Optional("name_prefix", kString).ForceNew(),
              Attribute::Optional("path", kString).ForceNew().Default(Str("/")),
              Attribute::Optional("description", kString),
              Attribute::Required("assume_role_policy", kString).Describe("the trust policy, JSON"),
              Attribute::Optional("max_session_duration", kNumber).Default(Num(3600)),
              Attribute::Optional("force_detach_policies", kBool).Default(Bool(false)),
              Attribute::Computed("arn", kString),
              Attribute::Computed("unique_id", kString),
              Attribute::Computed("create_date", kString),
          },
          "An IAM role."};
}

aws::QueryParams RoleName(const std::string& name) {
  aws::QueryParams params;
  params.Set("RoleName", name);
  return params;
}

Value ToState(ResourceContext& ctx, const aws::XmlNode& role, const Value& current) {
  Value state = Value::Map({});
  state.Set("id", Str(role.Text("RoleName")));
  state.Set("name", Str(role.Text("RoleName")));
  state.Set("path", Str(role.Text("Path")));
  state.Set("description", StrOrNull(role.Text("Description")));
  state.Set("assume_role_policy",
            Str(PolicyForState(IamUrlDecode(role.Text("AssumeRolePolicyDocument")),
                               GetString(current, "assume_role_policy"))));
  state.Set("max_session_duration", NumFromText(role.Text("MaxSessionDuration")));
  state.Set("arn", Str(role.Text("Arn")));
  state.Set("unique_id", Str(role.Text("RoleId")));
  state.Set("create_date", Str(role.Text("CreateDate")));
  KeepAttributes(current, state, {"name_prefix"});
  state.Set("force_detach_policies", Bool(GetBool(current, "force_detach_policies")));
  SetTagsFromAws(IamTags(role), ctx.runtime().default_tags, current, state);
  return state;
}

// The role's element (invalid when it does not exist); nullopt on error.
std::optional<aws::XmlNode> GetRole(ResourceContext& ctx, const std::string& name) {
  auto doc = IamCallOrGone(ctx, "GetRole", RoleName(name));
  if (!doc) return std::nullopt;
  return doc->empty() ? aws::XmlNode() : doc->root().Find("GetRoleResult/Role");
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto role = GetRole(ctx, IdOf(current));
  return role && role->valid() ? ToState(ctx, *role, current) : Value();
}

// The tags of the role named `name`; nullopt when there is none.
std::optional<TagMap> RoleTags(ResourceContext& ctx, const std::string& name) {
  auto role = GetRole(ctx, name);
  if (!role || !role->valid()) return std::nullopt;
  return IamTags(*role);
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = NameForCreate(ctx, planned);
  aws::QueryParams params = RoleName(name);
  params.Set("Path", GetString(planned, "path"))
      .Set("AssumeRolePolicyDocument", GetString(planned, "assume_role_policy"))
      .SetInt("MaxSessionDuration", GetInt(planned, "max_session_duration", 3600))
      .SetTags("Tags", ctx.TagsForCreate(planned), aws::ListStyle::kMember);
  if (auto description = FindString(planned, "description"))
    params.Set("Description", *description);
  auto created = IamSend(ctx, "CreateRole", params, aws::Idempotency::kNotIdempotent);
  // A create that landed before a lost answer left this instance's role behind.
  if (!CreatedOrAdopted(ctx, created, "EntityAlreadyExists", {"IAM role", name},
                        [&] { return RoleTags(ctx, name); }))
    return Value();
  return Value::Map({{"id", Str(name)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  std::string name = IdOf(prior);
  if (Changed(prior, planned, "description") || Changed(prior, planned, "max_session_duration")) {
    aws::QueryParams params = RoleName(name);
    params.Set("Description", GetString(planned, "description"))
        .SetInt("MaxSessionDuration", GetInt(planned, "max_session_duration", 3600));
    if (!IamCall(ctx, "UpdateRole", params, aws::Idempotency::kIdempotent)) return;
  }
  if (Changed(prior, planned, "assume_role_policy")) {
    aws::QueryParams params = RoleName(name);
    params.Set("PolicyDocument", GetString(planned, "assume_role_policy"));
    IamCall(ctx, "UpdateAssumeRolePolicy", params, aws::Idempotency::kIdempotent);
  }
}

// Texts at `path` across every page of a marker-paged IAM list; nullopt on error.
std::optional<std::vector<std::string>> ListAll(ResourceContext& ctx, const std::string& action,
                                                const std::string& role, const std::string& path) {
  std::vector<std::string> out;
  auto done = aws::QueryPages(
      ctx.client(), "iam", action, RoleName(role),
      [&](const aws::XmlDocument& page) {
        for (const aws::XmlNode& item : page.root().FindAll(path)) out.push_back(item.text());
        return true;
      },
      aws::QueryPaging::kMarker);
  if (!done.ok() && !done.error().IsNotFound()) {
    ctx.Fail(done.error());
    return std::nullopt;
  }
  return out;
}

// Takes the role out of its instance profiles; with `force`, detaches its
// managed policies and deletes its inline ones. False on error (recorded).
bool Unlink(ResourceContext& ctx, const std::string& role, bool force) {
  struct Step {
    const char* list_action;
    const char* item_path;
    const char* remove_action;
    const char* item_param;
  };
  std::vector<Step> steps = {
      {"ListInstanceProfilesForRole",
       "ListInstanceProfilesForRoleResult/InstanceProfiles/member/InstanceProfileName",
       "RemoveRoleFromInstanceProfile", "InstanceProfileName"}};
  if (force) {
    steps.push_back({"ListAttachedRolePolicies",
                     "ListAttachedRolePoliciesResult/AttachedPolicies/member/PolicyArn",
                     "DetachRolePolicy", "PolicyArn"});
    steps.push_back({"ListRolePolicies", "ListRolePoliciesResult/PolicyNames/member",
                     "DeleteRolePolicy", "PolicyName"});
  }
  for (const Step& step : steps) {
    auto items = ListAll(ctx, step.list_action, role, step.item_path);
    if (!items) return false;
    for (const std::string& item : *items) {
      aws::QueryParams params = RoleName(role);
      params.Set(step.item_param, item);
      // A dependant deleted at the same time may undo the link first.
      auto still_linked = [&]() -> std::optional<bool> {
        auto now = ListAll(ctx, step.list_action, role, step.item_path);
        if (!now) return std::nullopt;
        return std::find(now->begin(), now->end(), item) != now->end();
      };
      if (!IamUnlink(ctx, step.remove_action, params, still_linked)) return false;
    }
  }
  return true;
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string name = IdOf(prior);
  if (!Unlink(ctx, name, GetBool(prior, "force_detach_policies"))) return;
  // A policy detached a moment ago may still hold the role for a while.
  DeleteUntilGone(ctx, {.what = "role " + name,
                        .call = [&] { return AsDone(IamSend(ctx, "DeleteRole", RoleName(name), aws::Idempotency::kIdempotent)); },
                        .retry_while = {"DeleteConflict"},
                        .retry_timeout = ctx.runtime().timeouts.read_after_create});
}

// The role this instance's create would have named, when it is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string name = NameForCreate(ctx, planned);
  return HolderIsOurs(ctx, [&] { return RoleTags(ctx, name); }) ? Value::Map({{"id", Str(name)}})
                                                                 : Value();
}

}  // namespace

ResourceType aws_iam_role() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.adopt = Adopt;
  type.plan = [](ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
    PlanPolicyDocument(ctx, request, response, "assume_role_policy");
  };
  type.update_tags = IamTagUpdater("TagRole", "UntagRole", "RoleName");
  return type;
}

}  // namespace reconcile::aws_provider::resources
