#include "migrate/terraform_source.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "backends/s3/content_digest.h"
#include "backends/s3/dynamodb_lock_store.h"
#include "backends/s3/object_store.h"
#include "reconcile/backend.h"
#include "reconcile/state.h"

namespace reconcile::migrate {

namespace {

using Clock = std::chrono::steady_clock;

// How long a read waits for the state to match the digest Terraform recorded.
constexpr std::chrono::seconds kStaleReadTimeout{5};

std::string UserAtHost() {
  const char* user = std::getenv("USER");
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(user != nullptr && *user != '\0' ? user : "unknown") + "@" + host;
}

Diagnostic Failure(const aws::AwsError& error, const std::string& doing) {
  Diagnostic d = error.ToDiagnostic();
  d.summary = doing + ": " + d.summary;
  return d;
}

std::string HolderText(const std::string& info_json) {
  LockInfo holder;
  if (info_json.empty()) return "a lock that vanished meanwhile";
  if (!LockInfo::FromJson(info_json, &holder)) return info_json;
  return holder.Describe();
}

}  // namespace

struct TerraformSource::HeldLocks {
  std::shared_ptr<aws::AwsClient> client;
  std::string bucket;
  std::string path;
  std::unique_ptr<s3::DynamoDbLockStore> table;
  std::optional<s3::LockEntry> table_entry;
  std::unique_ptr<s3::ObjectStore> objects;
  std::string lockfile_etag;  // set while the lockfile is ours
};

TerraformSource::TerraformSource() : held_(std::make_unique<HeldLocks>()) {}

TerraformSource::~TerraformSource() { (void)Release(); }

bool ParseS3Url(const std::string& source, std::string* bucket, std::string* key) {
  if (!source.starts_with("s3://")) return false;
  std::string rest = source.substr(5);
  std::size_t slash = rest.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size()) return false;
  *bucket = rest.substr(0, slash);
  *key = rest.substr(slash + 1);
  return true;
}

namespace {

Diagnostics ReadFile(const std::string& path, std::string* out) {
  Diagnostics diags;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.Error("Cannot read the Terraform state " + path,
                "No such file, or it is not readable. Give a state file (`terraform state pull > "
                "terraform.tfstate`) or s3://BUCKET/KEY.");
    return diags;
  }
  std::stringstream content;
  content << in.rdbuf();
  *out = content.str();
  return diags;
}

}  // namespace

Diagnostics TerraformSource::Open(const TerraformSourceOptions& options,
                                  std::unique_ptr<TerraformSource>* out) {
  Diagnostics diags;
  std::unique_ptr<TerraformSource> source(new TerraformSource());
  std::string bucket, key;
  if (!options.source.starts_with("s3://")) {
    source->location_ = options.source;
    diags.Append(ReadFile(options.source, &source->document_));
    if (!diags.HasErrors()) *out = std::move(source);
    return diags;
  }
  if (!ParseS3Url(options.source, &bucket, &key)) {
    diags.Error("Invalid source \"" + options.source + "\"",
                "Expected s3://BUCKET/KEY, the bucket and key of Terraform's S3 backend block.");
    return diags;
  }
  HeldLocks& held = *source->held_;
  held.client = options.client;
  if (!held.client) {
    aws::AwsResult<std::shared_ptr<aws::AwsClient>> client = aws::AwsClient::Create({});
    if (!client.ok()) {
      diags.Add(Failure(client.error(), "cannot set up the AWS client to read " + options.source));
      return diags;
    }
    held.client = client.value();
  }
  held.bucket = bucket;
  held.path = options.workspace.empty() || options.workspace == "default"
                  ? key
                  : options.workspace_key_prefix + "/" + options.workspace + "/" + key;
  source->location_ = "s3://" + bucket + "/" + held.path;
  held.objects = std::make_unique<s3::ObjectStore>(held.client, bucket, s3::Encryption{});

  if (options.lock) {
    if (options.lock_table.empty() && !options.lockfile) {
      diags.Error("No Terraform lock to take while reading " + source->location_,
                  "Give Terraform's lock: --lock-table TABLE (its backend's dynamodb_table) and/or "
                  "--lockfile (its use_lockfile = true), or --lock=false to read without it.");
      return diags;
    }
    LockInfo info;
    info.id = NewLineage();
    info.operation = options.operation;
    info.who = UserAtHost();
    info.version = options.tool_version;
    info.created = NowRfc3339();
    info.path = bucket + "/" + held.path;
    std::string info_json = info.ToJson();
    Clock::time_point deadline = Clock::now() + options.lock_timeout;
    if (!options.lock_table.empty()) {
      held.table = std::make_unique<s3::DynamoDbLockStore>(held.client, options.lock_table, bucket);
      while (true) {
        aws::AwsResult<s3::LockAttempt> attempt = held.table->TryCreate(held.path, info_json);
        if (!attempt.ok()) {
          diags.Add(Failure(attempt.error(), "cannot take Terraform's lock (" +
                                                 held.table->LockLocation(held.path) + ")"));
          return diags;
        }
        if (attempt->acquired) {
          held.table_entry = attempt->entry;
          break;
        }
        if (Clock::now() >= deadline) {
          diags.Error("Terraform's state is locked (" + held.table->LockLocation(held.path) + ")",
                      "Held by " + HolderText(attempt->entry.info_json) +
                          ". A Terraform run is using it; try again when it is done (or wait with "
                          "--lock-timeout).");
          return diags;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
      source->lock_descriptions_.push_back(held.table->LockLocation(held.path));
    }
    if (options.lockfile) {
      std::string lock_key = held.path + ".tflock";
      while (true) {
        aws::AwsResult<std::string> put =
            held.objects->Put(lock_key, info_json, {.if_none_match = true});
        if (put.ok()) {
          held.lockfile_etag = put.value();
          break;
        }
        if (!s3::IsConditionFailure(put.error())) {
          diags.Add(Failure(put.error(),
                            "cannot take Terraform's lockfile " + held.objects->Url(lock_key)));
          return diags;
        }
        if (Clock::now() >= deadline) {
          auto holder = held.objects->Get(lock_key);
          std::string who =
              holder.ok() && holder.value() ? HolderText(holder.value()->body) : "another run";
          diags.Error("Terraform's state is locked (" + held.objects->Url(lock_key) + ")",
                      "Held by " + who +
                          ". A Terraform run is using it; try again when it is done "
                          "(or wait with --lock-timeout).");
          return diags;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
      }
      source->lock_descriptions_.push_back(held.objects->Url(lock_key));
    }
  }

  // Read, until it matches the digest Terraform recorded beside its lock.
  Clock::time_point stale_deadline = Clock::now() + kStaleReadTimeout;
  while (true) {
    auto object = held.objects->Get(held.path);
    if (!object.ok()) {
      diags.Add(Failure(object.error(), "cannot read " + source->location_));
      return diags;  // the destructor releases the locks
    }
    if (!object.value()) {
      std::string hint =
          options.workspace.empty() || options.workspace == "default"
              ? "Check the bucket and key (those of Terraform's backend block)."
              : "reconcile's workspace is \"" + options.workspace +
                    "\", so Terraform's state of that workspace was looked for; select "
                    "the workspace that matches Terraform's (`reconcile workspace select`).";
      diags.Error("There is no Terraform state at " + source->location_, hint);
      return diags;
    }
    source->document_ = object.value()->body;
    if (!held.table) break;
    auto digest = held.table->ReadDigest(held.path);
    if (!digest.ok() || !digest.value() || digest.value()->md5_hex.empty() ||
        digest.value()->md5_hex == s3::Md5Hex(source->document_))
      break;
    if (Clock::now() >= stale_deadline) {
      diags.Error(
          "The state at " + source->location_ + " does not match the digest Terraform recorded",
          held.table->DigestLocation(held.path) + " holds " + digest.value()->md5_hex +
              "; the object read has MD5 " + s3::Md5Hex(source->document_) +
              ". Either S3 returned an old version or a Terraform write did not finish; "
              "run `terraform plan` to check the state, then try again.");
      return diags;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  *out = std::move(source);
  return diags;
}

Diagnostics TerraformSource::Release() {
  Diagnostics diags;
  HeldLocks& held = *held_;
  if (held.table && held.table_entry) {
    auto removed = held.table->DeleteIfUnchanged(held.path, *held.table_entry);
    if (!removed.ok())
      diags.Add(Failure(removed.error(), "cannot release Terraform's lock (" +
                                             held.table->LockLocation(held.path) +
                                             "); remove it with "
                                             "`terraform force-unlock`"));
    held.table_entry.reset();
  }
  if (held.objects && !held.lockfile_etag.empty()) {
    std::string lock_key = held.path + ".tflock";
    auto removed = held.objects->Delete(lock_key, held.lockfile_etag);
    if (!removed.ok())
      diags.Add(Failure(removed.error(),
                        "cannot release Terraform's lockfile " + held.objects->Url(lock_key)));
    held.lockfile_etag.clear();
  }
  return diags;
}

}  // namespace reconcile::migrate
