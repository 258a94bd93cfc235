// The AWS client: configuration + credentials + endpoints + HTTP + retries,
// and one call per wire protocol family. Thread-safe: one client serves every
// resource of a provider in parallel.
//
//   Query  : EC2 query, AutoScaling, IAM, STS  -> XmlDocument
//   Json   : JSON 1.0/1.1 with X-Amz-Target (ECS, SSM, DynamoDB, Logs, Tagging) -> json
//   RestXml: S3, Route53                       -> status, headers, XmlDocument
//   RestJson: EFS                              -> json
//   Send   : raw REST (S3 objects)             -> status, headers, body bytes
//
// Every non-2xx answer becomes an AwsError parsed from the service's error
// format. See docs/aws-client.md for examples.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/error.h"
#include "aws/http.h"
#include "aws/query.h"
#include "aws/retry.h"
#include "aws/sigv4.h"
#include "aws/xml.h"

namespace reconcile::aws {

struct ClientConfig {
  std::string region;   // empty = AWS_REGION, AWS_DEFAULT_REGION, then the profile's region
  std::string profile;  // empty = AWS_PROFILE, else "default"
  std::map<std::string, std::string> endpoints;  // service name -> URL, wins over the environment
  RetryOptions retry;
  HttpOptions http;
  bool s3_force_path_style = false;  // path style is always used on custom endpoints
  // Where credentials come from; null = the standard CredentialChain for profile/region.
  std::shared_ptr<CredentialSource> credentials;
};

// Per-call choices.
struct CallOptions {
  Idempotency idempotency = Idempotency::kInferred;  // governs retries after 5xx/timeouts
  std::string region;                                // empty = the client's region
};

// A REST request (RestXml, RestJson, Send).
struct RestRequest {
  std::string operation;     // "PutObject", "ChangeResourceRecordSets": names stats, logs, errors
  std::string method = "GET";
  std::string path = "/";    // decoded path ("/2013-04-01/hostedzone/Z1"); for S3 the key path ("/env:/w/state.json")
  std::string bucket;        // S3: the bucket, addressed virtual-hosted or path style
  QueryList query;           // decoded pairs; {"versioning", ""} for sub-resources
  HeaderList headers;        // extra headers: If-Match, If-None-Match, x-amz-*, ...
  std::string body;
  std::string content_type;  // sent as given; defaulted per family when a body is present
  bool unsigned_payload = false;  // S3: sign with UNSIGNED-PAYLOAD instead of the body hash
};

// A raw REST answer (2xx, or 304 when asked with If-None-Match on GET/HEAD).
struct RestResponse {
  int status = 0;
  HeaderList headers;  // lowercased names
  std::string body;

  // A header value or "" (case-insensitive).
  std::string Header(std::string_view name) const;
};

// A REST-XML answer: the raw parts plus the parsed body (empty when no body).
struct XmlResponse {
  int status = 0;
  HeaderList headers;
  XmlDocument xml;

  std::string Header(std::string_view name) const;
};

namespace detail {
struct Exchange;  // one prepared call (client.cc)
}  // namespace detail

class AwsClient {
 public:
  // Resolves the region (error "NoRegion" when none is configured anywhere);
  // credentials are fetched lazily on the first call.
  static AwsResult<std::shared_ptr<AwsClient>> Create(ClientConfig config);

  const std::string& region() const { return config_.region; }
  const ClientConfig& config() const { return config_; }

  // A query-protocol call (EC2, AutoScaling, IAM, STS): POSTs Action, Version
  // and `params` form-encoded; returns the response document.
  AwsResult<XmlDocument> Query(std::string_view service, std::string_view action,
                               const QueryParams& params, const CallOptions& options = {}) const;

  // A JSON-protocol call: X-Amz-Target = "<prefix>.<operation>" (or `operation`
  // when it already contains a '.'); returns the decoded body ({} when empty).
  AwsResult<nlohmann::json> Json(std::string_view service, std::string_view operation,
                                 const nlohmann::json& body,
                                 const CallOptions& options = {}) const;

  // A REST-XML call (S3 control calls, Route53); Content-Type defaults to application/xml.
  AwsResult<XmlResponse> RestXml(std::string_view service, const RestRequest& request,
                                 const CallOptions& options = {}) const;

  // A REST-JSON call (EFS); Content-Type defaults to application/json.
  AwsResult<nlohmann::json> RestJson(std::string_view service, const RestRequest& request,
                                     const CallOptions& options = {}) const;

  // A raw REST call: the body is returned as bytes (S3 GetObject/PutObject/HeadObject).
  AwsResult<RestResponse> Send(std::string_view service, const RestRequest& request,
                               const CallOptions& options = {}) const;

  // A presigned S3 URL for `method` on bucket/key, valid for `expires`.
  AwsResult<std::string> PresignS3(std::string_view method, const std::string& bucket,
                                   const std::string& key, std::chrono::seconds expires) const;

  // The credentials calls are signed with (cached by the credential chain).
  AwsResult<Credentials> credentials() const;
  // The endpoint a call to `service` goes to (region "" = the client's).
  AwsResult<Endpoint> EndpointFor(std::string_view service, const std::string& region = {}) const;

 private:
  explicit AwsClient(ClientConfig config);
  AwsResult<RestResponse> Perform(const ServiceInfo& service, detail::Exchange& exchange,
                                  const CallOptions& options) const;

  ClientConfig config_;
  std::shared_ptr<HttpClient> http_;
};

}  // namespace reconcile::aws
