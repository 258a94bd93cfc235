#include "ownership.h"

#include <algorithm>

#include "tags.h"

namespace reconcile::aws_provider {

namespace {

std::string TagOf(const TagMap& tags, const char* key) {
  auto it = tags.find(key);
  return it == tags.end() ? "" : it->second;
}

bool HasOwnershipTags(const TagMap& tags) {
  return std::any_of(tags.begin(), tags.end(),
                     [](const auto& tag) { return IsOwnershipTag(tag.first); });
}

// "workspace prod of stack web", with the owner's address when it is not ours.
std::string OwnerOf(const ResourceContext& ctx, const TagMap& tags) {
  std::string address = TagOf(tags, kAddressTag);
  std::string workspace = TagOf(tags, kWorkspaceTag);
  std::string stack = TagOf(tags, kStackTag);
  std::string owner;
  if (!address.empty() && address != ctx.address()) owner += address + " in ";
  owner += workspace.empty() ? "no workspace" : "workspace " + workspace;
  if (!stack.empty()) owner += " of stack " + stack;
  return owner;
}

}  // namespace

bool OwnedByThisInstance(const ResourceContext& ctx, const TagMap& tags) {
  TagMap ours = ctx.OwnershipTags();
  for (const char* key : {kAddressTag, kStackTag, kWorkspaceTag})
    if (TagOf(tags, key) != TagOf(ours, key)) return false;
  return true;
}

bool AdoptOwned(ResourceContext& ctx, const NamedObject& object, const TagMap& tags) {
  if (OwnedByThisInstance(ctx, tags)) return true;
  std::string named = object.kind + " \"" + object.name + "\"";
  std::string import = "`reconcile import " + ctx.address() + " " +
                       (object.import_id.empty() ? object.name : object.import_id) + "`";
  if (HasOwnershipTags(tags))
    ctx.Error(named + " already exists, owned by " + OwnerOf(ctx, tags),
              "Each workspace and stack needs its own name (put ${workspace} in it, for "
              "example). To move the object here instead, " + import +
                  " takes it over; its owner's state still records it.");
  else
    ctx.Error(named + " exists and is not managed by reconcile; use `reconcile import`",
              "To manage it here, run " + import + ". Otherwise choose another name.");
  return false;
}

NameCheck CheckName(ResourceContext& ctx, const NamedObject& object, const HolderTags& holder_tags) {
  std::optional<TagMap> tags = holder_tags();
  if (ctx.failed()) return NameCheck::kRefused;
  if (!tags) return NameCheck::kFree;
  return AdoptOwned(ctx, object, *tags) ? NameCheck::kOurs : NameCheck::kRefused;
}

bool AdoptTakenName(ResourceContext& ctx, const aws::AwsError& failure, std::string_view taken_code,
                    const NamedObject& object, const HolderTags& holder_tags) {
  if (!failure.Is(taken_code)) {
    ctx.Fail(failure);
    return false;
  }
  std::optional<TagMap> tags = holder_tags();
  if (tags) return AdoptOwned(ctx, object, *tags);
  // The holder is gone again (or could not be read): report AWS's answer.
  if (!ctx.failed()) ctx.Fail(failure);
  return false;
}

bool HolderIsOurs(ResourceContext& ctx, const HolderTags& holder_tags) {
  std::optional<TagMap> tags = holder_tags();
  return tags && OwnedByThisInstance(ctx, *tags);
}

}  // namespace reconcile::aws_provider
