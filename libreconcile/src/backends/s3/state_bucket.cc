#include "backends/s3/state_bucket.h"

#include "backends/s3/content_digest.h"

namespace reconcile::s3 {

namespace {

constexpr const char* kXmlns = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";

// A bucket sub-resource call ("?versioning", ...), with Content-MD5 on a body
// (S3 requires a checksum on these configuration calls).
aws::AwsResult<aws::XmlResponse> BucketCall(const ObjectStore& objects, const char* operation, const char* method,
                                            const char* subresource, std::string body = {}) {
  aws::RestRequest request{.operation = operation, .method = method, .path = "/", .bucket = objects.bucket(),
                           .body = std::move(body)};
  if (*subresource != '\0') request.query = {{subresource, ""}};
  if (!request.body.empty()) request.headers.emplace_back("Content-MD5", Md5Base64(request.body));
  return objects.client().RestXml("s3", request);
}

std::string Quoted(const std::string& bucket) { return "\"" + bucket + "\""; }

// HeadBucket: true when it exists; an error for anything but "not found".
aws::AwsResult<bool> BucketExists(const ObjectStore& objects) {
  aws::RestRequest head{.operation = "HeadBucket", .method = "HEAD", .path = "/", .bucket = objects.bucket()};
  aws::AwsResult<aws::RestResponse> response = objects.client().Send("s3", head);
  if (response.ok()) return true;
  if (response.error().IsNotFound()) return false;
  return response.error();
}

Diagnostics EnsureBucket(const ObjectStore& objects, std::vector<std::string>* report) {
  Diagnostics diags;
  aws::AwsResult<bool> exists = BucketExists(objects);
  if (!exists.ok()) {
    diags.Add(exists.error().ToDiagnostic());
    return diags;
  }
  if (exists.value()) {
    report->push_back("S3 bucket " + Quoted(objects.bucket()) + " already exists.");
    return diags;
  }
  const std::string& region = objects.client().region();
  std::string body;
  if (region != "us-east-1")
    body = std::string("<CreateBucketConfiguration ") + kXmlns + "><LocationConstraint>" + region +
           "</LocationConstraint></CreateBucketConfiguration>";
  aws::AwsResult<aws::XmlResponse> created = BucketCall(objects, "CreateBucket", "PUT", "", body);
  if (!created.ok() && !created.error().Is("BucketAlreadyOwnedByYou")) {
    diags.Add(created.error().ToDiagnostic());
    if (created.error().Is("BucketAlreadyExists"))
      diags.Error("S3 bucket names are global and " + Quoted(objects.bucket()) + " belongs to another account",
                  "choose another [backend.s3] bucket name");
    return diags;
  }
  report->push_back("Created S3 bucket " + Quoted(objects.bucket()) + " in " + region + ".");
  return diags;
}

Diagnostics EnsureVersioning(const ObjectStore& objects, std::vector<std::string>* report) {
  Diagnostics diags;
  aws::AwsResult<aws::XmlResponse> current = BucketCall(objects, "GetBucketVersioning", "GET", "versioning");
  if (!current.ok()) {
    diags.Add(current.error().ToDiagnostic());
    return diags;
  }
  if (current->xml.root().Text("Status") == "Enabled") {
    report->push_back("Versioning of bucket " + Quoted(objects.bucket()) + " is already on.");
    return diags;
  }
  std::string body = std::string("<VersioningConfiguration ") + kXmlns +
                     "><Status>Enabled</Status></VersioningConfiguration>";
  aws::AwsResult<aws::XmlResponse> put = BucketCall(objects, "PutBucketVersioning", "PUT", "versioning", body);
  if (!put.ok()) {
    diags.Add(put.error().ToDiagnostic());
    return diags;
  }
  report->push_back("Turned on versioning of bucket " + Quoted(objects.bucket()) + ".");
  return diags;
}

Diagnostics EnsureEncryption(const ObjectStore& objects, std::vector<std::string>* report) {
  Diagnostics diags;
  aws::AwsResult<aws::XmlResponse> current = BucketCall(objects, "GetBucketEncryption", "GET", "encryption");
  if (current.ok()) {
    std::string algorithm = current->xml.root().Text("Rule/ApplyServerSideEncryptionByDefault/SSEAlgorithm");
    report->push_back("Bucket " + Quoted(objects.bucket()) + " already has default encryption (" + algorithm + ").");
    return diags;
  }
  if (!current.error().IsNotFound()) {
    diags.Add(current.error().ToDiagnostic());
    return diags;
  }
  const std::string& kms_key = objects.encryption().kms_key_id;
  std::string rule = kms_key.empty() ? "<SSEAlgorithm>AES256</SSEAlgorithm>"
                                     : "<SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>" + kms_key + "</KMSMasterKeyID>";
  std::string body = std::string("<ServerSideEncryptionConfiguration ") + kXmlns +
                     "><Rule><ApplyServerSideEncryptionByDefault>" + rule +
                     "</ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>";
  aws::AwsResult<aws::XmlResponse> put = BucketCall(objects, "PutBucketEncryption", "PUT", "encryption", body);
  if (!put.ok()) {
    diags.Add(put.error().ToDiagnostic());
    return diags;
  }
  report->push_back("Set default encryption of bucket " + Quoted(objects.bucket()) + " (" +
                    (kms_key.empty() ? "AES256" : "aws:kms, key " + kms_key) + ").");
  return diags;
}

Diagnostics EnsurePublicAccessBlocked(const ObjectStore& objects, std::vector<std::string>* report) {
  static constexpr const char* kFlags[] = {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
                                           "RestrictPublicBuckets"};
  Diagnostics diags;
  aws::AwsResult<aws::XmlResponse> current = BucketCall(objects, "GetPublicAccessBlock", "GET", "publicAccessBlock");
  if (!current.ok() && !current.error().IsNotFound()) {
    diags.Add(current.error().ToDiagnostic());
    return diags;
  }
  bool all_blocked = current.ok();
  std::string flags;
  for (const char* flag : kFlags) {
    if (current.ok()) all_blocked = all_blocked && current->xml.root().Text(flag) == "true";
    flags += std::string("<") + flag + ">true</" + flag + ">";
  }
  if (all_blocked) {
    report->push_back("Public access to bucket " + Quoted(objects.bucket()) + " is already blocked.");
    return diags;
  }
  std::string body = std::string("<PublicAccessBlockConfiguration ") + kXmlns + ">" + flags +
                     "</PublicAccessBlockConfiguration>";
  aws::AwsResult<aws::XmlResponse> put = BucketCall(objects, "PutPublicAccessBlock", "PUT", "publicAccessBlock", body);
  if (!put.ok()) {
    diags.Add(put.error().ToDiagnostic());
    return diags;
  }
  report->push_back("Blocked public access to bucket " + Quoted(objects.bucket()) + ".");
  return diags;
}

}  // namespace

Diagnostics BootstrapBucket(const ObjectStore& objects, std::vector<std::string>* report) {
  Diagnostics diags = EnsureBucket(objects, report);
  for (auto step : {EnsureVersioning, EnsureEncryption, EnsurePublicAccessBlocked}) {
    if (diags.HasErrors()) break;
    diags.Append(step(objects, report));
  }
  return diags;
}

Diagnostics CheckBucket(const ObjectStore& objects) {
  Diagnostics diags;
  aws::AwsResult<bool> exists = BucketExists(objects);
  if (!exists.ok()) {
    Diagnostic failure = exists.error().ToDiagnostic();
    failure.summary = "cannot use S3 bucket " + Quoted(objects.bucket()) + ": " + failure.summary;
    if (exists.error().http_status == 403)
      failure.detail += "\nThe backend's credentials (its [backend.s3] profile) may not access this bucket.";
    diags.Add(std::move(failure));
  } else if (!exists.value()) {
    diags.Error("S3 bucket " + Quoted(objects.bucket()) + " does not exist",
                "create it with `reconcile init --bootstrap`, or set [backend.s3] bucket to an existing bucket");
  }
  return diags;
}

}  // namespace reconcile::s3
