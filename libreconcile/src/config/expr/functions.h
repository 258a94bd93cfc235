// The built-in functions: a registry by name, the signature each one checks
// its arguments against, and the rules every call follows: an unknown
// argument makes the result unknown (unless the function can look inside a
// partly known collection), and a sensitive argument makes it sensitive.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/expr/expr_node.h"

namespace reconcile::config {

struct EvalContext;
struct Function;

// What an implementation is given: where its arguments are, and typed
// argument access that reports mistakes in the function's own terms.
class CallContext {
 public:
  CallContext(const Function& function, const ExprNode& call, EvalContext& eval)
      : function_(function), call_(call), eval_(eval) {}

  const Function& function() const { return function_; }
  EvalContext& eval() { return eval_; }
  const SourceRange& CallRange() const { return call_.range; }
  const SourceRange& ArgumentRange(std::size_t i) const;
  // The name the signature gives argument i ("list" in join(separator, list...)).
  std::string ParameterName(std::size_t i) const;

  // An error about the whole call: "Invalid call to NAME(SIGNATURE): message".
  void Error(const std::string& message, std::string detail = {});
  // An error about argument i:
  // `Invalid value for "list" in join(separator, list...): message`.
  void ArgumentError(std::size_t i, const std::string& message, std::string detail = {});

  // Typed access with Terraform's conversions; on mismatch they report
  // "a string is required, got list" and return false.
  bool GetString(const std::vector<Value>& args, std::size_t i, std::string* out);
  bool GetNumber(const std::vector<Value>& args, std::size_t i, double* out);
  bool GetInteger(const std::vector<Value>& args, std::size_t i, std::int64_t* out);
  bool GetList(const std::vector<Value>& args, std::size_t i, const ValueList** out);
  bool GetMap(const std::vector<Value>& args, std::size_t i, const ValueMap** out);

 private:
  const Function& function_;
  const ExprNode& call_;
  EvalContext& eval_;
};

using FunctionImpl = Value (*)(const std::vector<Value>& args, CallContext& call);
// A function that evaluates its argument expressions itself (try, can).
using LazyFunctionImpl = Value (*)(const ExprNode& call, EvalContext& eval);

struct Function {
  std::string_view name;
  std::string_view signature;  // "join(separator, list...)"
  int min_args = 0;
  int max_args = 0;  // -1: no limit
  // May be called with collections holding unknown elements (length, keys,
  // concat...); otherwise any unknown inside an argument makes the result unknown.
  bool accepts_unknown_elements = false;
  bool reads_files = false;  // depends on Scope::BaseDir, so never folded
  FunctionImpl impl = nullptr;
  LazyFunctionImpl lazy = nullptr;  // when set, called instead of impl with the call itself
  // Sees unknown arguments and decides the result's marks itself (sensitive,
  // nonsensitive); the rules above do not apply.
  bool manages_marks = false;
};

const Function* FindFunction(std::string_view name);
// Every function name, sorted (for "did you mean").
const std::vector<std::string>& FunctionNames();

// Calls `function` with evaluated arguments, applying the unknown and
// sensitive rules around the implementation.
Value CallFunction(const Function& function, const std::vector<Value>& args,
                   const ExprNode& call, EvalContext& eval);

}  // namespace reconcile::config
