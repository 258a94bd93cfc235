// aws_acm_certificate_validation: waits until a DNS-validated certificate is
// ISSUED (its validation records made, typically by aws_route53_record with
// for_each over the certificate's records). It makes nothing in AWS: the id
// is the certificate's ARN, delete forgets it, and an interrupted create is
// simply waited for again. A certificate that is no longer ISSUED reads as
// gone, so the next plan waits again.
#include <algorithm>

#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/acm.h"
#include "services/route53.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

using nlohmann::json;

ResourceSchema Schema() {
  return {0,
          {
              Attribute::Required("certificate_arn", kString).ForceNew(),
              Attribute::Optional("validation_record_fqdns", kSet)
                  .Of(kString)
                  .ForceNew()
                  .Describe("the FQDNs of the validation records; each must be one the certificate asks for"),
          },
          "Waits for an ACM certificate to be issued."};
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto cert = DescribeCertificate(ctx, IdOf(current));
  if (!cert || cert->is_null() || JsonString(*cert, "Status") != "ISSUED") return Value();
  Value state = current;
  state.Set("certificate_arn", Str(JsonString(*cert, "CertificateArn")));
  return state;
}

// The configured FQDNs that are none of the certificate's records ("" when all are).
std::string UnknownRecords(const json& cert, const Value& planned) {
  std::vector<std::string> wanted;
  for (const json& option : cert.value("DomainValidationOptions", json::array()))
    if (option.contains("ResourceRecord")) wanted.push_back(NormalizeDnsName(JsonString(option["ResourceRecord"], "Name")));
  std::string unknown;
  for (const std::string& fqdn : GetStrings(planned, "validation_record_fqdns"))
    if (std::find(wanted.begin(), wanted.end(), NormalizeDnsName(fqdn)) == wanted.end())
      unknown += (unknown.empty() ? "" : ", ") + fqdn;
  return unknown;
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string arn = GetString(planned, "certificate_arn");
  bool checked = false;
  bool issued = WaitFor(ctx, "certificate " + arn + " to be issued", [&] {
    auto cert = DescribeCertificate(ctx, arn);
    if (!cert) return Poll::kFailed;
    if (cert->is_null()) {
      ctx.Error("Certificate " + arn + " does not exist");
      return Poll::kFailed;
    }
    if (!checked && IsSet(planned, "validation_record_fqdns")) {
      checked = true;
      if (std::string unknown = UnknownRecords(*cert, planned); !unknown.empty()) {
        ctx.Error("validation_record_fqdns of " + ctx.address() + " name records certificate " + arn +
                      " does not ask for: " + unknown,
                  "Use the resource_record_name of each of the certificate's domain_validation_options.");
        return Poll::kFailed;
      }
    }
    std::string status = JsonString(*cert, "Status");
    if (status == "ISSUED") return Poll::kDone;
    if (status != "PENDING_VALIDATION") {
      ctx.Error("Certificate " + arn + " is " + status + ", not ISSUED",
                "Check its validation records, or request a new certificate.");
      return Poll::kFailed;
    }
    return Poll::kPending;
  });
  return issued ? Value::Map({{"id", Str(arn)}}) : Value();
}

void Delete(ResourceContext&, const Value&) {}  // nothing in AWS

}  // namespace

ResourceType aws_acm_certificate_validation() {
  ResourceType type = MakeType(Schema(), Create, nullptr, Delete);
  type.read = Read;
  return type;
}

}  // namespace reconcile::aws_provider::resources
