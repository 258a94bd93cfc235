// aws_s3_bucket_server_side_encryption_configuration: the default encryption
// of new objects in a bucket (SSE-S3 or SSE-KMS, with or without a bucket key).
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/s3.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              BucketAttribute(),
              Attribute::Required("rule", kSet)
                  .Block({
                      Attribute::Optional("apply_server_side_encryption_by_default", kList)
                          .Block({
                              Attribute::Required("sse_algorithm", kString)
                                  .Describe("AES256, aws:kms or aws:kms:dsse"),
                              Attribute::Optional("kms_master_key_id", kString),
                          })
                          .MaxItems(1),
                      Attribute::Optional("bucket_key_enabled", kBool).Default(Bool(false)),
                  }),
          },
          "The default server-side encryption of an S3 bucket."};
}

std::string RuleXml(const Value& rule) {
  std::string xml = "<Rule>";
  for (const Value& by_default : GetBlocks(rule, "apply_server_side_encryption_by_default")) {
    xml += "<ApplyServerSideEncryptionByDefault>" +
           XmlElement("SSEAlgorithm", GetString(by_default, "sse_algorithm"));
    if (auto key = FindString(by_default, "kms_master_key_id"))
      xml += XmlElement("KMSMasterKeyID", *key);
    xml += "</ApplyServerSideEncryptionByDefault>";
  }
  xml += XmlElement("BucketKeyEnabled", GetBool(rule, "bucket_key_enabled") ? "true" : "false");
  return xml + "</Rule>";
}

std::string PutBody(const Value& planned) {
  std::string body = std::string("<ServerSideEncryptionConfiguration xmlns=\"") + kS3Xmlns + "\">";
  for (const Value& rule : GetBlocks(planned, "rule")) body += RuleXml(rule);
  return body + "</ServerSideEncryptionConfiguration>";
}

Value RuleFromAws(const aws::XmlNode& rule) {
  Value out = Value::Map({});
  ValueList by_default;
  if (aws::XmlNode d = rule.Child("ApplyServerSideEncryptionByDefault")) {
    Value block = Value::Map({});
    block.Set("sse_algorithm", Str(d.Text("SSEAlgorithm")));
    block.Set("kms_master_key_id", StrOrNull(d.Text("KMSMasterKeyID")));
    by_default.push_back(block);
  }
  out.Set("apply_server_side_encryption_by_default",
          by_default.empty() ? Value() : Value::List(by_default));
  out.Set("bucket_key_enabled", Bool(rule.Text("BucketKeyEnabled") == "true"));
  return out;
}

Value ToState(const aws::XmlNode& root, const Value&) {
  ValueList rules;
  for (const aws::XmlNode& rule : root.Children("Rule")) rules.push_back(RuleFromAws(rule));
  if (rules.empty()) return Value();
  return Value::Map({{"rule", Value::List(std::move(rules))}});
}

}  // namespace

ResourceType aws_s3_bucket_server_side_encryption_configuration() {
  ResourceType type;
  type.schema = Schema();
  UseBucketConfiguration(type, {
                                   .subresource = "encryption",
                                   .get_operation = "GetBucketEncryption",
                                   .put_operation = "PutBucketEncryption",
                                   .delete_operation = "DeleteBucketEncryption",
                                   .body = PutBody,
                                   .to_state = ToState,
                                   .reset = nullptr,
                                   .needs_put = nullptr,
                               });
  return type;
}

}  // namespace reconcile::aws_provider::resources
