// Ownership: which AWS objects are this resource instance's. Every object the
// provider creates carries three tags (reconcile:stack, reconcile:workspace,
// reconcile:address; ResourceContext::OwnershipTags), and an object is this
// instance's only when all three match. A create that finds its name taken
// adopts the object holding it only then (an earlier attempt of the same
// create made it); an object of another workspace or stack, or one reconcile
// did not make, is an error naming it and its owner, never a takeover.
// `reconcile import` stays the explicit way to take an object over.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "aws/error.h"
#include "resource_context.h"

namespace reconcile::aws_provider {

// An object a create names, for messages: its kind and name ("IAM role",
// "app"), and the id `reconcile import` takes when that is not the name.
struct NamedObject {
  std::string kind;
  std::string name;
  std::string import_id = {};
};

// The tags of the object holding a name: nullopt when none holds it, or after
// recording a failed look (then ctx.failed()).
using HolderTags = std::function<std::optional<TagMap>()>;

// True when `tags` carry all three of this instance's ownership tags.
bool OwnedByThisInstance(const ResourceContext& ctx, const TagMap& tags);

// Decides about an existing object holding the name a create wants, from its
// tags: true when it is this instance's (adopt it); otherwise records
// `<kind> "<name>" already exists, owned by workspace W of stack S` (or `...
// exists and is not managed by reconcile; use `reconcile import``) and
// returns false.
bool AdoptOwned(ResourceContext& ctx, const NamedObject& object, const TagMap& tags);

// What a create may do with a name, looked up before the call (for APIs that
// answer or overwrite an existing object instead of refusing the name).
enum class NameCheck : unsigned char {
  kFree,     // nothing holds it: create
  kOurs,     // this instance's object holds it: adopt it
  kRefused,  // another's holds it, or the look failed: an error is recorded
};
NameCheck CheckName(ResourceContext& ctx, const NamedObject& object, const HolderTags& holder_tags);

// After a create AWS refused with `failure`: when its code is `taken_code`
// (the name is taken, "EntityAlreadyExists"), AdoptOwned decides about the
// object holding the name; any other failure is recorded. True when adopted.
bool AdoptTakenName(ResourceContext& ctx, const aws::AwsError& failure, std::string_view taken_code,
                    const NamedObject& object, const HolderTags& holder_tags);

// A create's result settled by the rule above: true when the call made the
// object or the name's holder is this instance's.
template <typename T>
bool CreatedOrAdopted(ResourceContext& ctx, const aws::AwsResult<T>& created,
                      std::string_view taken_code, const NamedObject& object,
                      const HolderTags& holder_tags) {
  return created.ok() || AdoptTakenName(ctx, created.error(), taken_code, object, holder_tags);
}

// For an adopt function (finding what an interrupted create made): true when
// the object holding the name is this instance's. Another's is not an error
// here: the create that follows reports it.
bool HolderIsOurs(ResourceContext& ctx, const HolderTags& holder_tags);

}  // namespace reconcile::aws_provider
