// aws_db_subnet_group: the subnets an RDS database may be placed in. The id
// is the group's name (RDS lowercases it). Description and subnets change in
// place (ModifyDBSubnetGroup). A create looks up the name first: AWS refuses
// a taken name but some emulators overwrite, and an object of another owner
// must never be taken over.
#include <algorithm>

#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/rds.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              Attribute::OptionalComputed("name", kString).ForceNew(),
              Attribute::Optional("name_prefix", kString).ForceNew(),
              Attribute::Optional("description", kString).Default(Str("Managed by Terraform")),
              Attribute::Required("subnet_ids", kSet).Of(kString),
              Attribute::Computed("arn", kString),
              Attribute::Computed("vpc_id", kString),
          },
          "An RDS DB subnet group."};
}

aws::QueryParams GroupName(const std::string& name) {
  aws::QueryParams params;
  params.Set("DBSubnetGroupName", name);
  return params;
}

// The group's element (invalid when it does not exist); nullopt on error.
std::optional<aws::XmlNode> Describe(ResourceContext& ctx, const std::string& name) {
  auto doc = RdsCallOrGone(ctx, "DescribeDBSubnetGroups", GroupName(name));
  if (!doc) return std::nullopt;
  return doc->empty() ? aws::XmlNode()
                      : doc->root().Find("DescribeDBSubnetGroupsResult/DBSubnetGroups/DBSubnetGroup");
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto group = Describe(ctx, IdOf(current));
  if (!group || !group->valid()) return Value();
  auto tags = RdsTagsOf(ctx, group->Text("DBSubnetGroupArn"));
  if (!tags) return Value();
  std::vector<std::string> subnets;
  for (const aws::XmlNode& s : group->FindAll("Subnets/Subnet")) subnets.push_back(s.Text("SubnetIdentifier"));
  std::sort(subnets.begin(), subnets.end());
  Value state = Value::Map({});
  state.Set("id", Str(group->Text("DBSubnetGroupName")));
  state.Set("name", Str(group->Text("DBSubnetGroupName")));
  state.Set("description", Str(group->Text("DBSubnetGroupDescription")));
  state.Set("subnet_ids", StrList(subnets));
  state.Set("arn", Str(group->Text("DBSubnetGroupArn")));
  state.Set("vpc_id", Str(group->Text("VpcId")));
  KeepAttributes(current, state, {"name_prefix"});
  SetTagsFromAws(*tags, ctx.runtime().default_tags, current, state);
  return state;
}

std::optional<TagMap> HolderTags(ResourceContext& ctx, const std::string& name) {
  return RdsHolderTags(ctx, Describe(ctx, name), "DBSubnetGroupArn");
}

aws::QueryParams Settings(const std::string& name, const Value& planned) {
  aws::QueryParams params = GroupName(name);
  params.Set("DBSubnetGroupDescription", GetString(planned, "description"));
  SetRdsList(params, "SubnetIds", "SubnetIdentifier", GetStrings(planned, "subnet_ids"));
  return params;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string name = RdsNameForCreate(ctx, planned, "name", "name_prefix");
  NameCheck check = CheckName(ctx, {"DB subnet group", name}, [&] { return HolderTags(ctx, name); });
  if (check == NameCheck::kRefused) return Value();
  if (check == NameCheck::kFree) {
    aws::QueryParams params = Settings(name, planned);
    SetRdsTags(params, ctx.TagsForCreate(planned));
    auto created = RdsSend(ctx, "CreateDBSubnetGroup", params, aws::Idempotency::kNotIdempotent);
    if (!CreatedOrAdopted(ctx, created, "DBSubnetGroupAlreadyExists", {"DB subnet group", name},
                          [&] { return HolderTags(ctx, name); }))
      return Value();
  }
  return Value::Map({{"id", Str(name)}});
}

void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (Changed(prior, planned, "description") || Changed(prior, planned, "subnet_ids"))
    RdsCall(ctx, "ModifyDBSubnetGroup", Settings(IdOf(prior), planned), aws::Idempotency::kIdempotent);
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string name = IdOf(prior);
  // A database deleted a moment ago holds its group until it is gone.
  DeleteUntilGone(ctx, {.what = "DB subnet group " + name,
                        .call = [&] { return AsDone(RdsSend(ctx, "DeleteDBSubnetGroup", GroupName(name))); },
                        .retry_while = {"InvalidDBSubnetGroupStateFault"},
                        .exists = [&]() -> std::optional<bool> {
                          auto group = Describe(ctx, name);
                          if (!group) return std::nullopt;
                          return group->valid();
                        }});
}

// The group this instance's create would have named, when it is this instance's.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  std::string name = RdsNameForCreate(ctx, planned, "name", "name_prefix");
  return HolderIsOurs(ctx, [&] { return HolderTags(ctx, name); }) ? Value::Map({{"id", Str(name)}}) : Value();
}

}  // namespace

ResourceType aws_db_subnet_group() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.adopt = Adopt;
  type.update_tags = RdsTagUpdater();
  return type;
}

}  // namespace reconcile::aws_provider::resources
