#include "elbv2.h"

#include <algorithm>
#include <set>

#include "aws/pagination.h"
#include "batch.h"
#include "generated_name.h"
#include "ownership.h"
#include "reconcile/provider_kit.h"

namespace reconcile::aws_provider {

aws::AwsResult<aws::XmlNode> ElbSend(const ResourceContext& ctx, const std::string& action,
                                     const aws::QueryParams& params, aws::Idempotency idempotency) {
  auto answer = ctx.client().Query("elasticloadbalancing", action, params, {.idempotency = idempotency});
  if (!answer.ok()) return answer.error();
  return answer->root().Child(action + "Result");
}

std::optional<aws::XmlNode> ElbCall(ResourceContext& ctx, const std::string& action,
                                    const aws::QueryParams& params, aws::Idempotency idempotency) {
  return ctx.Unwrap(ElbSend(ctx, action, params, idempotency));
}

std::optional<std::vector<aws::XmlNode>> ElbDescribeAll(ResourceContext& ctx,
                                                        const std::string& action,
                                                        const aws::QueryParams& params,
                                                        const std::string& item_path,
                                                        bool gone_is_empty) {
  std::vector<aws::XmlNode> items;
  auto done = aws::Paginate(
      [&](const std::string& marker) {
        aws::QueryParams page = params;
        if (!marker.empty()) page.Set("Marker", marker);
        return ElbSend(ctx, action, page, aws::Idempotency::kIdempotent);
      },
      [](const aws::XmlNode& result) { return result.Text("NextMarker"); },
      [&](const aws::XmlNode& result) {
        for (const aws::XmlNode& item : result.FindAll(item_path)) items.push_back(item);
        return true;
      });
  if (done.ok()) return items;
  if (gone_is_empty && done.error().IsNotFound()) return std::vector<aws::XmlNode>{};
  ctx.Fail(done.error());
  return std::nullopt;
}

std::vector<std::string> ElbMembers(const aws::XmlNode& node, std::string_view path) {
  std::vector<std::string> out;
  for (const aws::XmlNode& member : node.Find(path).Children("member")) out.push_back(member.text());
  return out;
}

std::optional<std::map<std::string, TagMap>> ElbTags(ResourceContext& ctx,
                                                     const std::vector<std::string>& arns) {
  std::map<std::string, TagMap> out;
  for (const std::vector<std::string>& chunk : Chunks(arns, kElbMaxTagArns)) {
    aws::QueryParams params;
    params.SetList("ResourceArns", chunk, aws::ListStyle::kMember);
    auto result = ElbSend(ctx, "DescribeTags", params, aws::Idempotency::kIdempotent);
    // One ARN gone fails the call: ask for the others one by one.
    if (!result.ok() && result.error().IsNotFound() && chunk.size() > 1) {
      for (const std::string& arn : chunk) {
        auto one = ElbTags(ctx, {arn});
        if (!one) return std::nullopt;
        out.insert(one->begin(), one->end());
      }
      continue;
    }
    if (!result.ok() && result.error().IsNotFound()) continue;
    if (!result.ok()) {
      ctx.Fail(result.error());
      return std::nullopt;
    }
    for (const aws::XmlNode& description : result->FindAll("TagDescriptions/member")) {
      TagMap& tags = out[description.Text("ResourceArn")];
      for (const aws::XmlNode& tag : description.FindAll("Tags/member"))
        tags[tag.Text("Key")] = tag.Text("Value");
    }
  }
  return out;
}

TagUpdateFunction ElbTagUpdater() {
  return [](ResourceContext& ctx, const Value& state, const TagChanges& changes) {
    if (!changes.remove.empty()) {
      aws::QueryParams params;
      params.SetList("ResourceArns", {IdOf(state)}, aws::ListStyle::kMember)
          .SetList("TagKeys", changes.remove, aws::ListStyle::kMember);
      if (!ElbCall(ctx, "RemoveTags", params, aws::Idempotency::kIdempotent)) return;
    }
    if (!changes.set.empty()) {
      aws::QueryParams params;
      params.SetList("ResourceArns", {IdOf(state)}, aws::ListStyle::kMember)
          .SetTags("Tags", changes.set, aws::ListStyle::kMember);
      ElbCall(ctx, "AddTags", params, aws::Idempotency::kIdempotent);
    }
  };
}

void SetElbTags(const ResourceContext& ctx, const std::map<std::string, TagMap>& tags,
                const std::string& arn, const Value& current, Value& state) {
  auto it = tags.find(arn);
  SetTagsFromAws(it == tags.end() ? TagMap{} : it->second, ctx.runtime().default_tags, current, state);
}

std::optional<std::vector<aws::XmlNode>> ElbChildrenOf(ResourceContext& ctx, const ElbChildKind& kind,
                                                       const std::string& parent) {
  aws::QueryParams params;
  params.Set(kind.parent_param, parent);
  auto children = ElbDescribeAll(ctx, kind.describe_action, params, kind.item_path, true);
  if (children)
    std::erase_if(*children, [](const aws::XmlNode& child) { return child.Text("IsDefault") == "true"; });
  return children;
}

namespace {

// The children of every request's parent, keyed "PARENT\nARN", with their tags.
Found<ElbTagged> LookupChildren(ResourceContext& ctx, const ElbChildKind& kind,
                                const std::vector<ReadRequest>& requests) {
  std::set<std::string> parents;
  for (const ReadRequest& r : requests) parents.insert(GetString(r.current_state, kind.parent_attribute));
  std::map<std::string, ElbTagged> found;
  std::vector<std::string> arns;
  for (const std::string& parent : parents) {
    if (parent.empty()) continue;  // (imported: read by ARN)
    auto children = ElbChildrenOf(ctx, kind, parent);
    if (!children) return std::nullopt;
    for (const aws::XmlNode& node : *children) {
      arns.push_back(node.Text(kind.arn_element));
      found[parent + "\n" + arns.back()].node = node;
    }
  }
  auto tags = ElbTags(ctx, arns);
  if (!tags) return std::nullopt;
  for (auto& [key, child] : found) child.tags = (*tags)[child.node.Text(kind.arn_element)];
  return found;
}

}  // namespace

void UseElbChildReads(ResourceType& type, const ElbChildKind& kind, ElbChildToState to_state) {
  ReadFunction read_by_arn = [kind, to_state](ResourceContext& ctx, const Value& current) -> Value {
    aws::QueryParams params;
    params.SetList(kind.arns_param, {IdOf(current)}, aws::ListStyle::kMember);
    auto described = ElbDescribeAll(ctx, kind.describe_action, params, kind.item_path, true);
    if (!described || described->empty()) return Value();
    auto tags = ElbTags(ctx, {IdOf(current)});
    if (!tags) return Value();
    return to_state(ctx, {described->front(), (*tags)[IdOf(current)]}, current);
  };
  type.read_batch = [kind, to_state, read_by_arn](BatchContext& ctx, const std::vector<ReadRequest>& requests) {
    RequestKey key = [kind](const Value& state) { return GetString(state, kind.parent_attribute) + "\n" + IdOf(state); };
    return BatchRead(ctx, requests, LookupChildren(ctx, kind, requests), to_state, key, read_by_arn);
  };
  type.read = [kind, read_batch = type.read_batch, read_by_arn](ResourceContext& ctx, const Value& current) {
    return IsSet(current, kind.parent_attribute) ? ReadThroughBatch(ctx, current, read_batch)
                                                 : read_by_arn(ctx, current);
  };
}

std::optional<TagMap> ElbChildHolderTags(ResourceContext& ctx, const ElbChildKind& kind, const std::string& parent,
                                         const std::string& element, const std::string& value, std::string* arn) {
  auto children = ElbChildrenOf(ctx, kind, parent);
  if (!children) return std::nullopt;
  for (const aws::XmlNode& child : *children) {
    if (child.Text(element) != value) continue;
    *arn = child.Text(kind.arn_element);
    auto tags = ElbTags(ctx, {*arn});
    if (!tags) return std::nullopt;
    return (*tags)[*arn];
  }
  return std::nullopt;
}

AdoptFunction ElbAdoptChild(const ElbChildKind& kind) {
  return [kind](ResourceContext& ctx, const Value& planned) -> Value {
    std::string parent = GetString(planned, kind.parent_attribute);
    auto children = ElbChildrenOf(ctx, kind, parent);
    if (!children) return Value();
    std::vector<std::string> arns;
    for (const aws::XmlNode& child : *children) arns.push_back(child.Text(kind.arn_element));
    auto owned = ElbFindOwned(ctx, arns);
    if (!owned || owned->empty()) return Value();
    return Value::Map({{"id", Str(*owned)}, {kind.parent_attribute, Str(parent)}});
  };
}

std::string ElbNameForCreate(const ResourceContext& ctx, const Value& planned) {
  return NameForCreate(ctx, planned).substr(0, 32);
}

std::optional<TagMap> ElbNameHolderTags(ResourceContext& ctx, const ElbKind& kind, const std::string& name,
                                        std::string* arn) {
  aws::QueryParams params;
  params.SetList("Names", {name}, aws::ListStyle::kMember);
  auto described = ElbDescribeAll(ctx, kind.describe_action, params, kind.item_path, true);
  if (!described || described->empty()) return std::nullopt;
  *arn = described->front().Text(kind.arn_element);
  auto tags = ElbTags(ctx, {*arn});
  if (!tags) return std::nullopt;
  return (*tags)[*arn];
}

std::optional<std::map<std::string, ElbObject>> ElbLookup(ResourceContext& ctx, const ElbKind& kind,
                                                          const std::vector<std::string>& arns) {
  aws::QueryParams params;
  if (arns.size() == 1) params.SetList(kind.arns_param, arns, aws::ListStyle::kMember);
  auto described = ElbDescribeAll(ctx, kind.describe_action, params, kind.item_path, true);
  if (!described) return std::nullopt;
  std::map<std::string, ElbObject> found;
  for (const aws::XmlNode& node : *described) {
    std::string arn = node.Text(kind.arn_element);
    if (std::find(arns.begin(), arns.end(), arn) != arns.end()) found[arn].node = node;
  }
  std::vector<std::string> present;
  for (const auto& [arn, object] : found) present.push_back(arn);
  auto tags = ElbTags(ctx, present);
  if (!tags) return std::nullopt;
  for (auto& [arn, object] : found) {
    object.tags = (*tags)[arn];
    auto attributes = ElbAttributes(ctx, kind.attributes_action, kind.arn_param, arn);
    if (!attributes) return std::nullopt;
    object.attributes = std::move(*attributes);
  }
  return found;
}

std::optional<bool> ElbExists(ResourceContext& ctx, const ElbKind& kind, const std::string& arn) {
  aws::QueryParams params;
  params.SetList(kind.arns_param, {arn}, aws::ListStyle::kMember);
  auto described = ElbDescribeAll(ctx, kind.describe_action, params, kind.item_path, true);
  if (!described) return std::nullopt;
  return !described->empty();
}

std::optional<std::string> ElbFindOwned(ResourceContext& ctx, const std::vector<std::string>& arns) {
  auto tags = ElbTags(ctx, arns);
  if (!tags) return std::nullopt;
  std::vector<std::string> owned;
  for (const auto& [arn, object_tags] : *tags)
    if (OwnedByThisInstance(ctx, object_tags)) owned.push_back(arn);
  if (owned.size() > 1) {
    std::string list;
    for (const std::string& arn : owned) list += (list.empty() ? "" : ", ") + arn;
    ctx.Error("Several objects carry this instance's ownership tags: " + list,
              "Delete the extra ones, or import the right one with `reconcile import`.");
    return std::nullopt;
  }
  return owned.empty() ? "" : owned.front();
}

std::optional<std::map<std::string, std::string>> ElbAttributes(ResourceContext& ctx,
                                                                const std::string& action,
                                                                const std::string& arn_param,
                                                                const std::string& arn) {
  aws::QueryParams params;
  params.Set(arn_param, arn);
  auto result = ElbCall(ctx, action, params, aws::Idempotency::kIdempotent);
  if (!result) return std::nullopt;
  std::map<std::string, std::string> out;
  for (const aws::XmlNode& attribute : result->FindAll("Attributes/member"))
    out[attribute.Text("Key")] = attribute.Text("Value");
  return out;
}

bool ElbModifyAttributes(ResourceContext& ctx, const std::string& action,
                         const std::string& arn_param, const std::string& arn,
                         const std::map<std::string, std::string>& attributes) {
  if (attributes.empty()) return true;
  std::vector<std::map<std::string, std::string>> items;
  for (const auto& [key, value] : attributes) items.push_back({{"Key", key}, {"Value", value}});
  aws::QueryParams params;
  params.Set(arn_param, arn).SetStructList("Attributes", items, aws::ListStyle::kMember);
  return ElbCall(ctx, action, params, aws::Idempotency::kIdempotent).has_value();
}

std::vector<Attribute> ElbActionFields() {
  std::vector<Attribute> redirect = {
      Attribute::Optional("host", kString).Default(Str("#{host}")),
      Attribute::Optional("path", kString).Default(Str("/#{path}")),
      Attribute::Optional("port", kString).Default(Str("#{port}")),
      Attribute::Optional("protocol", kString).Default(Str("#{protocol}")),
      Attribute::Optional("query", kString).Default(Str("#{query}")),
      Attribute::Required("status_code", kString).Describe("HTTP_301 or HTTP_302"),
  };
  std::vector<Attribute> fixed_response = {
      Attribute::Required("content_type", kString),
      Attribute::Optional("message_body", kString),
      Attribute::OptionalComputed("status_code", kString),
  };
  return {
      Attribute::Required("type", kString).Describe("forward, redirect or fixed-response"),
      Attribute::Optional("target_group_arn", kString),
      Attribute::OptionalComputed("order", kNumber),
      Attribute::Optional("redirect", kList).Block(redirect).MaxItems(1),
      Attribute::Optional("fixed_response", kList).Block(fixed_response).MaxItems(1),
  };
}

void SetElbActions(aws::QueryParams& params, const std::string& prefix,
                   const std::vector<Value>& actions) {
  int n = 0;
  for (const Value& action : actions) {
    std::string at = prefix + ".member." + std::to_string(++n) + ".";
    params.Set(at + "Type", GetString(action, "type"));
    params.SetInt(at + "Order", FindInt(action, "order").value_or(n));
    if (auto arn = FindString(action, "target_group_arn")) params.Set(at + "TargetGroupArn", *arn);
    for (const Value& redirect : GetBlocks(action, "redirect")) {
      params.Set(at + "RedirectConfig.Protocol", GetString(redirect, "protocol"))
          .Set(at + "RedirectConfig.Port", GetString(redirect, "port"))
          .Set(at + "RedirectConfig.Host", GetString(redirect, "host"))
          .Set(at + "RedirectConfig.Path", GetString(redirect, "path"))
          .Set(at + "RedirectConfig.Query", GetString(redirect, "query"))
          .Set(at + "RedirectConfig.StatusCode", GetString(redirect, "status_code"));
    }
    for (const Value& fixed : GetBlocks(action, "fixed_response")) {
      params.Set(at + "FixedResponseConfig.ContentType", GetString(fixed, "content_type"));
      if (auto body = FindString(fixed, "message_body")) params.Set(at + "FixedResponseConfig.MessageBody", *body);
      params.Set(at + "FixedResponseConfig.StatusCode", FindString(fixed, "status_code").value_or("200"));
    }
  }
}

namespace {

Value RedirectState(const aws::XmlNode& config) {
  if (!config) return Value();
  return Value::List({Value::Map({{"host", Str(config.Text("Host"))},
                                  {"path", Str(config.Text("Path"))},
                                  {"port", Str(config.Text("Port"))},
                                  {"protocol", Str(config.Text("Protocol"))},
                                  {"query", Str(config.Text("Query"))},
                                  {"status_code", Str(config.Text("StatusCode"))}})});
}

Value FixedResponseState(const aws::XmlNode& config) {
  if (!config) return Value();
  return Value::List({Value::Map({{"content_type", Str(config.Text("ContentType"))},
                                  {"message_body", StrOrNull(config.Text("MessageBody"))},
                                  {"status_code", Str(config.Text("StatusCode"))}})});
}

}  // namespace

Value ElbActionsState(const aws::XmlNode& node) {
  std::vector<aws::XmlNode> members = node.Children("member");
  std::stable_sort(members.begin(), members.end(), [](const aws::XmlNode& a, const aws::XmlNode& b) {
    return std::stoll("0" + a.Text("Order")) < std::stoll("0" + b.Text("Order"));
  });
  ValueList out;
  for (const aws::XmlNode& action : members) {
    out.push_back(Value::Map({{"type", Str(action.Text("Type"))},
                              {"target_group_arn", StrOrNull(action.Text("TargetGroupArn"))},
                              {"order", NumFromText(action.Text("Order"))},
                              {"redirect", RedirectState(action.Child("RedirectConfig"))},
                              {"fixed_response", FixedResponseState(action.Child("FixedResponseConfig"))}}));
  }
  return Value::List(std::move(out));
}

}  // namespace reconcile::aws_provider
