// Addresses of resources and their instances: `aws_subnet.public["a"]`,
// `module.net.aws_vpc.main`, `data.aws_ami.ubuntu`, `random_id.x[0]`,
// `module.web["a"].aws_instance.x` (an instance of a module with for_each).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reconcile {

// Which instance of a resource: none (no count/for_each), an index (count) or a
// string key (for_each).
struct InstanceKey {
  enum class Kind : unsigned char { kNone, kIndex, kString };
  Kind kind = Kind::kNone;
  std::int64_t index = 0;
  std::string key;

  static InstanceKey None() { return {}; }
  static InstanceKey Index(std::int64_t i) { return {Kind::kIndex, i, {}}; }
  static InstanceKey String(std::string k) { return {Kind::kString, 0, std::move(k)}; }

  // "", "[0]" or "[\"a\"]".
  std::string ToString() const;
  bool operator==(const InstanceKey&) const = default;
  bool operator<(const InstanceKey& o) const;
};

enum class ResourceMode : unsigned char { kManaged, kData };

// One module call on the way from the root: `module.net`, or one instance of
// a module with count or for_each, `module.web["a"]` / `module.web[0]`.
struct ModuleStep {
  std::string name;
  InstanceKey key;

  // "module.net" or "module.web[\"a\"]".
  std::string ToString() const;
  bool operator==(const ModuleStep&) const = default;
};

// A resource instance (or, with no key, a whole resource), or with an empty type
// a module (`module.net`, `module.web["a"]`), as `--target` accepts.
struct ResourceAddress {
  std::vector<ModuleStep> module_path;  // {{"net"}} for module.net
  ResourceMode mode = ResourceMode::kManaged;
  std::string type;
  std::string name;
  InstanceKey key;

  // The address without the instance key: `aws_subnet.public`.
  std::string ResourceString() const;
  // The full instance address: `module.net.aws_subnet.public["a"]`.
  std::string ToString() const;
  // "module.net.", "module.web[\"a\"]." or "".
  std::string ModulePrefix() const;

  // Parses an address as users type it on the command line. Returns false and
  // sets *error on malformed input.
  static bool Parse(std::string_view text, ResourceAddress* out, std::string* error);

  bool operator==(const ResourceAddress&) const = default;
};

// True when `instance` is the resource `target` names or one of its instances:
// a target without a key matches every instance, and a target with an empty
// type (`module.net`) matches everything inside that module. A module step
// without a key (`module.web`) matches every instance of that module.
bool AddressMatches(const ResourceAddress& target, const ResourceAddress& instance);

}  // namespace reconcile
