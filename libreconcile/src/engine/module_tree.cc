#include "engine/module_tree.h"

namespace reconcile::engine {

std::string ModuleInstance::Prefix() const {
  std::string out;
  for (const std::string& name : path) out += "module." + name + ".";
  return out;
}

namespace {

void AddChildren(ModuleInstance& parent) {
  for (const auto& [name, call] : parent.module->module_calls) {
    if (!call.module) continue;  // failed to load; LoadStack reported it
    auto child = std::make_unique<ModuleInstance>();
    child->module = call.module.get();
    child->call = &call;
    child->parent = &parent;
    child->path = parent.path;
    child->path.push_back(name);
    AddChildren(*child);
    parent.children.emplace(name, std::move(child));
  }
}

}  // namespace

std::unique_ptr<ModuleInstance> BuildModuleTree(const config::Stack& stack) {
  auto root = std::make_unique<ModuleInstance>();
  root->module = stack.root.get();
  if (root->module != nullptr) AddChildren(*root);
  return root;
}

const ModuleInstance* FindModule(const ModuleInstance& root, const std::vector<std::string>& path) {
  const ModuleInstance* at = &root;
  for (const std::string& name : path) {
    auto it = at->children.find(name);
    if (it == at->children.end()) return nullptr;
    at = it->second.get();
  }
  return at;
}

void ForEachModule(const ModuleInstance& root, const std::function<void(const ModuleInstance&)>& fn) {
  fn(root);
  for (const auto& [name, child] : root.children) ForEachModule(*child, fn);
}

}  // namespace reconcile::engine
