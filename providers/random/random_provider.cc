#include "random_provider.h"

#include "random_resource.h"

#ifndef RECONCILE_VERSION
#define RECONCILE_VERSION "0.0.0"
#endif

namespace reconcile {

namespace {

using random_provider::ResourceType;

// The planned state with attributes still unknown taken from the prior state
// (an update changes nothing random: every random input forces replacement).
Value KeepPriorWhereUnknown(const Value& planned, const Value& prior) {
  Value out = planned;
  if (!out.is_map()) return out;
  for (auto& [name, value] : out.MutableMap()) {
    const Value* before = prior.Find(name);
    if (value.is_unknown() && before != nullptr) value = *before;
  }
  return out;
}

class RandomProvider final : public Provider {
 public:
  RandomProvider() {
    types_.emplace("random_password", random_provider::RandomPasswordType());
    types_.emplace("random_string", random_provider::RandomStringType());
    types_.emplace("random_id", random_provider::RandomIdType());
    for (const auto& [name, type] : types_) schema_.resources[name] = type.schema;
    schema_.provider_config.description = "The random provider takes no configuration.";
  }

  ProviderInfo Info() const override { return {"random", RECONCILE_VERSION}; }
  const ProviderSchema& Schema() const override { return schema_; }
  Diagnostics Configure(const ConfigureRequest&) override { return {}; }

  Diagnostics ValidateResource(const std::string& type, const Value& config) override {
    Diagnostics diagnostics;
    const ResourceType* found = Find(type, &diagnostics);
    return found ? found->validate(config) : diagnostics;
  }

  ApplyResponse ApplyResource(const ApplyRequest& request) override {
    ApplyResponse out;
    const ResourceType* type = Find(request.type, &out.diagnostics);
    if (type == nullptr) return out;
    switch (request.action) {
      case ApplyAction::kCreate:
        out.new_state = type->create(request.planned_state, &out.diagnostics);
        break;
      case ApplyAction::kUpdate:
        out.new_state = KeepPriorWhereUnknown(request.planned_state, request.prior_state);
        break;
      case ApplyAction::kDelete:
        break;  // nothing exists outside state
    }
    for (Diagnostic& d : out.diagnostics.items()) d.address = request.address;
    return out;
  }

  ReadResponse ReadResource(const ReadRequest& request) override {
    return ReadResponse{request.current_state, {}};
  }

  ImportResponse ImportResource(const ImportRequest& request) override {
    ImportResponse out;
    if (const ResourceType* type = Find(request.type, &out.diagnostics))
      out.state = type->import(request.id, &out.diagnostics);
    for (Diagnostic& d : out.diagnostics.items()) d.address = request.address;
    return out;
  }

 private:
  const ResourceType* Find(const std::string& type, Diagnostics* diagnostics) const {
    auto it = types_.find(type);
    if (it != types_.end()) return &it->second;
    diagnostics->Error("The random provider has no resource type " + type,
                       "It offers random_password, random_string and random_id.");
    return nullptr;
  }

  std::map<std::string, ResourceType> types_;
  ProviderSchema schema_;
};

}  // namespace

std::unique_ptr<Provider> MakeRandomProvider() { return std::make_unique<RandomProvider>(); }

}  // namespace reconcile
