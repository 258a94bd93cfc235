// An in-memory provider for engine tests: `fake_thing` objects kept in a
// FakeCloud that tests can inspect and change behind the engine's back.
//
//   fake_thing: name (required, force_new), size (number, default 1),
//               tags (map), note (optional), secret (optional, sensitive),
//               rule (blocks: port, cidr (optional, computed), protocol (tcp|udp)),
//               id / arn (computed)
// Each object remembers its owner (the address) and the client token of its
// create; AdoptResource finds an object by that token first, then by owner.
//   data fake_lookup: name (required) -> size (computed, from the cloud)
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "reconcile/provider.h"

namespace reconcile::testing {

class FakeCloud {
 public:
  // Objects by id; each a map of attributes plus "owner" (the address).
  std::map<std::string, Value> Objects() const;
  std::size_t size() const;
  // Changes an attribute of an object directly (drift).
  void Poke(const std::string& id, const std::string& attr, Value v);
  void Erase(const std::string& id);
  // The id of the object a given address owns, or "".
  std::string IdOf(const std::string& address) const;

  // Makes ApplyResource for `address` fail (with the object created first when
  // `after_create`).
  void FailOn(const std::string& address, bool after_create = false);
  // Makes deletes of `address`'s objects fail, leaving them in the cloud.
  void FailDeletesOf(const std::string& address);
  // Makes creates and deletes of `address` fail with an unknown outcome (as a
  // 5xx or a timeout would): the object is made or deleted first when
  // `took_effect`, and the answer says neither.
  void UnknownOutcomeOn(const std::string& address, bool took_effect);
  // Every FailOn / FailDeletesOf / UnknownOutcomeOn undone.
  void ClearFailures();

  // Called (without the cloud's lock) at each step of every apply call:
  // "before create fake_thing.a" when the call starts, "after create
  // fake_thing.a" once its effect happened, just before it answers. Tests
  // take a Snapshot there to stand for a kill -9 at that moment.
  std::function<void(const std::string& step)> on_step;
  // The objects as they are, and putting them back (with the tokens seen).
  struct Contents {
    std::map<std::string, Value> objects;
    int next_id = 1;
  };
  Contents Snapshot() const;
  void Restore(const Contents& contents);
  // The client tokens of every create call, in order.
  std::vector<std::string> CreateTokens() const;
  // Delay of every apply call, to keep operations in flight.
  std::atomic<int> apply_delay_ms{0};
  std::atomic<int> creates{0};
  std::atomic<int> updates{0};
  std::atomic<int> deletes{0};
  std::atomic<int> reads{0};
  std::atomic<int> batch_reads{0};
  std::atomic<int> lookups{0};  // AdoptResource calls
  // AdoptResource finds nothing (a lookup that misses, as an eventually
  // consistent API may); a create with a token it has seen still makes no
  // second object.
  std::atomic<bool> lookups_find_nothing{false};
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
  // Order in which apply operations started: "create fake_thing.a", ...
  std::vector<std::string> Log() const;

 private:
  friend class FakeProvider;
  mutable std::mutex mutex_;
  std::map<std::string, Value> objects_;
  std::map<std::string, bool> fail_;
  std::set<std::string> fail_delete_;
  std::map<std::string, bool> unknown_outcome_;  // address -> took effect
  std::vector<std::string> log_;
  std::vector<std::string> create_tokens_;
  int next_id_ = 1;
};

// A ProviderFactory making providers that all share `cloud`.
ProviderFactory FakeProviderFactory(std::shared_ptr<FakeCloud> cloud);

}  // namespace reconcile::testing
