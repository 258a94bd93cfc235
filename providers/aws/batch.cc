#include "batch.h"

namespace reconcile::aws_provider {

std::vector<std::string> RequestKeys(const std::vector<ReadRequest>& requests,
                                     const RequestKey& key_of) {
  std::vector<std::string> keys;
  keys.reserve(requests.size());
  for (const ReadRequest& r : requests) keys.push_back(key_of(r.current_state));
  return keys;
}

Value ReadThroughBatch(ResourceContext& ctx, const Value& current,
                       const BatchReadFunction& read_batch) {
  if (IdOf(current).empty()) return Value();
  // The batch reports through its own context: the response carries its errors once.
  ResourceContext batch(ctx.runtime(), ctx.address());
  std::vector<ReadResponse> read = read_batch(batch, {{"", ctx.address(), current}});
  if (read.empty()) return Value();
  ctx.diagnostics().Append(read.front().diagnostics);
  return read.front().new_state;
}

}  // namespace reconcile::aws_provider
