// Walking paginated AWS responses: NextToken (JSON, EC2 nextToken,
// AutoScaling), Marker + IsTruncated (IAM), and any other style through the
// generic Paginate.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "aws/client.h"

namespace reconcile::aws {

// Calls fetch(token) with "" first and then with each next_token(page), handing
// every page to on_page (which returns false to stop early), until a page has
// no next token; stops at the first error. Guards against a repeated token.
template <typename Fetch, typename NextToken, typename OnPage>
AwsResult<Done> Paginate(Fetch fetch, NextToken next_token, OnPage on_page) {
  std::string token;
  while (true) {
    auto page = fetch(token);
    if (!page.ok()) return page.error();
    if (!on_page(page.value())) return Done{};
    std::string next = next_token(page.value());
    if (next.empty() || next == token) return Done{};
    token = std::move(next);
  }
}

// How a query API pages.
enum class QueryPaging {
  kNextToken,  // request NextToken; response NextToken / nextToken element (EC2, AutoScaling)
  kMarker,     // request Marker; response IsTruncated=true + Marker (IAM)
};

// Every page of a query call; `on_page` returns false to stop.
AwsResult<Done> QueryPages(const AwsClient& client, std::string_view service,
                           std::string_view action, const QueryParams& params,
                           const std::function<bool(const XmlDocument&)>& on_page,
                           QueryPaging paging = QueryPaging::kNextToken,
                           const CallOptions& options = {});

// Every page of a JSON call: request[input_token] = token, next from
// response[output_token] ("NextToken"/"nextToken"; DynamoDB uses
// ExclusiveStartKey/LastEvaluatedKey through Paginate instead).
AwsResult<Done> JsonPages(const AwsClient& client, std::string_view service,
                          std::string_view operation, const nlohmann::json& request,
                          const std::function<bool(const nlohmann::json&)>& on_page,
                          std::string_view input_token = "NextToken",
                          std::string_view output_token = "NextToken",
                          const CallOptions& options = {});

}  // namespace reconcile::aws
