// What one engine operation (validate, plan, apply, refresh) works with: the
// loaded stack and its graphs, the providers, the evaluation context and the
// observer. Built by the engine for each operation.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>

#include "config/stack/stack.h"
#include "engine/config_graph.h"
#include "engine/evaluation.h"
#include "engine/module_tree.h"
#include "engine/provider_set.h"
#include "reconcile/engine.h"

namespace reconcile::engine {

// Serialises observer calls and stamps elapsed times. The mutex is recursive:
// an observer may call Engine::Cancel() from its own callback, and Cancel
// reports through here on the same thread.
class Events {
 public:
  explicit Events(Observer* observer) : observer_(observer) {}
  void Resource(const ResourceEvent& event);
  void Diagnostic(const reconcile::Diagnostic& d);
  void Message(const std::string& message);
  void Summary(const ApplySummary& summary);

  // A message built from the number of resource operations started and not
  // yet finished or failed, as the observer has been told.
  void MessageAboutInFlight(const std::function<std::string(int in_flight)>& text);

 private:
  Observer* observer_;
  std::recursive_mutex mutex_;
  std::atomic<int> in_flight_{0};
};

struct Operation {
  const config::Stack* stack = nullptr;
  const ModuleInstance* modules = nullptr;
  const ConfigGraph* graph = nullptr;
  ProviderSet* providers = nullptr;
  EvalContext* context = nullptr;
  Events* events = nullptr;
  int parallelism = 10;
};

// The block a resource instance address belongs to, with its module; false
// when the configuration has no such block.
bool FindBlockFor(const Operation& op, const std::string& address, ResourceAddress* parsed,
                  const ConfigNode** node);

// Evaluates the configuration of one instance of a block (expanding count or
// for_each to find it) and conforms it to the schema.
Diagnostics EvaluateInstanceConfig(const Operation& op, const ConfigNode& node,
                                   const InstanceKey& key, const ResourceSchema& schema,
                                   const std::string& address, Value* config);

// Stamps every diagnostic without an address with `address`.
void TagDiagnostics(Diagnostics& diags, const std::string& address);

}  // namespace reconcile::engine
