// Helpers shared by the credential sources (internal to the aws area).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials.h"

namespace reconcile::aws {

// An AwsError from the "credentials" pseudo-service.
AwsError CredentialError(std::string code, std::string message);

// "2024-05-01T12:00:00Z" (fractional seconds and +00:00 accepted) -> time
// point; nullopt for other text and for years outside 1970-2200.
std::optional<std::chrono::system_clock::time_point> ParseIso8601(std::string_view text);

// Credentials from the JSON the container endpoint, IMDS and credential_process
// return: AccessKeyId, SecretAccessKey, Token or SessionToken, Expiration.
AwsResult<Credentials> ParseCredentialJson(std::string_view json, const std::string& source);

}  // namespace reconcile::aws
