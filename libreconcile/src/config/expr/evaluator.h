// Evaluation of expression trees against a Scope.
#pragma once

#include <vector>

#include "config/expr/expr_node.h"

namespace reconcile::config {

// The element an enclosing for expression is visiting: its key (or index)
// and value, for the variables of that expression's level.
struct ForBinding {
  std::uint8_t level = 0;
  Value key;
  Value value;
};

struct EvalContext {
  Scope& scope;
  Diagnostics& diags;
  std::vector<Value> splat_items;  // elements the enclosing splats are visiting
  std::vector<ForBinding> for_bindings;  // innermost last
  bool in_templatefile = false;    // templatefile may not call itself
};

// Evaluates a node. Errors go to ctx.diags and yield null; an operation on a
// value that already failed reports nothing more.
Value EvaluateNode(const ExprNode& node, EvalContext& ctx);

// A scope in which every reference is an error: constants, variable defaults,
// values typed on the command line.
class NoReferenceScope : public Scope {
 public:
  explicit NoReferenceScope(std::string what = "here") : what_(std::move(what)) {}
  Value Resolve(const Reference& ref, Diagnostics& diags) override;
  std::string BaseDir() const override { return "."; }

 private:
  std::string what_;
};

}  // namespace reconcile::config
