// CheckReferences: every reference names something declared, each.* and
// count.index appear only where they have a value, and module calls match
// their modules' variables.
#include "config/stack/reference_check.h"

#include <algorithm>
#include <tuple>

#include "config/expr/suggest.h"
#include "config/stack/stack.h"
#include "config/stack/variables.h"

namespace reconcile::config {
namespace {

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// Which iteration objects an expression may use.
struct Allowed {
  bool each = false;
  bool count = false;
};

template <typename Map>
std::vector<std::string> KeysOf(const Map& map) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : map) keys.push_back(key);
  return keys;
}

class ReferenceChecker {
 public:
  ReferenceChecker(const Module& root, Diagnostics& diags) : root_(root), diags_(diags) {}

  void CheckModule(const Module& m) {
    for (const auto& [name, local] : m.locals) CheckExpression(local.value, m, {});
    for (const auto& [name, output] : m.outputs) {
      CheckExpression(output.value, m, {});
      for (const Reference& ref : output.depends_on) CheckReference(ref, m, {});
    }
    for (const auto& [key, block] : m.resources) CheckResource(block, m);
    for (const auto& [name, provider] : m.providers) CheckBody(provider.body, m, {});
    for (const auto& [name, call] : m.module_calls) {
      if (call.count) CheckExpression(*call.count, m, {});
      if (call.for_each) CheckExpression(*call.for_each, m, {});
      CheckBody(call.inputs, m, Allowed{call.for_each.has_value(), call.count.has_value()});
      for (const Reference& ref : call.depends_on) CheckReference(ref, m, {});
      if (!call.module) continue;
      CheckInputs(call);
      CheckModule(*call.module);
    }
  }

 private:
  void CheckResource(const ResourceBlock& block, const Module& m) {
    if (block.count) CheckExpression(*block.count, m, {});
    if (block.for_each) CheckExpression(*block.for_each, m, {});
    CheckBody(block.body, m, Allowed{block.for_each.has_value(), block.count.has_value()});
    for (const Reference& ref : block.depends_on) CheckReference(ref, m, {});
    std::size_t dot = block.provider.find('.');
    if (dot != std::string::npos && root_.providers.count(block.provider) == 0) {
      diags_.Error("Provider configuration " + Quote(block.provider) + " is not declared" +
                       DidYouMean(block.provider, KeysOf(root_.providers)),
                   "Declare it in the root module: [provider." + block.provider.substr(0, dot) +
                       "] with alias = " + Quote(block.provider.substr(dot + 1)) + ".",
                   block.range);
    }
  }

  void CheckBody(const Body& body, const Module& m, Allowed allowed) {
    for (const auto& [name, expression] : body.attributes) CheckExpression(expression, m, allowed);
  }

  void CheckExpression(const Expression& e, const Module& m, Allowed allowed) {
    for (const Reference& ref : e.References()) CheckReference(ref, m, allowed);
  }

  void Undeclared(const Reference& ref, const std::string& what, const std::string& suggestion,
                  const std::string& detail) {
    std::string summary = "Reference to undeclared " + what + " " + Quote(ref.ToString());
    if (!suggestion.empty()) summary += "; did you mean " + Quote(suggestion) + "?";
    diags_.Error(summary, detail, ref.range);
  }

  // The closest name with a prefix, or the same name declared as `fallback_prefix`.
  static std::string Suggest(const std::string& name, const std::vector<std::string>& same_kind,
                             const std::string& prefix, bool exists_elsewhere,
                             const std::string& elsewhere_prefix) {
    std::string close = ClosestName(name, same_kind);
    if (!close.empty()) return prefix + close;
    return exists_elsewhere ? elsewhere_prefix + name : std::string();
  }

  void CheckReference(const Reference& ref, const Module& m, Allowed allowed) {
    switch (ref.kind) {
      case RefKind::kVariable:
        if (m.variables.count(ref.name)) return;
        return Undeclared(ref, "variable",
                          Suggest(ref.name, KeysOf(m.variables), "var.", m.locals.count(ref.name) > 0,
                                  "local."),
                          "Declare it with [variable." + ref.name + "].");
      case RefKind::kLocal:
        if (m.locals.count(ref.name)) return;
        return Undeclared(ref, "local value",
                          Suggest(ref.name, KeysOf(m.locals), "local.",
                                  m.variables.count(ref.name) > 0, "var."),
                          "Declare it under [locals].");
      case RefKind::kEach:
        if (allowed.each) return;
        diags_.Error(Quote(ref.ToString()) +
                         " can only be used in a resource, data or module block with for_each",
                     "each.key and each.value name the instance being configured; this block has "
                     "no for_each.",
                     ref.range);
        return;
      case RefKind::kCount:
        if (allowed.count) return;
        diags_.Error("\"count.index\" can only be used in a resource, data or module block with "
                     "count",
                     "count.index numbers the instance being configured; this block has no count.",
                     ref.range);
        return;
      case RefKind::kPath:
      case RefKind::kWorkspace:
        return;
      case RefKind::kModule:
        return CheckModuleReference(ref, m);
      case RefKind::kResource:
      case RefKind::kData:
        return CheckResourceReference(ref, m);
    }
  }

  void CheckModuleReference(const Reference& ref, const Module& m) {
    auto call = m.module_calls.find(ref.name);
    if (call == m.module_calls.end()) {
      std::string close = ClosestName(ref.name, KeysOf(m.module_calls));
      return Undeclared(ref, "module", close.empty() ? "" : "module." + close,
                        "Declare it with [module." + ref.name + "] source = \"./...\".");
    }
    if (ref.attr.empty() || !call->second.module) return;
    const Module& child = *call->second.module;
    if (child.outputs.count(ref.attr)) return;
    std::string close = ClosestName(ref.attr, KeysOf(child.outputs));
    std::string summary = "Module " + Quote(ref.name) + " has no output " + Quote(ref.attr);
    if (!close.empty()) summary += "; did you mean " + Quote("module." + ref.name + "." + close) + "?";
    diags_.Error(summary, "Outputs are declared in the module with [output.NAME].", ref.range);
  }

  void CheckResourceReference(const Reference& ref, const Module& m) {
    const bool data = ref.kind == RefKind::kData;
    const std::string key = (data ? "data." : "") + ref.type + "." + ref.name;
    if (m.resources.count(key)) return;
    std::vector<std::string> same_kind;
    for (const auto& [candidate, block] : m.resources)
      if ((block.mode == ResourceMode::kData) == data) same_kind.push_back(candidate);
    std::string suggestion = ClosestName(key, same_kind);
    const std::string other = data ? ref.type + "." + ref.name : "data." + key;
    if (suggestion.empty() && m.resources.count(other)) suggestion = other;
    if (suggestion.empty() && !data && m.variables.count(ref.type) == 0 &&
        (ref.type == "vars" || ref.type == "locals" || ref.type == "variable")) {
      suggestion = (ref.type == "locals" ? "local." : "var.") + ref.name;
    }
    Undeclared(ref, data ? "data source" : "resource", suggestion,
               std::string("Declare it with [") + (data ? "data." : "resource.") + ref.type + "." +
                   ref.name + "].");
  }

  // Inputs must be the module's variables, and required ones must be given.
  void CheckInputs(const ModuleCall& call) {
    const Module& child = *call.module;
    for (const auto& [name, expression] : call.inputs.attributes) {
      auto variable = child.variables.find(name);
      if (variable == child.variables.end()) {
        diags_.Error("Unsupported argument " + Quote(name) + " in module " + Quote(call.name) +
                         DidYouMean(name, KeysOf(child.variables)),
                     "The module declares no variable named " + Quote(name) + ".",
                     expression.range());
        continue;
      }
      if (const Value* literal = expression.literal_value()) {
        Value converted;
        diags_.Append(ConvertVariable(variable->second, *literal, expression.range(), &converted));
      }
    }
    for (const auto& [name, variable] : child.variables) {
      if (variable.default_value || call.inputs.Find(name)) continue;
      diags_.Error("Missing required argument " + Quote(name) + " in module " + Quote(call.name),
                   "The module's variable " + Quote(name) + " has no default, so the module "
                   "call must set it.",
                   call.range);
    }
  }

  const Module& root_;
  Diagnostics& diags_;
};

}  // namespace

Diagnostics CheckReferences(const Stack& stack) {
  Diagnostics diags;
  if (!stack.root) return diags;
  ReferenceChecker(*stack.root, diags).CheckModule(*stack.root);
  // Report in source order, file by file.
  std::stable_sort(diags.items().begin(), diags.items().end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     const SourceRange& x = a.range;
                     const SourceRange& y = b.range;
                     return std::tie(x.file, x.line, x.column) < std::tie(y.file, y.line, y.column);
                   });
  return diags;
}

}  // namespace reconcile::config
