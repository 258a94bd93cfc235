// Reads the fields of one JSON object of the plugin protocol, keeping the first
// error: decoders read as a list of fields instead of nested checks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile::wire {

class FieldReader {
 public:
  // `what` names the object in errors ("plan params"); *error receives the
  // first problem and must outlive the reader.
  FieldReader(const nlohmann::json& object, std::string_view what, std::string* error);

  bool ok() const { return ok_; }
  // Absent optional fields leave *out unchanged; null counts as absent.
  FieldReader& String(std::string_view key, std::string* out, bool required = false);
  FieldReader& Int(std::string_view key, int* out);
  FieldReader& Bool(std::string_view key, bool* out);
  FieldReader& Strings(std::string_view key, std::vector<std::string>* out);
  // An absent value is null.
  FieldReader& ValueField(std::string_view key, Value* out);
  FieldReader& DiagnosticsField(std::string_view key, Diagnostics* out);
  // The raw field, or nullptr when absent or null.
  const nlohmann::json* Raw(std::string_view key) const;
  // Records a problem with `key` (first one wins); returns *this for chaining.
  FieldReader& Fail(std::string_view key, std::string_view problem);

 private:
  const nlohmann::json& object_;
  std::string what_;
  std::string* error_;
  bool ok_ = true;
};

}  // namespace reconcile::wire
