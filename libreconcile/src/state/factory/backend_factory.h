// The one list of backend types ("local", "s3", ...) that MakeBackend knows.
#pragma once

#include <memory>
#include <vector>

#include "reconcile/backend.h"

namespace reconcile {

// Makes a backend from its evaluated [backend.<type>] block; reports problems
// with the block in *diags and returns null.
using BackendMaker = std::unique_ptr<Backend> (*)(const BackendConfig& config, Diagnostics* diags);

struct BackendType {
  const char* name;
  BackendMaker make;
};

// Every backend type, in the order listed in messages.
const std::vector<BackendType>& BackendTypes();

}  // namespace reconcile
