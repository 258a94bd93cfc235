// Evaluation of configuration during one phase (validate, plan or apply):
// variables, locals and outputs of every module instance, memoized, and the
// values of resource instances as far as they are known.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>

#include "config/expr/expression.h"
#include "config/stack/instances.h"
#include "config/stack/stack.h"
#include "engine/module_tree.h"
#include "reconcile/address.h"
#include "reconcile/value.h"

namespace reconcile::engine {

// The values of resource instances, by block id ("module.net.aws_vpc.main"),
// as one phase knows them: planned values (with unknowns) while planning,
// real ones while applying. Thread-safe.
class ResourceValues {
 public:
  using Expansion = engine::Expansion;

  // Declares a block's expansion, dropping instances recorded before.
  void Declare(const std::string& id, Expansion expansion);
  void Set(const std::string& id, const InstanceKey& key, Value value);
  void Remove(const std::string& id, const InstanceKey& key);
  // What a reference to the block evaluates to: the instance's object
  // (single), a list (count) or a map by key (for_each). Unknown when the
  // block has not been declared yet.
  Value Aggregate(const std::string& id) const;
  // One instance's value; null when absent.
  Value Get(const std::string& id, const InstanceKey& key) const;

 private:
  struct Entry {
    Expansion expansion = Expansion::kSingle;
    std::map<InstanceKey, Value> instances;
    mutable std::optional<Value> aggregate;  // cached until the next Set
  };
  mutable std::shared_mutex mutex_;
  std::map<std::string, Entry> entries_;
};

class EvalContext {
 public:
  EvalContext(const ModuleInstance& root, std::map<std::string, Value> root_variables,
              std::string workspace, std::string stack_dir, ResourceValues* resources);

  // When set, every resource reference evaluates to unknown (validation).
  void set_resources_unknown(bool unknown) { resources_unknown_ = unknown; }
  bool resources_unknown() const { return resources_unknown_; }
  // While module instances are being expanded (before any resource is
  // planned), a reference to a resource, data source or module output is an
  // error naming `what` is being expanded ("the for_each of module \"web\"").
  void set_expanding(std::string what) { expanding_ = std::move(what); }
  const std::string& expanding() const { return expanding_; }

  Value Variable(const ModuleInstance& module, const std::string& name, Diagnostics& diags);
  Value Local(const ModuleInstance& module, const std::string& name, Diagnostics& diags);
  Value Output(const ModuleInstance& module, const std::string& name, Diagnostics& diags);

  ResourceValues& resources() { return *resources_; }
  const std::string& workspace() const { return workspace_; }
  const std::string& stack_dir() const { return stack_dir_; }
  const ModuleInstance& root() const { return root_; }

 private:
  // Evaluates once per id; later calls return the remembered value.
  Value Memoized(const std::string& id, Diagnostics& diags,
                 const std::function<Value(Diagnostics&)>& compute);

  const ModuleInstance& root_;
  std::map<std::string, Value> root_variables_;
  std::string workspace_;
  std::string stack_dir_;
  ResourceValues* resources_;
  bool resources_unknown_ = false;
  std::string expanding_;
  std::mutex memo_mutex_;
  std::map<std::string, Value> memo_;
};

// The scope expressions of one module instance (and, inside a counted or
// for_each resource, one of its instances) are evaluated in. Module call
// inputs are evaluated in the parent's scope with the child instance's spec,
// so each.key / count.index there name the module instance.
class ModuleScope : public config::Scope {
 public:
  ModuleScope(EvalContext& context, const ModuleInstance& module,
              const config::InstanceSpec* instance = nullptr)
      : context_(context), module_(module), instance_(instance) {}

  Value Resolve(const config::Reference& ref, Diagnostics& diags) override;
  std::string BaseDir() const override;

 private:
  EvalContext& context_;
  const ModuleInstance& module_;
  const config::InstanceSpec* instance_;
};

// Evaluates every attribute of a body into a map (null attributes omitted).
Value EvaluateBody(const config::Body& body, config::Scope& scope, Diagnostics& diags);

}  // namespace reconcile::engine
