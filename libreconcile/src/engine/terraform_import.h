// `import --from-terraform` and `state pull --format terraform`: the engine's
// side of moving between Terraform and reconcile (the state formats live in
// migrate/).
#pragma once

#include <string>

#include "engine/operation.h"
#include "engine/state_store.h"
#include "reconcile/backend.h"
#include "reconcile/engine.h"

namespace reconcile::engine {

// Adopts the Terraform state options.source into `store` (locked and loaded).
// `backend` is the stack's (its S3 client reads an s3:// source). Nothing is
// written unless options.confirm accepts the result's lists.
Diagnostics ImportTerraform(const Operation& op, StateStore& store, Backend* backend,
                            const EngineOptions& engine_options, const std::string& workspace,
                            const TerraformImportOptions& options, TerraformImport* result);

}  // namespace reconcile::engine
