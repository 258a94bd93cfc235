#include "local_provider.h"

#include "local_file.h"

#ifndef RECONCILE_VERSION
#define RECONCILE_VERSION "0.0.0"
#endif

namespace reconcile {

namespace {

using namespace local_provider;

constexpr const char* kFile = "local_file";
constexpr const char* kSensitiveFile = "local_sensitive_file";

class LocalProvider final : public Provider {
 public:
  LocalProvider() {
    schema_.provider_config.description = "The local provider takes no configuration.";
    schema_.resources[kFile] = FileSchema(false);
    schema_.resources[kSensitiveFile] = FileSchema(true);
    schema_.data_sources[kFile] = FileDataSchema(false);
    schema_.data_sources[kSensitiveFile] = FileDataSchema(true);
  }

  ProviderInfo Info() const override { return {"local", RECONCILE_VERSION}; }
  const ProviderSchema& Schema() const override { return schema_; }
  Diagnostics Configure(const ConfigureRequest&) override { return {}; }

  Diagnostics ValidateResource(const std::string& type, const Value& config) override {
    Diagnostics diagnostics;
    if (Known(type, schema_.resources, &diagnostics)) return ValidateFile(config);
    return diagnostics;
  }

  PlanResponse PlanResource(const PlanRequest& request) override {
    PlanResponse out;
    if (!Known(request.type, schema_.resources, &out.diagnostics)) return out;
    return WithAddress(PlanFile(request, request.type == kSensitiveFile), request.address);
  }

  ApplyResponse ApplyResource(const ApplyRequest& request) override {
    ApplyResponse out;
    if (!Known(request.type, schema_.resources, &out.diagnostics)) return out;
    return WithAddress(ApplyFile(request, request.type == kSensitiveFile), request.address);
  }

  ReadResponse ReadResource(const ReadRequest& request) override {
    ReadResponse out{request.current_state, {}};
    if (!Known(request.type, schema_.resources, &out.diagnostics)) return out;
    return WithAddress(ReadFile(request, request.type == kSensitiveFile), request.address);
  }

  DataResponse ReadDataSource(const DataRequest& request) override {
    DataResponse out;
    if (!Known(request.type, schema_.data_sources, &out.diagnostics)) return out;
    return WithAddress(ReadFileData(request, request.type == kSensitiveFile), request.address);
  }

 private:
  static bool Known(const std::string& type, const std::map<std::string, ResourceSchema>& types,
                    Diagnostics* diagnostics) {
    if (types.count(type) != 0) return true;
    diagnostics->Error("The local provider has no type " + type,
                       "It offers local_file and local_sensitive_file.");
    return false;
  }

  template <typename Response>
  static Response WithAddress(Response response, const std::string& address) {
    for (Diagnostic& d : response.diagnostics.items())
      if (d.address.empty()) d.address = address;
    return response;
  }

  ProviderSchema schema_;
};

}  // namespace

std::unique_ptr<Provider> MakeLocalProvider() { return std::make_unique<LocalProvider>(); }

}  // namespace reconcile
