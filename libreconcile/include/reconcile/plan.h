// A plan: what an apply would do, and how it is shown and saved.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "reconcile/address.h"
#include "reconcile/diagnostics.h"
#include "reconcile/state.h"
#include "reconcile/value.h"

namespace reconcile {

enum class Action : unsigned char { kNoOp, kCreate, kRead, kUpdate, kReplace, kDelete };

// "no-op", "create", "read", "update", "replace", "delete".
std::string_view ActionName(Action action);

// PlannedChange::reason of a replacement the plan words specially.
inline constexpr std::string_view kReasonTainted = "tainted";  // "is tainted, so must be replaced"
inline constexpr std::string_view kReasonReplaceRequested = "replace requested";  // "--replace"

// The change planned for one resource instance.
struct PlannedChange {
  std::string address;
  std::string type;
  std::string provider;  // "aws" or "aws.west"
  ResourceMode mode = ResourceMode::kManaged;
  Action action = Action::kNoOp;
  Value before;  // recorded (refreshed) state; null on create
  Value after;   // planned state, unknowns where known only after apply; null on delete
  std::vector<std::string> replace_paths;  // attributes that force a replacement
  bool create_before_destroy = false;
  std::string reason;  // why, when not obvious: "tainted", "deleted outside reconcile", ...
  // The resources (addresses without instance keys, e.g. "aws_subnet.public")
  // whose every instance this one waits for.
  std::vector<std::string> depends_on;
  // Objects a create_before_destroy replacement deposed and did not get to
  // destroy (the apply failed or was interrupted after the new object was
  // made); the apply destroys them, whatever the action above.
  std::vector<Value> deposed;
};

struct OutputChange {
  std::string name;
  Action action = Action::kNoOp;
  Value before;
  Value after;
  bool sensitive = false;
};

// An instance the plan leaves alone because of `--exclude`.
struct ExcludedInstance {
  std::string address;
  // Empty when an --exclude address names it; otherwise the excluded
  // instance that brought it along: it depends on that one (or, in a
  // destroy plan, that one depends on it).
  std::string because_of;
};

// A release variable's value in a plan, and where it came from.
struct ReleaseValue {
  std::string name;
  Value before;        // recorded by the workspace's last apply (null: none yet)
  Value after;         // what this plan uses
  std::string origin;  // "recorded in the state", "--var image_tag", "default", ...

  bool changed() const { return !before.Equals(after); }
};

// "v2", or "(sensitive value)"; a release value as plan headings show it.
std::string ReleaseValueText(const Value& value);

struct PlanSummary {
  int add = 0;
  int change = 0;
  int destroy = 0;  // a replacement counts once in add and once in destroy
  int read = 0;
};

struct Plan {
  std::string workspace;
  // The state the plan was made from; a saved plan is refused when it moved.
  std::string lineage;
  std::uint64_t serial = 0;
  bool state_existed = false;
  bool destroy = false;
  std::vector<std::string> targets;
  std::vector<std::string> replace;   // --replace addresses
  std::vector<std::string> excludes;  // --exclude addresses
  std::vector<ExcludedInstance> excluded;  // what they left out, by address

  // Every instance, no-ops included, sorted by address; each change's
  // depends_on gives the order the apply follows.
  std::vector<PlannedChange> changes;
  std::vector<PlannedChange> drift;    // changes made outside reconcile (refresh)
  std::vector<PendingOperation> pending;  // left by an interrupted apply
  std::vector<OutputChange> outputs;

  // What the plan was made with, so `apply PLANFILE` re-evaluates the same.
  std::map<std::string, Value> variables;
  std::string config_digest;
  // The stack's release variables (docs/deploy.md), by name.
  std::vector<ReleaseValue> release;

  PlanSummary Summary() const;
  // Any resource or output change, or pending operation to reconcile.
  bool HasChanges() const;
};

struct RenderOptions {
  bool color = false;
  bool show_no_ops = false;
};

// The plan as users know it: `+` create, `~` update, `-/+` replace (with the
// attribute that forces it), `-` delete, `<=` read, then
// "Plan: 3 to add, 1 to change, 0 to destroy." Sensitive values read
// "(sensitive value)"; unknown ones "(known after apply)".
std::string RenderPlan(const Plan& plan, const RenderOptions& options);

// What a plan says after an instance's address: "will be created", "must be
// replaced", "will be replaced, as requested", "is tainted, so must be replaced"...
std::string_view ActionWords(const PlannedChange& change);

struct MarkdownOptions {
  // Resource changes shown in full; the rest are counted, not shown.
  std::size_t max_resources = 40;
  // The comment stops growing near this size (GitHub takes 65536 characters).
  std::size_t max_chars = 60000;
};

// The plan as a pull-request comment (GitHub-flavoured Markdown): a summary
// line, a table of changes per action, each resource's diff in a collapsible
// <details> block, output changes; sensitive values read "(sensitive value)"
// and never appear. A long plan is cut, saying how many changes were left out.
std::string RenderPlanMarkdown(const Plan& plan, const MarkdownOptions& options);

// The machine-readable plan (docs/json-format.md), one JSON document.
std::string PlanToJson(const Plan& plan);

// Saved plans (`plan --out F`). The file holds sensitive values: written 0600.
Diagnostics WritePlanFile(const std::string& path, const Plan& plan);
Diagnostics ReadPlanFile(const std::string& path, Plan* out);

}  // namespace reconcile
