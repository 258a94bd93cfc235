#include "config/stack/variable_decoder.h"

#include "config/expr/type_constraint.h"
#include "config/stack/toml_expression.h"

namespace reconcile::config {
namespace {

const std::vector<std::string> kVariableSettings = {"default",   "description", "nullable", "release",
                                                    "sensitive", "type",        "validation"};
const std::vector<std::string> kValidationSettings = {"condition", "error_message"};
const std::vector<std::string> kOutputSettings = {"depends_on", "description", "sensitive",
                                                  "value"};

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

VariableBlock VariableDecoder::DecodeVariable(const std::string& name, const TomlNode& node) {
  VariableBlock variable;
  variable.name = name;
  variable.range = node.range;
  const TomlNode* default_node = nullptr;
  for (const auto& [key, value] : node.entries) {
    if (key == "type") {
      if (!ExpectKind(value, TomlNode::Kind::kString, "type of variable " + Quote(name))) continue;
      TypeConstraint type;
      std::string error;
      if (TypeConstraint::Parse(value.text, &type, &error)) {
        variable.type = value.text;
      } else {
        diags_.Error("Invalid type for variable " + Quote(name) + ": " + error,
                     "Types are string, number, bool, any, list(T), set(T), map(T), "
                     "object({name = T}) and tuple([T, ...]).",
                     value.range);
      }
    } else if (key == "default") {
      default_node = &value;
    } else if (key == "description") {
      if (ExpectKind(value, TomlNode::Kind::kString, "description"))
        variable.description = value.text;
    } else if (key == "sensitive" || key == "nullable" || key == "release") {
      if (ExpectKind(value, TomlNode::Kind::kBool, key + " (true or false)"))
        (key == "sensitive" ? variable.sensitive : key == "nullable" ? variable.nullable : variable.release) =
            value.boolean;
    } else if (key == "validation") {
      DecodeValidations(value, variable);
    } else {
      UnsupportedArgument(key, value, "variable " + Quote(name), kVariableSettings);
    }
  }
  if (default_node != nullptr) DecodeDefault(*default_node, variable);
  return variable;
}

// A default must be a literal value of the declared type.
void VariableDecoder::DecodeDefault(const TomlNode& node, VariableBlock& variable) {
  Expression value = ToExpression(node);
  for (const Reference& ref : value.References()) {
    diags_.Error("Variables not allowed in the default of variable " + Quote(variable.name) + ": " +
                     Quote(ref.ToString()),
                 "A default is a literal value; use a local value to compute from other values.",
                 ref.range);
    return;
  }
  const Value* literal = value.literal_value();
  if (literal == nullptr) {
    diags_.Error("The default of variable " + Quote(variable.name) + " must be a literal value",
                 "Functions that read files cannot be used in a default.", node.range);
    return;
  }
  TypeConstraint type;
  std::string error;
  if (TypeConstraint::Parse(variable.type, &type, &error)) {
    Value converted;
    if (!type.Convert(*literal, &converted, &error)) {
      diags_.Error("Invalid default for variable " + Quote(variable.name) + ": " + error,
                   "The variable's type is " + type.ToString() + ".", node.range);
      return;
    }
  }
  variable.default_value = std::move(value);
}

void VariableDecoder::DecodeValidations(const TomlNode& node, VariableBlock& variable) {
  if (node.is_array()) {
    for (const TomlNode& item : node.items)
      if (ExpectTable(item, "validation")) DecodeValidation(item, variable);
    return;
  }
  if (ExpectTable(node, "validation (a table, or a list of tables)"))
    DecodeValidation(node, variable);
}

void VariableDecoder::DecodeValidation(const TomlNode& node, VariableBlock& variable) {
  Validation validation;
  validation.range = node.range;
  bool has_condition = false, has_message = false;
  for (const auto& [key, value] : node.entries) {
    if (key == "condition") {
      if (!ExpectKind(value, TomlNode::Kind::kString, "validation condition (an expression)"))
        continue;
      has_condition = true;
      validation.condition = ConditionFromToml(*doc_, value, diags_);
      for (const Reference& ref : validation.condition.References()) {
        if (ref.kind == RefKind::kVariable && ref.name == variable.name) continue;
        diags_.Error("Invalid reference in the validation of variable " + Quote(variable.name) +
                         ": " + Quote(ref.ToString()),
                     "A validation condition can refer only to var." + variable.name + ".",
                     ref.range);
      }
    } else if (key == "error_message") {
      has_message = ExpectKind(value, TomlNode::Kind::kString, "error_message");
      validation.error_message = value.text;
    } else {
      UnsupportedArgument(key, value, "a validation of variable " + Quote(variable.name),
                          kValidationSettings);
    }
  }
  if (!has_condition || !has_message) {
    diags_.Error(std::string("Missing ") + (has_condition ? "error_message" : "condition") +
                     " in a validation of variable " + Quote(variable.name),
                 "A validation is { condition = \"...\", error_message = \"...\" }.", node.range);
    return;
  }
  variable.validations.push_back(std::move(validation));
}

OutputBlock VariableDecoder::DecodeOutput(const std::string& name, const TomlNode& node) {
  OutputBlock output;
  output.name = name;
  output.range = node.range;
  bool has_value = false;
  for (const auto& [key, value] : node.entries) {
    if (key == "value") {
      output.value = ToExpression(value);
      has_value = true;
    } else if (key == "description") {
      if (ExpectKind(value, TomlNode::Kind::kString, "description"))
        output.description = value.text;
    } else if (key == "sensitive") {
      if (ExpectKind(value, TomlNode::Kind::kBool, "sensitive (true or false)"))
        output.sensitive = value.boolean;
    } else if (key == "depends_on") {
      output.depends_on = DecodeDependsOn(value);
    } else {
      UnsupportedArgument(key, value, "output " + Quote(name), kOutputSettings);
    }
  }
  if (!has_value) {
    diags_.Error("Missing value in output " + Quote(name), "An output needs value = \"${...}\".",
                 node.range);
  }
  return output;
}

}  // namespace reconcile::config
