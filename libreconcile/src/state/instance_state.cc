// What the state knows of one object: its id, and the deposed objects kept
// beside an instance's current one.
#include "reconcile/state.h"

namespace reconcile {

std::string ObjectId(const Value& object) {
  const Value* id = object.Find("id");
  return id != nullptr && id->is_string() ? id->AsString() : "";
}

bool ResourceInstanceState::EraseDeposed(const Value& object) {
  const std::string id = ObjectId(object);
  for (auto it = deposed.rbegin(); it != deposed.rend(); ++it) {
    const std::string other = ObjectId(*it);
    bool same = !id.empty() && !other.empty() ? other == id : it->Equals(object);
    if (same) {
      deposed.erase(std::next(it).base());
      return true;
    }
  }
  return false;
}

}  // namespace reconcile
