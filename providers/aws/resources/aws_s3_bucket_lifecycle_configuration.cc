// aws_s3_bucket_lifecycle_configuration: the lifecycle rules of a bucket
// (expiration, transitions, noncurrent-version expiration, aborting stale
// multipart uploads), written whole by one Put.
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/s3.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              BucketAttribute(),
              Attribute::Required("rule", kList)
                  .Block({
                      Attribute::Required("id", kString),
                      Attribute::Required("status", kString).Describe("Enabled or Disabled"),
                      Attribute::Optional("filter", kList)
                          .Block({Attribute::Optional("prefix", kString)})
                          .MaxItems(1),
                      Attribute::Optional("expiration", kList)
                          .Block({
                              Attribute::Optional("days", kNumber),
                              Attribute::Optional("date", kString),
                              Attribute::Optional("expired_object_delete_marker", kBool),
                          })
                          .MaxItems(1),
                      Attribute::Optional("noncurrent_version_expiration", kList)
                          .Block({
                              Attribute::Required("noncurrent_days", kNumber),
                              Attribute::Optional("newer_noncurrent_versions", kNumber),
                          })
                          .MaxItems(1),
                      Attribute::Optional("transition", kList)
                          .Block({
                              Attribute::Optional("days", kNumber),
                              Attribute::Optional("date", kString),
                              Attribute::Required("storage_class", kString),
                          }),
                      Attribute::Optional("abort_incomplete_multipart_upload", kList)
                          .Block({Attribute::Required("days_after_initiation", kNumber)})
                          .MaxItems(1),
                  }),
          },
          "The lifecycle rules of an S3 bucket."};
}

// ---- Configuration to XML.

std::string Number(const Value& block, const char* attribute, const char* element) {
  auto n = FindInt(block, attribute);
  return n ? XmlElement(element, std::to_string(*n)) : "";
}

std::string Text(const Value& block, const char* attribute, const char* element) {
  auto s = FindString(block, attribute);
  return s ? XmlElement(element, *s) : "";
}

std::string RuleXml(const Value& rule) {
  std::string xml = "<Rule>" + XmlElement("ID", GetString(rule, "id"));
  std::string prefix;
  for (const Value& filter : GetBlocks(rule, "filter")) prefix = GetString(filter, "prefix");
  xml += "<Filter>" + XmlElement("Prefix", prefix) + "</Filter>";
  xml += XmlElement("Status", GetString(rule, "status"));
  for (const Value& t : GetBlocks(rule, "transition"))
    xml += "<Transition>" + Number(t, "days", "Days") + Text(t, "date", "Date") +
           XmlElement("StorageClass", GetString(t, "storage_class")) + "</Transition>";
  for (const Value& e : GetBlocks(rule, "expiration")) {
    xml += "<Expiration>" + Number(e, "days", "Days") + Text(e, "date", "Date");
    if (auto marker = FindBool(e, "expired_object_delete_marker"))
      xml += XmlElement("ExpiredObjectDeleteMarker", *marker ? "true" : "false");
    xml += "</Expiration>";
  }
  for (const Value& n : GetBlocks(rule, "noncurrent_version_expiration"))
    xml += "<NoncurrentVersionExpiration>" + Number(n, "noncurrent_days", "NoncurrentDays") +
           Number(n, "newer_noncurrent_versions", "NewerNoncurrentVersions") + "</NoncurrentVersionExpiration>";
  for (const Value& a : GetBlocks(rule, "abort_incomplete_multipart_upload"))
    xml += "<AbortIncompleteMultipartUpload>" + Number(a, "days_after_initiation", "DaysAfterInitiation") +
           "</AbortIncompleteMultipartUpload>";
  return xml + "</Rule>";
}

std::string PutBody(const Value& planned) {
  std::string body = std::string("<LifecycleConfiguration xmlns=\"") + kS3Xmlns + "\">";
  for (const Value& rule : GetBlocks(planned, "rule")) body += RuleXml(rule);
  return body + "</LifecycleConfiguration>";
}

// ---- XML to state.

Value NumberOrNull(const aws::XmlNode& node, const char* element) {
  std::string text = node.Text(element);
  return text.empty() ? Value() : NumFromText(text);
}

// One block of a rule ([{...}]) or null when the element is absent.
Value OneBlock(const aws::XmlNode& node, const std::function<Value(const aws::XmlNode&)>& convert) {
  if (!node) return Value();
  return Value::List({convert(node)});
}

Value RuleFromAws(const aws::XmlNode& rule, const Value& configured) {
  Value out = Value::Map({});
  out.Set("id", Str(rule.Text("ID")));
  out.Set("status", Str(rule.Text("Status")));
  std::string prefix = rule.Child("Filter") ? rule.Child("Filter").Text("Prefix") : rule.Text("Prefix");
  // An empty prefix is what a rule without a filter reads back as.
  bool filter_configured = !GetBlocks(configured, "filter").empty();
  out.Set("filter", prefix.empty() && !filter_configured ? Value()
                                                         : Value::List({Value::Map({{"prefix", Str(prefix)}})}));
  out.Set("expiration", OneBlock(rule.Child("Expiration"), [](const aws::XmlNode& e) {
            Value block = Value::Map({});
            block.Set("days", NumberOrNull(e, "Days"));
            block.Set("date", StrOrNull(e.Text("Date")));
            std::string marker = e.Text("ExpiredObjectDeleteMarker");
            block.Set("expired_object_delete_marker", marker.empty() ? Value() : Bool(marker == "true"));
            return block;
          }));
  out.Set("noncurrent_version_expiration", OneBlock(rule.Child("NoncurrentVersionExpiration"), [](const aws::XmlNode& n) {
            return Value::Map({{"noncurrent_days", NumberOrNull(n, "NoncurrentDays")},
                               {"newer_noncurrent_versions", NumberOrNull(n, "NewerNoncurrentVersions")}});
          }));
  ValueList transitions;
  for (const aws::XmlNode& t : rule.Children("Transition"))
    transitions.push_back(Value::Map({{"days", NumberOrNull(t, "Days")},
                                      {"date", StrOrNull(t.Text("Date"))},
                                      {"storage_class", Str(t.Text("StorageClass"))}}));
  out.Set("transition", transitions.empty() ? Value() : Value::List(std::move(transitions)));
  out.Set("abort_incomplete_multipart_upload",
          OneBlock(rule.Child("AbortIncompleteMultipartUpload"), [](const aws::XmlNode& a) {
            return Value::Map({{"days_after_initiation", NumberOrNull(a, "DaysAfterInitiation")}});
          }));
  return out;
}

Value ToState(const aws::XmlNode& root, const Value& current) {
  std::vector<Value> configured = GetBlocks(current, "rule");
  ValueList rules;
  for (const aws::XmlNode& rule : root.Children("Rule")) {
    Value match;
    for (const Value& c : configured)
      if (GetString(c, "id") == rule.Text("ID")) match = c;
    rules.push_back(RuleFromAws(rule, match));
  }
  if (rules.empty()) return Value();
  return Value::Map({{"rule", Value::List(std::move(rules))}});
}

}  // namespace

ResourceType aws_s3_bucket_lifecycle_configuration() {
  ResourceType type;
  type.schema = Schema();
  UseBucketConfiguration(type, {
                                   .subresource = "lifecycle",
                                   .get_operation = "GetBucketLifecycleConfiguration",
                                   .put_operation = "PutBucketLifecycleConfiguration",
                                   .delete_operation = "DeleteBucketLifecycle",
                                   .body = PutBody,
                                   .to_state = ToState,
                                   .reset = nullptr,
                                   .needs_put = nullptr,
                               });
  return type;
}

}  // namespace reconcile::aws_provider::resources
