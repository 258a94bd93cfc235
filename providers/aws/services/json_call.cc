#include "json_call.h"

#include <set>

#include "batch.h"

namespace reconcile::aws_provider {

namespace {

// GetResources takes at most 100 ARNs a call.
constexpr std::size_t kArnsPerCall = 100;

}  // namespace

std::optional<nlohmann::json> JsonCall(ResourceContext& ctx, const std::string& service,
                                       const std::string& operation, const nlohmann::json& body,
                                       aws::Idempotency idempotency) {
  return ctx.Unwrap(ctx.client().Json(service, operation, body, {.idempotency = idempotency}));
}

std::string JsonString(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

nlohmann::json TagListJson(const TagMap& tags) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [key, value] : tags) list.push_back({{"Key", key}, {"Value", value}});
  return list;
}

TagMap TagMapFromJson(const nlohmann::json& list) {
  TagMap tags;
  if (!list.is_array()) return tags;
  for (const nlohmann::json& tag : list) tags[JsonString(tag, "Key")] = JsonString(tag, "Value");
  return tags;
}

// One GetResources for `chunk`, following pagination tokens; tags of any ARN
// in `wanted` land in `out`. AWS answers an ARN list in one page; an emulator
// that ignores the list pages through everything (later pages ask for large
// pages), and then that one pass has read every wanted ARN: `scanned_all`.
bool ReadTagsChunk(ResourceContext& ctx, const std::vector<std::string>& chunk,
                   const std::set<std::string>& wanted, std::map<std::string, TagMap>& out,
                   bool& scanned_all) {
  std::set<std::string> asked(chunk.begin(), chunk.end());
  nlohmann::json request = {{"ResourceARNList", chunk}};
  while (true) {
    auto page = JsonCall(ctx, "tagging", "GetResources", request);
    if (!page) return false;
    for (const nlohmann::json& mapping : page->value("ResourceTagMappingList", nlohmann::json::array())) {
      std::string arn = JsonString(mapping, "ResourceARN");
      if (!asked.count(arn)) scanned_all = true;
      if (wanted.count(arn)) out[arn] = TagMapFromJson(mapping.value("Tags", nlohmann::json::array()));
    }
    std::string token = JsonString(*page, "PaginationToken");
    if (token.empty()) return true;
    request = {{"PaginationToken", token}, {"ResourcesPerPage", 100}, {"TagsPerPage", 500}};
  }
}

std::optional<std::map<std::string, TagMap>> ReadTagsByArn(ResourceContext& ctx,
                                                           const std::vector<std::string>& arns) {
  std::map<std::string, TagMap> out;
  std::set<std::string> wanted(arns.begin(), arns.end());
  bool scanned_all = false;
  for (const std::vector<std::string>& chunk : Chunks(arns, kArnsPerCall)) {
    if (scanned_all) break;
    if (!ReadTagsChunk(ctx, chunk, wanted, out, scanned_all)) return std::nullopt;
  }
  return out;
}

}  // namespace reconcile::aws_provider
