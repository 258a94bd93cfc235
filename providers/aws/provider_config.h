// The [provider.aws] block: its schema and how it becomes a configured client.
#pragma once

#include <memory>

#include "reconcile/provider.h"
#include "resource_context.h"

namespace reconcile::aws_provider {

// region, profile, endpoints, default_tags, max_retries.
ResourceSchema ProviderConfigSchema();

// Builds the runtime (client, default tags, ownership names) from the
// evaluated block; region and profile fall back to the environment and the
// shared config files as the AWS SDKs do.
Diagnostics ConfigureRuntime(const ConfigureRequest& request, ProviderRuntime& runtime);

}  // namespace reconcile::aws_provider
