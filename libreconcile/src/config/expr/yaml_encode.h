// YAML text of a value, as Terraform's yamlencode writes it (go-cty-yaml over
// libyaml's emitter): block style, keys and strings double-quoted, strings
// with line breaks as literal blocks, long quoted strings folded at column 80.
#pragma once

#include <string>

#include "reconcile/value.h"

namespace reconcile::config {

// The YAML document for `v` (which holds no unknown), ending with a newline.
// Not reproduced: keys longer than 128 characters, which libyaml writes as
// complex "? key" entries.
std::string YamlEncode(const Value& v);

}  // namespace reconcile::config
