// Decodes the blocks of a module's parsed files into a config::Module:
// checks block shapes, names and setting types, reports unknown block types
// and misspelt settings with "did you mean", and blocks defined twice (in the
// same or another file) naming both places.
#pragma once

#include <optional>
#include <string>

#include "config/stack/block_decoder.h"
#include "config/stack/stack.h"
#include "config/toml/toml_tree.h"

namespace reconcile::config {

class ModuleDecoder : private BlockDecoder {
 public:
  ModuleDecoder(Module& module, bool is_root, Diagnostics& diags)
      : BlockDecoder(diags), module_(module), is_root_(is_root) {}

  // Adds the blocks of one file; call once per file, in file-name order.
  void Decode(const TomlDocument& doc);

 private:
  void DecodeTopLevel(const std::string& key, const TomlNode& node);
  void DecodeResources(const TomlNode& node, ResourceMode mode);
  void DecodeResource(ResourceMode mode, const std::string& type, const std::string& name,
                      const TomlNode& node);
  bool DecodeMetaArgument(const std::string& key, const TomlNode& value, ResourceBlock& block);
  // count or for_each of a resource or module; nullopt (reported) when its
  // TOML kind cannot be one.
  std::optional<Expression> DecodeExpansion(const std::string& key, const TomlNode& value);
  void DecodeLifecycle(const TomlNode& node, ResourceBlock& block);
  void DecodeVariable(const std::string& name, const TomlNode& node);
  void DecodeOutput(const std::string& name, const TomlNode& node);
  void DecodeModuleCall(const std::string& name, const TomlNode& node);
  void DecodeProviders(const std::string& name, const TomlNode& node);
  void DecodeProvider(const std::string& name, const std::string& alias, const TomlNode& node);
  void DecodeRequiredProvider(const std::string& name, const TomlNode& node);
  void DecodeBackends(const TomlNode& node);
  void DecodeEncryption(const TomlNode& node);
  void DecodeLocals(const TomlNode& node);
  void DecodeStackSettings(const TomlNode& node);
  void DecodeDeploySettings(const TomlNode& node);

  // Calls decode(name, table) for each named table of a block kind.
  template <typename F>
  void ForEachNamed(const TomlNode& node, const std::string& kind, F decode);

  Module& module_;
  bool is_root_;
  SourceRange stack_settings_range_;
};

}  // namespace reconcile::config
