// Shared by the Route53 types: REST-XML calls under /2013-04-01, the forms
// of zone ids and DNS names Terraform users know (zone ids without
// "/hostedzone/", names lowercase without the trailing dot), record sets
// read, written and deleted in change batches that are waited for (INSYNC).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/client.h"
#include "resource_context.h"

namespace reconcile::aws_provider {

inline constexpr const char* kRoute53Xmlns = "https://route53.amazonaws.com/doc/2013-04-01/";

// One Route53 call on `path` (below /2013-04-01); not recorded.
aws::AwsResult<aws::XmlResponse> Route53Call(
    const ResourceContext& ctx, const std::string& operation, const std::string& method,
    const std::string& path, std::string body = {}, aws::QueryList query = {},
    aws::Idempotency idempotency = aws::Idempotency::kInferred);

// "/hostedzone/Z123" -> "Z123" (ids of changes likewise).
std::string CleanRoute53Id(std::string_view id);
// Lowercase, without the trailing dot, with Route53's octal escapes ("\052") decoded.
std::string NormalizeDnsName(std::string_view name);
// `name` under `zone`: "www" in example.com -> "www.example.com"; names
// already in the zone are kept. Both normalized.
std::string ExpandRecordName(std::string_view name, std::string_view zone);

// Polls GetChange until the change is INSYNC (errors recorded).
bool WaitForRoute53Change(ResourceContext& ctx, const std::string& change_id);

// One resource record set.
struct RecordSet {
  std::string name;  // normalized
  std::string type;
  std::string set_identifier;
  std::optional<long long> ttl;
  std::vector<std::string> values;  // in AWS's order
  bool alias = false;
  std::string alias_name;  // normalized
  std::string alias_zone_id;
  bool evaluate_target_health = false;
};

// A change of a batch: CREATE, UPSERT or DELETE of one record set.
using RecordChange = std::pair<std::string, RecordSet>;

// Applies the changes as one batch and waits until it is INSYNC.
bool ChangeRecordSets(ResourceContext& ctx, const std::string& zone_id,
                      const std::vector<RecordChange>& changes);

// The zone's record sets from (start_name, start_type) on, up to `limit`
// (0: all, across pages). nullopt on error; a missing zone is an error the
// caller may ask to be answered as empty (`missing_zone_is_empty`).
std::optional<std::vector<RecordSet>> ListRecordSets(
    ResourceContext& ctx, const std::string& zone_id, const std::string& start_name = {},
    const std::string& start_type = {}, std::size_t limit = 0, bool missing_zone_is_empty = false);

// The record set named `name` of `type` in the zone (nullopt: error; an
// empty name in the result: none).
std::optional<RecordSet> FindRecordSet(ResourceContext& ctx, const std::string& zone_id,
                                       const std::string& name, const std::string& type);

}  // namespace reconcile::aws_provider
