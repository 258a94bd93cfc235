#include "engine/console.h"

#include <set>

namespace reconcile::engine {

namespace {

ResourceValues::Expansion ExpansionOf(const config::ResourceBlock& block) {
  if (block.count) return ResourceValues::Expansion::kCount;
  if (block.for_each) return ResourceValues::Expansion::kForEach;
  return ResourceValues::Expansion::kSingle;
}

}  // namespace

ConsoleEvaluator::ConsoleEvaluator(const ModuleInstance& root, const ConfigGraph& graph,
                                   std::map<std::string, Value> variables, std::string workspace,
                                   std::string stack_dir, const State& state)
    : root_(root),
      context_(root, std::move(variables), std::move(workspace), std::move(stack_dir), &values_) {
  std::set<std::string> declared;
  for (const auto& [address, instance] : state.resources) {
    ResourceAddress a;
    std::string error;
    if (!ResourceAddress::Parse(address, &a, &error)) continue;
    std::string block = a.ResourceString();
    const ConfigNode* node = graph.FindResource(block);
    if (node == nullptr) continue;  // no longer configured: nothing can refer to it
    if (declared.insert(block).second) values_.Declare(block, ExpansionOf(*node->resource));
    values_.Set(block, a.key, instance.attributes);
  }
}

Diagnostics ConsoleEvaluator::Evaluate(const std::string& expression, Value* out) {
  Diagnostics diags;
  SourceRange where{"<console>", 1, 1, 1, static_cast<int>(expression.size()) + 1};
  config::Expression parsed = config::Expression::ParseExpression(expression, where, diags);
  if (diags.HasErrors()) return diags;
  ModuleScope scope(context_, root_);
  *out = parsed.Evaluate(scope, diags);
  return diags;
}

}  // namespace reconcile::engine
