// Values as people read them (TOML-like), with sensitive parts hidden.
#pragma once

#include <string>

#include <map>

#include "reconcile/engine.h"
#include "reconcile/value.h"

namespace reconcile::tool {

// `"text"`, `42`, `true`, `["a", "b"]`, multi-line maps indented by `indent`;
// anything sensitive reads "(sensitive value)".
std::string ValueText(const Value& v, int indent = 0);

// "name = value" per output, sorted; sensitive ones read "(sensitive value)".
std::string OutputsText(const std::map<std::string, OutputValue>& outputs);

}  // namespace reconcile::tool
