// reconcile-provider-slow: a deliberately slow provider whose objects are
// files in $SLOW_STATE_DIR, one per object, each naming the address that owns
// it (and the client token of its create). The crash test kills the tool
// mid-apply and then checks, by counting files, that nothing was created twice.
//
//   slow_thing: name (required, force_new), delay_ms (number, default 0),
//               content (optional); id computed
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "reconcile/plugin.h"
#include "reconcile/provider.h"

namespace {

namespace fs = std::filesystem;
using namespace reconcile;

fs::path StateDir() {
  const char* dir = std::getenv("SLOW_STATE_DIR");
  return dir ? fs::path(dir) : fs::path("slow-objects");
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class SlowProvider : public Provider {
 public:
  SlowProvider() {
    ResourceSchema thing;
    thing.attributes = {
        Attribute::Required("name", AttributeType::kString).ForceNew(),
        Attribute::Optional("delay_ms", AttributeType::kNumber).Default(Value::Number(0)),
        Attribute::Optional("content", AttributeType::kString),
        Attribute::Computed("id", AttributeType::kString),
    };
    schema_.resources["slow_thing"] = thing;
  }

  ProviderInfo Info() const override { return {"slow", "1.0.0"}; }
  const ProviderSchema& Schema() const override { return schema_; }
  Diagnostics Configure(const ConfigureRequest&) override {
    fs::create_directories(StateDir());
    return {};
  }

  ApplyResponse ApplyResource(const ApplyRequest& r) override {
    const Value& config = r.action == ApplyAction::kDelete ? r.prior_state : r.planned_state;
    if (const Value* d = config.Find("delay_ms"); d && d->is_number())
      std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(d->AsNumber())));
    if (r.action == ApplyAction::kDelete) {
      fs::remove(StateDir() / r.prior_state.Find("id")->AsString());
      return {};
    }
    Value state = r.planned_state.WithoutMarks();
    std::string id = r.action == ApplyAction::kCreate ? NewId() : r.prior_state.Find("id")->AsString();
    state.Set("id", Value::String(id));
    Value stored = state;
    stored.Set("owner", Value::String(r.address));
    if (r.action == ApplyAction::kCreate) stored.Set("token", Value::String(r.client_token));
    else if (Value before = Stored(id); before.Find("token")) stored.Set("token", *before.Find("token"));
    // Written in place of the object: temp + rename, so a file is whole.
    fs::path tmp = StateDir() / ("." + id + ".tmp");
    std::ofstream(tmp) << ToJson(stored);
    fs::rename(tmp, StateDir() / id);
    return {state, {}};
  }

  ReadResponse ReadResource(const ReadRequest& r) override {
    const Value* id = r.current_state.Find("id");
    if (id == nullptr || !id->is_string()) return {};
    fs::path p = StateDir() / id->AsString();
    if (!fs::exists(p)) return {};
    return {Public(FromJson(ReadFile(p))), {}};
  }

  // By the create's client token first (precise, even while a
  // create_before_destroy replacement leaves two objects of one address),
  // then by owner.
  ReadResponse AdoptResource(const AdoptRequest& r) override {
    Value by_owner;
    for (const auto& entry : fs::directory_iterator(StateDir())) {
      if (entry.path().filename().string().starts_with(".")) continue;
      Value v = FromJson(ReadFile(entry.path()));
      const Value* token = v.Find("token");
      if (!r.client_token.empty() && token && token->is_string() && token->AsString() == r.client_token)
        return {Public(v), {}};
      if (const Value* owner = v.Find("owner"); owner && owner->is_string() && owner->AsString() == r.address)
        by_owner = v;
    }
    return {by_owner.is_null() ? Value() : Public(by_owner), {}};
  }

  ImportResponse ImportResource(const ImportRequest& r) override {
    return {Value::Map({{"id", Value::String(r.id)}}), {}};
  }

 private:
  static Value Public(Value v) {
    if (v.is_map()) {
      v.MutableMap().erase("owner");
      v.MutableMap().erase("token");
    }
    return v;
  }

  // The stored object `id` (null when there is none).
  static Value Stored(const std::string& id) {
    fs::path p = StateDir() / id;
    return fs::exists(p) ? FromJson(ReadFile(p)) : Value();
  }

  static std::string NewId() {
    static thread_local std::mt19937_64 rng(std::random_device{}() ^ static_cast<unsigned>(getpid()));
    std::ostringstream out;
    out << "obj-" << std::hex << rng();
    return out.str();
  }

  ProviderSchema schema_;
};

}  // namespace

int main() { return reconcile::ServeProvider(std::make_unique<SlowProvider>()); }
