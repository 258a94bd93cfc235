// The unary and binary operators of the expression language, with Terraform's
// conversions, unknown propagation and sensitive marks.
#pragma once

#include <string_view>

#include "config/expr/expr_node.h"

namespace reconcile::config {

// "+", "&&", ...
std::string_view OperatorSymbol(BinaryOp op);

// `!x` and `-x`. Unknown in, unknown out; the mark of the operand carries over.
Value ApplyUnary(UnaryOp op, const Value& operand, const SourceRange& range, Diagnostics& diags);

// `l op r` on evaluated operands (&& and || have already short-circuited).
// The result is unknown when an operand is, and sensitive when one is.
Value ApplyBinary(BinaryOp op, const Value& left, const Value& right,
                  const SourceRange& left_range, const SourceRange& right_range,
                  Diagnostics& diags);

}  // namespace reconcile::config
