// Reading many objects in few calls. APIs take a bounded number of ids a call
// (Chunks); a batched read answers every request from one lookup of all of
// them (BatchRead), and a type whose lookup takes many keys gets its single
// read from the same lookup (UseBatchedReads).
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reconcile/provider.h"
#include "reconcile/provider_kit.h"
#include "resource_context.h"
#include "resource_type.h"

namespace reconcile::aws_provider {

// `items` in runs of at most `size` (an API's limit a call), in order.
template <typename T>
std::vector<std::vector<T>> Chunks(const std::vector<T>& items, std::size_t size) {
  std::vector<std::vector<T>> out;
  for (std::size_t start = 0; start < items.size(); start += size)
    out.emplace_back(items.begin() + static_cast<long>(start),
                     items.begin() + static_cast<long>(std::min(items.size(), start + size)));
  return out;
}

// How a request names its object in a lookup's result (its id by default).
using RequestKey = std::function<std::string(const Value& current)>;

// The keys of every request, in order.
std::vector<std::string> RequestKeys(const std::vector<ReadRequest>& requests,
                                     const RequestKey& key_of = IdOf);

// What one batched lookup found, keyed as the requests name the objects;
// nullopt when the lookup failed (its error is in the batch's context).
template <typename Item>
using Found = std::optional<std::map<std::string, Item>>;

// The responses to `requests` from one lookup: a request whose key is missing
// reads as gone, or is read alone by `read_missing` when the type gives one
// (an object the lookup cannot see, such as a bucket of another region); the
// others become state by `to_state(item_ctx, item, current)` under their own
// address; a failed lookup answers every request with its error.
template <typename Item, typename ToState>
std::vector<ReadResponse> BatchRead(BatchContext& ctx, const std::vector<ReadRequest>& requests,
                                    const Found<Item>& found, const ToState& to_state,
                                    const RequestKey& key_of = IdOf,
                                    const ReadFunction& read_missing = {}) {
  std::vector<ReadResponse> out;
  out.reserve(requests.size());
  for (const ReadRequest& r : requests) {
    if (!found) {
      out.push_back({Value(), ctx.diagnostics()});
      continue;
    }
    auto it = found->find(key_of(r.current_state));
    if (it == found->end() && !read_missing) {
      out.push_back({});
      continue;
    }
    ResourceContext item(ctx.runtime(), r.address);
    Value state = it == found->end() ? read_missing(item, r.current_state)
                                     : to_state(item, it->second, r.current_state);
    out.push_back({item.failed() ? Value() : std::move(state), item.diagnostics()});
  }
  return out;
}

// One object read through a type's batched read (a batch of one).
Value ReadThroughBatch(ResourceContext& ctx, const Value& current,
                       const BatchReadFunction& read_batch);

// A lookup of many objects by key (ids, names or ARNs).
template <typename Item>
using LookupFunction =
    std::function<Found<Item>(ResourceContext& ctx, const std::vector<std::string>& keys)>;
// The state of one object a lookup found; `current` is the prior state.
template <typename Item>
using ItemToState =
    std::function<Value(ResourceContext& ctx, const Item& item, const Value& current)>;

// Installs `read_batch` (one lookup of every request's id) and `read` (the
// same lookup of one) for a type.
template <typename Item>
void UseBatchedReads(ResourceType& type, LookupFunction<Item> lookup, ItemToState<Item> to_state) {
  type.read_batch = [lookup, to_state](BatchContext& ctx, const std::vector<ReadRequest>& requests) {
    return BatchRead(ctx, requests, lookup(ctx, RequestKeys(requests)), to_state);
  };
  type.read = [read_batch = type.read_batch](ResourceContext& ctx, const Value& current) {
    return ReadThroughBatch(ctx, current, read_batch);
  };
}

}  // namespace reconcile::aws_provider
