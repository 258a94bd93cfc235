#include "aws/query.h"

#include <nlohmann/json.hpp>

#include "aws/sigv4.h"

namespace reconcile::aws {

namespace {

std::string Join(std::string_view prefix, std::string_view name) {
  if (prefix.empty()) return std::string(name);
  return std::string(prefix) + "." + std::string(name);
}

// "Prefix.N" or "Prefix.member.N".
std::string ItemName(std::string_view prefix, std::size_t index, ListStyle style) {
  std::string n = std::to_string(index);
  return style == ListStyle::kMember ? Join(prefix, "member." + n) : Join(prefix, n);
}

}  // namespace

std::string FormEncode(std::string_view text) { return UriEncode(text, /*keep_slash=*/false); }

QueryParams& QueryParams::Set(std::string name, std::string value) {
  for (auto& entry : entries_) {
    if (entry.first == name) {
      entry.second = std::move(value);
      return *this;
    }
  }
  entries_.emplace_back(std::move(name), std::move(value));
  return *this;
}

QueryParams& QueryParams::SetBool(std::string name, bool value) {
  return Set(std::move(name), value ? "true" : "false");
}

QueryParams& QueryParams::SetInt(std::string name, long long value) {
  return Set(std::move(name), std::to_string(value));
}

QueryParams& QueryParams::SetList(std::string_view prefix, const std::vector<std::string>& values,
                                  ListStyle style) {
  for (std::size_t i = 0; i < values.size(); ++i) Set(ItemName(prefix, i + 1, style), values[i]);
  return *this;
}

QueryParams& QueryParams::SetStructList(
    std::string_view prefix, const std::vector<std::map<std::string, std::string>>& items,
    ListStyle style) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string item = ItemName(prefix, i + 1, style);
    for (const auto& [field, value] : items[i]) Set(Join(item, field), value);
  }
  return *this;
}

QueryParams& QueryParams::SetTags(std::string_view prefix,
                                  const std::map<std::string, std::string>& tags, ListStyle style) {
  std::size_t index = 0;
  for (const auto& [key, value] : tags) {
    std::string item = ItemName(prefix, ++index, style);
    Set(Join(item, "Key"), key);
    Set(Join(item, "Value"), value);
  }
  return *this;
}

QueryParams& QueryParams::SetMap(std::string_view prefix,
                                 const std::map<std::string, std::string>& entries) {
  std::size_t index = 0;
  for (const auto& [key, value] : entries) {
    std::string item = Join(prefix, "entry." + std::to_string(++index));
    Set(Join(item, "key"), key);
    Set(Join(item, "value"), value);
  }
  return *this;
}

QueryParams& QueryParams::SetEc2Filters(const std::vector<Ec2Filter>& filters) {
  for (std::size_t i = 0; i < filters.size(); ++i) {
    std::string item = "Filter." + std::to_string(i + 1);
    Set(item + ".Name", filters[i].name);
    SetList(item + ".Value", filters[i].values, ListStyle::kIndexed);
  }
  return *this;
}

QueryParams& QueryParams::SetEc2TagSpecification(std::string_view resource_type,
                                                 const std::map<std::string, std::string>& tags,
                                                 int index) {
  std::string item = "TagSpecification." + std::to_string(index);
  Set(item + ".ResourceType", std::string(resource_type));
  return SetTags(item + ".Tag", tags, ListStyle::kIndexed);
}

QueryParams& QueryParams::SetJson(std::string_view prefix, const nlohmann::json& value,
                                  ListStyle style) {
  if (value.is_null()) return *this;
  if (value.is_object()) {
    for (const auto& [field, child] : value.items()) SetJson(Join(prefix, field), child, style);
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) SetJson(ItemName(prefix, i + 1, style), value[i], style);
  } else if (value.is_string()) {
    Set(std::string(prefix), value.get<std::string>());
  } else if (value.is_boolean()) {
    SetBool(std::string(prefix), value.get<bool>());
  } else {
    Set(std::string(prefix), value.dump());
  }
  return *this;
}

const std::string* QueryParams::Get(std::string_view name) const {
  for (const auto& entry : entries_) {
    if (entry.first == name) return &entry.second;
  }
  return nullptr;
}

std::string QueryParams::FormBody(std::string_view action, std::string_view version) const {
  std::string body = "Action=" + FormEncode(action) + "&Version=" + FormEncode(version);
  for (const auto& [name, value] : entries_) body += "&" + FormEncode(name) + "=" + FormEncode(value);
  return body;
}

}  // namespace reconcile::aws
