#include "aws_provider.h"

#include <map>

#include "provider_config.h"
#include "resource_operations.h"
#include "resource_type.h"
#include "rollouts.h"

#ifndef RECONCILE_VERSION
#define RECONCILE_VERSION "0.0.0"
#endif

namespace reconcile {

namespace {

using aws_provider::DataSourceType;
using aws_provider::ResourceType;

class AwsProvider final : public Provider {
 public:
  AwsProvider() {
    for (ResourceType& type : aws_provider::AllResourceTypes()) {
      aws_provider::FinishResourceType(type);
      schema_.resources[type.name] = type.schema;
      resources_.emplace(type.name, std::move(type));
    }
    for (DataSourceType& source : aws_provider::AllDataSourceTypes()) {
      schema_.data_sources[source.name] = source.schema;
      data_sources_.emplace(source.name, std::move(source));
    }
    schema_.provider_config = aws_provider::ProviderConfigSchema();
  }

  ProviderInfo Info() const override { return {"aws", RECONCILE_VERSION}; }
  const ProviderSchema& Schema() const override { return schema_; }

  Diagnostics Configure(const ConfigureRequest& request) override {
    return aws_provider::ConfigureRuntime(request, runtime_);
  }

  PlanResponse PlanResource(const PlanRequest& request) override {
    PlanResponse out;
    if (const ResourceType* type = Find(request.type, request.address, &out.diagnostics))
      return aws_provider::PlanWith(*type, runtime_, request);
    return out;
  }

  ApplyResponse ApplyResource(const ApplyRequest& request) override {
    ApplyResponse out;
    if (!Ready(request.address, &out.diagnostics)) return out;
    if (const ResourceType* type = Find(request.type, request.address, &out.diagnostics))
      return aws_provider::ApplyWith(*type, runtime_, request);
    return out;
  }

  ReadResponse ReadResource(const ReadRequest& request) override {
    ReadResponse out;
    if (!Ready(request.address, &out.diagnostics)) return out;
    if (const ResourceType* type = Find(request.type, request.address, &out.diagnostics))
      return aws_provider::ReadWith(*type, runtime_, request);
    return out;
  }

  std::vector<ReadResponse> ReadResources(const std::vector<ReadRequest>& requests) override {
    // Group by type, keeping each response at its request's position.
    std::map<std::string, std::vector<std::size_t>> by_type;
    for (std::size_t i = 0; i < requests.size(); ++i) by_type[requests[i].type].push_back(i);
    std::vector<ReadResponse> out(requests.size());
    for (const auto& [type_name, positions] : by_type) {
      Diagnostics missing;
      const ResourceType* type = Find(type_name, "", &missing);
      if (type == nullptr || !Ready("", &missing)) {
        for (std::size_t i : positions) out[i].diagnostics = missing;
        continue;
      }
      std::vector<ReadRequest> group;
      for (std::size_t i : positions) group.push_back(requests[i]);
      std::vector<ReadResponse> read = aws_provider::ReadManyWith(*type, runtime_, group);
      for (std::size_t j = 0; j < positions.size(); ++j) out[positions[j]] = std::move(read[j]);
    }
    return out;
  }

  ImportResponse ImportResource(const ImportRequest& request) override {
    ImportResponse out;
    if (!Ready(request.address, &out.diagnostics)) return out;
    if (const ResourceType* type = Find(request.type, request.address, &out.diagnostics))
      return aws_provider::ImportWith(*type, runtime_, request);
    return out;
  }

  ReadResponse AdoptResource(const AdoptRequest& request) override {
    ReadResponse out;
    if (!Ready(request.address, &out.diagnostics)) return out;
    if (const ResourceType* type = Find(request.type, request.address, &out.diagnostics))
      return aws_provider::AdoptWith(*type, runtime_, request);
    return out;
  }

  DataResponse ReadDataSource(const DataRequest& request) override {
    DataResponse out;
    if (!Ready(request.address, &out.diagnostics)) return out;
    auto it = data_sources_.find(request.type);
    if (it == data_sources_.end()) return Provider::ReadDataSource(request);
    aws_provider::ResourceContext ctx(runtime_, request.address);
    Value state = it->second.read(ctx, request.config);
    return {ctx.failed() ? Value() : state, ctx.diagnostics()};
  }

  RolloutResponse RolloutStatus(const RolloutRequest& request) override {
    RolloutResponse out;
    if (!Ready(request.address, &out.diagnostics)) return out;
    return aws_provider::RolloutStatusOf(runtime_, request);
  }

  void Stop() override { runtime_.stopping = true; }

 private:
  const ResourceType* Find(const std::string& type, const std::string& address,
                           Diagnostics* diagnostics) const {
    auto it = resources_.find(type);
    if (it != resources_.end()) return &it->second;
    Diagnostic d;
    d.summary = "The aws provider has no resource type " + type;
    d.detail = "Check the type name; `reconcile validate` lists close matches.";
    d.address = address;
    diagnostics->Add(d);
    return nullptr;
  }

  bool Ready(const std::string& address, Diagnostics* diagnostics) const {
    if (runtime_.client) return true;
    Diagnostic d;
    d.summary = "The aws provider is not configured";
    d.detail = "Configure must succeed before resources are read or changed.";
    d.address = address;
    diagnostics->Add(d);
    return false;
  }

  ProviderSchema schema_;
  std::map<std::string, ResourceType> resources_;
  std::map<std::string, DataSourceType> data_sources_;
  aws_provider::ProviderRuntime runtime_;
};

}  // namespace

std::unique_ptr<Provider> MakeAwsProvider() { return std::make_unique<AwsProvider>(); }

}  // namespace reconcile
