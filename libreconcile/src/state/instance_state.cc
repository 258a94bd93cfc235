// What the state knows of one object: its id, and the deposed objects kept
// beside an instance's current one.
#include "reconcile/state.h"

#include <iterator>
#include <vector>

namespace reconcile {

std::string ObjectId(const Value& object) {
  const Value* id = object.Find("id");
  return id != nullptr && id->is_string() ? id->AsString() : "";
}

namespace {

// The `arn` attribute of a recorded object ("" when it has no string arn).
std::string ObjectArn(const Value& object) {
  const Value* arn = object.Find("arn");
  return arn != nullptr && arn->is_string() ? arn->AsString() : "";
}

}  // namespace

bool SameObject(const Value& a, const Value& b) {
  const std::string id = ObjectId(a);
  const std::string other = ObjectId(b);
  if (id.empty() || other.empty()) return a.Equals(b);
  if (id != other) return false;
  // Some ids name a series rather than one object (a task definition's id is
  // its family; each revision has its own ARN).
  const std::string arn = ObjectArn(a);
  const std::string other_arn = ObjectArn(b);
  return arn.empty() || other_arn.empty() || arn == other_arn;
}

bool ResourceInstanceState::EraseDeposed(const Value& object) {
  for (auto it = deposed.rbegin(); it != deposed.rend(); ++it) {
    if (!SameObject(*it, object)) continue;
    deposed.erase(std::next(it).base());
    // A state written before AddDeposed may hold the same object twice: the
    // delete removed it, so no copy of it stays.
    if (!ObjectId(object).empty())
      std::erase_if(deposed, [&](const Value& other) { return SameObject(other, object); });
    return true;
  }
  return false;
}

bool ResourceInstanceState::AddDeposed(const Value& object) {
  if (object.is_null() || SameObject(attributes, object)) return false;
  for (const Value& other : deposed)
    if (SameObject(other, object)) return false;
  deposed.push_back(object);
  return true;
}

}  // namespace reconcile
