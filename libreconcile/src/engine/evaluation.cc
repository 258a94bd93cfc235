#include "engine/evaluation.h"

#include <filesystem>

#include "config/stack/variables.h"

namespace reconcile::engine {

void ResourceValues::Declare(const std::string& id, Expansion expansion) {
  std::unique_lock lock(mutex_);
  Entry& e = entries_[id];
  e.expansion = expansion;
  e.instances.clear();
  e.aggregate.reset();
}

void ResourceValues::Set(const std::string& id, const InstanceKey& key, Value value) {
  std::unique_lock lock(mutex_);
  Entry& e = entries_[id];
  e.instances[key] = std::move(value);
  e.aggregate.reset();
}

void ResourceValues::Remove(const std::string& id, const InstanceKey& key) {
  std::unique_lock lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  it->second.instances.erase(key);
  it->second.aggregate.reset();
}

Value ResourceValues::Aggregate(const std::string& id) const {
  {
    std::shared_lock lock(mutex_);
    auto it = entries_.find(id);
    if (it == entries_.end()) return Value::Unknown();
    if (it->second.aggregate) return *it->second.aggregate;
  }
  std::unique_lock lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return Value::Unknown();
  const Entry& e = it->second;
  if (e.aggregate) return *e.aggregate;
  Value out;
  switch (e.expansion) {
    case Expansion::kSingle: {
      auto one = e.instances.find(InstanceKey::None());
      out = one == e.instances.end() ? Value() : one->second;
      break;
    }
    case Expansion::kCount: {
      ValueList items;
      items.reserve(e.instances.size());
      for (const auto& [key, v] : e.instances) items.push_back(v);
      out = Value::List(std::move(items));
      break;
    }
    case Expansion::kForEach: {
      ValueMap items;
      for (const auto& [key, v] : e.instances) items.emplace(key.key, v);
      out = Value::Map(std::move(items));
      break;
    }
  }
  e.aggregate = out;
  return out;
}

Value ResourceValues::Get(const std::string& id, const InstanceKey& key) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return Value();
  auto inst = it->second.instances.find(key);
  return inst == it->second.instances.end() ? Value() : inst->second;
}

EvalContext::EvalContext(const ModuleInstance& root, std::map<std::string, Value> root_variables,
                         std::string workspace, std::string stack_dir, ResourceValues* resources)
    : root_(root),
      root_variables_(std::move(root_variables)),
      workspace_(std::move(workspace)),
      stack_dir_(std::move(stack_dir)),
      resources_(resources) {}

Value EvalContext::Memoized(const std::string& id, Diagnostics& diags,
                            const std::function<Value(Diagnostics&)>& compute) {
  {
    std::lock_guard<std::mutex> lock(memo_mutex_);
    auto it = memo_.find(id);
    if (it != memo_.end()) return it->second;
  }
  Diagnostics local;
  Value v = compute(local);
  diags.Append(local);
  std::lock_guard<std::mutex> lock(memo_mutex_);
  return memo_.emplace(id, std::move(v)).first->second;
}

Value EvalContext::Variable(const ModuleInstance& module, const std::string& name,
                            Diagnostics& diags) {
  if (module.is_root()) {
    auto it = root_variables_.find(name);
    return it == root_variables_.end() ? Value() : it->second;
  }
  return Memoized(module.Prefix() + "var." + name, diags, [&](Diagnostics& d) {
    auto var = module.module->variables.find(name);
    if (var == module.module->variables.end()) return Value();
    const config::VariableBlock& block = var->second;
    Value raw;
    SourceRange where = block.range;
    if (const config::Expression* input = module.call->inputs.Find(name)) {
      ModuleScope parent_scope(*this, *module.parent, &module.spec);
      raw = input->Evaluate(parent_scope, d);
      where = input->range();
    } else if (block.default_value) {
      ModuleScope own_scope(*this, module);
      raw = block.default_value->Evaluate(own_scope, d);
    }
    Value converted;
    d.Append(config::ConvertVariable(block, raw, where, &converted));
    if (block.sensitive) converted.set_sensitive(true);
    return converted;
  });
}

Value EvalContext::Local(const ModuleInstance& module, const std::string& name,
                         Diagnostics& diags) {
  return Memoized(module.Prefix() + "local." + name, diags, [&](Diagnostics& d) {
    auto it = module.module->locals.find(name);
    if (it == module.module->locals.end()) return Value();
    ModuleScope scope(*this, module);
    return it->second.value.Evaluate(scope, d);
  });
}

Value EvalContext::Output(const ModuleInstance& module, const std::string& name,
                          Diagnostics& diags) {
  return Memoized(module.Prefix() + "output." + name, diags, [&](Diagnostics& d) {
    auto it = module.module->outputs.find(name);
    if (it == module.module->outputs.end()) return Value();
    ModuleScope scope(*this, module);
    Value v = it->second.value.Evaluate(scope, d);
    if (it->second.sensitive) v.set_sensitive(true);
    return v;
  });
}

namespace {

void Undefined(const config::Reference& ref, const std::string& what, Diagnostics& diags) {
  diags.Error("Reference to undeclared " + what + " \"" + ref.ToString() + "\"",
              "Declare it, or correct the name.", ref.range);
}

// A resource, data source or module output read while module instances are
// being expanded.
Value NotYetPlanned(const config::Reference& ref, const std::string& expanding,
                    Diagnostics& diags) {
  diags.Error("Invalid reference in " + expanding + ": \"" + ref.ToString() + "\"",
              "Module instances are decided before any resource is planned, so a module's count "
              "and for_each may use variables, locals and literal values, not resources, data "
              "sources or module outputs.",
              ref.range);
  return Value();
}

// The outputs of one module instance, as an object.
Value OutputsOf(EvalContext& context, const ModuleInstance& instance, Diagnostics& diags) {
  ValueMap outputs;
  for (const auto& [name, out] : instance.module->outputs)
    outputs.emplace(name, context.Output(instance, name, diags));
  return Value::Map(std::move(outputs));
}

// module.NAME of a call with count (a list of instance objects) or for_each
// (a map of them by key).
Value ExpandedModule(EvalContext& context, const ModuleCallInstances& call, Diagnostics& diags) {
  if (call.expansion == Expansion::kCount) {
    ValueList items;
    for (const auto& instance : call.instances) items.push_back(OutputsOf(context, *instance, diags));
    return Value::List(std::move(items));
  }
  ValueMap items;
  for (const auto& instance : call.instances)
    items.emplace(instance->spec.key.key, OutputsOf(context, *instance, diags));
  return Value::Map(std::move(items));
}

}  // namespace

Value ModuleScope::Resolve(const config::Reference& ref, Diagnostics& diags) {
  const config::Module& m = *module_.module;
  switch (ref.kind) {
    case config::RefKind::kVariable:
      if (!m.variables.count(ref.name)) {
        Undefined(ref, "input variable", diags);
        return Value();
      }
      return context_.Variable(module_, ref.name, diags);
    case config::RefKind::kLocal:
      if (!m.locals.count(ref.name)) {
        Undefined(ref, "local value", diags);
        return Value();
      }
      return context_.Local(module_, ref.name, diags);
    case config::RefKind::kEach:
      if (instance_ == nullptr || instance_->key.kind != InstanceKey::Kind::kString) {
        diags.Error("Reference to \"each\" outside a block with for_each",
                    "each.key and each.value exist only in a resource, data or module block that "
                    "sets for_each.",
                    ref.range);
        return Value();
      }
      return ref.name == "key" ? instance_->each_key : instance_->each_value;
    case config::RefKind::kCount:
      if (instance_ == nullptr || instance_->key.kind != InstanceKey::Kind::kIndex) {
        diags.Error("Reference to \"count\" outside a block with count",
                    "count.index exists only in a resource, data or module block that sets count.",
                    ref.range);
        return Value();
      }
      return Value::Number(static_cast<double>(instance_->key.index));
    case config::RefKind::kPath:
      if (ref.name == "module") return Value::String(module_.module->dir);
      if (ref.name == "root") return Value::String(context_.stack_dir());
      return Value::String(std::filesystem::current_path().string());
    case config::RefKind::kWorkspace:
      return Value::String(context_.workspace());
    case config::RefKind::kModule: {
      if (!context_.expanding().empty()) return NotYetPlanned(ref, context_.expanding(), diags);
      auto child = module_.children.find(ref.name);
      if (child == module_.children.end()) {
        Undefined(ref, "module", diags);
        return Value();
      }
      const ModuleCallInstances& call = child->second;
      if (call.expansion != Expansion::kSingle) {
        if (!ref.attr.empty()) {
          const bool counted = call.expansion == Expansion::kCount;
          diags.Error("Unsupported attribute \"" + ref.attr + "\": module." + ref.name + " has " +
                          (counted ? "count" : "for_each") + ", so it is a " +
                          (counted ? "list" : "map") + " of module instances",
                      counted ? "Name one instance, as in module." + ref.name + "[0]." + ref.attr +
                                    ", or all of them with module." + ref.name + "[*]." + ref.attr +
                                    "."
                              : "Name one instance, as in module." + ref.name + "[\"KEY\"]." +
                                    ref.attr + ", or all of them with values(module." + ref.name +
                                    ")[*]." + ref.attr + ".",
                      ref.range);
          return Value();
        }
        return ExpandedModule(context_, call, diags);
      }
      const ModuleInstance& c = *call.instances.front();
      if (ref.attr.empty()) return OutputsOf(context_, c, diags);
      if (!c.module->outputs.count(ref.attr)) {
        Undefined(ref, "module output", diags);
        return Value();
      }
      return context_.Output(c, ref.attr, diags);
    }
    case config::RefKind::kResource:
    case config::RefKind::kData: {
      std::string key = (ref.kind == config::RefKind::kData ? "data." : "") + ref.type + "." + ref.name;
      if (!m.resources.count(key)) {
        Undefined(ref, ref.kind == config::RefKind::kData ? "data source" : "resource", diags);
        return Value();
      }
      if (!context_.expanding().empty()) return NotYetPlanned(ref, context_.expanding(), diags);
      if (context_.resources_unknown()) return Value::Unknown();
      return context_.resources().Aggregate(module_.Prefix() + key);
    }
  }
  return Value();
}

std::string ModuleScope::BaseDir() const { return module_.module->dir; }

Value EvaluateBody(const config::Body& body, config::Scope& scope, Diagnostics& diags) {
  ValueMap out;
  for (const auto& [name, expr] : body.attributes) {
    Value v = expr.Evaluate(scope, diags);
    if (!v.is_null()) out[name] = std::move(v);
  }
  return Value::Map(std::move(out));
}

}  // namespace reconcile::engine
