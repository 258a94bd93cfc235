// The AWS services we speak, their wire protocol, and where each one lives
// for a region: explicit overrides > AWS_ENDPOINT_URL_<SERVICE> >
// AWS_ENDPOINT_URL > the real AWS endpoint.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "aws/error.h"

namespace reconcile::aws {

// The wire protocol families.
enum class Protocol { kEc2Query, kQuery, kJson, kRestXml, kRestJson };

// Static facts about one service.
struct ServiceInfo {
  std::string_view name;          // our key: "ec2", "logs", "elasticfilesystem"
  std::string_view endpoint_prefix;  // host label: "ec2", "api.ecr"
  std::string_view signing_name;  // SigV4 service: usually == name
  std::string_view env_name;      // AWS_ENDPOINT_URL_<env_name>: "EC2", "CLOUDWATCH_LOGS"
  Protocol protocol;
  std::string_view api_version;   // query protocols: "2016-11-15"
  std::string_view json_version;  // JSON protocol: "1.0" or "1.1"
  std::string_view target_prefix; // JSON protocol: "AmazonSSM", "DynamoDB_20120810"
  bool global = false;            // one endpoint for all regions, signed in us-east-1 (IAM, Route53)
};

// The catalog entry for `name` (also accepts aliases: "efs", "elbv2", "cloudwatch",
// "resourcegroupstaggingapi", and the AWS_ENDPOINT_URL_<SERVICE> suffix, any case);
// nullptr for a service we do not know.
const ServiceInfo* FindService(std::string_view name);

// A resolved endpoint.
struct Endpoint {
  std::string url;             // "https://ec2.us-west-2.amazonaws.com" (no trailing '/')
  std::string signing_region;  // "us-west-2" ("us-east-1" for global services)
  std::string signing_name;    // "ec2"
  bool custom = false;         // from an override (S3 then uses path-style addressing)
};

// Resolves `service` in `region`. `overrides` maps a service name (or alias)
// to a URL and wins over the environment.
AwsResult<Endpoint> ResolveEndpoint(std::string_view service, const std::string& region,
                                    const std::map<std::string, std::string>& overrides);

// The URL and path for an S3 bucket request: virtual-hosted style on AWS
// ("https://bucket.s3.us-west-2.amazonaws.com" + key path), path style on a
// custom endpoint, when `force_path_style`, or for bucket names with dots.
struct S3Location {
  std::string base;  // scheme://host[:port]
  std::string path;  // wire path, percent-encoded: "/key" or "/bucket/key"
};
S3Location S3Address(const Endpoint& endpoint, const std::string& bucket,
                     const std::string& encoded_key_path, bool force_path_style);

}  // namespace reconcile::aws
