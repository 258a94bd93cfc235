// random_password and random_string: a string of `length` characters drawn
// uniformly from the enabled character classes, with per-class minimums.
#include <cmath>
#include <vector>

#include "random_resource.h"
#include "reconcile/provider_kit.h"

namespace reconcile::random_provider {

namespace {

constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kNumeric = "0123456789";
constexpr std::string_view kDefaultSpecial = "!@#$%&*()-_=+[]{}<>:?";

struct CharacterClass {
  std::string name;  // "upper": names min_upper
  std::string characters;
  bool enabled = true;
  long minimum = 0;
};

std::vector<CharacterClass> ClassesOf(const Value& config) {
  return {
      {"lower", std::string(kLower), GetBool(config, "lower", true),
       std::lround(GetNumber(config, "min_lower"))},
      {"upper", std::string(kUpper), GetBool(config, "upper", true),
       std::lround(GetNumber(config, "min_upper"))},
      {"numeric", std::string(kNumeric), GetBool(config, "numeric", true),
       std::lround(GetNumber(config, "min_numeric"))},
      {"special", FindString(config, "override_special").value_or(std::string(kDefaultSpecial)),
       GetBool(config, "special", true), std::lround(GetNumber(config, "min_special"))},
  };
}

// Appends `count` characters drawn uniformly from `characters`.
bool Draw(std::string_view characters, long count, std::string* out) {
  for (long i = 0; i < count; ++i) {
    std::uint32_t index = 0;
    if (!encoding::RandomBelow(static_cast<std::uint32_t>(characters.size()), &index)) return false;
    *out += characters[index];
  }
  return true;
}

// Fisher-Yates with unbiased indexes, so the required characters land anywhere.
bool Shuffle(std::string* s) {
  for (std::size_t i = s->size(); i > 1; --i) {
    std::uint32_t j = 0;
    if (!encoding::RandomBelow(static_cast<std::uint32_t>(i), &j)) return false;
    std::swap((*s)[i - 1], (*s)[j]);
  }
  return true;
}

Diagnostics Validate(const Value& config) {
  Diagnostics diagnostics;
  for (std::string_view name : {"length", "min_lower", "min_upper", "min_numeric", "min_special"})
    if (IsUnknown(config, name)) return diagnostics;
  long length = std::lround(GetNumber(config, "length"));
  if (length < 1)
    diagnostics.Error("length must be at least 1", "Got " + std::to_string(length) + ".");
  long required = 0;
  std::string pool;
  for (const CharacterClass& c : ClassesOf(config)) {
    if (c.minimum < 0) diagnostics.Error("min_" + c.name + " must not be negative");
    if (c.minimum > 0 && c.characters.empty())
      diagnostics.Error("min_" + c.name + " is set but override_special is empty");
    required += c.minimum;
    if (c.enabled) pool += c.characters;
  }
  if (required > length)
    diagnostics.Error("length is shorter than the minimums it must hold",
                      "length = " + std::to_string(length) + " but min_lower + min_upper + " +
                          "min_numeric + min_special = " + std::to_string(required) + ".");
  if (pool.empty() && length > required)
    diagnostics.Error("No characters to draw from",
                      "Enable at least one of lower, upper, numeric or special.");
  return diagnostics;
}

bool Generate(const Value& config, std::string* result) {
  std::string pool;
  long remaining = std::lround(GetNumber(config, "length"));
  for (const CharacterClass& c : ClassesOf(config)) {
    if (!Draw(c.characters, c.minimum, result)) return false;
    remaining -= c.minimum;
    if (c.enabled) pool += c.characters;
  }
  return Draw(pool, remaining, result) && Shuffle(result);
}

Value Create(const Value& planned, bool password, Diagnostics* diagnostics) {
  *diagnostics = Validate(planned);
  if (diagnostics->HasErrors()) return Value();
  std::string result;
  if (!Generate(planned, &result)) {
    diagnostics->Error("The system's random number generator failed");
    return Value();
  }
  Value state = planned;
  state.Set("result", password ? Value::String(result).MarkedSensitive() : Value::String(result));
  state.Set("id", Value::String(password ? "none" : result));
  return state;
}

// As Terraform does: the id is the value itself; every option at its default.
Value Import(const std::string& id, bool password) {
  Value state = Value::Map({});
  state.Set("length", Value::Number(static_cast<double>(id.size())));
  for (const char* flag : {"special", "upper", "lower", "numeric"})
    state.Set(flag, Value::Bool(true));
  for (const char* minimum : {"min_special", "min_upper", "min_lower", "min_numeric"})
    state.Set(minimum, Value::Number(0));
  state.Set("result", password ? Value::String(id).MarkedSensitive() : Value::String(id));
  state.Set("id", Value::String(password ? "none" : id));
  return state;
}

ResourceSchema Schema(bool password) {
  auto flag = [](const char* name, const char* what) {
    return Attribute::Optional(name, AttributeType::kBool)
        .Default(Value::Bool(true))
        .ForceNew()
        .Describe(std::string("Include ") + what + " in the result.");
  };
  auto minimum = [](const char* name, const char* what) {
    return Attribute::Optional(name, AttributeType::kNumber)
        .Default(Value::Number(0))
        .ForceNew()
        .Describe(std::string("At least this many ") + what + ".");
  };
  Attribute result =
      Attribute::Computed("result", AttributeType::kString).Describe("The generated string.");
  if (password) result.Sensitive();
  ResourceSchema schema;
  schema.description =
      password ? "A random password, kept secret in plans and output." : "A random string.";
  schema.attributes = {
      Attribute::Required("length", AttributeType::kNumber)
          .ForceNew()
          .Describe("Number of characters."),
      flag("special", "special characters"),
      flag("upper", "upper-case letters"),
      flag("lower", "lower-case letters"),
      flag("numeric", "digits"),
      minimum("min_special", "special characters"),
      minimum("min_upper", "upper-case letters"),
      minimum("min_lower", "lower-case letters"),
      minimum("min_numeric", "digits"),
      Attribute::Optional("override_special", AttributeType::kString)
          .ForceNew()
          .Describe("The special characters to use instead of !@#$%&*()-_=+[]{}<>:?"),
      Attribute::Optional("keepers", AttributeType::kMap)
          .Of(AttributeType::kString)
          .ForceNew()
          .Describe("Arbitrary values; changing any generates a new result."),
      result,
      Attribute::Computed("id", AttributeType::kString),
  };
  return schema;
}

ResourceType MakeType(bool password) {
  ResourceType type;
  type.schema = Schema(password);
  type.validate = Validate;
  type.create = [password](const Value& planned, Diagnostics* d) {
    return Create(planned, password, d);
  };
  type.import = [password](const std::string& id, Diagnostics* d) {
    if (id.empty()) d->Error("The import id is the existing value; it must not be empty");
    return d->HasErrors() ? Value() : Import(id, password);
  };
  return type;
}

}  // namespace

ResourceType RandomPasswordType() { return MakeType(true); }
ResourceType RandomStringType() { return MakeType(false); }

}  // namespace reconcile::random_provider
