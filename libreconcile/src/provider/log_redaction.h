// Keeping sensitive values out of the log of the process that logs: the host
// (engine, relayed plugin stderr) and each plugin (the AWS provider's request
// log). A value is hidden in every form a request may carry it in, so a
// secret base64-encoded into a user_data or JSON-escaped into a container
// definition is hidden as well as the plain one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "reconcile/value.h"

namespace reconcile::plugin {

// The forms `secret` is hidden in: itself, JSON-escaped (once and twice),
// XML-escaped, base64 (whole, and the three alignments it takes inside a
// longer base64 text), and percent-encoded forms of those (form bodies).
std::vector<std::string> LogForms(std::string_view secret);

// Registers `secret` and its LogForms with this process's log (log::AddSecret).
void HideInLog(std::string_view secret);
// The values given to HideInLog so far (not their forms), oldest first.
std::vector<std::string> HiddenValues();

// The string (and number) leaves under every sensitive mark of `value`, or of
// an encoded value (`{"$sensitive": V}` escapes, docs/plugin-protocol.md).
void CollectSensitiveStrings(const Value& value, std::vector<std::string>* out);
void CollectSensitiveStrings(const nlohmann::json& encoded, std::vector<std::string>* out);

}  // namespace reconcile::plugin
