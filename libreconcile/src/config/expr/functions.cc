#include "config/expr/functions.h"

#include <algorithm>
#include <map>

#include "config/expr/conversion.h"
#include "config/expr/evaluator.h"
#include "config/expr/functions_collection.h"
#include "config/expr/functions_encoding.h"
#include "config/expr/functions_file.h"
#include "config/expr/functions_network.h"
#include "config/expr/functions_numeric.h"
#include "config/expr/functions_set.h"
#include "config/expr/functions_string.h"
#include "config/expr/functions_try.h"
#include "config/expr/functions_type.h"

namespace reconcile::config {
namespace {

struct Registry {
  std::map<std::string, Function, std::less<>> by_name;
  std::vector<std::string> names;
};

const Registry& TheRegistry() {
  static const Registry registry = [] {
    Registry r;
    for (auto family : {StringFunctions, CollectionFunctions, SetFunctions, NumericFunctions,
                        TypeFunctions, EncodingFunctions, FileFunctions, NetworkFunctions,
                        TryFunctions}) {
      for (const Function& f : family()) r.by_name.emplace(std::string(f.name), f);
    }
    for (const auto& [name, f] : r.by_name) r.names.push_back(name);
    return r;
  }();
  return registry;
}

// "join(separator, list...)" -> {"separator", "list"}.
std::vector<std::string> ParameterNames(std::string_view signature) {
  std::vector<std::string> names;
  std::size_t open = signature.find('(');
  std::size_t close = signature.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close <= open + 1)
    return names;
  std::string_view list = signature.substr(open + 1, close - open - 1);
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    std::string name;
    for (char c : item)
      if (c != '.' && c != '?' && c != '[' && c != ']') name += c;
    names.push_back(name);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return names;
}

std::string Needed(std::string_view what, const Value& got) {
  return std::string(what) + " is required, got " + std::string(got.kind_name());
}

}  // namespace

const Function* FindFunction(std::string_view name) {
  const Registry& registry = TheRegistry();
  auto it = registry.by_name.find(name);
  return it == registry.by_name.end() ? nullptr : &it->second;
}

const std::vector<std::string>& FunctionNames() { return TheRegistry().names; }

const SourceRange& CallContext::ArgumentRange(std::size_t i) const {
  if (call_.operands.empty()) return call_.focus;
  return call_.operands[std::min(i, call_.operands.size() - 1)].range();
}

std::string CallContext::ParameterName(std::size_t i) const {
  std::vector<std::string> names = ParameterNames(function_.signature);
  if (names.empty()) return "argument " + std::to_string(i + 1);
  return names[std::min(i, names.size() - 1)];
}

void CallContext::Error(const std::string& message, std::string detail) {
  eval_.diags.Error("Invalid call to " + std::string(function_.signature) + ": " + message,
                    std::move(detail), call_.focus);
}

void CallContext::ArgumentError(std::size_t i, const std::string& message, std::string detail) {
  eval_.diags.Error("Invalid value for \"" + ParameterName(i) + "\" in " +
                        std::string(function_.signature) + ": " + message,
                    std::move(detail), ArgumentRange(i));
}

bool CallContext::GetString(const std::vector<Value>& args, std::size_t i, std::string* out) {
  if (i < args.size() && ToText(args[i], out)) return true;
  ArgumentError(i, Needed("a string", i < args.size() ? args[i] : Value()));
  return false;
}

bool CallContext::GetNumber(const std::vector<Value>& args, std::size_t i, double* out) {
  if (i < args.size() && ToNumber(args[i], out)) return true;
  ArgumentError(i, Needed("a number", i < args.size() ? args[i] : Value()));
  return false;
}

bool CallContext::GetInteger(const std::vector<Value>& args, std::size_t i, std::int64_t* out) {
  double n = 0;
  if (!GetNumber(args, i, &n)) return false;
  if (!IsWholeNumber(n)) {
    ArgumentError(i, "a whole number is required, got " + FormatNumber(n));
    return false;
  }
  *out = static_cast<std::int64_t>(n);
  return true;
}

bool CallContext::GetList(const std::vector<Value>& args, std::size_t i, const ValueList** out) {
  if (i < args.size() && args[i].is_list()) {
    *out = &args[i].AsList();
    return true;
  }
  ArgumentError(i, Needed("a list", i < args.size() ? args[i] : Value()));
  return false;
}

bool CallContext::GetMap(const std::vector<Value>& args, std::size_t i, const ValueMap** out) {
  if (i < args.size() && args[i].is_map()) {
    *out = &args[i].AsMap();
    return true;
  }
  ArgumentError(i, Needed("a map", i < args.size() ? args[i] : Value()));
  return false;
}

Value CallFunction(const Function& function, const std::vector<Value>& args,
                   const ExprNode& call, EvalContext& eval) {
  if (function.manages_marks) {
    CallContext context(function, call, eval);
    return function.impl(args, context);
  }
  bool sensitive = false;
  bool unknown = false;
  for (const Value& arg : args) {
    sensitive = sensitive || arg.ContainsSensitive();
    unknown = unknown || arg.is_unknown() ||
              (!function.accepts_unknown_elements && arg.ContainsUnknown());
  }
  if (unknown) return MarkIf(Value::Unknown(), sensitive);
  CallContext context(function, call, eval);
  const std::size_t mark = eval.diags.size();
  Value result = function.impl(args, context);
  if (eval.diags.size() > mark && eval.diags.HasErrors()) {
    for (std::size_t i = mark; i < eval.diags.size(); ++i)
      if (eval.diags[i].severity == Severity::kError) return Value();
  }
  return MarkIf(std::move(result), sensitive);
}

}  // namespace reconcile::config
