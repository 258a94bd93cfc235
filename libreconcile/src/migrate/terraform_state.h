// A Terraform state document (format version 4: Terraform 0.12 to 1.x) as
// `reconcile import --from-terraform` reads it, and the addresses and provider
// names in it, in reconcile's terms.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/address.h"
#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile::migrate {

// One object of a resource: the current one, or one a create_before_destroy
// replacement left deposed.
struct TerraformInstance {
  InstanceKey key;      // index_key: none, a number (count) or a string (for_each)
  std::string deposed;  // the deposed key; empty for the current object
  int schema_version = 0;
  Value attributes;  // a map, as the Terraform provider recorded the object
  std::vector<ValuePath> sensitive_paths;
  std::vector<std::string> dependencies;  // resource addresses
  bool create_before_destroy = false;
  bool tainted = false;  // status "tainted"
};

struct TerraformResource {
  std::string module;  // "module.network" (or "module.a[0].module.b"); "" at the root
  std::string mode;    // "managed" or "data"
  std::string type;
  std::string name;
  std::string provider;  // provider["registry.terraform.io/hashicorp/aws"].west
  std::vector<TerraformInstance> instances;
};

struct TerraformOutput {
  Value value;
  bool sensitive = false;
};

struct TerraformState {
  int version = 0;
  std::string terraform_version;
  std::uint64_t serial = 0;
  std::string lineage;
  std::map<std::string, TerraformOutput> outputs;
  std::vector<TerraformResource> resources;
};

// Parses a state document; `name` names it in messages ("s3://b/k"). Errors
// name the JSON path and what was expected; a version other than 4 is refused
// with what to do about it.
Diagnostics ParseTerraformState(std::string_view document, const std::string& name,
                                TerraformState* out);

// A provider configuration address:
// `provider["registry.terraform.io/hashicorp/aws"].west` (also within a
// module: `module.x.provider[...]`), or the legacy `provider.aws.west`.
struct TerraformProvider {
  std::string hostname;    // registry.terraform.io
  std::string namespace_;  // hashicorp
  std::string type;        // aws
  std::string alias;       // west, or ""

  // "aws" or "aws.west": the reconcile provider key.
  std::string Key() const { return alias.empty() ? type : type + "." + alias; }
  // `provider["registry.terraform.io/hashicorp/aws"]` (with `.alias`).
  std::string ToString() const;
};
bool ParseTerraformProvider(std::string_view text, TerraformProvider* out);

// The reconcile address of an instance; false with *error when reconcile has
// no such address (a module with count or for_each).
bool InstanceAddress(const TerraformResource& resource, const TerraformInstance& instance,
                     ResourceAddress* out, std::string* error);

// Terraform's sensitive_attributes path steps ([{"type":"get_attr","value":"x"},
// {"type":"index","value":{"value":0,"type":"number"}}]) as a ValuePath.
bool ParseTerraformPath(const Value& steps, ValuePath* out);
// The inverse, for writing a Terraform state.
Value TerraformPathSteps(const ValuePath& path);

}  // namespace reconcile::migrate
