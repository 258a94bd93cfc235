// One pending operation as JSON, shared by the journal and saved plans.
#pragma once

#include <string>

#include "reconcile/state.h"
#include "state/document_reader.h"
#include "state/json_writer.h"

namespace reconcile {

void WritePendingOperation(json::Writer& w, const PendingOperation& op);
bool ReadPendingOperation(json::DocumentReader& reader, const Value& item, const std::string& path,
                          PendingOperation* out);

}  // namespace reconcile
