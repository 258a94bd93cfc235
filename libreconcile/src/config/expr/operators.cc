#include "config/expr/operators.h"

#include <cmath>

#include "config/expr/conversion.h"

namespace reconcile::config {
namespace {

bool IsArithmetic(BinaryOp op) {
  return op == BinaryOp::kAdd || op == BinaryOp::kSubtract || op == BinaryOp::kMultiply ||
         op == BinaryOp::kDivide || op == BinaryOp::kModulo;
}

bool IsComparison(BinaryOp op) {
  return op == BinaryOp::kLess || op == BinaryOp::kLessEqual || op == BinaryOp::kGreater ||
         op == BinaryOp::kGreaterEqual;
}

void OperandError(std::string_view symbol, std::string_view needs, const Value& operand,
                  const SourceRange& range, Diagnostics& diags) {
  std::string summary = "Invalid operand: the " + std::string(symbol) + " operator needs " +
                        std::string(needs) + ", got " + std::string(operand.kind_name());
  diags.Error(std::move(summary), "The operand is " + DescribeValue(operand) + ".", range);
}

Value Arithmetic(BinaryOp op, double l, double r, const SourceRange& right_range,
                 Diagnostics& diags) {
  switch (op) {
    case BinaryOp::kAdd:
      return Value::Number(l + r);
    case BinaryOp::kSubtract:
      return Value::Number(l - r);
    case BinaryOp::kMultiply:
      return Value::Number(l * r);
    case BinaryOp::kDivide:
      if (r == 0) {
        diags.Error("Division by zero", "The right operand of / is zero.", right_range);
        return Value();
      }
      return Value::Number(l / r);
    case BinaryOp::kModulo:
      if (r == 0) {
        diags.Error("Division by zero", "The right operand of % is zero.", right_range);
        return Value();
      }
      return Value::Number(std::fmod(l, r));
    default:
      return Value();
  }
}

bool Compare(BinaryOp op, double l, double r) {
  switch (op) {
    case BinaryOp::kLess:
      return l < r;
    case BinaryOp::kLessEqual:
      return l <= r;
    case BinaryOp::kGreater:
      return l > r;
    default:
      return l >= r;
  }
}

}  // namespace

std::string_view OperatorSymbol(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSubtract: return "-";
    case BinaryOp::kMultiply: return "*";
    case BinaryOp::kDivide: return "/";
    case BinaryOp::kModulo: return "%";
    case BinaryOp::kLess: return "<";
    case BinaryOp::kLessEqual: return "<=";
    case BinaryOp::kGreater: return ">";
    case BinaryOp::kGreaterEqual: return ">=";
    case BinaryOp::kEqual: return "==";
    case BinaryOp::kNotEqual: return "!=";
    case BinaryOp::kAnd: return "&&";
    case BinaryOp::kOr: return "||";
  }
  return "?";
}

Value ApplyUnary(UnaryOp op, const Value& operand, const SourceRange& range, Diagnostics& diags) {
  const bool sensitive = operand.sensitive();
  if (operand.is_unknown()) return MarkIf(Value::Unknown(), sensitive);
  if (op == UnaryOp::kNot) {
    bool b = false;
    if (!ToBool(operand, &b)) {
      OperandError("!", "a bool", operand, range, diags);
      return Value();
    }
    return MarkIf(Value::Bool(!b), sensitive);
  }
  double n = 0;
  if (!ToNumber(operand, &n)) {
    OperandError("-", "a number", operand, range, diags);
    return Value();
  }
  return MarkIf(Value::Number(-n), sensitive);
}

Value ApplyBinary(BinaryOp op, const Value& left, const Value& right,
                  const SourceRange& left_range, const SourceRange& right_range,
                  Diagnostics& diags) {
  const std::string_view symbol = OperatorSymbol(op);
  if (op == BinaryOp::kEqual || op == BinaryOp::kNotEqual) {
    const bool sensitive = left.ContainsSensitive() || right.ContainsSensitive();
    if (left.ContainsUnknown() || right.ContainsUnknown()) return MarkIf(Value::Unknown(), sensitive);
    bool equal = left.Equals(right);
    return MarkIf(Value::Bool(op == BinaryOp::kEqual ? equal : !equal), sensitive);
  }
  const bool sensitive = left.sensitive() || right.sensitive();
  if (op == BinaryOp::kAnd || op == BinaryOp::kOr) {
    bool l = false, r = false;
    if (!left.is_unknown() && !ToBool(left, &l)) {
      OperandError(symbol, "bools", left, left_range, diags);
      return Value();
    }
    if (!right.is_unknown() && !ToBool(right, &r)) {
      OperandError(symbol, "bools", right, right_range, diags);
      return Value();
    }
    if (left.is_unknown() || right.is_unknown()) return MarkIf(Value::Unknown(), sensitive);
    return MarkIf(Value::Bool(op == BinaryOp::kAnd ? (l && r) : (l || r)), sensitive);
  }
  double l = 0, r = 0;
  if (!left.is_unknown() && !ToNumber(left, &l)) {
    OperandError(symbol, "numbers", left, left_range, diags);
    return Value();
  }
  if (!right.is_unknown() && !ToNumber(right, &r)) {
    OperandError(symbol, "numbers", right, right_range, diags);
    return Value();
  }
  if (left.is_unknown() || right.is_unknown()) return MarkIf(Value::Unknown(), sensitive);
  if (IsArithmetic(op)) return MarkIf(Arithmetic(op, l, r, right_range, diags), sensitive);
  if (IsComparison(op)) return MarkIf(Value::Bool(Compare(op, l, r)), sensitive);
  return Value();
}

}  // namespace reconcile::config
