// Gathering what an engine run needs from its surroundings: the selected
// workspace, variable sources, the backend, and a digest of the configuration.
#pragma once

#include <memory>
#include <string>

#include "config/stack/variables.h"
#include "reconcile/backend.h"
#include "reconcile/engine.h"

namespace reconcile::engine {

// options.workspace, else RECONCILE_WORKSPACE, else .reconcile/environment,
// else "default".
std::string SelectedWorkspace(const EngineOptions& options);
// Writes .reconcile/environment.
Diagnostics WriteSelectedWorkspace(const std::string& stack_dir, const std::string& workspace);

// The variable sources for a workspace (environment file, var files,
// RECONCILE_VAR_* from the process environment, --var).
config::VariableSources GatherVariableSources(const EngineOptions& options,
                                              const std::string& workspace);

// The backend a stack's [backend.*] block describes (local when none).
std::unique_ptr<Backend> BackendForStack(const config::Stack& stack, Diagnostics* diags);

// SHA-256 over every *.toml and *.json file of the stack and its modules.
std::string ConfigDigest(const std::string& stack_dir);

}  // namespace reconcile::engine
