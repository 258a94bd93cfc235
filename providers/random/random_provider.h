// The random provider: random_password, random_string and random_id, values
// generated once and kept in state until a force-new attribute (such as a
// `keepers` entry) changes. Runs in-process or as reconcile-provider-random.
#pragma once

#include <memory>

#include "reconcile/provider.h"

namespace reconcile {

std::unique_ptr<Provider> MakeRandomProvider();

}  // namespace reconcile
