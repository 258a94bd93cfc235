// AWS response bodies. The first byte picks the protocol family and the HTTP
// status, the second which headers come with it; when the second byte asks
// for an X-Amzn-ErrorType or Retry-After header, the body's first line is
// that header's value. The body then goes through everything that reads
// responses without a network: the error parser, the XML lookups callers
// make, the credentials JSON, query flattening of JSON, timestamps.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/credential_sources.h"
#include "aws/error_parser.h"
#include "aws/query.h"
#include "aws/retry.h"
#include "aws/xml.h"
#include "fuzz_targets.h"

namespace reconcile::fuzz {
namespace {

using namespace reconcile::aws;

constexpr Protocol kProtocols[] = {Protocol::kEc2Query, Protocol::kQuery, Protocol::kJson,
                                   Protocol::kRestXml, Protocol::kRestJson};
constexpr int kStatuses[] = {200, 304, 400, 401, 403, 404, 409, 412, 429, 500, 502, 503, 504, 418};

// Lookups that response readers make, on every element (iteratively: the
// document may nest deeply).
void WalkXml(const XmlDocument& doc) {
  XmlNode root = doc.root();
  for (const char* path : {"Errors/Error", "Error/Code", "reservationSet/item/instancesSet/item",
                           "AssumeRoleResult/Credentials", "nextToken", "IsTruncated"}) {
    (void)root.Find(path).text();
    (void)root.FindAll(path);
    (void)root.TextIf(path);
  }
  (void)root.Descendant("Error");
  (void)root.Descendant("RequestId");
  std::vector<XmlNode> pending = {root};
  while (!pending.empty()) {
    XmlNode node = pending.back();
    pending.pop_back();
    (void)node.name();
    (void)node.text();
    (void)node.Child("item");
    for (XmlNode child : node.Children()) pending.push_back(child);
  }
}

void ReadJson(std::string_view body) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return;
  (void)ParseCredentialJson(body, "fuzz");
  for (ListStyle style : {ListStyle::kIndexed, ListStyle::kMember}) {
    QueryParams params;
    params.SetJson("Input", doc, style);
    (void)params.FormBody("Action", "2016-11-15");
  }
}

}  // namespace

void FuzzAwsResponse(std::string_view input) {
  if (input.size() < 2) return;
  const auto shape = static_cast<unsigned char>(input[0]);
  const auto headers_wanted = static_cast<unsigned char>(input[1]);
  const Protocol protocol = kProtocols[shape % std::size(kProtocols)];
  const int status = kStatuses[(shape / std::size(kProtocols)) % std::size(kStatuses)];
  std::string_view body = input.substr(2);
  HeaderList headers;
  if (headers_wanted & 3) {
    std::size_t end = body.find('\n');
    std::string value(body.substr(0, end));
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    if (headers_wanted & 1) headers.emplace_back("x-amzn-errortype", value);
    if (headers_wanted & 2) headers.emplace_back("retry-after", value);
    (void)ParseRetryAfter(value);
    (void)ParseIso8601(value);
    (void)ShortErrorCode(value);
  }
  if (headers_wanted & 4) headers.emplace_back("x-amzn-requestid", "fuzz-request");

  AwsError error = ParseErrorResponse(protocol, status, headers, body);
  FUZZ_CHECK(!error.code.empty());
  (void)ClassifyResponse(status, error.code);

  if (std::optional<XmlDocument> doc = XmlDocument::Parse(body)) WalkXml(*doc);
  ReadJson(body);
}

}  // namespace reconcile::fuzz
