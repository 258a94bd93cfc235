// The plugin protocol's JSON encoding of values, diagnostics, schemas and the
// requests and responses of every method (docs/plugin-protocol.md). Both ends
// of the protocol use it: the host (plugin_provider.cc) and ServeProvider.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "reconcile/diagnostics.h"
#include "reconcile/provider.h"
#include "reconcile/value.h"

namespace reconcile::wire {

// The protocol version this build speaks; hosts refuse another major.
inline constexpr std::string_view kProtocolVersion = "1.1";

// The deepest nesting of arrays and objects a message may have. Values a
// stack can make nest far less (jsondecode stops at 64 levels, and each level
// adds at most a "$sensitive" wrapper); the limit keeps a malformed line from
// exhausting the stack of the code that copies and walks a message.
inline constexpr int kMaxNestingDepth = 256;

// Parses one line of the protocol as JSON. False with *error ("syntax error
// ..." or "arrays and objects nest deeper than 256 levels") when it is not
// JSON or nests too deeply.
bool ParseMessage(std::string_view line, nlohmann::json* out, std::string* error);

// Values: plain JSON for plain values; escape objects {"$unknown": true},
// {"$sensitive": v}, {"$number": "NaN"|"Infinity"|"-Infinity"}, and
// {"$map": {...}} around a literal map whose keys start with "$".
nlohmann::json EncodeValue(const Value& value);
// Inverse of EncodeValue; false with *error (naming the path) on a bad
// escape or nesting deeper than kMaxNestingDepth.
bool DecodeValue(const nlohmann::json& json, Value* out, std::string* error);

nlohmann::json EncodeDiagnostic(const Diagnostic& diagnostic);
nlohmann::json EncodeDiagnostics(const Diagnostics& diagnostics);
bool DecodeDiagnostics(const nlohmann::json& json, Diagnostics* out, std::string* error);

nlohmann::json EncodeSchema(const ProviderSchema& schema);
bool DecodeSchema(const nlohmann::json& json, ProviderSchema* out, std::string* error);

// Requests (the params of a method) and responses (its result). Decoders
// ignore unknown fields and fail, with *error naming the field, on a field of
// the wrong type or a missing required one.
nlohmann::json Encode(const ConfigureRequest& request);
nlohmann::json Encode(const PlanRequest& request);
nlohmann::json Encode(const ApplyRequest& request);
nlohmann::json Encode(const ReadRequest& request);
nlohmann::json Encode(const ImportRequest& request);
nlohmann::json Encode(const AdoptRequest& request);
nlohmann::json Encode(const DataRequest& request);
nlohmann::json Encode(const UpgradeStateRequest& request);
nlohmann::json Encode(const RolloutRequest& request);
nlohmann::json Encode(const PlanResponse& response);
nlohmann::json Encode(const ApplyResponse& response);
nlohmann::json Encode(const ReadResponse& response);
nlohmann::json Encode(const ImportResponse& response);
nlohmann::json Encode(const DataResponse& response);
nlohmann::json Encode(const UpgradeStateResponse& response);
nlohmann::json Encode(const RolloutResponse& response);

bool Decode(const nlohmann::json& json, ConfigureRequest* out, std::string* error);
bool Decode(const nlohmann::json& json, PlanRequest* out, std::string* error);
bool Decode(const nlohmann::json& json, ApplyRequest* out, std::string* error);
bool Decode(const nlohmann::json& json, ReadRequest* out, std::string* error);
bool Decode(const nlohmann::json& json, ImportRequest* out, std::string* error);
bool Decode(const nlohmann::json& json, AdoptRequest* out, std::string* error);
bool Decode(const nlohmann::json& json, DataRequest* out, std::string* error);
bool Decode(const nlohmann::json& json, UpgradeStateRequest* out, std::string* error);
bool Decode(const nlohmann::json& json, RolloutRequest* out, std::string* error);
bool Decode(const nlohmann::json& json, PlanResponse* out, std::string* error);
bool Decode(const nlohmann::json& json, ApplyResponse* out, std::string* error);
bool Decode(const nlohmann::json& json, ReadResponse* out, std::string* error);
bool Decode(const nlohmann::json& json, ImportResponse* out, std::string* error);
bool Decode(const nlohmann::json& json, DataResponse* out, std::string* error);
bool Decode(const nlohmann::json& json, UpgradeStateResponse* out, std::string* error);
bool Decode(const nlohmann::json& json, RolloutResponse* out, std::string* error);

// "create", "update", "delete".
std::string_view ApplyActionName(ApplyAction action);

// The first `limit` characters of a line for a message, with an ellipsis when cut.
std::string Excerpt(std::string_view line, std::size_t limit = 120);

}  // namespace reconcile::wire
