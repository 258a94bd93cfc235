#include "config/stack/toml_expression.h"

#include "config/expr/parser.h"

namespace reconcile::config {

Expression ExpressionFromToml(const TomlDocument& doc, const TomlNode& node, Diagnostics& diags) {
  switch (node.kind) {
    case TomlNode::Kind::kString:
      if (node.text.find("${") == std::string::npos)
        return Expression::Literal(Value::String(node.text), node.range);
      return ParseTemplateAt(node.text, OriginOf(doc, node), diags);
    case TomlNode::Kind::kArray: {
      std::vector<Expression> items;
      items.reserve(node.items.size());
      for (const TomlNode& item : node.items) items.push_back(ExpressionFromToml(doc, item, diags));
      return Expression::MakeList(std::move(items), node.range);
    }
    case TomlNode::Kind::kTable: {
      std::vector<std::pair<std::string, Expression>> entries;
      entries.reserve(node.entries.size());
      for (const auto& [key, child] : node.entries)
        entries.emplace_back(key, ExpressionFromToml(doc, child, diags));
      return Expression::MakeMap(std::move(entries), node.range);
    }
    default:
      return Expression::Literal(TomlToValue(node), node.range);
  }
}

Expression ConditionFromToml(const TomlDocument& doc, const TomlNode& node, Diagnostics& diags) {
  if (node.kind != TomlNode::Kind::kString || node.text.find("${") != std::string::npos)
    return ExpressionFromToml(doc, node, diags);
  return ParseExpressionAt(node.text, OriginOf(doc, node), diags);
}

}  // namespace reconcile::config
