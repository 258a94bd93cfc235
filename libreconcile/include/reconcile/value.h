// The dynamic value every part of reconcile trades in: configuration, state,
// plans and the provider protocol.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace reconcile {

class Value;
using ValueList = std::vector<Value>;
using ValueMap = std::map<std::string, Value, std::less<>>;

// A null, bool, number, string, list, map or *unknown* ("known after apply"),
// with a *sensitive* mark. Lists and maps are shared copy-on-write, so copying
// a Value is cheap. The sensitive mark of a container applies to all of it; a
// container may also hold individually marked elements.
class Value {
 public:
  enum class Kind : unsigned char { kNull, kBool, kNumber, kString, kList, kMap, kUnknown };

  Value() = default;  // null
  static Value Null() { return Value(); }
  static Value Bool(bool b);
  static Value Number(double n);
  static Value String(std::string s);
  static Value List(ValueList items);
  static Value Map(ValueMap entries);
  static Value Unknown();

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_number() const { return kind() == Kind::kNumber; }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_list() const { return kind() == Kind::kList; }
  bool is_map() const { return kind() == Kind::kMap; }
  bool is_unknown() const { return kind() == Kind::kUnknown; }

  // Accessors; calling one for the wrong kind is a programming error (asserts).
  bool AsBool() const;
  double AsNumber() const;
  const std::string& AsString() const;
  const ValueList& AsList() const;
  const ValueMap& AsMap() const;
  // Mutable access clones shared storage first (copy-on-write).
  ValueList& MutableList();
  ValueMap& MutableMap();

  // Map lookup; nullptr when this is not a map or has no such key.
  const Value* Find(std::string_view key) const;
  // Sets a map entry, turning a null into an empty map first.
  void Set(std::string key, Value v);

  bool sensitive() const { return sensitive_; }
  void set_sensitive(bool s) { sensitive_ = s; }
  // A copy carrying the sensitive mark.
  Value MarkedSensitive() const;
  // True when this value or anything inside it is sensitive / unknown.
  bool ContainsSensitive() const;
  bool ContainsUnknown() const;
  // Whether the value is wholly known (no unknown anywhere inside).
  bool IsWhollyKnown() const { return !ContainsUnknown(); }
  // A copy with every sensitive mark removed, at every depth.
  Value WithoutMarks() const;

  // Structural equality of content, ignoring sensitive marks. Numbers compare
  // exactly; unknown equals only unknown.
  bool Equals(const Value& other) const;
  // Equality including marks.
  bool operator==(const Value& other) const;
  bool operator!=(const Value& other) const { return !(*this == other); }

  // Name of the kind, for messages: "string", "list", ...
  static std::string_view KindName(Kind k);
  std::string_view kind_name() const { return KindName(kind()); }

 private:
  struct UnknownTag {};
  using Data = std::variant<std::monostate, bool, double, std::string,
                            std::shared_ptr<ValueList>, std::shared_ptr<ValueMap>, UnknownTag>;
  Data data_;
  bool sensitive_ = false;
};

// Formats a number the way users write it: integers without a fraction.
std::string FormatNumber(double n);

// JSON of the value (unknown becomes null; marks are dropped). Keys sorted.
std::string ToJson(const Value& v, bool pretty = false);
// Parses JSON text; on failure returns null and sets *error when given.
Value FromJson(std::string_view text, std::string* error = nullptr);

// A step in a path into a value: a map key or a list index.
struct PathStep {
  std::string key;
  std::size_t index = 0;
  bool is_index = false;
  bool operator==(const PathStep&) const = default;
};
using ValuePath = std::vector<PathStep>;

// "tags.Name", "ingress[0].from_port", "tags[\"a.b\"]".
std::string FormatPath(const ValuePath& path);
// Inverse of FormatPath; returns false on malformed text.
bool ParsePath(std::string_view text, ValuePath* out);

// Paths of every sensitive-marked value inside v (outermost only).
std::vector<ValuePath> SensitivePaths(const Value& v);
// Marks the values at the given paths sensitive (missing paths are ignored).
void MarkPaths(Value& v, const std::vector<ValuePath>& paths);

}  // namespace reconcile
