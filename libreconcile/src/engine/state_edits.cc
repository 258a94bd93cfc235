#include "engine/state_edits.h"

#include "reconcile/address.h"

namespace reconcile::engine {

namespace {

// "a, b and c".
std::string Listed(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  return out;
}

}  // namespace

Diagnostics SetTaintedIn(State& state, const std::string& address, bool tainted) {
  Diagnostics diags;
  const char* command = tainted ? "taint" : "untaint";
  ResourceAddress target;
  std::string error;
  if (!ResourceAddress::Parse(address, &target, &error) || target.type.empty()) {
    diags.Error("Invalid address \"" + address + "\"",
                error.empty() ? std::string(command) + " names one resource instance, not a module"
                              : error);
    return diags;
  }
  auto it = state.resources.find(target.ToString());
  if (it == state.resources.end()) {
    std::vector<std::string> instances;
    for (const auto& [recorded, instance] : state.resources) {
      ResourceAddress a;
      if (ResourceAddress::Parse(recorded, &a, &error) && AddressMatches(target, a))
        instances.push_back(recorded);
    }
    std::string detail = instances.empty()
                             ? "See `reconcile state list` for the instances the state holds."
                             : "It has several instances; name one: " + Listed(instances) + ".";
    diags.Error("No instance " + address + " in the state", detail);
    return diags;
  }
  ResourceInstanceState& instance = it->second;
  if (instance.mode != "managed") {
    diags.Error("Cannot " + std::string(command) + " " + address + ": it is a data source",
                "Only managed resources are replaced; a data source is read again on every plan.");
    return diags;
  }
  if (!tainted && !instance.tainted) {
    diags.Error("Resource instance " + address + " is not tainted", "There is nothing to untaint.");
    return diags;
  }
  instance.tainted = tainted;
  return diags;
}

}  // namespace reconcile::engine
