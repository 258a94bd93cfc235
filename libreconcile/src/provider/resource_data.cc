#include "provider/resource_data.h"

namespace reconcile {

bool ResourceData::Has(std::string_view name) const {
  const Value* v = attributes_.Find(name);
  return v != nullptr && !v->is_null();
}

bool ResourceData::IsUnknown(std::string_view name) const {
  const Value* v = attributes_.Find(name);
  return v != nullptr && v->ContainsUnknown();
}

std::string ResourceData::String(std::string_view name, std::string fallback) const {
  const Value* v = attributes_.Find(name);
  return v != nullptr && v->is_string() ? v->AsString() : fallback;
}

double ResourceData::Number(std::string_view name, double fallback) const {
  const Value* v = attributes_.Find(name);
  return v != nullptr && v->is_number() ? v->AsNumber() : fallback;
}

bool ResourceData::Bool(std::string_view name, bool fallback) const {
  const Value* v = attributes_.Find(name);
  return v != nullptr && v->is_bool() ? v->AsBool() : fallback;
}

Value ResourceData::Get(std::string_view name) const {
  const Value* v = attributes_.Find(name);
  return v != nullptr ? *v : Value();
}

}  // namespace reconcile
