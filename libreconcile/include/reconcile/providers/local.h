// The local provider: local_file and local_sensitive_file on this machine.
// To run it in-process, link reconcile::provider_local (it brings the static
// library, reconcile::reconcile) and register it:
//   options.providers["local"] = reconcile::MakeLocalProvider;
// Without that, the engine starts the plugin reconcile-provider-local.
#pragma once

#include <memory>

#include "reconcile/provider.h"

namespace reconcile {

std::unique_ptr<Provider> MakeLocalProvider();

}  // namespace reconcile
