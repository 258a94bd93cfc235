#include "engine/plan_selection.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

namespace reconcile::engine {

namespace {

// The addresses as parsed; unparsable ones are left out (CheckSelectionAddresses reports them).
std::vector<ResourceAddress> Parsed(const std::vector<std::string>& texts) {
  std::vector<ResourceAddress> out;
  for (const std::string& text : texts) {
    ResourceAddress a;
    std::string error;
    if (ResourceAddress::Parse(text, &a, &error)) out.push_back(std::move(a));
  }
  return out;
}

bool AnyMatches(const std::vector<ResourceAddress>& targets, const std::string& address) {
  ResourceAddress a;
  std::string error;
  if (!ResourceAddress::Parse(address, &a, &error)) return false;
  return std::any_of(targets.begin(), targets.end(),
                     [&](const ResourceAddress& t) { return AddressMatches(t, a); });
}

std::string BlockOf(const std::string& address) {
  ResourceAddress a;
  std::string error;
  return ResourceAddress::Parse(address, &a, &error) ? a.ResourceString() : address;
}

}  // namespace

Diagnostics CheckSelectionAddresses(const PlanOptions& options) {
  Diagnostics diags;
  for (const auto& [flag, texts] :
       {std::pair{"--replace", &options.replace}, std::pair{"--exclude", &options.excludes}}) {
    for (const std::string& text : *texts) {
      ResourceAddress a;
      std::string error;
      if (!ResourceAddress::Parse(text, &a, &error))
        diags.Error(std::string("Invalid ") + flag + " address \"" + text + "\"", error);
      else if (flag == std::string_view("--replace") && a.type.empty())
        diags.Error("Invalid --replace address \"" + text + "\"",
                    "--replace names a resource or one of its instances (aws_instance.web, "
                    "aws_instance.web[0]), not a whole module.");
    }
  }
  return diags;
}

bool ReplaceRequested(const PlanOptions& options, const std::string& address) {
  return !options.replace.empty() && AnyMatches(Parsed(options.replace), address);
}

Diagnostics CheckReplaceUsed(const PlanOptions& options, const Plan& plan) {
  Diagnostics diags;
  if (options.destroy) return diags;
  for (const std::string& text : options.replace) {
    std::vector<ResourceAddress> one = Parsed({text});
    bool used = std::any_of(plan.changes.begin(), plan.changes.end(), [&](const PlannedChange& c) {
      return c.action == Action::kReplace && AnyMatches(one, c.address);
    });
    if (!used)
      diags.Warning("--replace " + text + " replaces nothing",
                    "No instance of it is in the state, or it is excluded; only an existing "
                    "object can be replaced. See `reconcile state list`.");
  }
  return diags;
}

Diagnostics ExcludeFromPlan(const PlanOptions& options, Plan* plan) {
  Diagnostics diags;
  if (options.excludes.empty()) return diags;
  std::vector<ResourceAddress> excludes = Parsed(options.excludes);
  // depends_on names blocks; the walk goes between instances.
  std::map<std::string, std::vector<std::string>> instances;  // block -> its instances
  std::map<std::string, std::vector<std::string>>
      dependents;  // instance -> instances depending on it
  std::map<std::string, const PlannedChange*> by_address;
  for (const PlannedChange& c : plan->changes) {
    instances[BlockOf(c.address)].push_back(c.address);
    by_address[c.address] = &c;
  }
  for (const PlannedChange& c : plan->changes)
    for (const std::string& block : c.depends_on)
      for (const std::string& i : instances[block]) dependents[i].push_back(c.address);

  std::map<std::string, std::string> because_of;  // excluded instance -> what brought it along
  std::deque<std::string> queue;
  for (const PlannedChange& c : plan->changes) {
    if (AnyMatches(excludes, c.address)) {
      because_of.emplace(c.address, "");
      queue.push_back(c.address);
    }
  }
  for (const std::string& text : options.excludes)
    if (std::none_of(plan->changes.begin(), plan->changes.end(),
                     [&](const PlannedChange& c) { return AnyMatches(Parsed({text}), c.address); }))
      diags.Warning("--exclude " + text + " matches nothing",
                    "No resource of the configuration or the state has this address.");
  while (!queue.empty()) {
    std::string address = queue.front();
    queue.pop_front();
    std::vector<std::string> next;
    if (options.destroy) {
      for (const std::string& block : by_address.at(address)->depends_on)
        for (const std::string& i : instances[block]) next.push_back(i);
    } else {
      next = dependents[address];
    }
    for (const std::string& i : next)
      if (because_of.emplace(i, address).second) queue.push_back(i);
  }
  for (const auto& [address, reason] : because_of) plan->excluded.push_back({address, reason});
  std::erase_if(plan->changes,
                [&](const PlannedChange& c) { return because_of.count(c.address) != 0; });
  return diags;
}

}  // namespace reconcile::engine
