// Shared EC2 plumbing: describing objects by id (batched through filters, so
// a missing id is "gone" instead of an error for the whole call), finding an
// object by its ownership tags, reading and updating tags, and the standard
// read / batched read / adoption of an EC2 resource type.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "batch.h"
#include "resource_context.h"
#include "resource_type.h"

namespace reconcile::aws_provider {

// EC2 accepts at most 200 values in one filter.
inline constexpr std::size_t kEc2MaxFilterValues = 200;

// How to find objects of one EC2 kind.
struct Ec2Kind {
  std::string describe_action;  // "DescribeVpcs"
  std::string item_path;        // path of the items in the response: "vpcSet/item"
  std::string id_element;       // the id inside an item: "vpcId"
  std::string id_filter;        // the filter selecting by id: "vpc-id"
  std::string tag_type;         // TagSpecification ResourceType: "vpc"
};

// One EC2 call, its error not recorded (deletes, retried calls).
aws::AwsResult<aws::XmlDocument> Ec2Send(const ResourceContext& ctx, const std::string& action,
                                         const aws::QueryParams& params,
                                         aws::Idempotency idempotency = aws::Idempotency::kInferred);

// One EC2 call; nullopt after recording its error.
std::optional<aws::XmlDocument> Ec2Call(ResourceContext& ctx, const std::string& action,
                                        const aws::QueryParams& params,
                                        aws::Idempotency idempotency = aws::Idempotency::kInferred);

// Every item matching `filters`, across pages; nullopt on error (recorded).
std::optional<std::vector<aws::XmlNode>> Ec2DescribeAll(ResourceContext& ctx, const Ec2Kind& kind,
                                                        const std::vector<aws::Ec2Filter>& filters);

// The items with the given ids, keyed by id (few calls: ids go in filter values).
std::optional<std::map<std::string, aws::XmlNode>> Ec2DescribeMany(
    ResourceContext& ctx, const Ec2Kind& kind, const std::vector<std::string>& ids);

// The item with `id`: an invalid node when it does not exist; nullopt on error.
std::optional<aws::XmlNode> Ec2DescribeOne(ResourceContext& ctx, const Ec2Kind& kind,
                                           const std::string& id);

// Filters matching this instance's ownership tags.
std::vector<aws::Ec2Filter> OwnershipFilters(const ResourceContext& ctx);

// The id of the object of `kind` carrying this instance's ownership tags
// ("" when none; several is an error naming them).
std::string Ec2FindOwned(ResourceContext& ctx, const Ec2Kind& kind,
                         std::vector<aws::Ec2Filter> extra_filters = {});

// The tags of an item (its tagSet).
TagMap Ec2Tags(const aws::XmlNode& item);
// Sets `tags`/`tags_all` in `state` from an item's tagSet.
void SetEc2Tags(const ResourceContext& ctx, const aws::XmlNode& item, const Value& current,
                Value& state);
// CreateTags / DeleteTags on one id.
void Ec2UpdateTags(ResourceContext& ctx, const std::string& id, const TagChanges& changes);
// A TagUpdateFunction for EC2 objects whose state id is the EC2 id.
TagUpdateFunction Ec2TagUpdater();

// Makes the state of one described item; `current` is the prior state.
using Ec2ToState = ItemToState<aws::XmlNode>;

// The described items with the given ids, keyed by id (missing ids left out);
// nullopt after recording an error.
using Ec2DescribeIds = LookupFunction<aws::XmlNode>;

// Installs read, read_batch and adopt (by ownership tags) for a type whose
// objects `kind` describes. Reads describe by `describe`, by default
// Ec2DescribeMany (one Describe per 200 ids, by kind.id_filter).
void UseEc2Reads(ResourceType& type, const Ec2Kind& kind, Ec2ToState to_state,
                 Ec2DescribeIds describe = {});

// A type whose objects `kind` describes: UseEc2Reads (reads, adoption by
// ownership tags), EC2 tags, and the type's own create, update and delete.
ResourceType Ec2Type(const Ec2Kind& kind, ResourceSchema schema, Ec2ToState to_state,
                     CreateFunction create, UpdateFunction update, DeleteFunction remove,
                     Ec2DescribeIds describe = {});

// The text at `state_path` of the item `id` of `kind` ("available"); "" when
// the item is gone; nullopt after recording a failed look.
std::optional<std::string> Ec2StateOf(ResourceContext& ctx, const Ec2Kind& kind, const std::string& id,
                                      const std::string& state_path);

// Waits until the item's state (Ec2StateOf) is `wanted`; a state in `failed`,
// or the item vanishing, is an error naming `what` ("NAT gateway nat-1").
bool Ec2WaitForState(ResourceContext& ctx, const Ec2Kind& kind, const std::string& id,
                     const std::string& state_path, const std::string& what, const std::string& wanted,
                     const std::vector<std::string>& failed = {});

// Waits until the item is gone or its state is one of `gone_states` ("deleted").
bool Ec2WaitUntilGone(ResourceContext& ctx, const Ec2Kind& kind, const std::string& id,
                      const std::string& state_path, const std::string& what,
                      const std::vector<std::string>& gone_states);

// An adopt function finding this instance's object of `kind` by its
// ownership tags, among the items matching `extra_filters` ("state").
AdoptFunction Ec2AdoptOwned(const Ec2Kind& kind, std::vector<aws::Ec2Filter> extra_filters = {});

// One security group permission: a protocol and port range with its sources.
struct IpPermission {
  std::string protocol;  // "tcp", "udp", "icmp", "-1", or a number
  std::optional<long long> from_port;
  std::optional<long long> to_port;
  std::vector<std::string> cidr_blocks;
  std::vector<std::string> ipv6_cidr_blocks;
  std::vector<std::string> prefix_list_ids;
  std::vector<std::string> group_ids;
  std::string description;
};

// IpPermissions.N.* (from `prefix` "IpPermissions.1.") for one permission,
// the description on each of its sources.
void SetIpPermission(aws::QueryParams& params, const std::string& prefix, const IpPermission& permission);

// The security group rules (DescribeSecurityGroupRules items) of the given
// groups, keyed by group id; nullopt after recording an error.
std::optional<std::map<std::string, std::vector<aws::XmlNode>>> Ec2GroupRules(
    ResourceContext& ctx, const std::vector<std::string>& group_ids);

// Deletes with `action` (`id_param`=id), retrying while AWS reports the object
// still in use (DependencyViolation); a missing object is success.
void Ec2DeleteRetryingDependencies(ResourceContext& ctx, const std::string& action,
                                   const std::string& id_param, const std::string& id);

}  // namespace reconcile::aws_provider
