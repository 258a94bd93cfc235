#include "engine/module_tree.h"

namespace reconcile::engine {

std::string ModuleInstance::Prefix() const {
  std::string out;
  for (const ModuleStep& step : path) out += step.ToString() + ".";
  return out;
}

ModuleInstance& AddModuleInstance(ModuleInstance& parent, const std::string& name,
                                  const config::ModuleCall& call, Expansion expansion,
                                  config::InstanceSpec spec) {
  auto child = std::make_unique<ModuleInstance>();
  child->module = call.module.get();
  child->call = &call;
  child->parent = &parent;
  child->path = parent.path;
  child->path.push_back(ModuleStep{name, spec.key});
  child->spec = std::move(spec);
  ModuleCallInstances& instances = parent.children[name];
  instances.expansion = expansion;
  instances.instances.push_back(std::move(child));
  return *instances.instances.back();
}

namespace {

void AddChildren(ModuleInstance& parent) {
  for (const auto& [name, call] : parent.module->module_calls) {
    if (!call.module) continue;  // failed to load; LoadStack reported it
    ModuleInstance& child = AddModuleInstance(parent, name, call, Expansion::kSingle, {});
    AddChildren(child);
  }
}

bool AnyExpanded(const config::Module& module) {
  for (const auto& [name, call] : module.module_calls) {
    if (call.count || call.for_each) return true;
    if (call.module && AnyExpanded(*call.module)) return true;
  }
  return false;
}

}  // namespace

std::unique_ptr<ModuleInstance> BuildModuleTree(const config::Stack& stack) {
  auto root = std::make_unique<ModuleInstance>();
  root->module = stack.root.get();
  if (root->module != nullptr) AddChildren(*root);
  return root;
}

bool HasExpandedModules(const config::Stack& stack) {
  return stack.root != nullptr && AnyExpanded(*stack.root);
}

const ModuleInstance* FindModuleInstance(const ModuleInstance& root,
                                         const std::vector<ModuleStep>& path) {
  const ModuleInstance* at = &root;
  for (const ModuleStep& step : path) {
    auto call = at->children.find(step.name);
    if (call == at->children.end()) return nullptr;
    const ModuleInstance* next = nullptr;
    for (const auto& instance : call->second.instances)
      if (instance->spec.key == step.key) next = instance.get();
    if (next == nullptr) return nullptr;
    at = next;
  }
  return at;
}

void ForEachModule(const ModuleInstance& root, const std::function<void(const ModuleInstance&)>& fn) {
  fn(root);
  for (const auto& [name, call] : root.children)
    for (const auto& child : call.instances) ForEachModule(*child, fn);
}

}  // namespace reconcile::engine
