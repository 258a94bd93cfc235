// The expression tree behind config::Expression. Private to the config
// library: the parser builds it, the evaluator walks it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/expr/expression.h"

namespace reconcile::config {

struct Function;

enum class UnaryOp : unsigned char { kNot, kNegate };
enum class BinaryOp : unsigned char {
  kAdd, kSubtract, kMultiply, kDivide, kModulo,
  kLess, kLessEqual, kGreater, kGreaterEqual,
  kEqual, kNotEqual, kAnd, kOr,
};

// The deepest expression tree, and the deepest nesting of brackets and
// parentheses, accepted; deeper input is an error rather than a stack overflow.
inline constexpr int kMaxExpressionDepth = 256;
inline constexpr int kMaxParseNesting = 64;
// For expressions nest at most this deep (a level is a bit of free_for_levels).
inline constexpr int kMaxForNesting = 63;

class ExprNode {
 public:
  enum class Kind : unsigned char {
    kLiteral,      // value
    kTemplate,     // operands: parts (string literals and interpolations)
    kReference,    // reference
    kGetAttr,      // operands: {object}; name
    kIndex,        // operands: {collection, key}
    kSplat,        // operands: {source, per-element traversal over kSplatItem}
    kSplatItem,    // the element a splat is visiting
    kUnary,        // operands: {operand}; unary_op
    kBinary,       // operands: {left, right}; binary_op
    kConditional,  // operands: {condition, when_true, when_false}
    kCall,         // operands: arguments; function; expand_last
    kList,         // operands: items
    kMap,          // entries (keys known when parsed)
    kDynamicMap,   // operands: key0, value0, key1, value1, ...
    kFor,          // operands: {collection, value, key or none, condition or none}
    kForVariable,  // a variable a for expression binds; name
  };

  Kind kind = Kind::kLiteral;
  SourceRange range;
  // Literals, and any node whose value was computed when parsed (constant).
  Value value;
  bool constant = false;
  // True when the subtree reads references or files, and so cannot be
  // computed when parsed.
  bool reads_scope = false;
  // True when the subtree reads the element of an enclosing splat.
  bool reads_splat_item = false;
  // True when computing the subtree when parsed reported an error.
  bool failed_folding = false;
  // kFor: `{for ...}` rather than `[for ...]`, and `...` after the value.
  bool for_map = false;
  bool for_grouping = false;
  // kForVariable: the key (or index) variable rather than the value one.
  bool for_key = false;
  // kFor: its nesting level (1 for the outermost); kForVariable: the level of
  // the for expression that binds it.
  std::uint8_t for_level = 0;
  // Bit L set: the subtree reads a variable of the level-L for expression
  // that it does not itself contain (so it cannot be computed when parsed).
  std::uint64_t free_for_levels = 0;
  int depth = 1;

  // Where to point errors about this node: the attribute name, the index
  // brackets, the operator, the function name.
  SourceRange focus;
  Reference reference;   // kReference
  std::string name;      // kGetAttr: the attribute; kForVariable: the variable
  UnaryOp unary_op = UnaryOp::kNot;
  BinaryOp binary_op = BinaryOp::kAdd;
  const Function* function = nullptr;  // kCall
  bool expand_last = false;            // kCall: f(a, list...)
  std::vector<Expression> operands;
  std::vector<std::pair<std::string, Expression>> entries;  // kMap

  // Wraps a finished node into an Expression; computes depth and the flags
  // above from the operands, and folds the node to a constant when it reads
  // nothing outside itself. Errors found while folding go to `diags`.
  static Expression Finish(std::shared_ptr<ExprNode> node, Diagnostics& diags);
  // The node behind an expression; nullptr for a default-constructed one.
  static const ExprNode* Of(const Expression& e) { return e.node_.get(); }
};

}  // namespace reconcile::config
