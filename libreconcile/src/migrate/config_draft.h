// A TOML draft of adopted resources (`import --from-terraform
// --generate-config`): the configurable attributes' values as literals, ids of
// other drafted objects written back as references, so that a team starts
// from a stack that plans no changes rather than from a blank page.
#pragma once

#include <string>
#include <vector>

#include "reconcile/address.h"
#include "reconcile/provider.h"
#include "reconcile/value.h"

namespace reconcile::migrate {

struct DraftInstance {
  ResourceAddress address;
  const ResourceSchema* schema = nullptr;
  Value attributes;      // the recorded object, in the schema's shape
  std::string provider;  // "aws", or "aws.west" when not the type's default
  bool create_before_destroy = false;
  std::vector<std::string> dependencies;  // resource addresses, as recorded
};

struct DraftOutput {
  std::string name;
  Value value;
  bool sensitive = false;
};

// The draft. Per resource (all instances of one TYPE.NAME):
//  - one instance without a key: one [resource.TYPE.NAME] table;
//  - count or for_each instances: one table with `for_each` over the instance
//    keys (count indexes become "0", "1", ...: see the comment it carries),
//    each attribute the same for every instance written once, the others
//    as `${each.value.ATTR}` from a map literal in `for_each`.
// Attributes written: required and optional ones, not computed-only, not equal
// to their default, not empty (nor an optional-and-computed zero), not in
// TerraformTypeInfo::draft_omit. A string equal to another drafted object's
// id, arn or name is written as a reference to it (when several objects have
// it, the one that depends on none of the others: the bucket, not its
// versioning; the role, not its instance profile); values inside maps (tags)
// stay literal.
// Resources inside modules are written commented out, each naming its module:
// they belong in the module's own directory.
// Outputs are drafted the same way (a sensitive output, or attribute, becomes
// a sensitive variable to set: its value is never written).
std::string DraftConfiguration(const std::vector<DraftInstance>& instances,
                               const std::vector<DraftOutput>& outputs);

}  // namespace reconcile::migrate
