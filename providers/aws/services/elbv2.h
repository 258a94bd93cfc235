// Shared by the ELBv2 types (aws_lb, aws_lb_target_group, aws_lb_listener,
// aws_lb_listener_rule, aws_lb_target_group_attachment): query calls and
// their <ActionResult> element, Marker paging, tags by ARN (DescribeTags, 20
// ARNs a call), attribute maps, the listener action blocks both listeners and
// rules carry, and finding the object of a listing that carries this
// instance's ownership tags.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/client.h"
#include "resource_context.h"
#include "resource_type.h"

namespace reconcile::aws_provider {

// ELBv2 takes at most 20 ARNs in one DescribeTags.
inline constexpr std::size_t kElbMaxTagArns = 20;

// One ELBv2 call; the answer's <ACTIONResult> element. Not recorded.
aws::AwsResult<aws::XmlNode> ElbSend(const ResourceContext& ctx, const std::string& action,
                                     const aws::QueryParams& params,
                                     aws::Idempotency idempotency = aws::Idempotency::kInferred);
// The same call; nullopt after recording its error.
std::optional<aws::XmlNode> ElbCall(ResourceContext& ctx, const std::string& action,
                                    const aws::QueryParams& params,
                                    aws::Idempotency idempotency = aws::Idempotency::kInferred);

// Every item at `item_path` ("LoadBalancers/member") across the pages of a
// Describe call; `gone_is_empty` answers a NotFound as no items. nullopt on
// error (recorded).
std::optional<std::vector<aws::XmlNode>> ElbDescribeAll(ResourceContext& ctx,
                                                        const std::string& action,
                                                        const aws::QueryParams& params,
                                                        const std::string& item_path,
                                                        bool gone_is_empty = false);

// The texts of the <member> elements under `path`.
std::vector<std::string> ElbMembers(const aws::XmlNode& node, std::string_view path);

// The tags of each ARN (a missing ARN has none); nullopt on error (recorded).
std::optional<std::map<std::string, TagMap>> ElbTags(ResourceContext& ctx,
                                                     const std::vector<std::string>& arns);
// A TagUpdateFunction (AddTags / RemoveTags) for objects whose id is their ARN.
TagUpdateFunction ElbTagUpdater();
// Sets `tags`/`tags_all` of `state` from the tags `tags` found for its ARN.
void SetElbTags(const ResourceContext& ctx, const std::map<std::string, TagMap>& tags,
                const std::string& arn, const Value& current, Value& state);

// How to describe one kind of top-level ELBv2 object (balancers, target groups).
struct ElbKind {
  std::string describe_action;    // "DescribeLoadBalancers"
  std::string arns_param;         // "LoadBalancerArns"
  std::string item_path;          // "LoadBalancers/member"
  std::string arn_element;        // "LoadBalancerArn"
  std::string attributes_action;  // "DescribeLoadBalancerAttributes"
  std::string arn_param;          // "LoadBalancerArn"
};

// A described object with its tags and attributes.
struct ElbObject {
  aws::XmlNode node;
  TagMap tags;
  std::map<std::string, std::string> attributes;
};

// The objects with the given ARNs (missing ones left out): one described by
// ARN, or several through one listing (a Describe by ARNs fails as a whole
// when one is gone); their tags 20 a call and attributes one call each.
// nullopt on error (recorded).
std::optional<std::map<std::string, ElbObject>> ElbLookup(ResourceContext& ctx, const ElbKind& kind,
                                                          const std::vector<std::string>& arns);

// Whether the object `arn` exists (nullopt after recording a failed look).
std::optional<bool> ElbExists(ResourceContext& ctx, const ElbKind& kind, const std::string& arn);

// How to find objects that live under a parent and carry no name (listeners
// under a balancer, rules under a listener): the parent's ARN is in their
// state as `parent_attribute`.
struct ElbChildKind {
  std::string parent_attribute;  // "load_balancer_arn"
  std::string describe_action;   // "DescribeListeners"
  std::string parent_param;      // "LoadBalancerArn"
  std::string arns_param;        // "ListenerArns"
  std::string item_path;         // "Listeners/member"
  std::string arn_element;       // "ListenerArn"
};

// A described child object with its tags.
struct ElbTagged {
  aws::XmlNode node;
  TagMap tags;
};
using ElbChildToState = std::function<Value(ResourceContext& ctx, const ElbTagged& item, const Value& current)>;

// The children of `parent` (none when it is gone; a listener's default rule
// left out); nullopt on error (recorded).
std::optional<std::vector<aws::XmlNode>> ElbChildrenOf(ResourceContext& ctx, const ElbChildKind& kind,
                                                       const std::string& parent);

// Installs read and read_batch: one Describe per parent and tags 20 a call;
// a state without its parent (just imported) is read by its ARN.
void UseElbChildReads(ResourceType& type, const ElbChildKind& kind, ElbChildToState to_state);

// The tags of the child of `parent` whose `element` is `value` (a listener's
// port, a rule's priority), its ARN into *arn; nullopt when there is none.
std::optional<TagMap> ElbChildHolderTags(ResourceContext& ctx, const ElbChildKind& kind, const std::string& parent,
                                         const std::string& element, const std::string& value, std::string* arn);

// An adopt function: the planned parent's child carrying this instance's
// ownership tags ({id, parent_attribute}), or null.
AdoptFunction ElbAdoptChild(const ElbChildKind& kind);

// The name a create gives a balancer or target group: `name`, or the prefix
// and the client token's suffix (as NameForCreate), cut to ELBv2's 32 characters.
std::string ElbNameForCreate(const ResourceContext& ctx, const Value& planned);

// The tags of the object of `kind` named `name`, its ARN into *arn; nullopt
// when there is none (or after recording a failed look).
std::optional<TagMap> ElbNameHolderTags(ResourceContext& ctx, const ElbKind& kind, const std::string& name,
                                        std::string* arn);

// Of `arns`, the one whose tags are this instance's ownership tags ("" when
// none; several is an error). nullopt on error.
std::optional<std::string> ElbFindOwned(ResourceContext& ctx, const std::vector<std::string>& arns);

// Key/value attributes (Describe*Attributes); nullopt on error.
std::optional<std::map<std::string, std::string>> ElbAttributes(ResourceContext& ctx,
                                                                const std::string& action,
                                                                const std::string& arn_param,
                                                                const std::string& arn);
// Modify*Attributes with `attributes` (nothing when empty); false on error.
bool ElbModifyAttributes(ResourceContext& ctx, const std::string& action,
                         const std::string& arn_param, const std::string& arn,
                         const std::map<std::string, std::string>& attributes);

// The schema of a listener's `default_action` and a rule's `action` blocks:
// type, target_group_arn, order, redirect, fixed_response.
std::vector<Attribute> ElbActionFields();
// The blocks as request parameters under `prefix` ("DefaultActions", "Actions").
void SetElbActions(aws::QueryParams& params, const std::string& prefix,
                   const std::vector<Value>& actions);
// The blocks of the actions under `node` (its <member> elements).
Value ElbActionsState(const aws::XmlNode& node);

}  // namespace reconcile::aws_provider
