// AWS Signature Version 4: canonical request, string to sign, signature, the
// Authorization header, and presigned URLs. Pure functions over a request
// description, so they are tested against AWS's published test suite.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reconcile::aws {

struct Credentials;

// "host" -> "example.amazonaws.com"; names compare case-insensitively, order is kept.
using HeaderList = std::vector<std::pair<std::string, std::string>>;
// Decoded query parameters in request order; repeated keys allowed.
using QueryList = std::vector<std::pair<std::string, std::string>>;

// The payload hash placeholder for unsigned bodies (S3 over TLS, presigning).
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// What gets signed. `path` is the path exactly as sent on the wire (already
// percent-encoded); `query` holds decoded pairs, encoded by the signer.
struct SigningRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // "/", "/bucket/my%20key"
  QueryList query;
  HeaderList headers;  // must include "host"; x-amz-date is added by Sign
  std::string payload_hash;  // hex SHA-256 of the body, or kUnsignedPayload
};

// How to sign: scope, time and the per-service URI rule.
struct SigningParams {
  std::string region;        // "us-east-1"
  std::string service;       // signing name: "s3", "ec2", "execute-api", "service"
  std::string amz_date;      // "20150830T123600Z" (UTC)
  bool s3_uri_rules = false; // S3: no path normalization, no second encoding
};

// The intermediate products of a signature (exposed for tests and debugging).
struct Signature {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "host;x-amz-date"
  std::string signature;       // lowercase hex
  std::string authorization;   // full Authorization header value
};

// Percent-encodes per RFC 3986 (unreserved A-Z a-z 0-9 - _ . ~ kept); '/' is
// kept too when `keep_slash`.
std::string UriEncode(std::string_view text, bool keep_slash);
// Decodes %XX escapes (a '+' stays '+').
std::string UriDecode(std::string_view text);
// Removes "." and ".." segments and empty segments ("//"), keeping a trailing '/'.
std::string NormalizePath(std::string_view path);
// The canonical query string: pairs encoded, then sorted by key then value.
std::string CanonicalQuery(const QueryList& query);
// Lowercase hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);
// Lowercase hex of raw bytes.
std::string HexEncode(std::string_view bytes);
// HMAC-SHA256(key, data) as raw bytes.
std::string HmacSha256(std::string_view key, std::string_view data);
// "20150830T123600Z" for a time point.
std::string AmzDate(std::chrono::system_clock::time_point when);

// Computes the signature of `request` (which must already carry x-amz-date,
// and x-amz-security-token when the credentials have a session token).
Signature ComputeSignature(const SigningRequest& request, const SigningParams& params,
                           const Credentials& credentials);

// Adds x-amz-date, x-amz-security-token (when a session token is set) and,
// for S3, x-amz-content-sha256, then Authorization, to `request.headers`.
// Returns the signature parts.
Signature Sign(SigningRequest& request, const SigningParams& params,
               const Credentials& credentials);

// A presigned URL (query-string authentication) valid for `expires`; `base`
// is "scheme://host" and `request` carries the wire path and extra query.
std::string Presign(const std::string& base, const SigningRequest& request,
                    const SigningParams& params, const Credentials& credentials,
                    std::chrono::seconds expires);

}  // namespace reconcile::aws
