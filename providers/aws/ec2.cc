#include "ec2.h"

#include <algorithm>

#include "aws/pagination.h"
#include "fields.h"
#include "waiter.h"

namespace reconcile::aws_provider {

namespace {

// EC2 accepts at most 200 values in one filter.
constexpr std::size_t kMaxFilterValues = 200;

aws::QueryParams FilterParams(const std::vector<aws::Ec2Filter>& filters) {
  aws::QueryParams params;
  params.SetEc2Filters(filters);
  return params;
}

ReadResponse ItemResponse(ResourceContext& item_ctx, Value state) {
  return ReadResponse{item_ctx.failed() ? Value() : std::move(state), item_ctx.diagnostics()};
}

}  // namespace

std::optional<aws::XmlDocument> Ec2Call(ResourceContext& ctx, const std::string& action,
                                        const aws::QueryParams& params,
                                        aws::Idempotency idempotency) {
  return ctx.Unwrap(ctx.client().Query("ec2", action, params, {.idempotency = idempotency}));
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
  for (std::size_t start = 0; start < ids.size(); start += kMaxFilterValues) {
    std::size_t end = std::min(ids.size(), start + kMaxFilterValues);
    std::vector<std::string> chunk(ids.begin() + static_cast<long>(start),
                                   ids.begin() + static_cast<long>(end));
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
  type.read = [describe, to_state](ResourceContext& ctx, const Value& current) -> Value {
    std::string id = IdOf(current);
    if (id.empty()) return Value();
    auto found = describe(ctx, {id});
    if (!found) return Value();
    auto it = found->find(id);
    return it == found->end() ? Value() : to_state(ctx, it->second, current);
  };
  type.read_batch = [describe, to_state](BatchContext& ctx, const std::vector<ReadRequest>& requests) {
    std::vector<std::string> ids;
    for (const ReadRequest& r : requests) ids.push_back(IdOf(r.current_state));
    auto found = describe(ctx, ids);
    std::vector<ReadResponse> out;
    for (const ReadRequest& r : requests) {
      ResourceContext item_ctx(ctx.runtime(), r.address);
      if (!found) {
        out.push_back({Value(), ctx.diagnostics()});
        continue;
      }
      auto it = found->find(IdOf(r.current_state));
      if (it == found->end()) {
        out.push_back({});
        continue;
      }
      Value state = to_state(item_ctx, it->second, r.current_state);
      out.push_back(ItemResponse(item_ctx, std::move(state)));
    }
    return out;
  };
  type.adopt = [kind](ResourceContext& ctx, const Value&) -> Value {
    std::string id = Ec2FindOwned(ctx, kind);
    return id.empty() ? Value() : Value::Map({{"id", Value::String(id)}});
  };
}

void Ec2DeleteRetryingDependencies(ResourceContext& ctx, const std::string& action,
                                   const std::string& id_param, const std::string& id) {
  aws::QueryParams params;
  params.Set(id_param, id);
  RetryWhile(ctx, {"DependencyViolation"}, [&]() -> aws::AwsResult<aws::Done> {
    auto result = ctx.client().Query("ec2", action, params, {.idempotency = aws::Idempotency::kIdempotent});
    if (!result.ok() && result.error().IsNotFound()) return aws::Done{};
    return AsDone(result);
  });
}

}  // namespace reconcile::aws_provider
