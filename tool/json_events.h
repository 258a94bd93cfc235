// Machine-readable output (--json): the library's event stream
// (reconcile/json_events.h, docs/json-format.md) written to stdout, one
// object per line, each line flushed.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "reconcile/json_events.h"

namespace reconcile::tool {

class JsonEventWriter : public JsonEventStream {
 public:
  JsonEventWriter();

  using JsonEventStream::WriteEvent;
  // A line of `type` with `fields` (an object) after "@version" and "type".
  void WriteEvent(const std::string& type, const nlohmann::json& fields) {
    JsonEventStream::WriteEvent(type, fields.dump());
  }
  // A value for machine output: sensitive parts become {"sensitive": true}.
  static nlohmann::json RedactedValue(const Value& value) {
    return nlohmann::json::parse(RedactedValueJson(value));
  }
};

}  // namespace reconcile::tool
