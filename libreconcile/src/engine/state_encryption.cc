#include "engine/state_encryption.h"

#include <cstdlib>

#include "config/stack/variables.h"
#include "config/toml/toml_tree.h"
#include "engine/stack_inputs.h"
#include "state/json_reader.h"

namespace reconcile::engine {
namespace {

// [encryption] may name variables (a passphrase), resolved on first use.
class EncryptionScope : public config::Scope {
 public:
  EncryptionScope(const config::Stack& stack, const EngineOptions& options, const std::string& workspace)
      : stack_(stack), options_(options), workspace_(workspace) {}

  Value Resolve(const config::Reference& ref, Diagnostics& diags) override {
    if (ref.kind == config::RefKind::kWorkspace) return Value::String(workspace_);
    if (ref.kind != config::RefKind::kVariable) {
      diags.Error("[encryption] cannot use \"" + ref.ToString() + "\"",
                  "State is encrypted before resources exist; use literals or var.NAME.", ref.range);
      return Value();
    }
    if (!resolved_) {
      resolved_ = true;
      Diagnostics vars = config::ResolveRootVariables(*stack_.root, GatherVariableSources(options_, workspace_),
                                                     &variables_);
      diags.Append(vars);
    }
    auto it = variables_.find(ref.name);
    if (it == variables_.end()) {
      diags.Error("[encryption] uses var." + ref.name + ", which has no value",
                  "Declare [variable." + ref.name + "] and give it a value.", ref.range);
      return Value();
    }
    return it->second;
  }
  std::string BaseDir() const override { return stack_.dir; }

 private:
  const config::Stack& stack_;
  const EngineOptions& options_;
  std::string workspace_;
  bool resolved_ = false;
  std::map<std::string, Value> variables_;
};

// RECONCILE_ENCRYPTION as a value: JSON when it parses as JSON, else TOML.
bool EnvironmentBlock(Value* out, Diagnostics& diags) {
  const char* text = std::getenv("RECONCILE_ENCRYPTION");
  if (text == nullptr || *text == '\0') return false;
  std::string error;
  if (json::Parse(text, out, &error) && out->is_map()) return true;
  config::TomlDocument doc;
  Diagnostics toml;
  if (config::ParseTomlDocument(text, "RECONCILE_ENCRYPTION", &doc, toml)) {
    *out = config::TomlToValue(doc.root);
    // The block's own header is welcome: "[encryption]\nkey_provider = ...".
    if (const Value* inner = out->Find("encryption"); inner && out->AsMap().size() == 1) *out = *inner;
    return true;
  }
  diags.Error("RECONCILE_ENCRYPTION is neither JSON nor TOML",
              "Expected the [encryption] block's shape, e.g. {\"key_provider\": {\"passphrase\": {\"env\": "
              "\"STATE_PASSPHRASE\"}}}. As JSON: " + error);
  return true;
}

Value BackendSettings(const config::Stack& stack) {
  ValueMap settings;
  if (!stack.root || !stack.root->backend) return Value::Map({});
  for (const auto& [name, expr] : stack.root->backend->body.attributes) {
    Diagnostics ignored;
    EncryptionScope none(stack, EngineOptions{}, "");
    if (expr.References().empty()) settings[name] = expr.Evaluate(none, ignored);
  }
  return Value::Map(std::move(settings));
}

}  // namespace

Diagnostics LoadEncryptionSettings(const config::Stack& stack, const EngineOptions& options,
                                   const std::string& workspace,
                                   std::optional<encryption::EncryptionSettings>* out) {
  Diagnostics diags;
  out->reset();
  Value block;
  std::string where = "RECONCILE_ENCRYPTION";
  if (!EnvironmentBlock(&block, diags)) {
    if (!stack.root || !stack.root->encryption) return diags;
    where = "[encryption] at " + stack.root->encryption->range.ToString();
    EncryptionScope scope(stack, options, workspace);
    ValueMap settings;
    for (const auto& [name, expr] : stack.root->encryption->body.attributes)
      settings[name] = expr.Evaluate(scope, diags);
    block = Value::Map(std::move(settings));
  }
  if (diags.HasErrors()) return diags;
  encryption::EncryptionSettings settings;
  diags.Append(encryption::ParseEncryptionSettings(block.WithoutMarks(), where, &settings));
  if (diags.HasErrors()) return diags;
  encryption::InheritBackendAwsSettings(BackendSettings(stack), &settings);
  *out = std::move(settings);
  return diags;
}

std::shared_ptr<encryption::DocumentCipher> MakeStackCipher(const config::Stack& stack, const EngineOptions& options,
                                                            const std::string& workspace, Diagnostics& diags) {
  std::optional<encryption::EncryptionSettings> settings;
  Diagnostics loaded = LoadEncryptionSettings(stack, options, workspace, &settings);
  diags.Append(loaded);
  if (loaded.HasErrors()) return nullptr;
  return std::make_shared<encryption::DocumentCipher>(std::move(settings));
}

}  // namespace reconcile::engine
