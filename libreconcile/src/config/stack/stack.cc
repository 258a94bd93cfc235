#include "config/stack/stack.h"

namespace reconcile::config {

const Expression* Body::Find(std::string_view name) const {
  for (const auto& [key, expression] : attributes)
    if (key == name) return &expression;
  return nullptr;
}

std::string ResourceBlock::Key() const {
  return (mode == ResourceMode::kData ? "data." : "") + type + "." + name;
}

}  // namespace reconcile::config
