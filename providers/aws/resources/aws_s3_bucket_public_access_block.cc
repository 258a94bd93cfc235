// aws_s3_bucket_public_access_block: the four switches that keep a bucket
// from being made public by ACLs or policies.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/s3.h"

namespace reconcile::aws_provider::resources {

namespace {

// One switch: its attribute and its element in the configuration.
struct Switch {
  const char* attribute;
  const char* element;
};
constexpr Switch kSwitches[] = {
    {"block_public_acls", "BlockPublicAcls"},
    {"block_public_policy", "BlockPublicPolicy"},
    {"ignore_public_acls", "IgnorePublicAcls"},
    {"restrict_public_buckets", "RestrictPublicBuckets"},
};

ResourceSchema Schema() {
  std::vector<Attribute> attributes{BucketAttribute()};
  for (const Switch& s : kSwitches)
    attributes.push_back(Attribute::Optional(s.attribute, kBool).Default(Bool(false)));
  return {0, std::move(attributes), "The public access block of an S3 bucket."};
}

std::string PutBody(const Value& planned) {
  std::string body = std::string("<PublicAccessBlockConfiguration xmlns=\"") + kS3Xmlns + "\">";
  for (const Switch& s : kSwitches)
    body += XmlElement(s.element, GetBool(planned, s.attribute) ? "true" : "false");
  return body + "</PublicAccessBlockConfiguration>";
}

Value ToState(const aws::XmlNode& root, const Value&) {
  Value state = Value::Map({});
  for (const Switch& s : kSwitches) state.Set(s.attribute, Bool(root.Text(s.element) == "true"));
  return state;
}

}  // namespace

ResourceType aws_s3_bucket_public_access_block() {
  ResourceType type;
  type.schema = Schema();
  UseBucketConfiguration(type, {
                                   .subresource = "publicAccessBlock",
                                   .get_operation = "GetPublicAccessBlock",
                                   .put_operation = "PutPublicAccessBlock",
                                   .delete_operation = "DeletePublicAccessBlock",
                                   .body = PutBody,
                                   .to_state = ToState,
                                   .reset = nullptr,
                                   .needs_put = nullptr,
                               });
  return type;
}

}  // namespace reconcile::aws_provider::resources
