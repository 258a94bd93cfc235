#include "engine/operation.h"

#include <algorithm>

#include "engine/schema_conform.h"

namespace reconcile::engine {

void Events::Resource(const ResourceEvent& event) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);  // the count agrees with what was shown
  in_flight_ += event.status == EventStatus::kStarted ? 1 : -1;
  if (observer_ != nullptr) observer_->OnResourceEvent(event);
}

void Events::Diagnostic(const reconcile::Diagnostic& d) {
  if (observer_ == nullptr) return;
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  observer_->OnDiagnostic(d);
}

void Events::Message(const std::string& message) {
  if (observer_ == nullptr) return;
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  observer_->OnMessage(message);
}

void Events::MessageAboutInFlight(const std::function<std::string(int in_flight)>& text) {
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  std::string message = text(std::max(0, in_flight_.load()));
  if (observer_ != nullptr) observer_->OnMessage(message);
}

void Events::Summary(const ApplySummary& summary) {
  if (observer_ == nullptr) return;
  std::lock_guard<std::recursive_mutex> lock(mutex_);
  observer_->OnApplySummary(summary);
}

bool FindBlockFor(const Operation& op, const std::string& address, ResourceAddress* parsed,
                  const ConfigNode** node) {
  std::string error;
  if (!ResourceAddress::Parse(address, parsed, &error)) return false;
  *node = op.graph->FindResource(parsed->ResourceString());
  return *node != nullptr;
}

void TagDiagnostics(Diagnostics& diags, const std::string& address) {
  for (Diagnostic& d : diags.items())
    if (d.address.empty()) d.address = address;
}

Diagnostics EvaluateInstanceConfig(const Operation& op, const ConfigNode& node,
                                   const InstanceKey& key, const ResourceSchema& schema,
                                   const std::string& address, Value* config) {
  Diagnostics diags;
  const config::ResourceBlock& block = *node.resource;
  ModuleScope block_scope(*op.context, *node.module);
  config::InstanceSpec spec{key, {}, {}};
  if (block.for_each) {
    std::vector<config::InstanceSpec> specs;
    diags.Append(config::ExpandInstances(block, block_scope, &specs));
    if (diags.HasErrors()) return diags;
    bool found = false;
    for (const config::InstanceSpec& s : specs) {
      if (s.key == key) {
        spec = s;
        found = true;
      }
    }
    if (!found) {
      diags.Error("Instance " + address + " is no longer in for_each",
                  "The for_each value changed between plan and apply; plan again.", block.range);
      return diags;
    }
  }
  ModuleScope scope(*op.context, *node.module, &spec);
  Value raw = EvaluateBody(block.body, scope, diags);
  *config = ConformConfig(schema, raw, block.body, address, diags);
  TagDiagnostics(diags, address);
  return diags;
}

}  // namespace reconcile::engine
