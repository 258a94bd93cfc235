#include "engine/module_expansion.h"

#include "engine/evaluation.h"

namespace reconcile::engine {
namespace {

class ModuleExpander {
 public:
  ModuleExpander(EvalContext& context, Diagnostics& diags) : context_(context), diags_(diags) {}

  void ExpandChildren(ModuleInstance& instance) {
    for (const auto& [name, call] : instance.module->module_calls) {
      if (!call.module) continue;  // failed to load; LoadStack reported it
      const Expansion expansion = ExpansionOf(call.count, call.for_each);
      instance.children[name].expansion = expansion;
      for (config::InstanceSpec& spec : InstancesOf(instance, name, call, expansion)) {
        ModuleInstance& child = AddModuleInstance(instance, name, call, expansion, std::move(spec));
        ExpandChildren(child);
      }
    }
  }

 private:
  std::vector<config::InstanceSpec> InstancesOf(const ModuleInstance& parent, const std::string& name,
                                                const config::ModuleCall& call, Expansion expansion) {
    std::vector<config::InstanceSpec> specs;
    if (expansion == Expansion::kSingle) {
      specs.push_back({});
      return specs;
    }
    context_.set_expanding(std::string("the ") + (call.count ? "count" : "for_each") + " of module \"" +
                           name + "\"");
    ModuleScope scope(context_, parent);
    diags_.Append(config::ExpandInstances(call.count, call.for_each, scope, &specs));
    context_.set_expanding({});
    return specs;
  }

  EvalContext& context_;
  Diagnostics& diags_;
};

}  // namespace

Diagnostics ExpandModuleTree(const config::Stack& stack,
                             const std::map<std::string, Value>& root_variables,
                             const std::string& workspace, const std::string& stack_dir,
                             std::unique_ptr<ModuleInstance>* out) {
  Diagnostics diags;
  auto root = std::make_unique<ModuleInstance>();
  root->module = stack.root.get();
  if (root->module != nullptr) {
    ResourceValues none;
    EvalContext context(*root, root_variables, workspace, stack_dir, &none);
    ModuleExpander(context, diags).ExpandChildren(*root);
  }
  *out = std::move(root);
  return diags;
}

}  // namespace reconcile::engine
