#include "aws/pagination.h"

#include <nlohmann/json.hpp>

namespace reconcile::aws {

namespace {

std::string NextQueryToken(const XmlDocument& page, QueryPaging paging) {
  XmlNode root = page.root();
  if (paging == QueryPaging::kMarker) {
    if (root.Descendant("IsTruncated").text() != "true") return {};
    return root.Descendant("Marker").text();
  }
  if (XmlNode token = root.Descendant("NextToken"); token.valid()) return token.text();
  return root.Descendant("nextToken").text();
}

}  // namespace

AwsResult<Done> QueryPages(const AwsClient& client, std::string_view service,
                           std::string_view action, const QueryParams& params,
                           const std::function<bool(const XmlDocument&)>& on_page,
                           QueryPaging paging, const CallOptions& options) {
  const char* input = paging == QueryPaging::kMarker ? "Marker" : "NextToken";
  return Paginate(
      [&](const std::string& token) {
        QueryParams page_params = params;
        if (!token.empty()) page_params.Set(input, token);
        return client.Query(service, action, page_params, options);
      },
      [&](const XmlDocument& page) { return NextQueryToken(page, paging); },
      [&](const XmlDocument& page) { return on_page(page); });
}

AwsResult<Done> JsonPages(const AwsClient& client, std::string_view service,
                          std::string_view operation, const nlohmann::json& request,
                          const std::function<bool(const nlohmann::json&)>& on_page,
                          std::string_view input_token, std::string_view output_token,
                          const CallOptions& options) {
  return Paginate(
      [&](const std::string& token) {
        nlohmann::json page_request = request.is_null() ? nlohmann::json::object() : request;
        if (!token.empty()) page_request[std::string(input_token)] = token;
        return client.Json(service, operation, page_request, options);
      },
      [&](const nlohmann::json& page) {
        auto it = page.find(std::string(output_token));
        return it != page.end() && it->is_string() ? it->get<std::string>() : std::string();
      },
      [&](const nlohmann::json& page) { return on_page(page); });
}

}  // namespace reconcile::aws
