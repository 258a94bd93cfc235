// reconcile's state as a Terraform state (`state pull --format terraform`):
// the way back, so that trying reconcile is not a one-way door.
#pragma once

#include <string>

#include "reconcile/state.h"

namespace reconcile::migrate {

// The Terraform version written in the document: the oldest 1.x, so that any
// Terraform 1.x takes it (Terraform refuses states of newer versions).
inline constexpr const char* kTerraformVersion = "1.0.0";

// A Terraform state document (format version 4): lineage and serial of `state`,
// outputs with their types, one resource per TYPE.NAME (module, mode, each,
// provider["registry.terraform.io/hashicorp/NAME"]), and per instance its
// index_key, the AWS provider's schema version, attributes (with what
// Terraform's provider records by default where reconcile's schema lacks it),
// sensitive_attributes, dependencies, create_before_destroy and tainted status.
std::string TerraformDocument(const State& state);

}  // namespace reconcile::migrate
