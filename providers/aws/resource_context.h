// What a resource function works with: the configured provider (client,
// default tags, stack and workspace) and one operation's address, client token
// and diagnostics.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "aws/client.h"
#include "reconcile/diagnostics.h"
#include "reconcile/value.h"

namespace reconcile::aws_provider {

using TagMap = std::map<std::string, std::string>;

// How long the provider waits for AWS to settle.
struct Timeouts {
  // A read right after a create that finds nothing is retried this long.
  std::chrono::milliseconds read_after_create{std::chrono::seconds(60)};
  // Default bound of a waiter (state transitions, deletes going through).
  std::chrono::milliseconds wait{std::chrono::minutes(10)};
  // First pause of a waiter; it doubles up to max_poll_interval.
  std::chrono::milliseconds first_poll_interval{200};
  std::chrono::milliseconds max_poll_interval{std::chrono::seconds(10)};
};

// The configured provider, shared (read-only) by every operation.
struct ProviderRuntime {
  std::shared_ptr<const aws::AwsClient> client;
  TagMap default_tags;
  std::string stack;
  std::string workspace;
  Timeouts timeouts;
  std::atomic<bool> stopping{false};
  // The caller's account id, fetched once (STS GetCallerIdentity) when needed.
  mutable std::mutex account_mutex;
  mutable std::string account_id;
};

// One operation on one resource instance (or a batch of them, address empty).
class ResourceContext {
 public:
  ResourceContext(const ProviderRuntime& runtime, std::string address, std::string request_token = {});

  const aws::AwsClient& client() const { return *runtime_.client; }
  const ProviderRuntime& runtime() const { return runtime_; }
  const std::string& address() const { return address_; }
  const std::string& region() const { return runtime_.client->region(); }
  bool stopping() const { return runtime_.stopping.load(); }

  // An idempotency token for APIs that take one: derived from the engine's
  // token (stable across a retry of the same operation), hex, at most
  // max_length characters. Random when the engine gave none.
  std::string ClientToken(std::size_t max_length = 64) const;

  // The caller's account id ("" after recording an error).
  std::string AccountId();
  // "aws", "aws-cn" or "aws-us-gov", from the region.
  std::string Partition() const;
  // arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE (region "" for global services).
  std::string Arn(const std::string& service, const std::string& account,
                  const std::string& resource, bool regional = true) const;

  // The tags marking an object as this instance's: reconcile:address,
  // reconcile:stack, reconcile:workspace.
  TagMap OwnershipTags() const;
  // Tags for a new object: default_tags, the planned `tags`, the ownership tags.
  TagMap TagsForCreate(const Value& planned) const;

  // An update that gives the object a new id (ReplaceRouteTableAssociation)
  // records it here; the provider reads the object back under it.
  void set_new_id(std::string id) { new_id_ = std::move(id); }
  const std::string& new_id() const { return new_id_; }

  // A create whose request and response already give the whole state (what a
  // read would) marks it complete: the provider then skips the read back.
  void set_state_complete() { state_complete_ = true; }
  bool state_complete() const { return state_complete_; }

  // Records a failed AWS call as an error naming the address and AWS code.
  void Fail(const aws::AwsError& error);
  // Records an error of our own.
  void Error(std::string summary, std::string detail = {});
  bool failed() const { return diagnostics_.HasErrors(); }
  // True once a call failed without an answer that rules out its effect (a
  // timeout, a lost connection, a 5xx): a create or delete may have happened.
  bool outcome_unknown() const { return outcome_unknown_; }
  Diagnostics& diagnostics() { return diagnostics_; }

  // The value of a call, or nullopt after recording its error.
  template <typename T>
  std::optional<T> Unwrap(aws::AwsResult<T> result) {
    if (result.ok()) return std::move(result).value();
    Fail(result.error());
    return std::nullopt;
  }
  // True when the call succeeded or failed only because the object does not
  // exist (deletes); records any other error.
  template <typename T>
  bool SucceededOrGone(const aws::AwsResult<T>& result) {
    if (result.ok() || result.error().IsNotFound()) return true;
    Fail(result.error());
    return false;
  }

 private:
  const ProviderRuntime& runtime_;
  std::string address_;
  std::string request_token_;
  std::string new_id_;
  bool state_complete_ = false;
  bool outcome_unknown_ = false;
  Diagnostics diagnostics_;
};

// A batched read works over many addresses; items report through their own
// ResourceContext (ResourceContext(ctx.runtime(), request.address)).
using BatchContext = ResourceContext;

}  // namespace reconcile::aws_provider
