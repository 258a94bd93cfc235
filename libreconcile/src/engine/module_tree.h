// The module instances of a loaded stack: the root and, recursively, every
// instance of every module it calls. A call with count or for_each has one
// instance per index or key (module.web["a"]); any other call has one.
//
// BuildModuleTree gives the static tree, one instance per call whatever its
// count or for_each, for what needs no values (cycle checks, the graph
// picture, provider lists). ExpandModuleTree (module_expansion.h) gives the
// tree an operation evaluates, with every instance.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/stack/instances.h"
#include "config/stack/stack.h"
#include "reconcile/address.h"

namespace reconcile::engine {

// How a block or module call expands: one instance, a list by index
// (count), or a map by key (for_each).
enum class Expansion : unsigned char { kSingle, kCount, kForEach };

// The expansion a count / for_each pair asks for.
inline Expansion ExpansionOf(const std::optional<config::Expression>& count,
                             const std::optional<config::Expression>& for_each) {
  if (count) return Expansion::kCount;
  if (for_each) return Expansion::kForEach;
  return Expansion::kSingle;
}

struct ModuleInstance;

// The instances of one module call, in key order.
struct ModuleCallInstances {
  Expansion expansion = Expansion::kSingle;
  std::vector<std::unique_ptr<ModuleInstance>> instances;
};

struct ModuleInstance {
  const config::Module* module = nullptr;
  const config::ModuleCall* call = nullptr;  // in the parent; null for the root
  const ModuleInstance* parent = nullptr;
  std::vector<ModuleStep> path;  // {{"web", ["a"]}} for module.web["a"]
  // The instance's key, and each.key / each.value for its call's inputs.
  config::InstanceSpec spec;
  std::map<std::string, ModuleCallInstances> children;  // by call name

  bool is_root() const { return parent == nullptr; }
  // "module.net.", "module.web[\"a\"]." or "" for the root.
  std::string Prefix() const;
};

// Builds the static instance tree of a stack: one instance per module call.
std::unique_ptr<ModuleInstance> BuildModuleTree(const config::Stack& stack);

// Whether any module call in the stack has count or for_each (when none has,
// the static tree is the whole tree).
bool HasExpandedModules(const config::Stack& stack);

// The instance at `path` (empty: the root); null when the configuration has
// no such module instance.
const ModuleInstance* FindModuleInstance(const ModuleInstance& root,
                                         const std::vector<ModuleStep>& path);

// Calls fn for every instance, parents before children, calls and keys in order.
void ForEachModule(const ModuleInstance& root, const std::function<void(const ModuleInstance&)>& fn);

// Adds a child instance for `call` under `parent` (its path, spec and links set).
ModuleInstance& AddModuleInstance(ModuleInstance& parent, const std::string& name,
                                  const config::ModuleCall& call, Expansion expansion,
                                  config::InstanceSpec spec);

}  // namespace reconcile::engine
