// A moto_server of this test process with signature checking on: the first
// `unsigned_calls` API calls are accepted as they come (used to create an
// IAM user with an allow-all policy and an access key), every later call must
// be signed with a key moto knows.
#pragma once

#include <memory>
#include <string>

#include "aws/client.h"

namespace reconcile::aws::testing {

// The IAM identity created during the unsigned calls.
struct SignedIdentity {
  std::string user_name;
  std::string access_key_id;
  std::string secret_access_key;
};

class SignedMoto {
 public:
  // The server of this process, started on first use with
  // INITIAL_NO_AUTH_ACTION_COUNT=4, and the identity created in those 4 calls.
  // Fails the current test when moto cannot start.
  static SignedMoto& Get();

  const std::string& endpoint() const { return endpoint_; }
  const SignedIdentity& identity() const { return identity_; }

  // A client for every service at this server, signing with `key_id`/`secret`.
  std::shared_ptr<AwsClient> Client(const std::string& key_id, const std::string& secret) const;
  // A client signing with the identity's key.
  std::shared_ptr<AwsClient> Client() const;

  ~SignedMoto();

 private:
  SignedMoto() = default;
  void Start();
  void CreateIdentity();

  std::string endpoint_;
  int pid_ = -1;
  SignedIdentity identity_;
};

}  // namespace reconcile::aws::testing
