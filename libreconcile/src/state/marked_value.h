// A JSON encoding of a Value that keeps every mark: unknowns and sensitive
// marks at any depth. Used by the pending journal and saved plans, which must
// read back exactly what was written (Value's own ToJson drops marks).
//
//   {"value": <plain JSON>, "sensitive": ["password", "tags.Secret"], "unknown": ["id"]}
//
// "sensitive" and "unknown" list value paths (FormatPath form, "" is the value
// itself) and are omitted when empty. An unknown is written as null.
#pragma once

#include <string_view>

#include "reconcile/value.h"
#include "state/document_reader.h"
#include "state/json_writer.h"

namespace reconcile::json {

void WriteMarkedValue(Writer& w, const Value& v);
// Reads what WriteMarkedValue wrote; reports problems at `path`.
bool ReadMarkedValue(DocumentReader& reader, const Value& encoded, std::string_view path, Value* out);

}  // namespace reconcile::json
