#include "tags.h"

namespace reconcile::aws_provider {

bool IsOwnershipTag(std::string_view key) { return key.starts_with(kOwnershipPrefix); }

std::vector<Attribute> TagAttributes() {
  return {
      Attribute::Optional("tags", AttributeType::kMap).Of(AttributeType::kString)
          .Describe("tags of this object; default_tags are merged in"),
      Attribute::Computed("tags_all", AttributeType::kMap).Of(AttributeType::kString)
          .Describe("tags with the provider's default_tags merged in"),
  };
}

TagMap TagMapOf(const Value& map) {
  TagMap out;
  if (!map.is_map()) return out;
  for (const auto& [key, value] : map.AsMap())
    if (value.is_string()) out[key] = value.AsString();
  return out;
}

Value TagValue(const TagMap& tags) {
  ValueMap out;
  for (const auto& [key, value] : tags) out.emplace(key, Value::String(value));
  return Value::Map(std::move(out));
}

TagMap MergeTags(const TagMap& defaults, const TagMap& own) {
  TagMap out = defaults;
  for (const auto& [key, value] : own) out[key] = value;
  return out;
}

void PlanTagsAll(const TagMap& defaults, Value& planned) {
  const Value* tags = planned.Find("tags");
  if (tags != nullptr && tags->ContainsUnknown()) {
    planned.Set("tags_all", Value::Unknown());
    return;
  }
  TagMap merged = MergeTags(defaults, tags ? TagMapOf(*tags) : TagMap{});
  planned.Set("tags_all", merged.empty() ? Value() : TagValue(merged));
}

void SetTagsFromAws(const TagMap& aws_tags, const TagMap& defaults, const Value& prior,
                    Value& state) {
  TagMap all;
  for (const auto& [key, value] : aws_tags)
    if (!IsOwnershipTag(key)) all[key] = value;
  const Value* prior_tags = prior.Find("tags");
  TagMap own;
  for (const auto& [key, value] : all) {
    bool was_own = prior_tags != nullptr && prior_tags->Find(key) != nullptr;
    auto default_tag = defaults.find(key);
    bool is_default = default_tag != defaults.end() && default_tag->second == value;
    if (was_own || !is_default) own[key] = value;
  }
  state.Set("tags", own.empty() ? Value() : TagValue(own));
  state.Set("tags_all", all.empty() ? Value() : TagValue(all));
}

TagChanges DiffTags(const TagMap& from, const TagMap& to) {
  TagChanges changes;
  for (const auto& [key, value] : to) {
    auto it = from.find(key);
    if (it == from.end() || it->second != value) changes.set[key] = value;
  }
  for (const auto& [key, value] : from)
    if (!to.count(key)) changes.remove.push_back(key);
  return changes;
}

TagChanges PlannedTagChanges(const TagMap& defaults, const Value& prior, const Value& planned) {
  const Value* before = prior.Find("tags_all");
  TagMap from = before ? TagMapOf(*before) : TagMap{};
  const Value* own = planned.Find("tags");
  TagMap to = MergeTags(defaults, own ? TagMapOf(*own) : TagMap{});
  return DiffTags(from, to);
}

}  // namespace reconcile::aws_provider
