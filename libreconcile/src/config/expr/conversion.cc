#include "config/expr/conversion.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace reconcile::config {

bool ParseNumber(std::string_view text, double* out) {
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
  std::size_t digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    std::size_t exponent_digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  if (i != text.size()) return false;
  std::string copy(text);
  *out = std::strtod(copy.c_str(), nullptr);
  return true;
}

bool IsWholeNumber(double n) {
  return std::isfinite(n) && n == std::floor(n) && std::fabs(n) <= 9007199254740992.0;
}

bool ToNumber(const Value& v, double* out) {
  if (v.is_number()) {
    *out = v.AsNumber();
    return true;
  }
  return v.is_string() && ParseNumber(v.AsString(), out);
}

bool ToBool(const Value& v, bool* out) {
  if (v.is_bool()) {
    *out = v.AsBool();
    return true;
  }
  if (!v.is_string()) return false;
  if (v.AsString() == "true") *out = true;
  else if (v.AsString() == "false") *out = false;
  else return false;
  return true;
}

bool ToText(const Value& v, std::string* out) {
  switch (v.kind()) {
    case Value::Kind::kString:
      *out = v.AsString();
      return true;
    case Value::Kind::kNumber:
      *out = FormatNumber(v.AsNumber());
      return true;
    case Value::Kind::kBool:
      *out = v.AsBool() ? "true" : "false";
      return true;
    default:
      return false;
  }
}

std::string DescribeValue(const Value& v) {
  std::string kind(v.kind_name());
  if (v.sensitive()) return "sensitive " + kind;
  if (v.is_string() && v.AsString().size() <= 40) {
    std::string quoted = "\"";
    for (char c : v.AsString()) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c == '\n' ? ' ' : c;
    }
    return kind + " " + quoted + "\"";
  }
  if (v.is_number()) return kind + " " + FormatNumber(v.AsNumber());
  if (v.is_bool()) return kind + (v.AsBool() ? " true" : " false");
  return kind;
}

}  // namespace reconcile::config
