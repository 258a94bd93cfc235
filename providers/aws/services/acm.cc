#include "acm.h"

#include <algorithm>

#include "reconcile/provider_kit.h"

namespace reconcile::aws_provider {

using nlohmann::json;

std::optional<json> DescribeCertificate(ResourceContext& ctx, const std::string& arn) {
  auto described = ctx.client().Json("acm", "DescribeCertificate", {{"CertificateArn", arn}},
                                     {.idempotency = aws::Idempotency::kIdempotent});
  if (!described.ok() && described.error().IsNotFound()) return json();
  if (!described.ok()) {
    ctx.Fail(described.error());
    return std::nullopt;
  }
  return described->value("Certificate", json());
}

std::optional<TagMap> CertificateTags(ResourceContext& ctx, const std::string& arn) {
  auto listed = JsonCall(ctx, "acm", "ListTagsForCertificate", {{"CertificateArn", arn}},
                         aws::Idempotency::kIdempotent);
  if (!listed) return std::nullopt;
  return TagMapFromJson(listed->value("Tags", json::array()));
}

Value ValidationOptionsState(const json& certificate) {
  ValueList out;
  for (const json& option : certificate.value("DomainValidationOptions", json::array())) {
    if (!option.contains("ResourceRecord")) continue;
    const json& record = option["ResourceRecord"];
    out.push_back(Value::Map({{"domain_name", Str(JsonString(option, "DomainName"))},
                              {"resource_record_name", Str(JsonString(record, "Name"))},
                              {"resource_record_type", Str(JsonString(record, "Type"))},
                              {"resource_record_value", Str(JsonString(record, "Value"))}}));
  }
  std::sort(out.begin(), out.end(), [](const Value& a, const Value& b) {
    return GetString(a, "domain_name") < GetString(b, "domain_name");
  });
  return Value::List(std::move(out));
}

std::vector<std::string> AlternativeNames(const json& certificate) {
  std::vector<std::string> names;
  for (const json& name : certificate.value("SubjectAlternativeNames", json::array()))
    if (name.is_string() && name != certificate.value("DomainName", "")) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace reconcile::aws_provider
