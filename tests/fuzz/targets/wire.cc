// The plugin protocol: the input is one or more lines as a plugin or host
// would receive them. Each line is parsed with the nesting limit; its params,
// result or error data is decoded as every request and response of the
// protocol, and whatever decodes must encode to a message that decodes to
// the same encoding.
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_targets.h"
#include "provider/wire.h"

namespace reconcile::fuzz {
namespace {

using nlohmann::json;

template <typename Message>
void RoundTrip(const json& payload) {
  Message decoded;
  std::string error;
  if (!wire::Decode(payload, &decoded, &error)) return;
  const json encoded = wire::Encode(decoded);
  Message again;
  FUZZ_CHECK(wire::Decode(encoded, &again, &error));
  FUZZ_CHECK(wire::Encode(again) == encoded);
  (void)encoded.dump();
}

void ValueRoundTrip(const json& payload) {
  Value value;
  std::string error;
  if (!wire::DecodeValue(payload, &value, &error)) return;
  const json encoded = wire::EncodeValue(value);
  Value again;
  FUZZ_CHECK(wire::DecodeValue(encoded, &again, &error));
  FUZZ_CHECK(wire::EncodeValue(again) == encoded);
}

void SchemaRoundTrip(const json& payload) {
  ProviderSchema schema;
  std::string error;
  if (!wire::DecodeSchema(payload, &schema, &error)) return;
  const json encoded = wire::EncodeSchema(schema);
  ProviderSchema again;
  FUZZ_CHECK(wire::DecodeSchema(encoded, &again, &error));
  FUZZ_CHECK(wire::EncodeSchema(again) == encoded);
}

void DiagnosticsRoundTrip(const json& payload) {
  Diagnostics diagnostics;
  std::string error;
  if (!wire::DecodeDiagnostics(payload, &diagnostics, &error)) return;
  const json encoded = wire::EncodeDiagnostics(diagnostics);
  Diagnostics again;
  FUZZ_CHECK(wire::DecodeDiagnostics(encoded, &again, &error));
  FUZZ_CHECK(wire::EncodeDiagnostics(again) == encoded);
}

void DecodeEveryWay(const json& payload) {
  ValueRoundTrip(payload);
  SchemaRoundTrip(payload);
  DiagnosticsRoundTrip(payload);
  RoundTrip<ConfigureRequest>(payload);
  RoundTrip<PlanRequest>(payload);
  RoundTrip<ApplyRequest>(payload);
  RoundTrip<ReadRequest>(payload);
  RoundTrip<ImportRequest>(payload);
  RoundTrip<AdoptRequest>(payload);
  RoundTrip<DataRequest>(payload);
  RoundTrip<UpgradeStateRequest>(payload);
  RoundTrip<PlanResponse>(payload);
  RoundTrip<ApplyResponse>(payload);
  RoundTrip<ReadResponse>(payload);
  RoundTrip<ImportResponse>(payload);
  RoundTrip<DataResponse>(payload);
  RoundTrip<UpgradeStateResponse>(payload);
}

void FuzzLine(std::string_view line) {
  json message;
  std::string error;
  (void)wire::Excerpt(line);
  if (!wire::ParseMessage(line, &message, &error)) return;
  if (!message.is_object()) {
    DecodeEveryWay(message);
    return;
  }
  bool any = false;
  for (const char* member : {"params", "result"}) {
    auto it = message.find(member);
    if (it == message.end()) continue;
    DecodeEveryWay(*it);
    any = true;
  }
  if (auto it = message.find("error"); it != message.end() && it->is_object()) {
    if (auto data = it->find("data");
        data != it->end() && data->is_object() && data->contains("diagnostics"))
      DiagnosticsRoundTrip((*data)["diagnostics"]);
    any = true;
  }
  if (!any) DecodeEveryWay(message);
}

}  // namespace

void FuzzWireMessage(std::string_view input) {
  while (!input.empty()) {
    std::size_t end = input.find('\n');
    FuzzLine(input.substr(0, end));
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + 1);
  }
}

}  // namespace reconcile::fuzz
