// Shared by the ACM types (aws_acm_certificate, aws_acm_certificate_validation)
// and the aws_acm_certificate data source: describing a certificate, its
// tags, and its DNS validation records in the shapes Terraform users know.
#pragma once

#include <optional>
#include <string>

#include "json_call.h"
#include "resource_context.h"

namespace reconcile::aws_provider {

// The certificate with `arn` (null json when it is gone); nullopt on error.
std::optional<nlohmann::json> DescribeCertificate(ResourceContext& ctx, const std::string& arn);

// The tags of a certificate; nullopt on error (recorded).
std::optional<TagMap> CertificateTags(ResourceContext& ctx, const std::string& arn);

// `domain_validation_options`: a set of {domain_name, resource_record_name,
// resource_record_type, resource_record_value}, one per domain with a record.
Value ValidationOptionsState(const nlohmann::json& certificate);

// The names a certificate covers besides its domain name.
std::vector<std::string> AlternativeNames(const nlohmann::json& certificate);

}  // namespace reconcile::aws_provider
