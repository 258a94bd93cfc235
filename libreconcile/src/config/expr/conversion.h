// Terraform's automatic conversions between primitive values, and value
// descriptions for messages.
#pragma once

#include <string>
#include <string_view>

#include "reconcile/value.h"

namespace reconcile::config {

// A number from a number or a string holding one ("5", "-1.5e3").
bool ToNumber(const Value& v, double* out);
// A bool from a bool or the strings "true" / "false".
bool ToBool(const Value& v, bool* out);
// A string from a string, number (FormatNumber) or bool ("true" / "false").
bool ToText(const Value& v, std::string* out);
// Parses the whole of `text` as a decimal number.
bool ParseNumber(std::string_view text, double* out);
// A whole number that fits in 53 bits.
bool IsWholeNumber(double n);

// "string \"abc\"", "number 5", "list", "null", "sensitive string": what a
// value is, for messages; never reveals a sensitive value.
std::string DescribeValue(const Value& v);

// The value with a sensitive mark added when `sensitive` is true.
inline Value MarkIf(Value v, bool sensitive) {
  if (sensitive && !v.sensitive()) v.set_sensitive(true);
  return v;
}

}  // namespace reconcile::config
