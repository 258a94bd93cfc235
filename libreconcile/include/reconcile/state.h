// The state document: what reconcile has made, per workspace.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile {

// The recorded state of one resource instance (managed or data).
struct ResourceInstanceState {
  std::string address;   // `module.net.aws_subnet.public["a"]`
  std::string mode;      // "managed" or "data"
  std::string type;      // "aws_subnet"
  std::string provider;  // "aws", or "aws.west" for an aliased configuration
  Value attributes;      // a map; sensitive attributes carry the sensitive mark
  std::vector<std::string> dependencies;  // resource addresses it depended on when applied
  int schema_version = 0;
  bool tainted = false;  // created but not completed: the next plan replaces it
  // Replaced create-before-destroy when it was last applied (kept from an
  // adopted Terraform state, written back by `state pull --format terraform`).
  bool create_before_destroy = false;
  // Earlier objects of a create_before_destroy replacement whose delete has not
  // happened yet; the next apply deletes them.
  std::vector<Value> deposed;

  // Drops the deposed object that is `object`: the newest with its id (when
  // either has no id, the newest equal to it). False when there is none.
  bool EraseDeposed(const Value& object);
  // Records `object` as deposed unless it is already recorded (deposed, or
  // still current): an object is deposed at most once, whatever order the
  // recovery of an interrupted replacement and the apply record it in.
  // False when it was already there.
  bool AddDeposed(const Value& object);
};

// The `id` attribute of a recorded object ("" when it has no string id).
std::string ObjectId(const Value& object);
// True when two recorded objects are the same object: equal ids (and equal
// ARNs when both have one: a task definition's id is its family, shared by
// its revisions), or (when either has no id) equal values.
bool SameObject(const Value& a, const Value& b);

struct OutputState {
  Value value;
  bool sensitive = false;
};

// A provider call that creates or deletes, recorded before the call and cleared
// only after a state write recorded its result. One left behind means the tool
// stopped mid-call, or the call ended without saying whether it took effect.
struct PendingOperation {
  std::string address;
  std::string type;
  std::string provider;
  std::string action;   // "create" or "delete"
  std::string started;  // RFC 3339 UTC
  // A random nonce fixed when the entry is first written; every retry of the
  // same create (same planned state), in this run or a later one, sends it.
  std::string client_token;
  Value planned_state;  // for a create: what was asked for
  // For a delete: what was being deleted. For the create of a
  // create_before_destroy replacement: the object it replaces (still current
  // in state until the new one is recorded). Null for a plain create.
  Value prior_state;
  // The call failed in a way that may have taken effect (a 5xx or timeout on a
  // create, a plugin that died mid-call): the entry stays until a lookup (the
  // next plan, apply or refresh) finds the object or shows it is not there.
  bool outcome_unknown = false;
};

// What the last completed apply of a workspace was, kept in its state so a
// history of state versions tells who changed what (`reconcile history`).
struct ApplyRecord {
  std::string id;         // unique per apply: versions carrying the same id come from one apply
  std::string operation;  // "apply", "destroy", "deploy", "rollback"
  std::string who;        // user@host
  std::string time;       // RFC 3339 UTC, when it finished
  int add = 0;
  int change = 0;
  int destroy = 0;

  bool empty() const { return id.empty(); }
};

struct State {
  static constexpr int kFormatVersion = 1;

  std::string lineage;  // UUID, fixed for the life of a workspace's state
  std::uint64_t serial = 0;
  std::string tool_version;
  std::map<std::string, ResourceInstanceState> resources;  // by address
  std::map<std::string, OutputState> outputs;
  // The values of release variables the last successful apply used, by name
  // (sensitive ones keep their mark); later runs that do not set them reuse them.
  std::map<std::string, Value> release;
  ApplyRecord last_apply;
  // By address. Not part of the state document: the backend keeps them in a
  // small journal written synchronously (see Backend::WritePending), so the
  // state document itself may be written at a limited rate.
  std::map<std::string, PendingOperation> pending;

  bool empty() const { return resources.empty() && pending.empty(); }
};

// Serializes a state document (pretty JSON, stable order, sensitive values in
// plain text but their paths listed so they stay marked when read back).
// Pending operations are not included.
std::string SerializeState(const State& state);
// Parses a state document; errors name the problem and the JSON path.
Diagnostics ParseState(std::string_view document, State* out);

// The pending-operation journal, kept beside the state and written at once.
std::string SerializePending(const std::map<std::string, PendingOperation>& pending);
Diagnostics ParsePending(std::string_view document, std::map<std::string, PendingOperation>* out);

// A new random lineage (UUID v4).
std::string NewLineage();
// The current UTC time in RFC 3339 ("2026-11-23T09:30:00Z").
std::string NowRfc3339();

}  // namespace reconcile
