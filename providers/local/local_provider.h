// The local provider: local_file and local_sensitive_file (resources and data
// sources) on the machine running reconcile. Runs in-process or as
// reconcile-provider-local.
#pragma once

#include <memory>

#include "reconcile/provider.h"

namespace reconcile {

std::unique_ptr<Provider> MakeLocalProvider();

}  // namespace reconcile
