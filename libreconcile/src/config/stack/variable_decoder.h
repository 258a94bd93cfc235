// Decodes [variable.NAME] blocks (type, literal default, description,
// sensitive, nullable, validations) and [output.NAME] blocks (value,
// description, sensitive, depends_on) of one parsed file.
#pragma once

#include <string>

#include "config/stack/block_decoder.h"
#include "config/stack/stack.h"

namespace reconcile::config {

class VariableDecoder : private BlockDecoder {
 public:
  VariableDecoder(Diagnostics& diags, const TomlDocument& doc) : BlockDecoder(diags, &doc) {}

  // The block as written; what is wrong in it is reported and left out.
  VariableBlock DecodeVariable(const std::string& name, const TomlNode& node);
  OutputBlock DecodeOutput(const std::string& name, const TomlNode& node);

 private:
  void DecodeDefault(const TomlNode& node, VariableBlock& variable);
  void DecodeValidations(const TomlNode& node, VariableBlock& variable);
  void DecodeValidation(const TomlNode& node, VariableBlock& variable);
};

}  // namespace reconcile::config
