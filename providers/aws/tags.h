// Tags as Terraform users know them: `tags` holds the resource's own tags,
// `tags_all` (computed) the set with the provider's default_tags merged in.
// Ownership tags (reconcile:*) are put on every object at create and kept out
// of both, so state shows only what users wrote.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/provider.h"
#include "reconcile/value.h"

namespace reconcile::aws_provider {

using TagMap = std::map<std::string, std::string>;

// The prefix of the tags reconcile uses to find its own objects.
inline constexpr std::string_view kOwnershipPrefix = "reconcile:";
inline constexpr const char* kAddressTag = "reconcile:address";
inline constexpr const char* kStackTag = "reconcile:stack";
inline constexpr const char* kWorkspaceTag = "reconcile:workspace";

bool IsOwnershipTag(std::string_view key);

// What to do to an object's tags: set (add or overwrite) and remove.
struct TagChanges {
  TagMap set;
  std::vector<std::string> remove;
  bool empty() const { return set.empty() && remove.empty(); }
};

// The `tags` and `tags_all` attributes every taggable type declares.
std::vector<Attribute> TagAttributes();

// A string map attribute (tags) as a TagMap; unknown and null read as empty.
TagMap TagMapOf(const Value& map);
Value TagValue(const TagMap& tags);

// default_tags with the resource's tags over them.
TagMap MergeTags(const TagMap& defaults, const TagMap& own);

// Sets planned `tags_all` from default_tags and the planned `tags` (unknown
// while `tags` holds unknowns).
void PlanTagsAll(const TagMap& defaults, Value& planned);

// Sets `tags` and `tags_all` of `state` from the tags an object carries.
// Ownership tags are dropped; a tag equal to a default tag is the default's
// unless the prior state had it among the resource's own tags.
void SetTagsFromAws(const TagMap& aws_tags, const TagMap& defaults, const Value& prior,
                    Value& state);

// The changes turning `from` into `to`.
TagChanges DiffTags(const TagMap& from, const TagMap& to);

// The tag changes an update from `prior` to `planned` needs (tags_all based).
TagChanges PlannedTagChanges(const TagMap& defaults, const Value& prior, const Value& planned);

}  // namespace reconcile::aws_provider
