// The shared flow of `apply` and `destroy`: plan under the lock, show the
// plan, ask (unless --auto-approve), apply, report.
#pragma once

#include <string>

#include "command.h"
#include "stack_flags.h"

namespace reconcile::tool {

struct ApplyFlow {
  PlanOptions plan;
  StackFlags flags;
  bool auto_approve = false;
  bool json = false;
  std::string question;
  std::string explanation;
};

int RunApplyFlow(const GlobalOptions& global, ApplyFlow& flow);

}  // namespace reconcile::tool
