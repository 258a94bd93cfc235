// aws_s3_object: one object in a bucket, its body from `content`,
// `content_base64` or a `source` file. The plan computes the body's MD5, so a
// changed file, or an object changed in S3 (its ETag no longer the body's),
// plans an update that puts the body again. A delete removes every version of
// the key. PutObject overwrites, so a create first looks at the key: an object
// there is adopted only when its tags say it is this instance's.
#include <algorithm>
#include <fstream>
#include <sstream>

#include "ownership.h"
#include "reconcile/provider_kit.h"
#include "resource_type.h"
#include "services/s3.h"

namespace reconcile::aws_provider::resources {

namespace {

ResourceSchema Schema() {
  return {0,
          {
              BucketAttribute(),
              Attribute::Required("key", kString).ForceNew().Describe("the object's key"),
              Attribute::Optional("content", kString).Describe("the body as UTF-8 text"),
              Attribute::Optional("content_base64", kString).Describe("the body, base64-encoded"),
              Attribute::Optional("source", kString)
                  .Describe("a file holding the body; relative to the stack directory"),
              Attribute::OptionalComputed("content_type", kString),
              Attribute::OptionalComputed("server_side_encryption", kString)
                  .Describe("AES256 or aws:kms"),
              Attribute::OptionalComputed("kms_key_id", kString),
              Attribute::OptionalComputed("etag", kString)
                  .Describe("the body's MD5 (hex); computed from the body unless SSE-KMS"),
              Attribute::Computed("version_id", kString),
          },
          "An S3 object."};
}

std::string ObjectName(const std::string& bucket, const std::string& key) {
  return "s3://" + bucket + "/" + key;
}

bool ReadWholeFile(const std::string& path, std::string* bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream out;
  out << in.rdbuf();
  *bytes = std::move(out).str();
  return !in.bad();
}

// The body the configuration gives; nullopt after recording why it cannot be had.
std::optional<std::string> Body(ResourceContext& ctx, const Value& config) {
  if (auto content = FindString(config, "content")) return *content;
  if (auto encoded = FindString(config, "content_base64")) {
    std::string bytes;
    if (!encoding::Base64Decode(*encoded, &bytes)) {
      ctx.Error("content_base64 of " + ctx.address() + " is not base64");
      return std::nullopt;
    }
    return bytes;
  }
  if (auto source = FindString(config, "source")) {
    std::string bytes;
    if (!ReadWholeFile(*source, &bytes)) {
      ctx.Error("Cannot read the source file \"" + *source + "\" of " + ctx.address(),
                "A relative path is relative to the stack directory.");
      return std::nullopt;
    }
    return bytes;
  }
  return std::string();
}

bool KmsEncrypted(const Value& v) { return GetString(v, "server_side_encryption") == "aws:kms"; }

std::string Md5Hex(std::string_view body) {
  return encoding::HexEncode(encoding::DigestOf(encoding::Digest::kMd5, body));
}

// key1=value1&key2=value2, as the x-amz-tagging header takes tags.
std::string TaggingHeader(const TagMap& tags) {
  std::string out;
  for (const auto& [key, value] : tags)
    out += (out.empty() ? "" : "&") + aws::FormEncode(key) + "=" + aws::FormEncode(value);
  return out;
}

bool PutObject(ResourceContext& ctx, const Value& planned) {
  std::optional<std::string> body = Body(ctx, planned);
  if (!body) return false;
  aws::RestRequest request{.operation = "PutObject",
                           .method = "PUT",
                           .path = "/" + GetString(planned, "key"),
                           .bucket = GetString(planned, "bucket"),
                           .body = std::move(*body)};
  request.content_type = FindString(planned, "content_type").value_or("binary/octet-stream");
  request.headers.emplace_back("Content-MD5", S3ContentMd5(request.body));
  if (auto sse = FindString(planned, "server_side_encryption"))
    request.headers.emplace_back("x-amz-server-side-encryption", *sse);
  if (auto key = FindString(planned, "kms_key_id"))
    request.headers.emplace_back("x-amz-server-side-encryption-aws-kms-key-id", *key);
  request.headers.emplace_back("x-amz-tagging", TaggingHeader(ctx.TagsForCreate(planned)));
  return ctx.Unwrap(ctx.client().Send("s3", request)).has_value();
}

// The object's tags; nullopt when it is gone or after recording an error.
std::optional<TagMap> ObjectTags(ResourceContext& ctx, const std::string& bucket,
                                 const std::string& key) {
  auto got = ctx.client().RestXml("s3", {.operation = "GetObjectTagging",
                                         .method = "GET",
                                         .path = "/" + key,
                                         .bucket = bucket,
                                         .query = {{"tagging", ""}}});
  if (!got.ok()) {
    if (!got.error().IsNotFound()) ctx.Fail(got.error());
    return std::nullopt;
  }
  return S3TagSet(got->xml.root());
}

bool PutObjectTags(ResourceContext& ctx, const std::string& bucket, const std::string& key,
                   const TagMap& tags) {
  std::string body = S3TaggingXml(tags);
  aws::RestRequest request{.operation = "PutObjectTagging",
                           .method = "PUT",
                           .path = "/" + key,
                           .bucket = bucket,
                           .query = {{"tagging", ""}},
                           .body = body};
  request.headers.emplace_back("Content-MD5", S3ContentMd5(body));
  return ctx.Unwrap(ctx.client().RestXml("s3", request)).has_value();
}

std::string Unquoted(std::string etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') return etag.substr(1, etag.size() - 2);
  return etag;
}

Value Read(ResourceContext& ctx, const Value& current) {
  std::string bucket = GetString(current, "bucket");
  std::string key = GetString(current, "key");
  if (key.empty()) key = IdOf(current);
  auto head = ctx.client().Send("s3", {.operation = "HeadObject", .method = "HEAD", .path = "/" + key, .bucket = bucket});
  if (!head.ok()) {
    if (!head.error().IsNotFound()) ctx.Fail(head.error());
    return Value();
  }
  std::optional<TagMap> tags = ObjectTags(ctx, bucket, key);
  if (!tags) return Value();
  Value state = Value::Map({});
  KeepAttributes(current, state, {"content", "content_base64", "source"});
  state.Set("id", Str(key));
  state.Set("bucket", Str(bucket));
  state.Set("key", Str(key));
  state.Set("content_type", StrOrNull(head->Header("content-type")));
  state.Set("server_side_encryption", StrOrNull(head->Header("x-amz-server-side-encryption")));
  state.Set("kms_key_id", StrOrNull(head->Header("x-amz-server-side-encryption-aws-kms-key-id")));
  state.Set("etag", Str(Unquoted(head->Header("etag"))));
  std::string version = head->Header("x-amz-version-id");
  state.Set("version_id", version == "null" ? Value() : StrOrNull(version));
  SetTagsFromAws(*tags, ctx.runtime().default_tags, current, state);
  return state;
}

// The tags of the object at the planned key (nullopt when there is none).
HolderTags KeyHolderTags(ResourceContext& ctx, const Value& planned) {
  return [&ctx, planned] { return ObjectTags(ctx, GetString(planned, "bucket"), GetString(planned, "key")); };
}

Value Create(ResourceContext& ctx, const Value& planned) {
  std::string bucket = GetString(planned, "bucket");
  std::string key = GetString(planned, "key");
  if (CheckName(ctx, {"S3 object", ObjectName(bucket, key), bucket + "/" + key},
                KeyHolderTags(ctx, planned)) == NameCheck::kRefused)
    return Value();
  // This instance's object (an interrupted create's) is put again: its body may be older.
  if (!PutObject(ctx, planned)) return Value();
  return Value::Map({{"id", Str(key)}});
}

// Whether the object must be put again: its body or metadata differ. Without
// SSE-KMS the ETag is the body's MD5 and decides alone (so an imported object,
// whose state lacks the body, is not put again when it holds the same bytes).
bool Rewritten(const Value& prior, const Value& planned) {
  std::vector<const char*> names = {"content_type", "server_side_encryption", "kms_key_id", "etag"};
  if (KmsEncrypted(planned)) names.insert(names.end(), {"content", "content_base64", "source"});
  return std::any_of(names.begin(), names.end(), [&](const char* name) { return Changed(prior, planned, name); });
}

// S3 objects are immutable: anything but tags puts the whole object again.
void Update(ResourceContext& ctx, const Value& prior, const Value& planned) {
  if (Rewritten(prior, planned)) PutObject(ctx, planned);
}

// The object's tag set changed as asked, its ownership tags kept.
void UpdateTags(ResourceContext& ctx, const Value& state, const TagChanges& changes) {
  std::string bucket = GetString(state, "bucket");
  std::string key = GetString(state, "key");
  auto tags = ObjectTags(ctx, bucket, key);
  if (!tags) return;
  for (const std::string& name : changes.remove) tags->erase(name);
  for (const auto& [name, value] : changes.set) (*tags)[name] = value;
  for (const auto& [name, value] : ctx.OwnershipTags()) (*tags)[name] = value;
  PutObjectTags(ctx, bucket, key, *tags);
}

// Every version of the key goes (as Terraform does), so a versioned bucket
// can be deleted after its objects.
void Delete(ResourceContext& ctx, const Value& prior) {
  DeleteAllObjectVersions(ctx, GetString(prior, "bucket"), GetString(prior, "key"));
}

// `bucket/key` or `s3://bucket/key`.
Value Import(ResourceContext& ctx, const std::string& id) {
  std::string path = id.starts_with("s3://") ? id.substr(5) : id;
  std::size_t slash = path.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == path.size()) {
    ctx.Error("Cannot import S3 object \"" + id + "\"", "Expected BUCKET/KEY or s3://BUCKET/KEY.");
    return Value();
  }
  std::string key = path.substr(slash + 1);
  return Value::Map({{"id", Str(key)}, {"bucket", Str(path.substr(0, slash))}, {"key", Str(key)}});
}

Value Adopt(ResourceContext& ctx, const Value& planned) {
  return HolderIsOurs(ctx, KeyHolderTags(ctx, planned)) ? Value::Map({{"id", Str(GetString(planned, "key"))}})
                                                         : Value();
}

// One body source at most; the planned ETag is the body's MD5 (unless SSE-KMS,
// whose ETag is not), so a body that differs from the object's plans an update.
void Plan(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response) {
  int sources = 0;
  for (const char* name : {"content", "content_base64", "source"}) sources += Has(request.config, name) ? 1 : 0;
  if (sources > 1) {
    ctx.Error("Only one of content, content_base64 and source may be set");
    return;
  }
  Value& planned = response.planned_state;
  if (IsSet(planned, "bucket") && IsSet(planned, "key")) planned.Set("id", Str(GetString(planned, "key")));
  bool known = !IsUnknown(planned, "content") && !IsUnknown(planned, "content_base64") &&
               !IsUnknown(planned, "source") && !IsUnknown(planned, "server_side_encryption");
  bool user_etag = Has(request.config, "etag");
  if (!user_etag && known && !KmsEncrypted(planned)) {
    std::optional<std::string> body = Body(ctx, planned);
    if (!body) return;
    planned.Set("etag", Str(Md5Hex(*body)));
  }
  bool created = request.prior_state.is_null();
  if (!user_etag && (!known || (KmsEncrypted(planned) && (created || Rewritten(request.prior_state, planned)))))
    planned.Set("etag", Value::Unknown());
  if (created || Rewritten(request.prior_state, planned)) planned.Set("version_id", Value::Unknown());
}

}  // namespace

ResourceType aws_s3_object() {
  ResourceType type = MakeType(Schema(), Create, Update, Delete);
  type.read = Read;
  type.import = Import;
  type.adopt = Adopt;
  type.plan = Plan;
  type.update_tags = UpdateTags;
  return type;
}

}  // namespace reconcile::aws_provider::resources
