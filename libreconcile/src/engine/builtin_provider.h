// The built-in provider `reconcile`: what the tool itself knows, served
// in-process without a plugin. Its one data source, reconcile_remote_state,
// reads another stack's outputs from that stack's backend (local or s3), in
// the current workspace or a named one. It only reads: it never takes the
// other stack's lock and never writes to its backend. Outputs recorded as
// sensitive stay marked sensitive.
#pragma once

#include <memory>
#include <string>

#include "reconcile/provider.h"

namespace reconcile::engine {

// The provider name the built-in provider answers to ("reconcile").
inline constexpr const char* kBuiltinProviderName = "reconcile";

// The built-in provider for a stack in `stack_dir` (relative local backend
// paths are resolved against it).
std::unique_ptr<Provider> MakeBuiltinProvider(std::string stack_dir);

}  // namespace reconcile::engine
