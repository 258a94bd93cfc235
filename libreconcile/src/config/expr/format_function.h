// format(): printf-style formatting with Terraform's verbs: %v %#v %s %q %t
// %d %b %o %x %X %e %E %f %F %g %G and %%, with flags, width and precision.
#pragma once

#include <vector>

#include "config/expr/functions.h"

namespace reconcile::config {

// The formatter on its own (the string family registers it as "format";
// tests call it directly).
Value FormatFunction(const std::vector<Value>& args, CallContext& call);

}  // namespace reconcile::config
