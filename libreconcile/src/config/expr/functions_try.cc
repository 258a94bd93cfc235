// try(expressions...) and can(expression), with Terraform's rules: an
// argument is evaluated on its own, its errors are the result being tested,
// and a value not wholly known yet leaves the answer unknown.
#include "config/expr/functions_try.h"

#include "config/expr/conversion.h"
#include "config/expr/evaluator.h"

namespace reconcile::config {
namespace {

// Evaluates one argument with its own diagnostics; the bindings of the
// enclosing splats and for expressions stay visible.
Value EvaluateAlone(const Expression& argument, EvalContext& eval, Diagnostics* diags) {
  EvalContext alone{eval.scope, *diags, eval.splat_items, eval.for_bindings, eval.in_templatefile};
  const ExprNode* node = ExprNode::Of(argument);
  return node ? EvaluateNode(*node, alone) : Value();
}

Value Try(const ExprNode& call, EvalContext& eval) {
  std::string failures;
  for (const Expression& argument : call.operands) {
    Diagnostics diags;
    Value value = EvaluateAlone(argument, eval, &diags);
    if (!diags.HasErrors()) {
      // It may still fail once what it reads is known.
      if (value.ContainsUnknown()) return MarkIf(Value::Unknown(), value.ContainsSensitive());
      return value;
    }
    for (const Diagnostic& d : diags)
      if (d.severity == Severity::kError)
        failures += "\n- " + d.range.ToString() + ": " + d.summary;
  }
  eval.diags.Error("Invalid call to try(expressions...): no expression succeeded",
                   "At least one argument must evaluate without errors; each failed:" + failures,
                   call.focus);
  return Value();
}

Value Can(const ExprNode& call, EvalContext& eval) {
  Diagnostics diags;
  Value value = EvaluateAlone(call.operands[0], eval, &diags);
  if (diags.HasErrors()) return Value::Bool(false);
  if (value.ContainsUnknown()) return Value::Unknown();
  return Value::Bool(true);
}

}  // namespace

std::vector<Function> TryFunctions() {
  return {
      {"try", "try(expressions...)", 1, -1, true, false, nullptr, Try},
      {"can", "can(expression)", 1, 1, true, false, nullptr, Can},
  };
}

}  // namespace reconcile::config
