// The module instances of a loaded stack: the root and, recursively, every
// module it calls (modules have no count/for_each, so one instance per call).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/stack/stack.h"

namespace reconcile::engine {

struct ModuleInstance {
  const config::Module* module = nullptr;
  const config::ModuleCall* call = nullptr;  // in the parent; null for the root
  const ModuleInstance* parent = nullptr;
  std::vector<std::string> path;  // {"net"} for module.net
  std::map<std::string, std::unique_ptr<ModuleInstance>> children;

  bool is_root() const { return parent == nullptr; }
  // "module.net." or "" for the root.
  std::string Prefix() const;
};

// Builds the instance tree of a stack.
std::unique_ptr<ModuleInstance> BuildModuleTree(const config::Stack& stack);

// Finds the instance at `path` (empty: the root); null when absent.
const ModuleInstance* FindModule(const ModuleInstance& root, const std::vector<std::string>& path);

// Calls fn for every instance, parents before children.
void ForEachModule(const ModuleInstance& root, const std::function<void(const ModuleInstance&)>& fn);

}  // namespace reconcile::engine
