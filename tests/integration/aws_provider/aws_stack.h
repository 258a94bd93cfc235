// The AWS provider's integration fixture: a stack written to a temp dir and
// driven through the real engine (Engine::Open with the in-process AWS
// provider) against the test process's moto_server, reset before each test;
// results are checked independently through the aws CLI.
#pragma once

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

  // `aws ARGS --output json` against moto, parsed (fails the test on a non-zero exit).
  nlohmann::json AwsCli(const std::string& args);

  // A provider configured as the stack's ([stack] name "awstest", workspace
  // "default"), for tests below the engine; `config` defaults to the region.
  std::unique_ptr<Provider> ConfiguredProvider(Value config = Value());

  // Simulates a tool killed during a create: the provider creates `address`
  // (as an apply would, with a client token) but the result is dropped and
  // only the pending-operation journal records the create. Returns the id
  // AWS gave the object.
  std::string InterruptedCreate(const std::string& type, const std::string& address,
                                const Value& planned);

  const std::string& stack_dir() const { return dir_.path(); }

 private:
  std::unique_ptr<Engine> OpenEngine();
  TempDir dir_;
  int plans_ = 0;
};

}  // namespace reconcile::testing
