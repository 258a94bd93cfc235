// What the state knows of one object: its id, and the deposed objects kept
// beside an instance's current one.
#include "reconcile/state.h"

namespace reconcile {

std::string ObjectId(const Value& object) {
  const Value* id = object.Find("id");
  return id != nullptr && id->is_string() ? id->AsString() : "";
}

bool SameObject(const Value& a, const Value& b) {
  const std::string id = ObjectId(a);
  const std::string other = ObjectId(b);
  return !id.empty() && !other.empty() ? id == other : a.Equals(b);
}

bool ResourceInstanceState::EraseDeposed(const Value& object) {
  for (auto it = deposed.rbegin(); it != deposed.rend(); ++it) {
    if (SameObject(*it, object)) {
      deposed.erase(std::next(it).base());
      return true;
    }
  }
  return false;
}

}  // namespace reconcile
