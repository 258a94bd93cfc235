// The provider interface: what a provider of resource types (aws, random,
// local, or a plugin in any language) offers the engine. The same interface
// runs in-process and, through reconcile/plugin.h, as a plugin process.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile {

enum class AttributeType : unsigned char {
  kString,
  kNumber,
  kBool,
  kList,    // ordered; element type in Attribute::element
  kSet,     // unordered, compared without regard to order
  kMap,     // string keys; element type in Attribute::element
  kObject,  // a single nested block; fields in Attribute::nested
  kAny,     // any value (rare: JSON documents decoded by the user, ...)
};

// One attribute of a resource, data source or provider configuration.
// A nested block list (`ingress`, `route`, ...) is type kList or kSet with
// element kObject and its fields in `nested`; TOML users write it as an array of
// inline tables or a [[...]] array of tables, and a single table is accepted as
// a one-element list.
struct Attribute {
  std::string name;
  AttributeType type = AttributeType::kString;
  AttributeType element = AttributeType::kString;
  std::vector<Attribute> nested;
  bool required = false;   // must be set in configuration
  bool optional = false;   // may be set in configuration
  bool computed = false;   // set by the provider (if optional too: when not configured)
  bool force_new = false;  // a change replaces the resource
  bool sensitive = false;  // never shown; marked sensitive in state and plans
  // Sent to the provider on create and update, never stored: the engine keeps
  // it out of state, the journal, plans and plan files (null there). Pair it
  // with a `<name>_version` attribute whose change makes the provider write it
  // again (docs/secrets.md). Implies sensitive.
  bool write_only = false;
  Value default_value;     // used when optional and not configured (null: none)
  std::string description;
  int max_items = 0;  // for block lists: 0 unbounded, 1 a single block
  // The values a string attribute accepts (empty: any); validate and plan
  // refuse any other known value.
  std::vector<std::string> one_of;

  // Builder helpers so schema tables read as declarations.
  static Attribute Required(std::string name, AttributeType type);
  static Attribute Optional(std::string name, AttributeType type);
  static Attribute Computed(std::string name, AttributeType type);
  static Attribute OptionalComputed(std::string name, AttributeType type);
  Attribute& ForceNew() { force_new = true; return *this; }
  Attribute& Sensitive() { sensitive = true; return *this; }
  Attribute& WriteOnly() { write_only = sensitive = true; return *this; }
  Attribute& Default(Value v) { default_value = std::move(v); return *this; }
  Attribute& Of(AttributeType e) { element = e; return *this; }
  Attribute& Block(std::vector<Attribute> fields) {
    element = AttributeType::kObject;
    nested = std::move(fields);
    return *this;
  }
  Attribute& MaxItems(int n) { max_items = n; return *this; }
  Attribute& OneOf(std::vector<std::string> values) { one_of = std::move(values); return *this; }
  Attribute& Describe(std::string d) { description = std::move(d); return *this; }
};

// The schema of one resource type or data source. `version` increases when the
// shape of stored state changes; the provider's UpgradeState migrates old state.
struct ResourceSchema {
  int version = 0;
  std::vector<Attribute> attributes;
  std::string description;

  const Attribute* Find(std::string_view name) const;
};

struct ProviderSchema {
  ResourceSchema provider_config;
  std::map<std::string, ResourceSchema> resources;
  std::map<std::string, ResourceSchema> data_sources;
};

struct ProviderInfo {
  std::string name;     // "aws"
  std::string version;  // "0.1.0"
};

struct ConfigureRequest {
  Value config;           // the evaluated provider block (a map)
  std::string stack;      // stack name, for ownership tags
  std::string workspace;  // workspace name, for ownership tags
};

// Plan one resource instance. The engine has merged configuration with prior
// state per the schema: configured values, prior values of computed attributes
// (unknown on create), defaults. A provider may refine it (mark attributes it
// will recompute as unknown, keep the prior value where a difference is only
// formatting, ask for replacement).
struct PlanRequest {
  std::string type;
  std::string address;
  Value prior_state;     // null on create
  Value proposed_state;  // map
  Value config;          // the evaluated configuration (map; may hold unknowns)
};

struct PlanResponse {
  Value planned_state;
  std::vector<std::string> requires_replace;  // attribute paths forcing replacement
  Diagnostics diagnostics;
};

enum class ApplyAction : unsigned char { kCreate, kUpdate, kDelete };

struct ApplyRequest {
  std::string type;
  std::string address;
  ApplyAction action = ApplyAction::kCreate;
  Value prior_state;    // null on create
  Value planned_state;  // null on delete; unknowns are for the provider to fill
  Value config;
  // Stable across a retry of the same operation after a crash: an API that
  // accepts an idempotency token gets this one.
  std::string client_token;
};

// On success new_state is the resource's state (null after a delete). A
// create that fails after the object exists returns it with the error: the
// engine records it as tainted rather than lose track of it.
struct ApplyResponse {
  Value new_state;
  Diagnostics diagnostics;
  // With an error and no new_state: the call may still have taken effect (a
  // 5xx, a timeout or a lost connection on a create or delete; a plugin that
  // died mid-call). The engine keeps the operation's journal entry and the
  // next plan or refresh looks the object up (AdoptResource, ReadResource).
  bool outcome_unknown = false;
};

struct ReadRequest {
  std::string type;
  std::string address;
  Value current_state;
};

// new_state null means the object no longer exists.
struct ReadResponse {
  Value new_state;
  Diagnostics diagnostics;
};

struct ImportRequest {
  std::string type;
  std::string address;
  std::string id;
};

struct ImportResponse {
  Value state;  // enough to Read from (at least "id")
  Diagnostics diagnostics;
};

// Find an object a create started but may not have recorded (the tool died
// mid-call): by the ownership tag carrying `address`, or by `client_token`.
struct AdoptRequest {
  std::string type;
  std::string address;
  Value planned_state;
  std::string client_token;
};

struct DataRequest {
  std::string type;
  std::string address;
  Value config;
};

struct DataResponse {
  Value state;
  Diagnostics diagnostics;
};

struct UpgradeStateRequest {
  std::string type;
  int from_version = 0;
  Value state;
};

struct UpgradeStateResponse {
  Value state;
  Diagnostics diagnostics;
};

// Asks how a rollout the last apply of a resource started is going (an ECS
// service's deployment, an auto scaling group's instance refresh); deploys
// poll it until it settles.
struct RolloutRequest {
  std::string type;
  std::string address;
  Value state;  // the resource's recorded state after the apply
};

enum class RolloutPhase : unsigned char {
  kNone,        // the resource has no rollout to watch
  kInProgress,
  kCompleted,
  kFailed,      // stopped without reaching the new version
  kRolledBack,  // the platform went back to an earlier version
};

// "none", "in_progress", "completed", "failed", "rolled_back".
std::string_view RolloutPhaseName(RolloutPhase phase);
bool ParseRolloutPhase(std::string_view name, RolloutPhase* out);

struct RolloutResponse {
  RolloutPhase phase = RolloutPhase::kNone;
  std::string name;      // what rolls out, as users know it ("prod-app")
  std::string revision;  // the version rolling out ("app:42")
  std::string state;     // the platform's own word for it ("IN_PROGRESS")
  int running = 0;
  int desired = 0;
  int pending = 0;
  int failed = 0;
  // Why it failed or rolled back ("ECS rolled prod-app back to revision 41:
  // 3 tasks failed to start"), or the latest progress note.
  std::string message;
  Diagnostics diagnostics;
};

// A provider of resource types. After Configure returns, every method may be
// called concurrently from several threads; implementations must be
// thread-safe. Errors are diagnostics (naming the address and the remote error
// code), never exceptions.
class Provider {
 public:
  virtual ~Provider() = default;

  virtual ProviderInfo Info() const = 0;
  virtual const ProviderSchema& Schema() const = 0;
  virtual Diagnostics Configure(const ConfigureRequest& request) = 0;

  // Checks a resource's configuration beyond what the schema says.
  virtual Diagnostics ValidateResource(const std::string& type, const Value& config);
  // Refines the engine's proposal; the default accepts it unchanged.
  virtual PlanResponse PlanResource(const PlanRequest& request);
  virtual ApplyResponse ApplyResource(const ApplyRequest& request) = 0;
  virtual ReadResponse ReadResource(const ReadRequest& request) = 0;
  // Reads many instances; providers batch where the API allows. The default
  // reads one at a time. Responses are in request order.
  virtual std::vector<ReadResponse> ReadResources(const std::vector<ReadRequest>& requests);
  virtual ImportResponse ImportResource(const ImportRequest& request);
  // The default finds nothing (null state).
  virtual ReadResponse AdoptResource(const AdoptRequest& request);
  virtual DataResponse ReadDataSource(const DataRequest& request);
  // The default returns the state unchanged.
  virtual UpgradeStateResponse UpgradeState(const UpgradeStateRequest& request);
  // The default: no rollout (RolloutPhase::kNone).
  virtual RolloutResponse RolloutStatus(const RolloutRequest& request);
  // Asks in-flight work to finish soon and queued work to be dropped (an
  // interrupt): no new operation starts after it, though calls that belong to
  // operations already in flight (the apply after a plan) may still come.
  // Thread-safe; may be called during any call.
  virtual void Stop() {}
  // Gives up in-flight work at once (a second interrupt): calls in flight
  // return errors, their outcome unknown. Thread-safe. The default does
  // nothing, so in-flight calls run to their end.
  virtual void Abandon() {}
};

using ProviderFactory = std::function<std::unique_ptr<Provider>()>;

// The provider name a resource type belongs to: "aws" for aws_vpc.
std::string ProviderNameForType(std::string_view type);

}  // namespace reconcile
