#include "engine/provider_set.h"

#include "engine/builtin_provider.h"
#include "engine/evaluation.h"
#include "engine/schema_conform.h"

namespace reconcile::engine {

std::string ProviderKeyFor(const config::ResourceBlock& block) {
  return block.provider.empty() ? ProviderNameForType(block.type) : block.provider;
}

ProviderSet::ProviderSet(const EngineOptions& options, const config::Stack& stack,
                         std::string workspace)
    : options_(options), stack_(stack), workspace_(std::move(workspace)) {}

ProviderSet::~ProviderSet() { StopAll(); }

ProviderSet::Entry& ProviderSet::EntryFor(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::unique_ptr<Entry>& e = entries_[key];
  if (!e) e = std::make_unique<Entry>();
  return *e;
}

std::unique_ptr<Provider> ProviderSet::Start(const std::string& name, Diagnostics& diags) {
  if (auto it = options_.providers.find(name); it != options_.providers.end()) return it->second();
  if (name == kBuiltinProviderName) return MakeBuiltinProvider(stack_.dir);
  if (!options_.use_plugins) {
    diags.Error("Provider \"" + name + "\" is not available",
                "No in-process provider of that name was registered and plugins are disabled.");
    return nullptr;
  }
  std::string version;
  if (stack_.root) {
    auto it = stack_.root->required_providers.find(name);
    if (it != stack_.root->required_providers.end()) version = it->second.version;
  }
  return StartPluginProvider(name, version, options_, stack_.dir, diags);
}

Provider* ProviderSet::Started(const std::string& key, Diagnostics& diags) {
  Entry& e = EntryFor(key);
  std::call_once(e.started_once, [&] {
    std::string name = key.substr(0, key.find('.'));
    std::unique_ptr<Provider> provider = Start(name, e.start_diags);
    std::lock_guard<std::mutex> lock(mutex_);
    e.provider = std::move(provider);
    // Started after an interrupt (for an operation in flight): stopped as the others.
    if (interrupted_ && e.provider) e.provider->Stop();
  });
  diags.Append(e.start_diags);
  return e.provider.get();
}

Provider* ProviderSet::Configured(const std::string& key, EvalContext& context,
                                  Diagnostics& diags) {
  Provider* provider = Started(key, diags);
  if (provider == nullptr) return nullptr;
  Entry& e = EntryFor(key);
  std::call_once(e.configured_once, [&] {
    Value config = Value::Map({});
    auto it = stack_.root->providers.find(key);
    if (it != stack_.root->providers.end()) {
      ModuleScope scope(context, context.root());
      Value raw = EvaluateBody(it->second.body, scope, e.configure_diags);
      const ResourceSchema& schema = provider->Schema().provider_config;
      CheckBodyAgainstSchema(schema, it->second.body, "provider \"" + key + "\"", e.configure_diags);
      config = ConformConfig(schema, raw, it->second.body, "provider \"" + key + "\"",
                             e.configure_diags);
      if (config.ContainsUnknown()) {
        e.configure_diags.Error(
            "Provider \"" + key + "\" configuration depends on values known only after apply",
            "Provider settings must be known when planning; use variables or locals, not "
            "resource attributes.",
            it->second.range);
      }
    }
    if (e.configure_diags.HasErrors()) return;
    std::string stack_name = stack_.root->stack_name;
    e.configure_diags.Append(provider->Configure({config.WithoutMarks(), stack_name, workspace_}));
  });
  diags.Append(e.configure_diags);
  return e.configure_diags.HasErrors() ? nullptr : provider;
}

const ResourceSchema* ProviderSet::SchemaFor(const std::string& key, const std::string& type,
                                             bool data, Diagnostics& diags) {
  Provider* provider = Started(key, diags);
  if (provider == nullptr) return nullptr;
  const ProviderSchema& schema = provider->Schema();
  const auto& table = data ? schema.data_sources : schema.resources;
  auto it = table.find(type);
  if (it == table.end()) {
    std::vector<std::string> names;
    for (const auto& [name, s] : table) names.push_back(name);
    std::string suggestion = ClosestName(type, names);
    diags.Error(std::string(data ? "Unknown data source type \"" : "Unknown resource type \"") +
                    type + "\"",
                "The provider \"" + key + "\" has no such type." +
                    (suggestion.empty() ? "" : " Did you mean \"" + suggestion + "\"?"));
    return nullptr;
  }
  return &it->second;
}

void ProviderSet::Interrupt() {
  std::lock_guard<std::mutex> lock(mutex_);
  interrupted_ = true;
  for (auto& [key, e] : entries_)
    if (e->provider) e->provider->Stop();
}

void ProviderSet::Abandon() {
  std::lock_guard<std::mutex> lock(mutex_);
  interrupted_ = true;
  for (auto& [key, e] : entries_)
    if (e->provider) e->provider->Abandon();
}

void ProviderSet::StopAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [key, e] : entries_)
    if (e->provider) e->provider->Stop();
}

void ProviderSet::SelectWorkspace(const std::string& workspace) {
  if (workspace == workspace_) return;
  StopAll();
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.clear();
  workspace_ = workspace;
}

}  // namespace reconcile::engine
