// The shared flow of `deploy` and `rollback` (docs/deploy.md): set release
// values, plan, show the plan headed by what changes, ask (unless
// --auto-approve), apply, then wait for the rollouts the apply started and
// report how they ended.
#pragma once

#include <string>
#include <vector>

#include "command.h"
#include "stack_flags.h"

namespace reconcile::tool {

struct DeployFlow {
  StackFlags flags;
  std::vector<std::string> assignments;  // NAME=VALUE of release variables
  std::string tag;  // --tag: routed by the stack's [deploy] channels
  bool auto_approve = false;
  bool json = false;
  bool no_wait = false;
  std::string timeout = "30m";
  std::string poll_interval = "5s";
  std::string operation = "deploy";  // recorded in the state: "deploy" or "rollback"
};

// Adds --auto-approve, --json, --no-wait, --timeout, --poll-interval and the
// stack flags.
void AddDeployFlags(CLI::App& app, DeployFlow& flow);

// Exit 0 when the apply and every rollout completed; 1 on an error, a failed
// or rolled-back rollout, a timeout, or Ctrl-C while waiting.
int RunDeployFlow(const GlobalOptions& global, DeployFlow& flow);

}  // namespace reconcile::tool
