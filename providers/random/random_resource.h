// One resource type of the random provider: its schema and how it is checked,
// created and imported. Nothing exists outside state, so reading returns the
// recorded state and deleting forgets it.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "reconcile/provider.h"

namespace reconcile::random_provider {

struct ResourceType {
  ResourceSchema schema;
  // Checks a configuration beyond the schema (unknown values pass).
  std::function<Diagnostics(const Value& config)> validate;
  // The new state for a planned one, its computed attributes generated.
  std::function<Value(const Value& planned, Diagnostics* diagnostics)> create;
  // The state for an import id.
  std::function<Value(const std::string& id, Diagnostics* diagnostics)> import;
};

// random_password (result sensitive) and random_string (result plain).
ResourceType RandomPasswordType();
ResourceType RandomStringType();
ResourceType RandomIdType();

}  // namespace reconcile::random_provider
