// The AWS provider's integration fixture: a stack written to a temp dir and
// driven through the real engine (Engine::Open with the in-process AWS
// provider) against the test process's moto_server, reset before each test;
// results are checked independently through the aws CLI.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reconcile/engine.h"
#include "reconcile/provider.h"
#include "support/temp_dir.h"

namespace reconcile::testing {

class AwsStackTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // Writes main.toml: a [stack] name, [provider.aws] (region us-east-1 plus
  // `provider_settings` lines), then `resources`.
  void WriteStack(const std::string& resources, const std::string& provider_settings = "");

  // Plans (refreshing first); fails the test on errors.
  Plan PlanChanges();
  // Plans and applies; fails the test on errors.
  Plan Apply();
  // Plans and applies; returns the errors instead of failing.
  Diagnostics ApplyAllowingErrors(Plan* plan = nullptr);
  // Refreshes state from AWS.
  void Refresh();
  // `reconcile import ADDRESS ID`.
  void Import(const std::string& address, const std::string& id);
  // `reconcile state rm ADDRESS`.
  Diagnostics RemoveFromState(const std::string& address);
  // Destroys everything in the stack.
  void Destroy();

  // The recorded attributes of `address` (null when not in state).
  Value StateOf(const std::string& address);
  // One string attribute of a recorded resource.
  std::string Attr(const std::string& address, const std::string& name);

  // The change planned for `address` (fails the test when absent).
  static const PlannedChange& ChangeFor(const Plan& plan, const std::string& address);
  // Every planned change that is not a no-op, as "action address" lines.
  static std::string Changes(const Plan& plan);

  // Works in workspace `name` from now on (creating it when new); every
  // engine, provider and journal below uses it.
  void UseWorkspace(const std::string& name);
  const std::string& workspace() const { return workspace_; }

  // `aws ARGS --output json` against moto, parsed (fails the test on a non-zero exit).
  nlohmann::json AwsCli(const std::string& args);

  // A provider configured as the stack's ([stack] name "awstest", the current
  // workspace), for tests below the engine; `config` defaults to the region.
  std::unique_ptr<Provider> ConfiguredProvider(Value config = Value());

  // Simulates a tool killed during a create: the provider creates `address`
  // (as an apply would, with a client token) but the result is dropped and
  // only the pending-operation journal records the create. Returns the id
  // AWS gave the object.
  std::string InterruptedCreate(const std::string& type, const std::string& address,
                                const Value& planned);
  // Simulates a tool killed before its create reached AWS: only the journal
  // records the create of `address`.
  void PendingCreate(const std::string& type, const std::string& address, const Value& planned);

  // ---- Ownership: what an object of another owner or none is to a create.

  // Reads one object's tags through the aws CLI (empty when it is gone).
  using TagReader = std::function<std::map<std::string, std::string>()>;
  // The tags of an AWS tag list: [{KEY: k, VALUE: v}, ...].
  static std::map<std::string, std::string> TagsOf(const nlohmann::json& list,
                                                   const char* key = "Key",
                                                   const char* value = "Value");

  // Given `resources` applied in workspace default, when workspace prod
  // applies the same stack, then the apply fails with `<object> already
  // exists, owned by workspace default of stack awstest` (object: `IAM role
  // "app"`), the object keeps the tags default gave it, and prod's destroy
  // leaves it. Ends back in workspace default.
  void ExpectTakenByOtherWorkspace(const std::string& resources, const std::string& object,
                                   const TagReader& tags);
  // Given an object made outside reconcile, when `resources` naming it are
  // applied, then the apply fails with `<object> exists and is not managed
  // by reconcile; use `reconcile import`` and the object keeps its tags.
  void ExpectUnmanagedRefused(const std::string& resources, const std::string& object,
                              const TagReader& tags);
  // Given a create of `address` that AWS carried out but whose answer was
  // lost (nothing recorded, not even the journal entry), when the same create
  // is sent again with the next attempt's client token, then the provider
  // adopts the object: no error, the same id.
  void ExpectRepeatedCreateAdopted(const std::string& type, const std::string& address,
                                   const Value& planned);

  const std::string& stack_dir() const { return dir_.path(); }

 private:
  std::unique_ptr<Engine> OpenEngine();
  TempDir dir_;
  std::string workspace_ = "default";
  int plans_ = 0;
};

}  // namespace reconcile::testing
