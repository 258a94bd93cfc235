// Plan basics: action names, the summary line's counts, whether anything changes.
#include "reconcile/plan.h"

namespace reconcile {

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kNoOp:
      return "no-op";
    case Action::kCreate:
      return "create";
    case Action::kRead:
      return "read";
    case Action::kUpdate:
      return "update";
    case Action::kReplace:
      return "replace";
    case Action::kDelete:
      return "delete";
  }
  return "?";
}

std::string_view ActionWords(const PlannedChange& change) {
  switch (change.action) {
    case Action::kCreate:
      return "will be created";
    case Action::kUpdate:
      return "will be updated in-place";
    case Action::kReplace:
      if (change.reason == kReasonTainted) return "is tainted, so must be replaced";
      if (change.reason == kReasonReplaceRequested) return "will be replaced, as requested";
      return "must be replaced";
    case Action::kDelete:
      return "will be destroyed";
    case Action::kRead:
      return "will be read during apply";
    case Action::kNoOp:
      break;
  }
  return "has no changes";
}

PlanSummary Plan::Summary() const {
  PlanSummary summary;
  for (const PlannedChange& change : changes) {
    summary.destroy += static_cast<int>(change.deposed.size());
    switch (change.action) {
      case Action::kCreate:
        ++summary.add;
        break;
      case Action::kUpdate:
        ++summary.change;
        break;
      case Action::kReplace:
        ++summary.add;
        ++summary.destroy;
        break;
      case Action::kDelete:
        ++summary.destroy;
        break;
      case Action::kRead:
        ++summary.read;
        break;
      case Action::kNoOp:
        break;
    }
  }
  return summary;
}

bool Plan::HasChanges() const {
  for (const PlannedChange& change : changes)
    if (change.action != Action::kNoOp || !change.deposed.empty()) return true;
  for (const OutputChange& output : outputs)
    if (output.action != Action::kNoOp) return true;
  return !pending.empty();
}

}  // namespace reconcile
