#include "engine/builtin_provider.h"

#include <filesystem>

#include "reconcile/backend.h"
#include "reconcile/state.h"

#ifndef RECONCILE_VERSION
#define RECONCILE_VERSION "0.0.0"
#endif

namespace reconcile::engine {

namespace {

constexpr const char* kRemoteState = "reconcile_remote_state";

ResourceSchema RemoteStateSchema() {
  ResourceSchema schema;
  schema.description = "The outputs of another stack, read from its backend.";
  schema.attributes = {
      Attribute::Required("backend", AttributeType::kString).Describe("\"local\" or \"s3\""),
      Attribute::Optional("config", AttributeType::kAny)
          .Describe("the other stack's backend settings, as in its [backend.*] block; for local also "
                    "`stack` (its directory: its state is under .reconcile/state)"),
      Attribute::Optional("workspace", AttributeType::kString).Describe("default: the current workspace"),
      Attribute::Optional("defaults", AttributeType::kAny).Describe("values for outputs the state lacks"),
      Attribute::Computed("outputs", AttributeType::kAny),
      Attribute::Computed("id", AttributeType::kString),
  };
  return schema;
}

class BuiltinProvider final : public Provider {
 public:
  explicit BuiltinProvider(std::string stack_dir) : stack_dir_(std::move(stack_dir)) {
    schema_.provider_config.description = "The built-in provider takes no configuration.";
    schema_.data_sources[kRemoteState] = RemoteStateSchema();
  }

  ProviderInfo Info() const override { return {kBuiltinProviderName, RECONCILE_VERSION}; }
  const ProviderSchema& Schema() const override { return schema_; }

  Diagnostics Configure(const ConfigureRequest& request) override {
    workspace_ = request.workspace.empty() ? "default" : request.workspace;
    return {};
  }

  ApplyResponse ApplyResource(const ApplyRequest& request) override {
    ApplyResponse out;
    out.diagnostics.Error("The reconcile provider has no resource type " + request.type);
    return out;
  }

  ReadResponse ReadResource(const ReadRequest& request) override {
    ReadResponse out;
    out.diagnostics.Error("The reconcile provider has no resource type " + request.type);
    return out;
  }

  DataResponse ReadDataSource(const DataRequest& request) override {
    DataResponse out;
    if (request.type != kRemoteState) {
      out.diagnostics.Error("The reconcile provider has no data source " + request.type,
                            "It offers reconcile_remote_state.");
      return out;
    }
    out.state = ReadRemoteState(request.config, out.diagnostics);
    for (Diagnostic& d : out.diagnostics.items())
      if (d.address.empty()) d.address = request.address;
    return out;
  }

 private:
  // The backend the configuration names, with the settings a read needs.
  std::unique_ptr<Backend> OpenBackend(const std::string& type, const Value& settings, Diagnostics& diags) const {
    BackendConfig config{type, settings.is_null() ? Value::Map({}) : settings, stack_dir_};
    if (!config.settings.is_map()) {
      diags.Error("config of reconcile_remote_state must be a table", "the other stack's backend settings");
      return nullptr;
    }
    if (type == "local") {
      // `stack` names the other stack's directory; its state is where its local backend keeps it.
      if (const Value* stack = config.settings.Find("stack")) {
        if (!stack->is_string() || stack->AsString().empty()) {
          diags.Error("config.stack of reconcile_remote_state must be a directory path");
          return nullptr;
        }
        std::filesystem::path dir(stack->AsString());
        config.stack_dir = (dir.is_absolute() ? dir : std::filesystem::path(stack_dir_) / dir).string();
        Value rest = Value::Map({});
        for (const auto& [key, value] : config.settings.AsMap())
          if (key != "stack") rest.Set(key, value);
        config.settings = rest;
      }
    } else if (type == "s3" && config.settings.Find("lock") == nullptr &&
               config.settings.Find("lock_table") == nullptr) {
      // Reading takes no lock; the settings check still asks for one.
      config.settings.Set("lock", Value::String("s3"));
    }
    return MakeBackend(config, &diags);
  }

  Value ReadRemoteState(const Value& config, Diagnostics& diags) const {
    std::string type = config.Find("backend") && config.Find("backend")->is_string()
                           ? config.Find("backend")->AsString()
                           : "";
    const Value* settings = config.Find("config");
    const Value* chosen = config.Find("workspace");
    std::string workspace = chosen && chosen->is_string() && !chosen->AsString().empty() ? chosen->AsString()
                                                                                          : workspace_;
    std::unique_ptr<Backend> backend = OpenBackend(type, settings ? *settings : Value(), diags);
    if (!backend) return Value();
    std::optional<std::string> document;
    diags.Append(backend->ReadState(workspace, &document));
    if (diags.HasErrors()) return Value();
    Value outputs = Value::Map({});
    if (const Value* defaults = config.Find("defaults"); defaults && defaults->is_map()) outputs = *defaults;
    if (!document) {
      diags.Warning("The " + type + " backend holds no state for workspace \"" + workspace + "\"",
                    "reconcile_remote_state gives only its defaults until that stack is applied.");
    } else {
      State state;
      diags.Append(ParseState(*document, &state));
      if (diags.HasErrors()) return Value();
      for (const auto& [name, output] : state.outputs)
        outputs.Set(name, output.sensitive ? output.value.MarkedSensitive() : output.value);
    }
    Value result = config;
    result.Set("workspace", Value::String(workspace));
    result.Set("outputs", outputs);
    result.Set("id", Value::String(type + ":" + workspace));
    return result;
  }

  std::string stack_dir_;
  std::string workspace_ = "default";
  ProviderSchema schema_;
};

}  // namespace

std::unique_ptr<Provider> MakeBuiltinProvider(std::string stack_dir) {
  return std::make_unique<BuiltinProvider>(std::move(stack_dir));
}

}  // namespace reconcile::engine
