// The AWS provider: resource types and data sources over the AWS client
// (libreconcile/src/aws), one file per type under resources/ and data/. Runs
// in-process (link reconcile_provider_aws with `reconcile`, or with the areas
// reconcile_core, reconcile_aws and reconcile_provider) or as the plugin
// executable reconcile-provider-aws. See docs/aws-provider.md.
#pragma once

#include <memory>

#include "reconcile/provider.h"

namespace reconcile {

std::unique_ptr<Provider> MakeAwsProvider();

}  // namespace reconcile
