#include "support/fake_provider.h"

#include <chrono>
#include <thread>

namespace reconcile::testing {

std::map<std::string, Value> FakeCloud::Objects() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return objects_;
}

std::size_t FakeCloud::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return objects_.size();
}

void FakeCloud::Poke(const std::string& id, const std::string& attr, Value v) {
  std::lock_guard<std::mutex> lock(mutex_);
  objects_.at(id).Set(attr, std::move(v));
}

void FakeCloud::Erase(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  objects_.erase(id);
}

std::string FakeCloud::IdOf(const std::string& address) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [id, obj] : objects_)
    if (const Value* owner = obj.Find("owner"); owner && owner->AsString() == address) return id;
  return {};
}

void FakeCloud::FailOn(const std::string& address, bool after_create) {
  std::lock_guard<std::mutex> lock(mutex_);
  fail_[address] = after_create;
}

void FakeCloud::FailDeletesOf(const std::string& address) {
  std::lock_guard<std::mutex> lock(mutex_);
  fail_delete_.insert(address);
}

void FakeCloud::UnknownOutcomeOn(const std::string& address, bool took_effect) {
  std::lock_guard<std::mutex> lock(mutex_);
  unknown_outcome_[address] = took_effect;
}

void FakeCloud::ClearFailures() {
  std::lock_guard<std::mutex> lock(mutex_);
  fail_.clear();
  fail_delete_.clear();
  unknown_outcome_.clear();
}

FakeCloud::Contents FakeCloud::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {objects_, next_id_};
}

void FakeCloud::Restore(const Contents& contents) {
  std::lock_guard<std::mutex> lock(mutex_);
  objects_ = contents.objects;
  next_id_ = contents.next_id;
}

std::vector<std::string> FakeCloud::CreateTokens() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return create_tokens_;
}

std::vector<std::string> FakeCloud::Log() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return log_;
}

class FakeProvider : public Provider {
 public:
  explicit FakeProvider(std::shared_ptr<FakeCloud> cloud) : cloud_(std::move(cloud)) {
    ResourceSchema thing;
    thing.attributes = {
        Attribute::Required("name", AttributeType::kString).ForceNew(),
        Attribute::Optional("size", AttributeType::kNumber).Default(Value::Number(1)),
        Attribute::Optional("tags", AttributeType::kMap).Of(AttributeType::kString),
        Attribute::Optional("note", AttributeType::kString),
        Attribute::Optional("secret", AttributeType::kString).Sensitive(),
        Attribute::Optional("rule", AttributeType::kList)
            .Block({Attribute::Required("port", AttributeType::kNumber),
                    Attribute::OptionalComputed("cidr", AttributeType::kString),
                    Attribute::Optional("protocol", AttributeType::kString).OneOf({"tcp", "udp"})}),
        Attribute::Computed("id", AttributeType::kString),
        Attribute::Computed("arn", AttributeType::kString),
    };
    schema_.resources["fake_thing"] = thing;
    ResourceSchema lookup;
    lookup.attributes = {Attribute::Required("name", AttributeType::kString),
                         Attribute::Computed("size", AttributeType::kNumber)};
    schema_.data_sources["fake_lookup"] = lookup;
    schema_.provider_config.attributes = {Attribute::Optional("region", AttributeType::kString)};
  }

  ProviderInfo Info() const override { return {"fake", "1.0.0"}; }
  const ProviderSchema& Schema() const override { return schema_; }
  Diagnostics Configure(const ConfigureRequest&) override { return {}; }

  ApplyResponse ApplyResource(const ApplyRequest& r) override {
    int now = ++cloud_->in_flight;
    int seen = cloud_->max_in_flight.load();
    while (now > seen && !cloud_->max_in_flight.compare_exchange_weak(seen, now)) {
    }
    {
      std::lock_guard<std::mutex> lock(cloud_->mutex_);
      const char* verb = r.action == ApplyAction::kCreate   ? "create "
                         : r.action == ApplyAction::kUpdate ? "update "
                                                            : "delete ";
      cloud_->log_.push_back(verb + r.address);
    }
    std::string call = (r.action == ApplyAction::kCreate   ? "create "
                        : r.action == ApplyAction::kUpdate ? "update "
                                                           : "delete ") +
                       r.address;
    if (cloud_->on_step) cloud_->on_step("before " + call);
    if (cloud_->apply_delay_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(cloud_->apply_delay_ms.load()));
    ApplyResponse out = Apply(r);
    if (cloud_->on_step) cloud_->on_step("after " + call);
    --cloud_->in_flight;
    return out;
  }

  ReadResponse ReadResource(const ReadRequest& r) override {
    ++cloud_->reads;
    std::lock_guard<std::mutex> lock(cloud_->mutex_);
    const Value* id = r.current_state.Find("id");
    if (id == nullptr || !id->is_string()) return {};
    auto it = cloud_->objects_.find(id->AsString());
    if (it == cloud_->objects_.end()) return {};
    return {Public(it->second), {}};
  }

  std::vector<ReadResponse> ReadResources(const std::vector<ReadRequest>& requests) override {
    ++cloud_->batch_reads;
    std::vector<ReadResponse> out;
    for (const ReadRequest& r : requests) out.push_back(ReadResource(r));
    cloud_->reads -= static_cast<int>(requests.size());
    return out;
  }

  ImportResponse ImportResource(const ImportRequest& r) override {
    return {Value::Map({{"id", Value::String(r.id)}}), {}};
  }

  ReadResponse AdoptResource(const AdoptRequest& r) override {
    std::lock_guard<std::mutex> lock(cloud_->mutex_);
    ++cloud_->lookups;
    if (cloud_->lookups_find_nothing) return {};
    if (!r.client_token.empty()) {
      for (const auto& [id, obj] : cloud_->objects_)
        if (const Value* token = obj.Find("token"); token && token->AsString() == r.client_token)
          return {Public(obj), {}};
    }
    for (const auto& [id, obj] : cloud_->objects_)
      if (const Value* owner = obj.Find("owner"); owner && owner->AsString() == r.address)
        return {Public(obj), {}};
    return {};
  }

  DataResponse ReadDataSource(const DataRequest& r) override {
    std::lock_guard<std::mutex> lock(cloud_->mutex_);
    std::string name = r.config.Find("name")->AsString();
    for (const auto& [id, obj] : cloud_->objects_)
      if (obj.Find("name")->AsString() == name)
        return {Value::Map({{"name", Value::String(name)}, {"size", *obj.Find("size")}}), {}};
    DataResponse out;
    out.diagnostics.Error("No fake_thing named \"" + name + "\"", "");
    return out;
  }

 private:
  static Value Public(const Value& obj) {
    Value v = obj;
    v.MutableMap().erase("owner");
    v.MutableMap().erase("token");
    return v;
  }

  static ApplyResponse UnknownOutcome(const std::string& address) {
    ApplyResponse out = Failure(address);
    out.diagnostics.items()[0].summary = "fake 503 for " + address;
    out.outcome_unknown = true;
    return out;
  }

  ApplyResponse Apply(const ApplyRequest& r) {
    std::lock_guard<std::mutex> lock(cloud_->mutex_);
    auto fail = cloud_->fail_.find(r.address);
    auto unknown = cloud_->unknown_outcome_.find(r.address);
    bool unknown_outcome = unknown != cloud_->unknown_outcome_.end();
    if (r.action == ApplyAction::kDelete) {
      ++cloud_->deletes;
      if (cloud_->fail_delete_.count(r.address)) return Failure(r.address);
      if (unknown_outcome && !unknown->second) return UnknownOutcome(r.address);
      cloud_->objects_.erase(r.prior_state.Find("id")->AsString());
      if (unknown_outcome) return UnknownOutcome(r.address);
      return {};
    }
    if (r.action == ApplyAction::kCreate) {
      ++cloud_->creates;
      cloud_->create_tokens_.push_back(r.client_token);
      if (fail != cloud_->fail_.end() && !fail->second) return Failure(r.address);
      if (unknown_outcome && !unknown->second) return UnknownOutcome(r.address);
      // A token the cloud has seen makes no second object (EC2 ClientToken).
      if (!r.client_token.empty()) {
        for (const auto& [id, obj] : cloud_->objects_)
          if (const Value* token = obj.Find("token"); token && token->AsString() == r.client_token)
            return {Public(obj), {}};
      }
      std::string id = "thing-" + std::to_string(cloud_->next_id_++);
      Value obj = r.planned_state.WithoutMarks();
      obj.Set("id", Value::String(id));
      obj.Set("arn", Value::String("arn:fake:" + id));
      obj.Set("owner", Value::String(r.address));
      obj.Set("token", Value::String(r.client_token));
      FillRuleDefaults(obj);
      cloud_->objects_[id] = obj;
      if (unknown_outcome) return UnknownOutcome(r.address);
      ApplyResponse out{Public(obj), {}};
      if (fail != cloud_->fail_.end()) out.diagnostics = Failure(r.address).diagnostics;
      return out;
    }
    ++cloud_->updates;
    if (fail != cloud_->fail_.end()) return Failure(r.address);
    std::string id = r.prior_state.Find("id")->AsString();
    Value obj = r.planned_state.WithoutMarks();
    obj.Set("owner", Value::String(r.address));
    if (auto it = cloud_->objects_.find(id); it != cloud_->objects_.end() && it->second.Find("token"))
      obj.Set("token", *it->second.Find("token"));
    FillRuleDefaults(obj);
    cloud_->objects_[id] = obj;
    return {Public(obj), {}};
  }

  // Rules without a cidr get the provider's default, as AWS fills defaults.
  static void FillRuleDefaults(Value& obj) {
    Value* rules = obj.is_map() ? &obj.MutableMap()["rule"] : nullptr;
    if (rules == nullptr || !rules->is_list()) return;
    for (Value& rule : rules->MutableList())
      if (rule.is_map() && (rule.Find("cidr") == nullptr || rule.Find("cidr")->is_null() ||
                            rule.Find("cidr")->is_unknown()))
        rule.Set("cidr", Value::String("0.0.0.0/0"));
  }

  static ApplyResponse Failure(const std::string& address) {
    ApplyResponse out;
    out.diagnostics.Error("fake failure for " + address, "FailOn was set for this address.");
    return out;
  }

  std::shared_ptr<FakeCloud> cloud_;
  ProviderSchema schema_;
};

ProviderFactory FakeProviderFactory(std::shared_ptr<FakeCloud> cloud) {
  return [cloud] { return std::make_unique<FakeProvider>(cloud); };
}

}  // namespace reconcile::testing
