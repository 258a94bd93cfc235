// Shared pieces of the S3 backend integration tests: a moto_server per test
// process, the backend made from a [backend.s3] block through MakeBackend, the
// aws CLI as the independent observer, and a child process holding a lock.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "backends/s3/s3_backend_settings.h"
#include "reconcile/backend.h"

namespace reconcile::s3::testing {

constexpr const char* kBucket = "acme-state";
constexpr const char* kKey = "web/state.json";
constexpr const char* kTable = "reconcile-locks";

// The lock kinds every test runs with.
inline std::string LockKindName(const ::testing::TestParamInfo<LockKind>& info) {
  return info.param == LockKind::kDynamoDb ? "DynamoDbLock" : "S3Lock";
}

// The [backend.s3] block of the tests, pointing at `endpoint`.
Value BackendBlock(LockKind lock, const std::string& endpoint);

// A backend made the way the engine makes it: MakeBackend({"s3", block}).
std::unique_ptr<Backend> MakeTestBackend(LockKind lock, const std::string& endpoint);

// Runs `aws --endpoint-url <endpoint> --output json <args...>`; returns the exit
// status and its stdout (stderr too in *out when it fails).
int RunAwsCli(const std::string& endpoint, const std::vector<std::string>& args, std::string* out);
// Runs the aws CLI and parses its JSON output (null when it printed nothing).
nlohmann::json AwsCliJson(const std::string& endpoint, const std::vector<std::string>& args);

// A state document as the engine writes it.
std::string StateDocument(const std::string& lineage, std::uint64_t serial);
StateWrite StateAt(const std::string& lineage, std::uint64_t serial);

// Takes a workspace's lock in a child process and holds it until told to
// unlock ('u') or to exit without unlocking ('x'), as a crashed run would.
// The child starts at construction; lock_id() waits for its answer, so many
// holders constructed together race for the lock.
class LockHolderProcess {
 public:
  LockHolderProcess(LockKind lock, const std::string& endpoint, const std::string& workspace);
  ~LockHolderProcess();

  // The child's lock ID, or "ERROR: <diagnostics>" when it could not lock.
  const std::string& lock_id();
  void Unlock() { Tell('u'); }
  void ExitWithoutUnlocking() { Tell('x'); }

 private:
  void Tell(char command);

  pid_t pid_ = -1;
  int ready_fd_ = -1;
  int command_fd_ = -1;
  std::string id_;
};

// Resets moto and exports its environment for the aws CLI; the bucket and
// lock table are bootstrapped unless the test says otherwise.
class S3BackendTest : public ::testing::TestWithParam<LockKind> {
 protected:
  void SetUp() override;

  LockKind lock() const { return GetParam(); }
  std::unique_ptr<Backend> NewBackend() const { return MakeTestBackend(lock(), endpoint_); }
  void Bootstrap();
  // The bucket's object keys, from `aws s3api list-objects-v2`.
  std::vector<std::string> BucketKeys() const;
  // Overwrites the recorded digest of the state at `path` through the aws CLI
  // (with the serial it is of, as reconcile records it, when given).
  void TamperDigest(const std::string& path, const std::string& digest,
                    std::optional<std::uint64_t> serial = std::nullopt) const;
  // Uploads `document` as the state at `path` through the aws CLI, with the
  // metadata reconcile writes (lineage, serial, digest).
  void PutStateObject(const std::string& path, const StateWrite& state) const;
  // The recorded digest of the state at `path`, read through the aws CLI ("" when none).
  std::string RecordedDigest(const std::string& path) const;

  std::string endpoint_;
  std::unique_ptr<Backend> backend_;
};

}  // namespace reconcile::s3::testing
