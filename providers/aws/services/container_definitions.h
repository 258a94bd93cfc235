// The container_definitions of aws_ecs_task_definition compared by meaning:
// ECS fills in defaults (essential, cpu 0, empty lists, tcp, host ports under
// awsvpc) and reorders environment variables, none of which is a change.
#pragma once

#include <optional>
#include <string>

namespace reconcile::aws_provider {

// The canonical text of a container definitions document: defaults and empty
// values dropped, environment and secrets sorted by name, keys sorted.
// nullopt (with `error` set) when the text is not a JSON array of objects.
std::optional<std::string> CanonicalContainerDefinitions(const std::string& text,
                                                         std::string* error = nullptr);

// True when both texts are valid and mean the same containers.
bool EquivalentContainerDefinitions(const std::string& a, const std::string& b);

}  // namespace reconcile::aws_provider
