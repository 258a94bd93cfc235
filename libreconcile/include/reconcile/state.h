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
};

// The `id` attribute of a recorded object ("" when it has no string id).
std::string ObjectId(const Value& object);

struct OutputState {
  Value value;
  bool sensitive = false;
};

// A provider call that creates or deletes, recorded before the call and cleared
// after its result is recorded. One left behind means the tool stopped mid-call.
struct PendingOperation {
  std::string address;
  std::string type;
  std::string provider;
  std::string action;        // "create" or "delete"
  std::string started;       // RFC 3339 UTC
  std::string client_token;  // reused when the operation is retried
  Value planned_state;       // for a create: what was asked for
  Value prior_state;         // for a delete: what was being deleted
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
