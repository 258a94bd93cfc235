// The parser of `${...}` templates and bare expressions.
#pragma once

#include <string_view>

#include "config/expr/expression.h"
#include "config/toml/text_origin.h"

namespace reconcile::config {

struct ParseOptions {
  // In templatefile templates a bare name (`${name}`) reads a template
  // variable: it becomes a RefKind::kVariable reference.
  bool bare_names_are_variables = false;
};

// Parses a template: text with `${...}` interpolations and `$${` escapes. A
// template that is exactly one interpolation yields that expression itself
// (keeping its type). Only the first syntax error is reported.
Expression ParseTemplateAt(std::string_view text, const TextOrigin& origin, Diagnostics& diags,
                           ParseOptions options = {});

// Parses the whole text as one expression.
Expression ParseExpressionAt(std::string_view text, const TextOrigin& origin, Diagnostics& diags,
                             ParseOptions options = {});

}  // namespace reconcile::config
