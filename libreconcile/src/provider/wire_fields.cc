#include "provider/wire_fields.h"

#include "provider/wire.h"

namespace reconcile::wire {

FieldReader::FieldReader(const nlohmann::json& object, std::string_view what, std::string* error)
    : object_(object), what_(what), error_(error) {
  if (!object_.is_object()) {
    ok_ = false;
    *error_ = what_ + " must be a JSON object, got " + std::string(object_.type_name());
  }
}

const nlohmann::json* FieldReader::Raw(std::string_view key) const {
  if (!ok_) return nullptr;
  auto it = object_.find(key);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

FieldReader& FieldReader::Fail(std::string_view key, std::string_view problem) {
  if (ok_) {
    ok_ = false;
    *error_ = what_ + ": field \"" + std::string(key) + "\" " + std::string(problem);
  }
  return *this;
}

FieldReader& FieldReader::String(std::string_view key, std::string* out, bool required) {
  const nlohmann::json* field = Raw(key);
  if (field == nullptr) return required && ok_ ? Fail(key, "is required") : *this;
  if (!field->is_string()) return Fail(key, "must be a string");
  *out = field->get<std::string>();
  return *this;
}

FieldReader& FieldReader::Int(std::string_view key, int* out) {
  const nlohmann::json* field = Raw(key);
  if (field == nullptr) return *this;
  if (!field->is_number_integer()) return Fail(key, "must be an integer");
  *out = field->get<int>();
  return *this;
}

FieldReader& FieldReader::Bool(std::string_view key, bool* out) {
  const nlohmann::json* field = Raw(key);
  if (field == nullptr) return *this;
  if (!field->is_boolean()) return Fail(key, "must be true or false");
  *out = field->get<bool>();
  return *this;
}

FieldReader& FieldReader::Strings(std::string_view key, std::vector<std::string>* out) {
  const nlohmann::json* field = Raw(key);
  if (field == nullptr) return *this;
  if (!field->is_array()) return Fail(key, "must be an array of strings");
  out->clear();
  for (const nlohmann::json& item : *field) {
    if (!item.is_string()) return Fail(key, "must be an array of strings");
    out->push_back(item.get<std::string>());
  }
  return *this;
}

FieldReader& FieldReader::ValueField(std::string_view key, Value* out) {
  const nlohmann::json* field = Raw(key);
  if (field == nullptr) {
    if (ok_) *out = Value();
    return *this;
  }
  std::string problem;
  if (!DecodeValue(*field, out, &problem)) return Fail(key, "is not a valid value: " + problem);
  return *this;
}

FieldReader& FieldReader::DiagnosticsField(std::string_view key, Diagnostics* out) {
  const nlohmann::json* field = Raw(key);
  if (field == nullptr) return *this;
  std::string problem;
  if (!DecodeDiagnostics(*field, out, &problem)) return Fail(key, "is not valid: " + problem);
  return *this;
}

}  // namespace reconcile::wire
