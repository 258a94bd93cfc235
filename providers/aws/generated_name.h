// Names of objects whose `name` may be left out (IAM roles, instance
// profiles, log groups): `name_prefix` (or "reconcile-") and a suffix made
// from the apply's client token, so a retried or resumed create picks the
// same name and finds what it made.
#pragma once

#include <string>

#include "reconcile/value.h"
#include "resource_context.h"

namespace reconcile::aws_provider {

// `name` when planned, else the prefix and a 26-character token suffix.
std::string NameForCreate(const ResourceContext& ctx, const Value& planned);

}  // namespace reconcile::aws_provider
