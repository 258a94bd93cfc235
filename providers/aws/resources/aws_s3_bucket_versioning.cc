// aws_s3_bucket_versioning: the versioning state of a bucket (Enabled,
// Suspended, or Disabled for a bucket never versioned). S3 cannot turn
// versioning off once on, so deleting this resource suspends it.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/s3.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {
      0,
      {
          BucketAttribute(),
          Attribute::Required("versioning_configuration", kList)
              .Block({
                  Attribute::Required("status", kString).Describe("Enabled, Suspended or Disabled"),
                  Attribute::OptionalComputed("mfa_delete", kString)
                      .Describe("Enabled or Disabled"),
              })
              .MaxItems(1),
      },
      "The versioning configuration of an S3 bucket."};
}

Value Configuration(const Value& state) {
  std::vector<Value> blocks = GetBlocks(state, "versioning_configuration");
  return blocks.empty() ? Value::Map({}) : blocks.front();
}

std::string Body(const std::string& status, const std::string& mfa_delete) {
  std::string body = std::string("<VersioningConfiguration xmlns=\"") + kS3Xmlns + "\">" +
                     XmlElement("Status", status);
  if (!mfa_delete.empty()) body += XmlElement("MfaDelete", mfa_delete);
  return body + "</VersioningConfiguration>";
}

std::string PutBody(const Value& planned) {
  Value configuration = Configuration(planned);
  return Body(GetString(configuration, "status"), GetString(configuration, "mfa_delete"));
}

// A bucket never versioned answers without a Status: "Disabled".
Value ToState(const aws::XmlNode& root, const Value&) {
  std::string status = root.Text("Status");
  Value configuration = Value::Map({});
  configuration.Set("status", Str(status.empty() ? "Disabled" : status));
  configuration.Set("mfa_delete", StrOrNull(root.Text("MfaDelete")));
  return Value::Map({{"versioning_configuration", Value::List({configuration})}});
}

// Deleting suspends versioning that is on; a bucket already gone is fine.
void Suspend(ResourceContext& ctx, const Value& prior) {
  if (GetString(Configuration(prior), "status") != "Enabled") return;
  ctx.SucceededOrGone(S3BucketCall(ctx, "PutBucketVersioning", "PUT", IdOf(prior), "versioning",
                                   Body("Suspended", "")));
}

// mfa_delete keeps AWS's value when not configured; Disabled is only a start.
void Plan(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
  Value planned = Configuration(response.planned_state);
  Value prior = Configuration(request.prior_state);
  if (!IsSet(planned, "mfa_delete") && IsSet(prior, "mfa_delete")) {
    planned.Set("mfa_delete", *prior.Find("mfa_delete"));
    response.planned_state.Set("versioning_configuration", Value::List({planned}));
  }
  std::string was = GetString(prior, "status");
  if (GetString(planned, "status") == "Disabled" && (was == "Enabled" || was == "Suspended"))
    ctx.Error("Versioning of bucket " + GetString(response.planned_state, "bucket") +
                  " cannot be Disabled again",
              "S3 can only suspend versioning once it was enabled: set "
              "versioning_configuration.status = \"Suspended\".");
}

}  // namespace

ResourceType aws_s3_bucket_versioning() {
  ResourceType type;
  type.schema = Schema();
  type.plan = Plan;
  UseBucketConfiguration(type, {
                                   .subresource = "versioning",
                                   .get_operation = "GetBucketVersioning",
                                   .put_operation = "PutBucketVersioning",
                                   .delete_operation = "",
                                   .body = PutBody,
                                   .to_state = ToState,
                                   .reset = Suspend,
                                   .needs_put =
                                       [](const Value& planned) {
                                         return GetString(Configuration(planned), "status") !=
                                                "Disabled";
                                       },
                               });
  return type;
}

}  // namespace reconcile::aws_provider::resources
