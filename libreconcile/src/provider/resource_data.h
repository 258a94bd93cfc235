// Typed reads of one attribute map (a resource's config, planned or prior
// state) for provider implementations: absent, null or mistyped attributes
// yield the fallback, so provider code reads as a list of attributes.
#pragma once

#include <string>
#include <string_view>

#include "reconcile/value.h"

namespace reconcile {

class ResourceData {
 public:
  explicit ResourceData(const Value& attributes) : attributes_(attributes) {}

  // Set to a value other than null.
  bool Has(std::string_view name) const;
  bool IsUnknown(std::string_view name) const;
  std::string String(std::string_view name, std::string fallback = {}) const;
  double Number(std::string_view name, double fallback = 0) const;
  bool Bool(std::string_view name, bool fallback) const;
  // The attribute as stored (null when absent).
  Value Get(std::string_view name) const;

 private:
  const Value& attributes_;
};

}  // namespace reconcile
