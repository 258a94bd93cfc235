// Machine-readable output (--json): the library's event stream
// (reconcile/json_events.h, docs/json-format.md) written to stdout, one
// object per line, each line flushed.
#pragma once

#include "reconcile/json_events.h"

namespace reconcile::tool {

class JsonEventWriter : public JsonEventStream {
 public:
  JsonEventWriter();
};

}  // namespace reconcile::tool
