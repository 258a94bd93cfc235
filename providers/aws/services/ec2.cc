#include "ec2.h"

#include <algorithm>

#include "aws/pagination.h"
#include "batch.h"
#include "reconcile/provider_kit.h"
#include "waiter.h"

namespace reconcile::aws_provider {

namespace {

aws::QueryParams FilterParams(const std::vector<aws::Ec2Filter>& filters) {
  aws::QueryParams params;
  params.SetEc2Filters(filters);
  return params;
}

}  // namespace

aws::AwsResult<aws::XmlDocument> Ec2Send(const ResourceContext& ctx, const std::string& action,
                                         const aws::QueryParams& params,
                                         aws::Idempotency idempotency) {
  return ctx.client().Query("ec2", action, params, {.idempotency = idempotency});
}

std::optional<aws::XmlDocument> Ec2Call(ResourceContext& ctx, const std::string& action,
                                        const aws::QueryParams& params,
                                        aws::Idempotency idempotency) {
  return ctx.Unwrap(Ec2Send(ctx, action, params, idempotency));
}

std::optional<std::vector<aws::XmlNode>> Ec2DescribeAll(ResourceContext& ctx, const Ec2Kind& kind,
                                                        const std::vector<aws::Ec2Filter>& filters) {
  std::vector<aws::XmlNode> items;
  auto done = aws::QueryPages(ctx.client(), "ec2", kind.describe_action, FilterParams(filters),
                              [&](const aws::XmlDocument& page) {
                                for (aws::XmlNode& item : page.root().FindAll(kind.item_path))
                                  items.push_back(item);
                                return true;
                              });
  if (!done.ok()) {
    ctx.Fail(done.error());
    return std::nullopt;
  }
  return items;
}

std::optional<std::map<std::string, aws::XmlNode>> Ec2DescribeMany(
    ResourceContext& ctx, const Ec2Kind& kind, const std::vector<std::string>& ids) {
  std::map<std::string, aws::XmlNode> found;
  for (const std::vector<std::string>& chunk : Chunks(ids, kEc2MaxFilterValues)) {
    auto items = Ec2DescribeAll(ctx, kind, {{kind.id_filter, chunk}});
    if (!items) return std::nullopt;
    for (const aws::XmlNode& item : *items) found[item.Text(kind.id_element)] = item;
  }
  return found;
}

std::optional<aws::XmlNode> Ec2DescribeOne(ResourceContext& ctx, const Ec2Kind& kind,
                                           const std::string& id) {
  if (id.empty()) return aws::XmlNode();
  auto found = Ec2DescribeMany(ctx, kind, {id});
  if (!found) return std::nullopt;
  auto it = found->find(id);
  return it == found->end() ? aws::XmlNode() : it->second;
}

std::vector<aws::Ec2Filter> OwnershipFilters(const ResourceContext& ctx) {
  std::vector<aws::Ec2Filter> filters;
  for (const auto& [key, value] : ctx.OwnershipTags()) filters.push_back({"tag:" + key, {value}});
  return filters;
}

// The tag values are compared here, not in the filter: EC2 reads `*` and `?`
// in a filter value as wildcards (and moto reads `[2]` of `aws_subnet.s[2]`
// as a character class, so a counted instance was never found), while an
// address is matched exactly.
std::string Ec2FindOwned(ResourceContext& ctx, const Ec2Kind& kind,
                         std::vector<aws::Ec2Filter> extra_filters) {
  std::vector<aws::Ec2Filter> filters = {{"tag-key", {kAddressTag}}};
  filters.insert(filters.end(), extra_filters.begin(), extra_filters.end());
  auto described = Ec2DescribeAll(ctx, kind, filters);
  if (!described) return "";
  const TagMap owner = ctx.OwnershipTags();
  std::vector<aws::XmlNode> owned;
  for (const aws::XmlNode& item : *described) {
    TagMap tags = Ec2Tags(item);
    if (std::all_of(owner.begin(), owner.end(), [&](const auto& tag) {
          auto it = tags.find(tag.first);
          return it != tags.end() && it->second == tag.second;
        }))
      owned.push_back(item);
  }
  if (owned.empty()) return "";
  if (owned.size() > 1) {
    std::string ids;
    for (const aws::XmlNode& item : owned) ids += (ids.empty() ? "" : ", ") + item.Text(kind.id_element);
    ctx.Error("Several objects carry this instance's ownership tags: " + ids,
              "Delete the extra ones, or import the right one with `reconcile import`.");
    return "";
  }
  return owned.front().Text(kind.id_element);
}

TagMap Ec2Tags(const aws::XmlNode& item) {
  TagMap tags;
  for (const aws::XmlNode& tag : item.FindAll("tagSet/item")) tags[tag.Text("key")] = tag.Text("value");
  return tags;
}

void SetEc2Tags(const ResourceContext& ctx, const aws::XmlNode& item, const Value& current,
                Value& state) {
  SetTagsFromAws(Ec2Tags(item), ctx.runtime().default_tags, current, state);
}

void Ec2UpdateTags(ResourceContext& ctx, const std::string& id, const TagChanges& changes) {
  if (!changes.remove.empty()) {
    aws::QueryParams params;
    params.Set("ResourceId.1", id);
    std::vector<std::map<std::string, std::string>> keys;
    for (const std::string& key : changes.remove) keys.push_back({{"Key", key}});
    params.SetStructList("Tag", keys, aws::ListStyle::kIndexed);
    if (!Ec2Call(ctx, "DeleteTags", params, aws::Idempotency::kIdempotent)) return;
  }
  if (!changes.set.empty()) {
    aws::QueryParams params;
    params.Set("ResourceId.1", id).SetTags("Tag", changes.set, aws::ListStyle::kIndexed);
    Ec2Call(ctx, "CreateTags", params, aws::Idempotency::kIdempotent);
  }
}

TagUpdateFunction Ec2TagUpdater() {
  return [](ResourceContext& ctx, const Value& state, const TagChanges& changes) {
    Ec2UpdateTags(ctx, IdOf(state), changes);
  };
}

void UseEc2Reads(ResourceType& type, const Ec2Kind& kind, Ec2ToState to_state,
                 Ec2DescribeIds describe) {
  if (!describe) {
    describe = [kind](ResourceContext& ctx, const std::vector<std::string>& ids) {
      return Ec2DescribeMany(ctx, kind, ids);
    };
  }
  UseBatchedReads<aws::XmlNode>(type, describe, to_state);
  type.adopt = Ec2AdoptOwned(kind);
}

ResourceType Ec2Type(const Ec2Kind& kind, ResourceSchema schema, Ec2ToState to_state,
                     CreateFunction create, UpdateFunction update, DeleteFunction remove,
                     Ec2DescribeIds describe) {
  ResourceType type =
      MakeType(std::move(schema), std::move(create), std::move(update), std::move(remove));
  type.update_tags = Ec2TagUpdater();
  UseEc2Reads(type, kind, std::move(to_state), std::move(describe));
  return type;
}

std::optional<std::string> Ec2StateOf(ResourceContext& ctx, const Ec2Kind& kind, const std::string& id,
                                      const std::string& state_path) {
  auto item = Ec2DescribeOne(ctx, kind, id);
  if (!item) return std::nullopt;
  return item->valid() ? item->Text(state_path) : "";
}

bool Ec2WaitForState(ResourceContext& ctx, const Ec2Kind& kind, const std::string& id,
                     const std::string& state_path, const std::string& what, const std::string& wanted,
                     const std::vector<std::string>& failed) {
  return WaitFor(ctx, what + " to become " + wanted, [&] {
    auto state = Ec2StateOf(ctx, kind, id, state_path);
    if (!state) return Poll::kFailed;
    if (*state == wanted) return Poll::kDone;
    if (state->empty() || std::find(failed.begin(), failed.end(), *state) != failed.end()) {
      ctx.Error(what + " is " + (state->empty() ? std::string("gone") : "in state \"" + *state + "\"") +
                    " while waiting for it to become " + wanted);
      return Poll::kFailed;
    }
    return Poll::kPending;
  });
}

bool Ec2WaitUntilGone(ResourceContext& ctx, const Ec2Kind& kind, const std::string& id,
                      const std::string& state_path, const std::string& what,
                      const std::vector<std::string>& gone_states) {
  return WaitUntilGone(ctx, what, [&]() -> std::optional<bool> {
    auto state = Ec2StateOf(ctx, kind, id, state_path);
    if (!state) return std::nullopt;
    return !state->empty() &&
           std::find(gone_states.begin(), gone_states.end(), *state) == gone_states.end();
  });
}

AdoptFunction Ec2AdoptOwned(const Ec2Kind& kind, std::vector<aws::Ec2Filter> extra_filters) {
  return [kind, extra_filters](ResourceContext& ctx, const Value&) -> Value {
    std::string id = Ec2FindOwned(ctx, kind, extra_filters);
    return id.empty() ? Value() : Value::Map({{"id", Value::String(id)}});
  };
}

void SetIpPermission(aws::QueryParams& params, const std::string& prefix, const IpPermission& permission) {
  params.Set(prefix + "IpProtocol", permission.protocol);
  if (permission.from_port) params.SetInt(prefix + "FromPort", *permission.from_port);
  if (permission.to_port) params.SetInt(prefix + "ToPort", *permission.to_port);
  auto add = [&](const std::vector<std::string>& values, const std::string& list, const char* field) {
    int n = 0;
    for (const std::string& v : values) {
      std::string item = prefix + list + "." + std::to_string(++n) + ".";
      params.Set(item + field, v);
      if (!permission.description.empty()) params.Set(item + "Description", permission.description);
    }
  };
  add(permission.cidr_blocks, "IpRanges", "CidrIp");
  add(permission.ipv6_cidr_blocks, "Ipv6Ranges", "CidrIpv6");
  add(permission.prefix_list_ids, "PrefixListIds", "PrefixListId");
  add(permission.group_ids, "Groups", "GroupId");
}

std::optional<std::map<std::string, std::vector<aws::XmlNode>>> Ec2GroupRules(
    ResourceContext& ctx, const std::vector<std::string>& group_ids) {
  const Ec2Kind rules{"DescribeSecurityGroupRules", "securityGroupRuleSet/item", "securityGroupRuleId",
                      "security-group-rule-id", "security-group-rule"};
  std::map<std::string, std::vector<aws::XmlNode>> out;
  for (const std::vector<std::string>& chunk : Chunks(group_ids, kEc2MaxFilterValues)) {
    auto found = Ec2DescribeAll(ctx, rules, {{"group-id", chunk}});
    if (!found) return std::nullopt;
    for (const aws::XmlNode& rule : *found) out[rule.Text("groupId")].push_back(rule);
  }
  return out;
}

void Ec2DeleteRetryingDependencies(ResourceContext& ctx, const std::string& action,
                                   const std::string& id_param, const std::string& id) {
  aws::QueryParams params;
  params.Set(id_param, id);
  DeleteUntilGone(ctx, {.what = id,
                        .call = [&] { return AsDone(Ec2Send(ctx, action, params, aws::Idempotency::kIdempotent)); },
                        .retry_while = {"DependencyViolation"}});
}

}  // namespace reconcile::aws_provider
