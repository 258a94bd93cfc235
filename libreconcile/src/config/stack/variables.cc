// Root variable values from their sources, type conversion and validations.
#include "config/stack/variables.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/expr/evaluator.h"
#include "config/expr/parser.h"
#include "config/expr/suggest.h"
#include "config/expr/type_constraint.h"
#include "config/stack/stack.h"
#include "config/toml/toml_tree.h"

namespace reconcile::config {
namespace {

namespace fs = std::filesystem;

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// A value for a variable and where it came from.
struct Assigned {
  Value value;
  SourceRange range;
  std::string origin;  // for messages about release values
};

TypeConstraint TypeOf(const VariableBlock& variable) {
  TypeConstraint type;
  std::string error;
  if (!TypeConstraint::Parse(variable.type, &type, &error)) return TypeConstraint();
  return type;
}

// Resolves var.<name> (the variable being validated) and nothing else.
class ValidationScope : public Scope {
 public:
  ValidationScope(const std::string& name, const Value& value) : name_(name), value_(value) {}
  Value Resolve(const Reference& ref, Diagnostics& diags) override {
    if (ref.kind == RefKind::kVariable && ref.name == name_) return value_;
    diags.Error("Invalid reference in the validation of variable " + Quote(name_) + ": " +
                    Quote(ref.ToString()),
                "A validation condition can refer only to var." + name_ + ".", ref.range);
    return Value();
  }
  std::string BaseDir() const override { return "."; }

 private:
  const std::string& name_;
  const Value& value_;
};

void RunValidations(const VariableBlock& variable, const Value& value, const SourceRange& from,
                    Diagnostics& diags) {
  ValidationScope scope(variable.name, value);
  for (const Validation& validation : variable.validations) {
    Diagnostics local;
    Value result = validation.condition.Evaluate(scope, local);
    diags.Append(local);
    if (local.HasErrors() || result.is_unknown()) continue;
    if (!result.is_bool()) {
      diags.Error("Invalid validation condition of variable " + Quote(variable.name) +
                      ": the condition must be a bool, got " + std::string(result.kind_name()),
                  {}, validation.condition.range());
      continue;
    }
    if (result.AsBool()) continue;
    std::string detail = "The value is checked by this validation rule";
    if (from.valid()) detail += "; it came from " + from.ToString();
    diags.Error("Invalid value for variable " + Quote(variable.name) + ": " +
                    validation.error_message,
                detail + ".", validation.range);
  }
}

// A file name for messages: relative to the stack when inside it.
std::string DisplayName(const std::string& path, const std::string& root_dir) {
  std::error_code error;
  fs::path absolute = fs::absolute(path, error).lexically_normal();
  if (error) return path;
  fs::path relative = absolute.lexically_relative(root_dir);
  std::string text = relative.string();
  if (!text.empty() && text.rfind("..", 0) != 0) return text;
  return path;
}

std::vector<std::string> Names(const Module& root) {
  std::vector<std::string> names;
  for (const auto& [name, variable] : root.variables) names.push_back(name);
  return names;
}

// Reads a TOML file of `name = value` lines; every name must be declared.
void ReadVariableFile(const std::string& path, const Module& root,
                      std::map<std::string, Assigned>& assigned, Diagnostics& diags) {
  const std::string display = DisplayName(path, root.dir);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.Error("Cannot read variables file \"" + display + "\"",
                "Check that the file exists and is readable.");
    return;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  TomlDocument doc;
  if (!ParseTomlDocument(buffer.str(), display, &doc, diags)) return;
  for (const auto& [name, node] : doc.root.entries) {
    if (root.variables.count(name) == 0) {
      diags.Error("Value for undeclared variable " + Quote(name) + DidYouMean(name, Names(root)),
                  display + " sets a variable that the stack does not declare; declare it with "
                  "[variable." + name + "] or remove the line.",
                  node.key_range);
      continue;
    }
    assigned[name] = Assigned{TomlToValue(node), node.range, display};
  }
}

// A value typed as text (RECONCILE_VAR_x, --var x=...): collections are
// parsed as expression literals, everything else stays a string for
// ConvertVariable to convert.
bool ParseTextValue(const VariableBlock& variable, const std::string& text,
                    const SourceRange& origin, Value* out, Diagnostics& diags) {
  if (!TypeOf(variable).is_collection()) {
    *out = Value::String(text);
    return true;
  }
  Diagnostics local;
  Expression e = ParseExpressionAt(text, TextOrigin(origin), local);
  if (!local.HasErrors()) {
    NoReferenceScope scope("in a variable value");
    *out = e.Evaluate(scope, local);
  }
  diags.Append(local);
  return !local.HasErrors();
}

void ReadTextValues(const Module& root, const VariableSources& sources,
                    std::map<std::string, Assigned>& assigned, Diagnostics& diags) {
  for (const auto& [name, text] : sources.env) {
    auto it = root.variables.find(name);
    if (it == root.variables.end()) continue;  // the environment may serve other stacks
    SourceRange origin{"RECONCILE_VAR_" + name, 1, 1};
    Value value;
    if (ParseTextValue(it->second, text, origin, &value, diags)) assigned[name] = {value, origin, origin.file};
  }
  for (const auto& [name, text] : sources.cli) {
    auto it = root.variables.find(name);
    if (it == root.variables.end()) {
      diags.Error("Value for undeclared variable " + Quote(name) + " given with --var" +
                      DidYouMean(name, Names(root)),
                  "The stack declares no variable named " + Quote(name) + ".");
      continue;
    }
    SourceRange origin{"--var " + name, 1, 1};
    Value value;
    if (ParseTextValue(it->second, text, origin, &value, diags)) assigned[name] = {value, origin, origin.file};
  }
}

void UseRecordedReleaseValues(const Module& root, const VariableSources& sources,
                              std::map<std::string, Assigned>& assigned) {
  for (const auto& [name, value] : sources.recorded) {
    auto it = root.variables.find(name);
    if (it == root.variables.end() || !it->second.release) continue;
    assigned[name] = Assigned{value, SourceRange{sources.recorded_origin, 1, 1}, sources.recorded_origin};
  }
}

}  // namespace

Diagnostics ConvertVariable(const VariableBlock& variable, const Value& value,
                            const SourceRange& range, Value* out) {
  Diagnostics diags;
  *out = Value();
  Value given = value;
  if (given.is_null() && !variable.nullable) {
    const Value* fallback = variable.default_value ? variable.default_value->literal_value() : nullptr;
    if (fallback == nullptr || fallback->is_null()) {
      diags.Error("Invalid value for variable " + Quote(variable.name) + ": it may not be null",
                  "The variable is declared with nullable = false at " +
                      variable.range.ToString() + ".",
                  range);
      return diags;
    }
    given = *fallback;
  }
  Value converted;
  std::string error;
  if (!TypeOf(variable).Convert(given, &converted, &error)) {
    diags.Error("Invalid value for variable " + Quote(variable.name) + ": " + error,
                "The variable is declared at " + variable.range.ToString() + " with type " +
                    variable.type + ".",
                range);
    return diags;
  }
  if (variable.sensitive) converted = converted.MarkedSensitive();
  RunValidations(variable, converted, range, diags);
  *out = std::move(converted);
  return diags;
}

Diagnostics ResolveRootVariables(const Module& root, const VariableSources& sources,
                                 std::map<std::string, Value>* out,
                                 std::map<std::string, std::string>* origins) {
  Diagnostics diags;
  std::map<std::string, Assigned> assigned;
  for (const auto& [name, variable] : root.variables) {
    if (!variable.default_value) continue;
    const Value* literal = variable.default_value->literal_value();
    if (literal) assigned[name] = Assigned{*literal, variable.default_value->range(), "default"};
  }
  if (!sources.environment_file.empty())
    ReadVariableFile(sources.environment_file, root, assigned, diags);
  UseRecordedReleaseValues(root, sources, assigned);
  for (const std::string& file : sources.var_files) ReadVariableFile(file, root, assigned, diags);
  ReadTextValues(root, sources, assigned, diags);

  for (const auto& [name, variable] : root.variables) {
    auto it = assigned.find(name);
    if (it == assigned.end() && variable.release && sources.unset_release_unknown) {
      (*out)[name] = Value::Unknown();
      continue;
    }
    if (it == assigned.end()) {
      diags.Error("No value for required variable " + Quote(name),
                  "Give it a default, or set it in environments/<workspace>.toml, a --var-file, "
                  "RECONCILE_VAR_" + name + " or --var " + name + "=...",
                  variable.range);
      continue;
    }
    Value converted;
    diags.Append(ConvertVariable(variable, it->second.value, it->second.range, &converted));
    (*out)[name] = std::move(converted);
    if (origins != nullptr) (*origins)[name] = it->second.origin;
  }
  return diags;
}

}  // namespace reconcile::config
