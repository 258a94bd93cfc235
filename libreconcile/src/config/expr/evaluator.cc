#include "config/expr/evaluator.h"

#include <cmath>
#include <map>
#include <string>

#include "config/expr/conversion.h"
#include "config/expr/functions.h"
#include "config/expr/operators.h"
#include "config/expr/suggest.h"

namespace reconcile::config {
namespace {

using Kind = ExprNode::Kind;

// True when errors were reported since `mark` (so a caller stays quiet).
bool FailedSince(const EvalContext& ctx, std::size_t mark) {
  for (std::size_t i = mark; i < ctx.diags.size(); ++i)
    if (ctx.diags[i].severity == Severity::kError) return true;
  return false;
}

Value Eval(const Expression& e, EvalContext& ctx) {
  const ExprNode* node = ExprNode::Of(e);
  return node ? EvaluateNode(*node, ctx) : Value();
}

std::vector<std::string> KeysOf(const ValueMap& map) {
  std::vector<std::string> keys;
  keys.reserve(map.size());
  for (const auto& [key, value] : map) keys.push_back(key);
  return keys;
}

// When a map's values are objects that have `name` (the instances of a
// for_each resource or module), how to reach it in each of them.
std::string InstancesHint(const Value& map, const std::string& name) {
  if (map.AsMap().empty()) return {};
  for (const auto& [key, item] : map.AsMap())
    if (!item.is_unknown() && item.Find(name) == nullptr) return {};
  return " Its values are objects with that attribute (as the instances of a for_each "
         "resource or module are): use values(...)[*]." +
         name + " or [for k, v in ... : v." + name + "].";
}

Value GetAttribute(const Value& object, const ExprNode& node, EvalContext& ctx) {
  const bool sensitive = object.sensitive();
  const std::string& name = node.name;
  switch (object.kind()) {
    case Value::Kind::kUnknown:
      return MarkIf(Value::Unknown(), sensitive);
    case Value::Kind::kMap: {
      if (const Value* found = object.Find(name)) return MarkIf(*found, sensitive);
      ctx.diags.Error("Unsupported attribute \"" + name + "\"" +
                          DidYouMean(name, KeysOf(object.AsMap())),
                      "This object has no attribute named \"" + name + "\"." +
                          InstancesHint(object, name),
                      node.focus);
      return Value();
    }
    case Value::Kind::kNull:
      ctx.diags.Error("Attempt to get attribute \"" + name + "\" from a null value",
                      "The value is null, so it has no attributes.", node.focus);
      return Value();
    case Value::Kind::kList:
      ctx.diags.Error("Unsupported attribute \"" + name + "\": a list has no attributes",
                      "Use [*]." + name + " to take " + name +
                          " of every element, or an index like [0]." + name + ".",
                      node.focus);
      return Value();
    default:
      ctx.diags.Error("Unsupported attribute \"" + name + "\": a " +
                          std::string(object.kind_name()) + " has no attributes",
                      {}, node.focus);
      return Value();
  }
}

Value IndexList(const Value& list, const Value& key, const ExprNode& node, EvalContext& ctx) {
  double n = 0;
  if (!ToNumber(key, &n) || !IsWholeNumber(n)) {
    ctx.diags.Error("Invalid index: a list index must be a whole number, got " +
                        DescribeValue(key),
                    {}, node.focus);
    return Value();
  }
  const ValueList& items = list.AsList();
  if (n < 0 || n >= static_cast<double>(items.size())) {
    ctx.diags.Error("Invalid index: index " + FormatNumber(n) + " is out of range for a list of " +
                        std::to_string(items.size()) + " elements",
                    {}, node.focus);
    return Value();
  }
  return items[static_cast<std::size_t>(n)];
}

Value IndexMap(const Value& map, const Value& key, const ExprNode& node, EvalContext& ctx) {
  std::string text;
  if (!ToText(key, &text)) {
    ctx.diags.Error("Invalid index: a map key must be a string, got " + DescribeValue(key), {},
                    node.focus);
    return Value();
  }
  if (const Value* found = map.Find(text)) return *found;
  ctx.diags.Error("Invalid index: the map has no key \"" + text + "\"" +
                      DidYouMean(text, KeysOf(map.AsMap())),
                  {}, node.focus);
  return Value();
}

Value Index(const Value& collection, const Value& key, const ExprNode& node, EvalContext& ctx) {
  const bool sensitive = collection.sensitive() || key.sensitive();
  if (collection.is_unknown() || key.is_unknown()) return MarkIf(Value::Unknown(), sensitive);
  switch (collection.kind()) {
    case Value::Kind::kList:
      return MarkIf(IndexList(collection, key, node, ctx), sensitive);
    case Value::Kind::kMap:
      return MarkIf(IndexMap(collection, key, node, ctx), sensitive);
    case Value::Kind::kNull:
      ctx.diags.Error("Invalid index: cannot index a null value", {}, node.focus);
      return Value();
    default:
      ctx.diags.Error("Invalid index: a " + std::string(collection.kind_name()) +
                          " cannot be indexed",
                      "Only lists and maps can be indexed.", node.focus);
      return Value();
  }
}

// `source[*].rest`: the rest applied to every element of a list. As in
// Terraform, any other value is visited as a one-element list (a map too: a
// for_each resource's instances are reached with values(x)[*].attr), and
// null as an empty one.
Value Splat(const ExprNode& node, EvalContext& ctx) {
  const Value source = Eval(node.operands[0], ctx);
  if (source.is_unknown()) return MarkIf(Value::Unknown(), source.sensitive());
  ValueList results;
  const std::size_t mark = ctx.diags.size();
  auto visit = [&](const Value& element) {
    ctx.splat_items.push_back(element);
    results.push_back(Eval(node.operands[1], ctx));
    ctx.splat_items.pop_back();
    return !FailedSince(ctx, mark);
  };
  if (source.is_list()) {
    results.reserve(source.AsList().size());
    for (const Value& element : source.AsList())
      if (!visit(element)) return Value();
  } else if (!source.is_null() && !visit(source)) {
    return Value();
  }
  return MarkIf(Value::List(std::move(results)), source.sensitive());
}

Value Conditional(const ExprNode& node, EvalContext& ctx) {
  const std::size_t mark = ctx.diags.size();
  const Value condition = Eval(node.operands[0], ctx);
  if (FailedSince(ctx, mark)) return Value();
  if (condition.is_unknown()) return MarkIf(Value::Unknown(), condition.sensitive());
  bool chosen = false;
  if (!ToBool(condition, &chosen)) {
    ctx.diags.Error("Invalid condition: the condition must be a bool, got " +
                        DescribeValue(condition),
                    {}, node.operands[0].range());
    return Value();
  }
  return MarkIf(Eval(node.operands[chosen ? 1 : 2], ctx), condition.sensitive());
}

Value Binary(const ExprNode& node, EvalContext& ctx) {
  const std::size_t mark = ctx.diags.size();
  const Value left = Eval(node.operands[0], ctx);
  if (FailedSince(ctx, mark)) return Value();
  // && and || decide on a known left operand when they can.
  bool decided = false;
  if ((node.binary_op == BinaryOp::kAnd || node.binary_op == BinaryOp::kOr) &&
      ToBool(left, &decided) && decided == (node.binary_op == BinaryOp::kOr)) {
    return MarkIf(Value::Bool(decided), left.sensitive());
  }
  const Value right = Eval(node.operands[1], ctx);
  if (FailedSince(ctx, mark)) return Value();
  return ApplyBinary(node.binary_op, left, right, node.operands[0].range(),
                     node.operands[1].range(), ctx.diags);
}

// One interpolated value as template text.
bool AppendToTemplate(const Value& part, const Expression& source, std::string& out,
                      EvalContext& ctx) {
  std::string text;
  if (ToText(part, &text)) {
    out += text;
    return true;
  }
  if (part.is_null()) {
    ctx.diags.Error("Invalid template interpolation value: the value is null",
                    "A null value cannot be part of a string; use a conditional or coalesce() "
                    "to give a default.",
                    source.range());
  } else {
    ctx.diags.Error("Invalid template interpolation value: a string is required, got " +
                        std::string(part.kind_name()),
                    "Lists and maps cannot be part of a string; use join() or jsonencode().",
                    source.range());
  }
  return false;
}

Value Template(const ExprNode& node, EvalContext& ctx) {
  std::string out;
  bool unknown = false;
  bool sensitive = false;
  const std::size_t mark = ctx.diags.size();
  for (const Expression& part : node.operands) {
    Value value = Eval(part, ctx);
    if (FailedSince(ctx, mark)) return Value();
    sensitive = sensitive || value.ContainsSensitive();
    if (value.is_unknown()) {
      unknown = true;
      continue;
    }
    if (!AppendToTemplate(value, part, out, ctx)) return Value();
  }
  return MarkIf(unknown ? Value::Unknown() : Value::String(std::move(out)), sensitive);
}

Value Call(const ExprNode& node, EvalContext& ctx) {
  if (node.function->lazy != nullptr) return node.function->lazy(node, ctx);
  std::vector<Value> args;
  args.reserve(node.operands.size());
  const std::size_t mark = ctx.diags.size();
  for (const Expression& operand : node.operands) args.push_back(Eval(operand, ctx));
  if (FailedSince(ctx, mark)) return Value();
  if (node.expand_last && !args.empty()) {
    Value last = std::move(args.back());
    args.pop_back();
    if (last.is_unknown()) return MarkIf(Value::Unknown(), last.sensitive());
    if (!last.is_list()) {
      ctx.diags.Error("Invalid expanding argument: \"...\" needs a list, got " +
                          std::string(last.kind_name()),
                      {}, node.operands.back().range());
      return Value();
    }
    for (const Value& item : last.AsList()) args.push_back(MarkIf(item, last.sensitive()));
    const Function& f = *node.function;
    const int count = static_cast<int>(args.size());
    if (count < f.min_args || (f.max_args >= 0 && count > f.max_args)) {
      ctx.diags.Error("Wrong number of arguments to " + std::string(f.signature) + ": got " +
                          std::to_string(count) + " after expanding the list",
                      {}, node.focus);
      return Value();
    }
  }
  return CallFunction(*node.function, args, node, ctx);
}

Value List(const ExprNode& node, EvalContext& ctx) {
  ValueList items;
  items.reserve(node.operands.size());
  for (const Expression& operand : node.operands) items.push_back(Eval(operand, ctx));
  return Value::List(std::move(items));
}

Value Map(const ExprNode& node, EvalContext& ctx) {
  ValueMap entries;
  for (const auto& [key, value] : node.entries) entries.emplace(key, Eval(value, ctx));
  return Value::Map(std::move(entries));
}

Value DynamicMap(const ExprNode& node, EvalContext& ctx) {
  ValueMap entries;
  bool unknown_key = false;
  bool sensitive_key = false;
  const std::size_t mark = ctx.diags.size();
  for (std::size_t i = 0; i + 1 < node.operands.size(); i += 2) {
    Value key = Eval(node.operands[i], ctx);
    Value value = Eval(node.operands[i + 1], ctx);
    if (FailedSince(ctx, mark)) return Value();
    std::string text;
    if (key.is_unknown()) {
      unknown_key = true;
    } else if (ToText(key, &text)) {
      sensitive_key = sensitive_key || key.sensitive();
      entries.insert_or_assign(std::move(text), std::move(value));
    } else {
      ctx.diags.Error("Invalid map key: a key must be a string, got " + DescribeValue(key), {},
                      node.operands[i].range());
      return Value();
    }
  }
  if (unknown_key) return MarkIf(Value::Unknown(), sensitive_key);
  return MarkIf(Value::Map(std::move(entries)), sensitive_key);
}

// The variables of one element a for expression visits, bound while its
// key, value and condition are evaluated.
class ForScope {
 public:
  ForScope(EvalContext& ctx, std::uint8_t level, Value key, Value value) : ctx_(ctx) {
    ctx_.for_bindings.push_back({level, std::move(key), std::move(value)});
  }
  ~ForScope() { ctx_.for_bindings.pop_back(); }
  ForScope(const ForScope&) = delete;
  ForScope& operator=(const ForScope&) = delete;

 private:
  EvalContext& ctx_;
};

Value ForVariable(const ExprNode& node, const EvalContext& ctx) {
  for (auto it = ctx.for_bindings.rbegin(); it != ctx.for_bindings.rend(); ++it)
    if (it->level == node.for_level) return node.for_key ? it->key : it->value;
  return Value();
}

// What a for expression is building: a list, or a map (grouped or not).
struct ForResult {
  ValueList items;
  ValueMap entries;
  std::map<std::string, ValueList> groups;
  bool unknown = false;
  bool sensitive = false;
};

// The elements of a for expression's collection as (key, value) pairs: list
// indexes or map keys. False (with an error) when it cannot be iterated.
bool ForElements(const Value& collection, const ExprNode& node, EvalContext& ctx,
                 std::vector<std::pair<Value, Value>>* out) {
  const SourceRange& at = node.operands[0].range();
  if (collection.is_null()) {
    ctx.diags.Error("Iteration over null value",
                    "A null value cannot be the collection of a for expression.", at);
    return false;
  }
  const bool sensitive = collection.sensitive();
  if (collection.is_list()) {
    const ValueList& items = collection.AsList();
    out->reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i)
      out->emplace_back(Value::Number(static_cast<double>(i)), MarkIf(items[i], sensitive));
    return true;
  }
  if (collection.is_map()) {
    out->reserve(collection.AsMap().size());
    for (const auto& [key, value] : collection.AsMap())
      out->emplace_back(MarkIf(Value::String(key), sensitive), MarkIf(value, sensitive));
    return true;
  }
  ctx.diags.Error("Iteration over non-iterable value: a list or map is required, got " +
                      DescribeValue(collection),
                  "A for expression visits the elements of a list or the entries of a map.", at);
  return false;
}

// Evaluates the condition for one element: false skips it; *unknown when it
// cannot be decided yet. Returns false on an error.
bool ForCondition(const ExprNode& node, EvalContext& ctx, bool* keep, ForResult& result) {
  const Expression& condition = node.operands[3];
  *keep = true;
  if (ExprNode::Of(condition) == nullptr) return true;
  const std::size_t mark = ctx.diags.size();
  const Value value = Eval(condition, ctx);
  if (FailedSince(ctx, mark)) return false;
  result.sensitive = result.sensitive || value.sensitive();
  if (value.is_unknown()) {
    result.unknown = true;
    return true;
  }
  if (!ToBool(value, keep)) {
    ctx.diags.Error("Invalid 'for' condition: the condition must be a bool, got " +
                        DescribeValue(value),
                    "The if clause decides whether each element is kept.", condition.range());
    return false;
  }
  return true;
}

// Adds one key => value to a map for expression's result.
bool ForEntry(const ExprNode& node, EvalContext& ctx, Value value, ForResult& result) {
  const Expression& key_expression = node.operands[2];
  const std::size_t mark = ctx.diags.size();
  const Value key = Eval(key_expression, ctx);
  if (FailedSince(ctx, mark)) return false;
  result.sensitive = result.sensitive || key.sensitive();
  if (key.is_unknown()) {
    result.unknown = true;
    return true;
  }
  std::string text;
  if (!ToText(key, &text)) {
    ctx.diags.Error(key.is_null() ? std::string("Invalid object key: the key is null")
                                  : "Invalid object key: a key must be a string, got " +
                                        DescribeValue(key),
                    "Each element's key expression (before \"=>\") must give a string.",
                    key_expression.range());
    return false;
  }
  if (node.for_grouping) {
    result.groups[text].push_back(std::move(value));
    return true;
  }
  if (!result.entries.emplace(text, std::move(value)).second) {
    ctx.diags.Error("Duplicate object key \"" + text + "\" in a for expression",
                    "Two elements produced the key \"" + text +
                        "\". To collect the values of equal keys into lists, put \"...\" after "
                        "the value: {for ... : KEY => VALUE...}.",
                    key_expression.range());
    return false;
  }
  return true;
}

Value For(const ExprNode& node, EvalContext& ctx) {
  const std::size_t mark = ctx.diags.size();
  const Value collection = Eval(node.operands[0], ctx);
  if (FailedSince(ctx, mark)) return Value();
  if (collection.is_unknown()) return MarkIf(Value::Unknown(), collection.sensitive());
  std::vector<std::pair<Value, Value>> elements;
  if (!ForElements(collection, node, ctx, &elements)) return Value();
  ForResult result;
  result.sensitive = collection.sensitive();
  for (auto& [key, value] : elements) {
    ForScope bind(ctx, node.for_level, std::move(key), std::move(value));
    bool keep = true;
    if (!ForCondition(node, ctx, &keep, result)) return Value();
    if (!keep || result.unknown) continue;
    Value item = Eval(node.operands[1], ctx);
    if (FailedSince(ctx, mark)) return Value();
    if (!node.for_map) {
      result.items.push_back(std::move(item));
    } else if (!ForEntry(node, ctx, std::move(item), result)) {
      return Value();
    }
  }
  if (result.unknown) return MarkIf(Value::Unknown(), result.sensitive);
  if (!node.for_map) return MarkIf(Value::List(std::move(result.items)), result.sensitive);
  if (node.for_grouping) {
    for (auto& [key, items] : result.groups) result.entries.emplace(key, Value::List(std::move(items)));
  }
  return MarkIf(Value::Map(std::move(result.entries)), result.sensitive);
}

}  // namespace

Value EvaluateNode(const ExprNode& node, EvalContext& ctx) {
  if (node.constant) return node.value;
  switch (node.kind) {
    case Kind::kLiteral:
      return node.value;
    case Kind::kReference:
      return ctx.scope.Resolve(node.reference, ctx.diags);
    case Kind::kSplatItem:
      return ctx.splat_items.empty() ? Value() : ctx.splat_items.back();
    case Kind::kTemplate:
      return Template(node, ctx);
    case Kind::kGetAttr: {
      const std::size_t mark = ctx.diags.size();
      Value object = Eval(node.operands[0], ctx);
      return FailedSince(ctx, mark) ? Value() : GetAttribute(object, node, ctx);
    }
    case Kind::kIndex: {
      const std::size_t mark = ctx.diags.size();
      Value collection = Eval(node.operands[0], ctx);
      Value key = Eval(node.operands[1], ctx);
      return FailedSince(ctx, mark) ? Value() : Index(collection, key, node, ctx);
    }
    case Kind::kSplat:
      return Splat(node, ctx);
    case Kind::kUnary: {
      const std::size_t mark = ctx.diags.size();
      Value operand = Eval(node.operands[0], ctx);
      if (FailedSince(ctx, mark)) return Value();
      return ApplyUnary(node.unary_op, operand, node.operands[0].range(), ctx.diags);
    }
    case Kind::kBinary:
      return Binary(node, ctx);
    case Kind::kConditional:
      return Conditional(node, ctx);
    case Kind::kCall:
      return Call(node, ctx);
    case Kind::kList:
      return List(node, ctx);
    case Kind::kMap:
      return Map(node, ctx);
    case Kind::kDynamicMap:
      return DynamicMap(node, ctx);
    case Kind::kFor:
      return For(node, ctx);
    case Kind::kForVariable:
      return ForVariable(node, ctx);
  }
  return Value();
}

Value NoReferenceScope::Resolve(const Reference& ref, Diagnostics& diags) {
  diags.Error("Variables not allowed " + what_ + ": \"" + ref.ToString() + "\"",
              "Only literal values and functions of them can be used " + what_ + ".", ref.range);
  return Value();
}

}  // namespace reconcile::config
