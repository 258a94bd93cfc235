// Variable types as written in `type = "..."`: string, number, bool, any,
// list(T), set(T), map(T), object({name = T, other = optional(T)}),
// tuple([T, ...]); bare list/set/map hold any. Conversion follows Terraform.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reconcile/value.h"

namespace reconcile::config {

class TypeConstraint {
 public:
  enum class Kind : unsigned char { kAny, kString, kNumber, kBool, kList, kSet, kMap, kObject, kTuple };

  TypeConstraint() = default;
  explicit TypeConstraint(Kind kind) : kind_(kind) {}

  // Parses a type expression; on failure says why in *error (with a
  // suggestion for a misspelt type name).
  static bool Parse(std::string_view text, TypeConstraint* out, std::string* error);

  Kind kind() const { return kind_; }
  bool is_collection() const { return kind_ >= Kind::kList; }
  // "list(string)", "object({a = number})".
  std::string ToString() const;

  // Converts a value to this type: "5" to 5 for a number, elements of a
  // list(string) to strings, objects keep only their declared attributes.
  // Null and unknown pass through; marks are kept. On failure *error says
  // where and what: `element 1: a number is required, got string "x"`.
  bool Convert(const Value& value, Value* out, std::string* error) const;

 private:
  friend class TypeParser;
  bool ConvertCollection(const Value& value, Value* out, std::string* error) const;
  bool ConvertObject(const Value& value, Value* out, std::string* error) const;

  Kind kind_ = Kind::kAny;
  // list/set/map: the element type; tuple: each element's; object: each
  // attribute's, in the order of attributes_.
  std::vector<TypeConstraint> elements_;
  struct Attribute {
    std::string name;
    bool optional = false;
  };
  std::vector<Attribute> attributes_;  // object
};

// Sorts and de-duplicates a set's elements (numbers numerically, strings
// lexically, others by their JSON).
ValueList SortedUnique(ValueList items);

}  // namespace reconcile::config
