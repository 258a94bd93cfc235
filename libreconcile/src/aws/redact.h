// Redaction of secrets in what we log: credentials headers, secret fields in
// query, JSON and XML bodies (SecretAccessKey, SessionToken, Password, the
// Value of SecureString parameters, ...).
#pragma once

#include <string>
#include <string_view>

namespace reconcile::aws {

// The placeholder written instead of a secret.
inline constexpr std::string_view kRedacted = "***";

// True for a header whose value is secret (Authorization, X-Amz-Security-Token, ...).
bool IsSecretHeader(std::string_view name);
// True for a field name that holds a secret (SecretAccessKey, Password, ...),
// also when it is the last part of a dotted query name.
bool IsSecretField(std::string_view name);

// The header value, or kRedacted for a secret header (Authorization keeps its
// Credential=AKID/... scope but loses the Signature).
std::string RedactHeader(std::string_view name, std::string_view value);
// A form or query string with secret values replaced.
std::string RedactForm(std::string_view form);
// A JSON text with secret values replaced (SecureString parameter values too);
// text that is not JSON is returned with a note instead of its content.
std::string RedactJson(std::string_view json);
// An XML text with the content of secret elements replaced.
std::string RedactXml(std::string_view xml);
// Picks RedactForm/RedactJson/RedactXml by content type and the text's first character.
std::string RedactBody(std::string_view content_type, std::string_view body);

}  // namespace reconcile::aws
