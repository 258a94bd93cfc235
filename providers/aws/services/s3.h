// Shared by the S3 bucket types: REST-XML calls on a bucket and its
// configuration sub-resources (?tagging, ?versioning, ...), whole-set bucket
// tags, and the shape of the bucket configuration types (versioning,
// encryption, public access block): one object per bucket, named by it,
// written whole by one Put and read by one Get.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/client.h"
#include "resource_context.h"
#include "resource_type.h"
#include "xml_body.h"

namespace reconcile::aws_provider {

// The XML namespace S3 request bodies carry.
inline constexpr const char* kS3Xmlns = "http://s3.amazonaws.com/doc/2006-03-01/";

// One call on `bucket` (sub-resource `subresource`, "" for the bucket itself),
// with the Content-MD5 S3 requires on configuration bodies. Not recorded.
aws::AwsResult<aws::XmlResponse> S3BucketCall(const ResourceContext& ctx,
                                              const std::string& operation,
                                              const std::string& method, const std::string& bucket,
                                              const std::string& subresource, std::string body = {},
                                              aws::QueryList extra_query = {});

// The same call retried while S3 does not yet know a bucket created moments
// ago (NoSuchBucket); records the final error. True on success.
bool S3PutRetryingNewBucket(ResourceContext& ctx, const std::string& operation,
                            const std::string& bucket, const std::string& subresource,
                            const std::string& body);

// The Content-MD5 header S3 wants on configuration and object bodies.
std::string S3ContentMd5(std::string_view body);

// A <Tagging> body (PutBucketTagging, PutObjectTagging) and the tags of a
// Get*Tagging answer.
std::string S3TaggingXml(const TagMap& tags);
TagMap S3TagSet(const aws::XmlNode& tagging);

// The bucket's tags (none when it has no tag set); nullopt on error (recorded).
std::optional<TagMap> S3BucketTags(ResourceContext& ctx, const std::string& bucket);
// Replaces the bucket's whole tag set (deletes it when `tags` is empty).
bool PutS3BucketTags(ResourceContext& ctx, const std::string& bucket, const TagMap& tags);

// Deletes every version and delete marker of one object (so a versioned
// bucket keeps nothing of it), 1000 a call; a missing bucket or key is
// success. False after recording an error.
bool DeleteAllObjectVersions(ResourceContext& ctx, const std::string& bucket, const std::string& key);

// What one bucket configuration type needs beyond the shared steps.
struct BucketConfigurationKind {
  std::string subresource;       // "versioning"
  std::string get_operation;     // "GetBucketVersioning"
  std::string put_operation;     // "PutBucketVersioning"
  std::string delete_operation;  // "DeleteBucketEncryption"; "" when `reset` does the delete
  // The Put body for a planned state.
  std::function<std::string(const Value& planned)> body;
  // The type's attributes from the Get answer's root (the bucket and id are
  // set by the caller); null when the bucket holds no such configuration.
  std::function<Value(const aws::XmlNode& root, const Value& current)> to_state;
  // Deletes when there is no Delete operation (versioning is suspended, not removed).
  std::function<void(ResourceContext& ctx, const Value& prior)> reset;
  // False when a planned state needs no Put on create (versioning "Disabled").
  std::function<bool(const Value& planned)> needs_put;
};

// The `bucket` attribute every configuration type starts with.
Attribute BucketAttribute();

// Installs create, read, update, delete, import and adopt (by bucket name)
// for a configuration type; its id is the bucket name.
void UseBucketConfiguration(ResourceType& type, BucketConfigurationKind kind);

}  // namespace reconcile::aws_provider
