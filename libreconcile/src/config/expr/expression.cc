#include "config/expr/expression.h"

#include <algorithm>

#include "config/expr/evaluator.h"
#include "config/expr/expr_node.h"
#include "config/expr/functions.h"
#include "config/expr/parser.h"

namespace reconcile::config {
namespace {

void MergeFlags(const ExprNode* child, ExprNode& node, int* depth) {
  if (child == nullptr) return;
  *depth = std::max(*depth, child->depth);
  node.reads_scope = node.reads_scope || child->reads_scope;
  node.reads_splat_item = node.reads_splat_item || child->reads_splat_item;
  node.failed_folding = node.failed_folding || child->failed_folding;
  node.free_for_levels |= child->free_for_levels;
}

// Computes the node's value now, when nothing it reads comes from outside.
void FoldConstant(ExprNode& node, Diagnostics& diags) {
  if (node.kind == ExprNode::Kind::kLiteral || node.reads_scope || node.reads_splat_item ||
      node.free_for_levels != 0 || node.failed_folding) {
    return;
  }
  Diagnostics local;
  NoReferenceScope scope;
  EvalContext ctx{scope, local};
  Value value = EvaluateNode(node, ctx);
  if (local.HasErrors()) {
    diags.Append(local);
    node.failed_folding = true;
    return;
  }
  node.value = std::move(value);
  node.constant = true;
  // Lists and maps keep their elements for list_items() / map_entries().
  if (node.kind != ExprNode::Kind::kList && node.kind != ExprNode::Kind::kMap) {
    node.operands.clear();
    node.depth = 1;
  }
}

void CollectReferences(const ExprNode* node, std::vector<Reference>& out) {
  if (node == nullptr || (node->constant && node->kind != ExprNode::Kind::kList &&
                          node->kind != ExprNode::Kind::kMap)) {
    return;
  }
  if (node->kind == ExprNode::Kind::kReference) out.push_back(node->reference);
  for (const Expression& operand : node->operands) CollectReferences(ExprNode::Of(operand), out);
  for (const auto& [key, value] : node->entries) CollectReferences(ExprNode::Of(value), out);
}

}  // namespace

Expression ExprNode::Finish(std::shared_ptr<ExprNode> node, Diagnostics& diags) {
  int depth = 0;
  node->reads_scope = node->kind == Kind::kReference ||
                      (node->kind == Kind::kCall && node->function && node->function->reads_files);
  node->reads_splat_item = node->kind == Kind::kSplatItem;
  for (const Expression& operand : node->operands) MergeFlags(Of(operand), *node, &depth);
  for (const auto& [key, value] : node->entries) MergeFlags(Of(value), *node, &depth);
  if (node->kind == Kind::kSplat) {
    // The element the traversal reads is bound here.
    const ExprNode* source = node->operands.empty() ? nullptr : Of(node->operands.front());
    node->reads_splat_item = source != nullptr && source->reads_splat_item;
  }
  if (node->kind == Kind::kForVariable) node->free_for_levels = std::uint64_t{1} << node->for_level;
  // A for expression binds the variables of its own level.
  if (node->kind == Kind::kFor) node->free_for_levels &= ~(std::uint64_t{1} << node->for_level);
  node->depth = depth + 1;
  FoldConstant(*node, diags);
  Expression e;
  e.node_ = std::move(node);
  return e;
}

Expression Expression::Literal(Value v, SourceRange range) {
  auto node = std::make_shared<ExprNode>();
  node->kind = ExprNode::Kind::kLiteral;
  node->value = std::move(v);
  node->constant = true;
  node->focus = range;
  node->range = std::move(range);
  Expression e;
  e.node_ = std::move(node);
  return e;
}

Expression Expression::ParseTemplate(const std::string& text, const SourceRange& range,
                                     Diagnostics& diags) {
  return ParseTemplateAt(text, TextOrigin(range), diags);
}

Expression Expression::ParseExpression(const std::string& text, const SourceRange& range,
                                       Diagnostics& diags) {
  return ParseExpressionAt(text, TextOrigin(range), diags);
}

Expression Expression::MakeList(std::vector<Expression> items, SourceRange range) {
  auto node = std::make_shared<ExprNode>();
  node->kind = ExprNode::Kind::kList;
  node->focus = range;
  node->range = std::move(range);
  node->operands = std::move(items);
  Diagnostics ignored;  // building a list cannot fail
  return ExprNode::Finish(std::move(node), ignored);
}

Expression Expression::MakeMap(std::vector<std::pair<std::string, Expression>> entries,
                               SourceRange range) {
  auto node = std::make_shared<ExprNode>();
  node->kind = ExprNode::Kind::kMap;
  node->focus = range;
  node->range = std::move(range);
  node->entries = std::move(entries);
  Diagnostics ignored;  // building a map cannot fail
  return ExprNode::Finish(std::move(node), ignored);
}

std::vector<Reference> Expression::References() const {
  std::vector<Reference> out;
  CollectReferences(node_.get(), out);
  return out;
}

const SourceRange& Expression::range() const {
  static const SourceRange kNowhere;
  return node_ ? node_->range : kNowhere;
}

bool Expression::is_null_literal() const {
  return !node_ || (node_->constant && node_->value.is_null());
}

const Value* Expression::literal_value() const {
  if (!node_) {
    static const Value kNull;
    return &kNull;
  }
  return node_->constant ? &node_->value : nullptr;
}

const std::vector<std::pair<std::string, Expression>>* Expression::map_entries() const {
  return node_ && node_->kind == ExprNode::Kind::kMap ? &node_->entries : nullptr;
}

const std::vector<Expression>* Expression::list_items() const {
  return node_ && node_->kind == ExprNode::Kind::kList ? &node_->operands : nullptr;
}

Value Expression::Evaluate(Scope& scope, Diagnostics& diags) const {
  if (!node_) return Value();
  EvalContext ctx{scope, diags};
  return EvaluateNode(*node_, ctx);
}

std::string Reference::ToString() const {
  switch (kind) {
    case RefKind::kVariable:
      return "var." + name;
    case RefKind::kLocal:
      return "local." + name;
    case RefKind::kEach:
      return "each." + name;
    case RefKind::kCount:
      return "count." + name;
    case RefKind::kPath:
      return "path." + name;
    case RefKind::kWorkspace:
      return "workspace";
    case RefKind::kModule:
      return attr.empty() ? "module." + name : "module." + name + "." + attr;
    case RefKind::kResource:
      return type + "." + name;
    case RefKind::kData:
      return "data." + type + "." + name;
  }
  return name;
}

}  // namespace reconcile::config
