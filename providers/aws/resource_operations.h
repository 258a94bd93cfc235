// The provider's side of each engine request for one resource type: the
// steps every type shares (read back after create or update with eventual
// consistency, tags, adoption) around the type's own functions.
#pragma once

#include <vector>

#include "reconcile/provider.h"
#include "resource_context.h"
#include "resource_type.h"

namespace reconcile::aws_provider {

// Completes a resource type's schema (id, tags, tags_all) and functions
// (default import); called once per type when the provider is built.
void FinishResourceType(ResourceType& type);

PlanResponse PlanWith(const ResourceType& type, const ProviderRuntime& runtime,
                      const PlanRequest& request);
ApplyResponse ApplyWith(const ResourceType& type, const ProviderRuntime& runtime,
                        const ApplyRequest& request);
ReadResponse ReadWith(const ResourceType& type, const ProviderRuntime& runtime,
                      const ReadRequest& request);
// Batched when the type can; otherwise reads in parallel on a few threads.
std::vector<ReadResponse> ReadManyWith(const ResourceType& type, const ProviderRuntime& runtime,
                                       const std::vector<ReadRequest>& requests);
ImportResponse ImportWith(const ResourceType& type, const ProviderRuntime& runtime,
                          const ImportRequest& request);
ReadResponse AdoptWith(const ResourceType& type, const ProviderRuntime& runtime,
                       const AdoptRequest& request);

// `planned` without unknowns (they become null), overlaid with `partial`.
Value KnownPart(const Value& planned, const Value& partial = Value());

}  // namespace reconcile::aws_provider
