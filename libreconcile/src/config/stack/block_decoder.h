// What every block decoder checks the same way, reporting to one Diagnostics
// about one parsed file: value kinds, names, duplicates, unsupported settings
// (with "did you mean"), depends_on lists, and TOML values as expressions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/expr/expression.h"
#include "config/toml/toml_tree.h"
#include "reconcile/diagnostics.h"

namespace reconcile::config {

// A block, variable or provider name: a letter or underscore, then letters,
// digits, underscores and dashes.
bool IsName(std::string_view name);

class BlockDecoder {
 protected:
  // `doc`: the file being decoded (set later by decoders of several files).
  explicit BlockDecoder(Diagnostics& diags, const TomlDocument* doc = nullptr)
      : diags_(diags), doc_(doc) {}

  // Each reports an error and returns false when the check fails.
  bool ExpectTable(const TomlNode& node, const std::string& what);
  bool ExpectKind(const TomlNode& node, TomlNode::Kind kind, const std::string& what);
  bool CheckName(const std::string& name, const TomlNode& node, const std::string& what);
  // Reports `key` defined a second time (always returns false).
  bool CheckUnique(const std::string& what, const std::string& key, const SourceRange& existing,
                   const SourceRange& here);
  void UnsupportedArgument(const std::string& key, const TomlNode& node, const std::string& where,
                           const std::vector<std::string>& allowed);
  // depends_on = ["aws_vpc.main", "module.net"]: whole resources, data sources or modules.
  std::vector<Reference> DecodeDependsOn(const TomlNode& node);
  Expression ToExpression(const TomlNode& node);

  Diagnostics& diags_;
  const TomlDocument* doc_ = nullptr;
};

}  // namespace reconcile::config
