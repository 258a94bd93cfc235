#include "fuzz_targets.h"

namespace reconcile::fuzz {

const std::vector<FuzzTarget>& AllTargets() {
  static const std::vector<FuzzTarget> targets = {
      {"stack", FuzzStack},
      {"state", FuzzStateDocument},
      {"pending", FuzzPendingJournal},
      {"plan", FuzzPlanFile},
      {"wire", FuzzWireMessage},
      {"aws_response", FuzzAwsResponse},
      {"aws_profile", FuzzAwsProfile},
  };
  return targets;
}

}  // namespace reconcile::fuzz
