// tolist, tomap, tobool, sensitive, nonsensitive. Null converts to null.
#include "config/expr/functions_type.h"

#include "config/expr/conversion.h"

namespace reconcile::config {
namespace {

Value ToList(const std::vector<Value>& args, CallContext& call) {
  if (args[0].is_null() || args[0].is_list()) return args[0];
  call.ArgumentError(0, "a list is required, got " + std::string(args[0].kind_name()));
  return Value();
}

Value ToMap(const std::vector<Value>& args, CallContext& call) {
  if (args[0].is_null() || args[0].is_map()) return args[0];
  call.ArgumentError(0, "a map is required, got " + std::string(args[0].kind_name()));
  return Value();
}

Value ToBoolFunction(const std::vector<Value>& args, CallContext& call) {
  if (args[0].is_null()) return Value();
  bool b = false;
  if (ToBool(args[0], &b)) return Value::Bool(b);
  call.ArgumentError(0, "cannot convert " + DescribeValue(args[0]) + " to a bool",
                     "Only true, false and the strings \"true\" and \"false\" convert.");
  return Value();
}

// These two decide the marks themselves (manages_marks), unknowns included.
Value Sensitive(const std::vector<Value>& args, CallContext&) { return args[0].MarkedSensitive(); }

Value Nonsensitive(const std::vector<Value>& args, CallContext&) { return args[0].WithoutMarks(); }

}  // namespace

std::vector<Function> TypeFunctions() {
  return {
      {"tolist", "tolist(value)", 1, 1, true, false, ToList},
      {"tomap", "tomap(value)", 1, 1, true, false, ToMap},
      {"tobool", "tobool(value)", 1, 1, false, false, ToBoolFunction},
      {"sensitive", "sensitive(value)", 1, 1, true, false, Sensitive, nullptr, true},
      {"nonsensitive", "nonsensitive(value)", 1, 1, true, false, Nonsensitive, nullptr, true},
  };
}

}  // namespace reconcile::config
