// aws_acm_certificate: a certificate ACM issues for a domain (and
// alternative names) once DNS proves the domain is ours. Its DNS validation
// records are exported as `domain_validation_options` (a set, as Terraform
// has it) and as `domain_validation_records` (a map by domain name, whose
// keys are known at plan time, for `for_each = "${...}"` in a language
// without `for` expressions). Everything but tags forces a replacement. The
// request's idempotency token makes a retried create answer the same
// certificate, and an interrupted create is found again among the
// certificates of the domain by its ownership tags. The id is the ARN.
#include <set>

#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/acm.h"
#include "waiter.h"

namespace reconcile::aws_provider::resources {

namespace {

using nlohmann::json;

std::vector<Attribute> RecordFields() {
  return {Attribute::Computed("resource_record_name", kString),
          Attribute::Computed("resource_record_type", kString),
          Attribute::Computed("resource_record_value", kString)};
}

ResourceSchema Schema() {
  std::vector<Attribute> option = RecordFields();
  option.insert(option.begin(), Attribute::Computed("domain_name", kString));
  return {0,
          {
              Attribute::Required("domain_name", kString).ForceNew(),
              Attribute::OptionalComputed("subject_alternative_names", kSet).Of(kString).ForceNew(),
              Attribute::Optional("validation_method", kString).Default(Str("DNS")).ForceNew(),
              Attribute::OptionalComputed("key_algorithm", kString).ForceNew(),
              Attribute::Computed("arn", kString),
              Attribute::Computed("status", kString),
              Attribute::Computed("type", kString),
              Attribute::Computed("domain_validation_options", kSet).Block(option),
              Attribute::Computed("domain_validation_records", kMap)
                  .Block(RecordFields())
                  .Describe("the validation record of each domain, by domain name"),
          },
          "An ACM certificate (DNS validated)."};
}

// The validation records by domain name, from the set.
Value RecordsByDomain(const Value& options) {
  ValueMap out;
  if (!options.is_list()) return Value::Map({});
  for (const Value& option : options.AsList()) {
    Value record = option;
    record.MutableMap().erase("domain_name");
    out.emplace(GetString(option, "domain_name"), std::move(record));
  }
  return Value::Map(std::move(out));
}

Value ToState(ResourceContext& ctx, const json& cert, const TagMap& tags, const Value& current) {
  Value state = Value::Map({});
  std::string arn = JsonString(cert, "CertificateArn");
  state.Set("id", Str(arn));
  state.Set("arn", Str(arn));
  state.Set("domain_name", Str(JsonString(cert, "DomainName")));
  state.Set("subject_alternative_names", StrList(AlternativeNames(cert)));
  state.Set("validation_method", Str("DNS"));
  state.Set("key_algorithm", StrOrNull(JsonString(cert, "KeyAlgorithm")));
  state.Set("status", Str(JsonString(cert, "Status")));
  state.Set("type", Str(JsonString(cert, "Type")));
  Value options = ValidationOptionsState(cert);
  state.Set("domain_validation_records", RecordsByDomain(options));
  state.Set("domain_validation_options", std::move(options));
  SetTagsFromAws(tags, ctx.runtime().default_tags, current, state);
  return state;
}

Value Read(ResourceContext& ctx, const Value& current) {
  auto cert = DescribeCertificate(ctx, IdOf(current));
  if (!cert || cert->is_null()) return Value();
  auto tags = CertificateTags(ctx, IdOf(current));
  return tags ? ToState(ctx, *cert, *tags, current) : Value();
}

// Waits until ACM gives every domain its DNS record (a few seconds after the request).
bool WaitForRecords(ResourceContext& ctx, const std::string& arn) {
  return WaitFor(ctx, "certificate " + arn + " to give its DNS validation records", [&] {
    auto cert = DescribeCertificate(ctx, arn);
    if (!cert) return Poll::kFailed;
    if (cert->is_null()) return Poll::kPending;
    for (const json& option : cert->value("DomainValidationOptions", json::array()))
      if (!option.contains("ResourceRecord")) return Poll::kPending;
    return Poll::kDone;
  });
}

Value Create(ResourceContext& ctx, const Value& planned) {
  json request = {{"DomainName", GetString(planned, "domain_name")},
                  {"ValidationMethod", GetString(planned, "validation_method")},
                  {"IdempotencyToken", ctx.ClientToken(32)},
                  {"Tags", TagListJson(ctx.TagsForCreate(planned))}};
  std::vector<std::string> names = GetStrings(planned, "subject_alternative_names");
  if (!names.empty()) {
    names.insert(names.begin(), GetString(planned, "domain_name"));
    request["SubjectAlternativeNames"] = names;
  }
  if (auto algorithm = FindString(planned, "key_algorithm")) request["KeyAlgorithm"] = *algorithm;
  auto created = JsonCall(ctx, "acm", "RequestCertificate", request, aws::Idempotency::kClientToken);
  if (!created) return Value();
  std::string arn = JsonString(*created, "CertificateArn");
  if (!WaitForRecords(ctx, arn)) return Value();
  return Value::Map({{"id", Str(arn)}});
}

void Delete(ResourceContext& ctx, const Value& prior) {
  std::string arn = IdOf(prior);
  // A listener let go of a moment ago may still hold it: ResourceInUseException.
  DeleteUntilGone(ctx, {.what = "certificate " + arn,
                        .call = [&] {
                          return AsDone(ctx.client().Json("acm", "DeleteCertificate", {{"CertificateArn", arn}},
                                                          {.idempotency = aws::Idempotency::kIdempotent}));
                        },
                        .retry_while = {"ResourceInUseException"}});
}

void UpdateTags(ResourceContext& ctx, const Value& state, const TagChanges& changes) {
  if (!changes.remove.empty()) {
    json keys = json::array();
    for (const std::string& key : changes.remove) keys.push_back({{"Key", key}});
    if (!JsonCall(ctx, "acm", "RemoveTagsFromCertificate", {{"CertificateArn", IdOf(state)}, {"Tags", keys}},
                  aws::Idempotency::kIdempotent))
      return;
  }
  if (!changes.set.empty())
    JsonCall(ctx, "acm", "AddTagsToCertificate", {{"CertificateArn", IdOf(state)}, {"Tags", TagListJson(changes.set)}},
             aws::Idempotency::kIdempotent);
}

// The certificate of the planned domain carrying this instance's ownership tags.
Value Adopt(ResourceContext& ctx, const Value& planned) {
  auto listed = JsonCall(ctx, "acm", "ListCertificates", json::object(), aws::Idempotency::kIdempotent);
  if (!listed) return Value();
  for (const json& summary : listed->value("CertificateSummaryList", json::array())) {
    if (JsonString(summary, "DomainName") != GetString(planned, "domain_name")) continue;
    std::string arn = JsonString(summary, "CertificateArn");
    auto tags = CertificateTags(ctx, arn);
    if (!tags) return Value();
    if (OwnedByThisInstance(ctx, *tags)) return Value::Map({{"id", Str(arn)}});
  }
  return Value();
}

// A new certificate's records are known by domain before it exists: the
// plan gives each domain its entry, so `for_each` over them has known keys.
void Plan(ResourceContext&, const PlanRequest& request, PlanResponse& response) {
  Value& planned = response.planned_state;
  if (!IsUnknown(planned, "domain_validation_options") || IsUnknown(planned, "domain_name")) return;
  if (IsUnknown(planned, "subject_alternative_names") && !Has(request.config, "subject_alternative_names"))
    planned.Set("subject_alternative_names", StrList({}));
  if (IsUnknown(planned, "subject_alternative_names")) return;
  std::set<std::string> domains = {GetString(planned, "domain_name")};
  for (const std::string& name : GetStrings(planned, "subject_alternative_names")) domains.insert(name);
  ValueList options;
  for (const std::string& domain : domains)
    options.push_back(Value::Map({{"domain_name", Str(domain)},
                                  {"resource_record_name", Value::Unknown()},
                                  {"resource_record_type", Value::Unknown()},
                                  {"resource_record_value", Value::Unknown()}}));
  Value list = Value::List(std::move(options));
  planned.Set("domain_validation_records", RecordsByDomain(list));
  planned.Set("domain_validation_options", std::move(list));
}

}  // namespace

ResourceType aws_acm_certificate() {
  ResourceType type = MakeType(Schema(), Create, nullptr, Delete);
  type.read = Read;
  type.adopt = Adopt;
  type.plan = Plan;
  type.update_tags = UpdateTags;
  return type;
}

}  // namespace reconcile::aws_provider::resources
