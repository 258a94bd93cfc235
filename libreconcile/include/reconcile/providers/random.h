// The random provider: random_password, random_string and random_id.
// To run it in-process, link reconcile::provider_random (it brings the static
// library, reconcile::reconcile) and register it:
//   options.providers["random"] = reconcile::MakeRandomProvider;
// Without that, the engine starts the plugin reconcile-provider-random.
#pragma once

#include <memory>

#include "reconcile/provider.h"

namespace reconcile {

std::unique_ptr<Provider> MakeRandomProvider();

}  // namespace reconcile
