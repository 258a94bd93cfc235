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

// Loads the stack: options.files when given (each name relative to
// options.stack_dir, which must then be absolute), else the *.toml files of
// options.stack_dir and the modules they call.
Diagnostics LoadStackFor(const EngineOptions& options, config::Stack* out);

// SHA-256 over the stack's files: options.files, or every *.toml, *.json and
// *.tpl file of options.stack_dir and below.
std::string ConfigDigest(const EngineOptions& options);

}  // namespace reconcile::engine
