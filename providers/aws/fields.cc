#include "fields.h"

#include <cmath>
#include <cstdlib>

namespace reconcile::aws_provider {

namespace {

const Value* Known(const Value& map, std::string_view key) {
  const Value* v = map.Find(key);
  return v != nullptr && !v->is_null() && !v->is_unknown() ? v : nullptr;
}

}  // namespace

bool IsSet(const Value& map, std::string_view key) { return Known(map, key) != nullptr; }

bool Changed(const Value& before, const Value& after, std::string_view key) {
  const Value* a = before.Find(key);
  const Value* b = after.Find(key);
  Value null;
  return !(a ? *a : null).Equals(b ? *b : null);
}

std::string GetString(const Value& map, std::string_view key) {
  return FindString(map, key).value_or("");
}

std::optional<std::string> FindString(const Value& map, std::string_view key) {
  const Value* v = Known(map, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return v->AsString();
  if (v->is_number()) return FormatNumber(v->AsNumber());
  if (v->is_bool()) return v->AsBool() ? "true" : "false";
  return std::nullopt;
}

bool GetBool(const Value& map, std::string_view key, bool fallback) {
  return FindBool(map, key).value_or(fallback);
}

std::optional<bool> FindBool(const Value& map, std::string_view key) {
  const Value* v = Known(map, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_bool()) return v->AsBool();
  if (v->is_string()) return v->AsString() == "true";
  return std::nullopt;
}

long long GetInt(const Value& map, std::string_view key, long long fallback) {
  return FindInt(map, key).value_or(fallback);
}

std::optional<long long> FindInt(const Value& map, std::string_view key) {
  const Value* v = Known(map, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number()) return static_cast<long long>(std::llround(v->AsNumber()));
  if (v->is_string() && !v->AsString().empty()) return std::atoll(v->AsString().c_str());
  return std::nullopt;
}

std::vector<std::string> GetStrings(const Value& map, std::string_view key) {
  std::vector<std::string> out;
  const Value* v = Known(map, key);
  if (v == nullptr || !v->is_list()) return out;
  for (const Value& item : v->AsList())
    if (item.is_string()) out.push_back(item.AsString());
  return out;
}

std::map<std::string, std::string> GetStringMap(const Value& map, std::string_view key) {
  std::map<std::string, std::string> out;
  const Value* v = Known(map, key);
  if (v == nullptr || !v->is_map()) return out;
  for (const auto& [k, item] : v->AsMap())
    if (item.is_string()) out[k] = item.AsString();
  return out;
}

std::vector<Value> GetBlocks(const Value& map, std::string_view key) {
  const Value* v = Known(map, key);
  if (v == nullptr) return {};
  if (v->is_map()) return {*v};
  if (!v->is_list()) return {};
  return v->AsList();
}

Value Str(std::string s) { return Value::String(std::move(s)); }

Value StrOrNull(std::string s) { return s.empty() ? Value() : Value::String(std::move(s)); }

Value Num(double n) { return Value::Number(n); }

Value Bool(bool b) { return Value::Bool(b); }

Value StrList(const std::vector<std::string>& items) {
  ValueList out;
  out.reserve(items.size());
  for (const std::string& s : items) out.push_back(Value::String(s));
  return Value::List(std::move(out));
}

Value NumFromText(const std::string& text) {
  if (text.empty()) return Value();
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(d)) return Value();
  return Value::Number(d);
}

Value BoolFromText(const std::string& text) {
  if (text.empty()) return Value();
  return Value::Bool(text == "true");
}

void KeepAttributes(const Value& from, Value& to, const std::vector<std::string_view>& keys) {
  for (std::string_view key : keys) {
    const Value* v = from.Find(key);
    to.Set(std::string(key), v ? *v : Value());
  }
}

}  // namespace reconcile::aws_provider
