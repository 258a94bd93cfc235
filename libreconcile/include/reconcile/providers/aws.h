// The AWS provider (docs/aws-provider.md): resource types and data sources over
// reconcile's own AWS client.
// To run it in-process, link reconcile::provider_aws (it brings the static
// library, reconcile::reconcile) and register it:
//   options.providers["aws"] = reconcile::MakeAwsProvider;
// Without that, the engine starts the plugin reconcile-provider-aws.
#pragma once

#include <memory>

#include "reconcile/provider.h"

namespace reconcile {

std::unique_ptr<Provider> MakeAwsProvider();

}  // namespace reconcile
