// Rollouts an apply starts, as deploys watch them (Provider::RolloutStatus):
// an aws_ecs_service's deployment. Kept beside the resource files so they stay
// declarations: this file reads what the platform reports and judges it.
#pragma once

#include "reconcile/provider.h"
#include "resource_context.h"

namespace reconcile::aws_provider {

// The rollout of `request.state`'s object; phase none for types without one.
RolloutResponse RolloutStatusOf(const ProviderRuntime& runtime, const RolloutRequest& request);

}  // namespace reconcile::aws_provider
