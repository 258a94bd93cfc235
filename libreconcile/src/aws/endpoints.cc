#include "aws/endpoints.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace reconcile::aws {

namespace {

using P = Protocol;

// name, endpoint prefix, signing name, env suffix, protocol, api version, json
// version, target prefix, global. Checked against botocore's service models.
constexpr ServiceInfo kServices[] = {
    {"ec2", "ec2", "ec2", "EC2", P::kEc2Query, "2016-11-15", "", "", false},
    {"autoscaling", "autoscaling", "autoscaling", "AUTO_SCALING", P::kQuery, "2011-01-01", "", "", false},
    {"iam", "iam", "iam", "IAM", P::kQuery, "2010-05-08", "", "", true},
    {"sts", "sts", "sts", "STS", P::kQuery, "2011-06-15", "", "", false},
    {"elasticloadbalancing", "elasticloadbalancing", "elasticloadbalancing",
     "ELASTIC_LOAD_BALANCING_V2", P::kQuery, "2015-12-01", "", "", false},
    {"rds", "rds", "rds", "RDS", P::kQuery, "2014-10-31", "", "", false},
    {"sns", "sns", "sns", "SNS", P::kQuery, "2010-03-31", "", "", false},
    {"elasticache", "elasticache", "elasticache", "ELASTICACHE", P::kQuery, "2015-02-02", "", "", false},
    {"monitoring", "monitoring", "monitoring", "CLOUDWATCH", P::kQuery, "2010-08-01", "", "", false},
    {"ecs", "ecs", "ecs", "ECS", P::kJson, "", "1.1", "AmazonEC2ContainerServiceV20141113", false},
    {"ssm", "ssm", "ssm", "SSM", P::kJson, "", "1.1", "AmazonSSM", false},
    {"dynamodb", "dynamodb", "dynamodb", "DYNAMODB", P::kJson, "", "1.0", "DynamoDB_20120810", false},
    {"logs", "logs", "logs", "CLOUDWATCH_LOGS", P::kJson, "", "1.1", "Logs_20140328", false},
    {"tagging", "tagging", "tagging", "RESOURCE_GROUPS_TAGGING_API", P::kJson, "", "1.1",
     "ResourceGroupsTaggingAPI_20170126", false},
    {"kms", "kms", "kms", "KMS", P::kJson, "", "1.1", "TrentService", false},
    {"secretsmanager", "secretsmanager", "secretsmanager", "SECRETS_MANAGER", P::kJson, "", "1.1",
     "secretsmanager", false},
    {"acm", "acm", "acm", "ACM", P::kJson, "", "1.1", "CertificateManager", false},
    {"events", "events", "events", "EVENTBRIDGE", P::kJson, "", "1.1", "AWSEvents", false},
    {"ecr", "api.ecr", "ecr", "ECR", P::kJson, "", "1.1", "AmazonEC2ContainerRegistry_V20150921", false},
    {"sqs", "sqs", "sqs", "SQS", P::kJson, "", "1.0", "AmazonSQS", false},
    {"s3", "s3", "s3", "S3", P::kRestXml, "2006-03-01", "", "", false},
    {"route53", "route53", "route53", "ROUTE_53", P::kRestXml, "2013-04-01", "", "", true},
    {"elasticfilesystem", "elasticfilesystem", "elasticfilesystem", "EFS", P::kRestJson,
     "2015-02-01", "", "", false},
    {"lambda", "lambda", "lambda", "LAMBDA", P::kRestJson, "2015-03-31", "", "", false},
};

struct Alias {
  std::string_view alias;
  std::string_view name;
};
constexpr Alias kAliases[] = {
    {"efs", "elasticfilesystem"}, {"elbv2", "elasticloadbalancing"},
    {"cloudwatch", "monitoring"}, {"resourcegroupstaggingapi", "tagging"},
    {"cloudwatch-logs", "logs"},
};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string StripTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string EnvOrEmpty(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  return value == nullptr ? std::string() : std::string(value);
}

// An override from the configuration map, looked up by name, alias or env suffix.
std::string ConfiguredOverride(const ServiceInfo& info,
                               const std::map<std::string, std::string>& overrides) {
  for (const auto& [key, url] : overrides) {
    const ServiceInfo* match = FindService(key);
    if (match == &info && !url.empty()) return url;
  }
  return {};
}

std::string DnsSuffix(const std::string& region) {
  return region.starts_with("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
}

std::string AwsHost(const ServiceInfo& info, const std::string& region) {
  if (info.global) return std::string(info.endpoint_prefix) + "." + DnsSuffix(region);
  return std::string(info.endpoint_prefix) + "." + region + "." + DnsSuffix(region);
}

// Bucket names usable as a DNS label under TLS: lowercase letters, digits, '-', no dots.
bool IsVirtualHostable(const std::string& bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  return std::all_of(bucket.begin(), bucket.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
           c == '-';
  });
}

}  // namespace

const ServiceInfo* FindService(std::string_view name) {
  std::string lower = Lower(name);
  for (const Alias& alias : kAliases) {
    if (alias.alias == lower) lower = std::string(alias.name);
  }
  std::string upper = Upper(name);
  for (const ServiceInfo& info : kServices) {
    if (info.name == lower || info.env_name == upper) return &info;
  }
  return nullptr;
}

AwsResult<Endpoint> ResolveEndpoint(std::string_view service, const std::string& region,
                                    const std::map<std::string, std::string>& overrides) {
  const ServiceInfo* info = FindService(service);
  if (info == nullptr) {
    return AwsError{.service = std::string(service), .code = "UnknownService",
                    .message = "no AWS service named \"" + std::string(service) + "\" is known"};
  }
  Endpoint endpoint;
  endpoint.signing_name = std::string(info->signing_name);
  endpoint.signing_region = info->global ? "us-east-1" : region;
  std::string url = ConfiguredOverride(*info, overrides);
  if (url.empty()) url = EnvOrEmpty("AWS_ENDPOINT_URL_" + std::string(info->env_name));
  if (url.empty()) url = EnvOrEmpty("AWS_ENDPOINT_URL");
  if (!url.empty()) {
    endpoint.url = StripTrailingSlash(url);
    endpoint.custom = true;
  } else {
    if (region.empty() && !info->global) {
      return AwsError{.service = std::string(info->name), .code = "NoRegion",
                      .message = "no region is configured: set region in the provider or "
                                 "backend block, AWS_REGION, or the profile's region"};
    }
    endpoint.url = "https://" + AwsHost(*info, region);
  }
  if (region.empty()) endpoint.signing_region = "us-east-1";
  return endpoint;
}

S3Location S3Address(const Endpoint& endpoint, const std::string& bucket,
                     const std::string& encoded_key_path, bool force_path_style) {
  std::string key_path = encoded_key_path.empty() ? "/" : encoded_key_path;
  if (key_path.front() != '/') key_path.insert(key_path.begin(), '/');
  if (bucket.empty()) return {endpoint.url, key_path};
  bool path_style = force_path_style || endpoint.custom || !IsVirtualHostable(bucket);
  if (path_style) {
    return {endpoint.url, "/" + bucket + (key_path == "/" ? "" : key_path)};
  }
  std::size_t scheme_end = endpoint.url.find("://");
  std::string scheme = endpoint.url.substr(0, scheme_end + 3);
  std::string host = endpoint.url.substr(scheme_end + 3);
  return {scheme + bucket + "." + host, key_path};
}

}  // namespace reconcile::aws
