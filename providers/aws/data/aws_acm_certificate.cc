// data aws_acm_certificate: the certificate of a domain (ISSUED by default;
// `statuses` widens it). Several matches are an error unless `most_recent`
// picks the newest.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/acm.h"

namespace reconcile::aws_provider::data_sources {

namespace {

using nlohmann::json;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("domain", kString),
              Attribute::Optional("statuses", kList).Of(kString),
              Attribute::Optional("most_recent", kBool).Default(Bool(false)),
              Attribute::Computed("id", kString),
              Attribute::Computed("arn", kString),
              Attribute::Computed("status", kString),
              Attribute::Computed("type", kString),
              Attribute::Computed("key_types", kString),
              Attribute::Computed("subject_alternative_names", kSet).Of(kString),
              Attribute::Computed("tags", kMap).Of(kString),
          },
          "An ACM certificate, by domain."};
}

// The time a certificate was issued (or imported, or requested), for most_recent.
double IssuedAt(const json& cert) {
  for (const char* key : {"IssuedAt", "ImportedAt", "CreatedAt"})
    if (cert.contains(key) && cert[key].is_number()) return cert[key].get<double>();
  return 0;
}

Value Read(ResourceContext& ctx, const Value& config) {
  std::string domain = GetString(config, "domain");
  std::vector<std::string> statuses = GetStrings(config, "statuses");
  if (statuses.empty()) statuses = {"ISSUED"};
  auto listed = JsonCall(ctx, "acm", "ListCertificates", {{"CertificateStatuses", statuses}},
                         aws::Idempotency::kIdempotent);
  if (!listed) return Value();
  std::vector<json> matches;
  for (const json& summary : listed->value("CertificateSummaryList", json::array())) {
    if (JsonString(summary, "DomainName") != domain) continue;
    auto cert = DescribeCertificate(ctx, JsonString(summary, "CertificateArn"));
    if (!cert) return Value();
    if (!cert->is_null()) matches.push_back(*cert);
  }
  if (matches.empty()) {
    ctx.Error("No certificate for \"" + domain + "\" with status " + statuses.front() +
              (statuses.size() > 1 ? " (or another of `statuses`)" : ""));
    return Value();
  }
  if (matches.size() > 1 && !GetBool(config, "most_recent")) {
    ctx.Error(std::to_string(matches.size()) + " certificates match \"" + domain + "\"",
              "Set most_recent = true to take the newest.");
    return Value();
  }
  const json& cert = *std::max_element(matches.begin(), matches.end(), [](const json& a, const json& b) {
    return IssuedAt(a) < IssuedAt(b);
  });
  std::string arn = JsonString(cert, "CertificateArn");
  auto tags = CertificateTags(ctx, arn);
  if (!tags) return Value();
  TagMap own;
  for (const auto& [key, value] : *tags)
    if (!IsOwnershipTag(key)) own[key] = value;
  Value state = Value::Map({});
  state.Set("domain", Str(domain));
  state.Set("statuses", Has(config, "statuses") ? StrList(GetStrings(config, "statuses")) : Value());
  state.Set("most_recent", Bool(GetBool(config, "most_recent")));
  state.Set("id", Str(arn));
  state.Set("arn", Str(arn));
  state.Set("status", Str(JsonString(cert, "Status")));
  state.Set("type", Str(JsonString(cert, "Type")));
  state.Set("key_types", StrOrNull(JsonString(cert, "KeyAlgorithm")));
  state.Set("subject_alternative_names", StrList(AlternativeNames(cert)));
  state.Set("tags", TagValue(own));
  return state;
}

}  // namespace

DataSourceType aws_acm_certificate() {
  DataSourceType type;
  type.schema = Schema();
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::data_sources
