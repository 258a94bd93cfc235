// The expression a TOML value stands for: strings are templates (`${...}`),
// arrays are lists and tables are maps of expressions, each keeping where it
// was written.
#pragma once

#include "config/expr/expression.h"
#include "config/toml/toml_tree.h"

namespace reconcile::config {

Expression ExpressionFromToml(const TomlDocument& doc, const TomlNode& node, Diagnostics& diags);

// A string node parsed as one bare expression (a validation condition); a
// string holding `${...}` is read as a template instead.
Expression ConditionFromToml(const TomlDocument& doc, const TomlNode& node, Diagnostics& diags);

}  // namespace reconcile::config
