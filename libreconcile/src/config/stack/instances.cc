// ExpandInstances: the instances a resource's count or for_each names.
#include "config/stack/instances.h"

#include <set>

#include "config/expr/conversion.h"
#include "config/stack/stack.h"

namespace reconcile::config {
namespace {

constexpr double kMaxInstances = 1000000;

const char kUnknownDetail[] =
    "Instances are decided when planning; use values known before apply (variables, locals, "
    "literals), or create the resources it depends on first with --target.";

void ExpandCount(const Value& count, const SourceRange& at, Diagnostics& diags,
                 std::vector<InstanceSpec>* out) {
  if (count.is_unknown()) {
    diags.Error("The count value depends on resource attributes that cannot be determined until "
                "apply",
                kUnknownDetail, at);
    return;
  }
  double n = 0;
  if (count.is_null() || !ToNumber(count, &n)) {
    diags.Error("Invalid count argument: a whole number is required, got " +
                    DescribeValue(count),
                {}, at);
    return;
  }
  if (!IsWholeNumber(n) || n < 0 || n > kMaxInstances) {
    diags.Error("Invalid count argument: count must be a whole number from 0 to 1000000, got " +
                    (count.sensitive() ? std::string("a sensitive value") : FormatNumber(n)),
                {}, at);
    return;
  }
  if (out == nullptr) return;
  const auto total = static_cast<std::int64_t>(n);
  out->reserve(static_cast<std::size_t>(total));
  for (std::int64_t i = 0; i < total; ++i) out->push_back(InstanceSpec{InstanceKey::Index(i), {}, {}});
}

void ExpandMap(const Value& map, std::vector<InstanceSpec>* out) {
  if (out == nullptr) return;
  out->reserve(map.AsMap().size());
  for (const auto& [key, value] : map.AsMap())
    out->push_back(InstanceSpec{InstanceKey::String(key), Value::String(key), value});
}

void ExpandStrings(const Value& list, const SourceRange& at, Diagnostics& diags,
                   std::vector<InstanceSpec>* out) {
  std::set<std::string> keys;
  const ValueList& items = list.AsList();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Value& item = items[i];
    if (item.is_unknown()) {
      diags.Error("The for_each value depends on resource attributes that cannot be determined "
                  "until apply",
                  kUnknownDetail, at);
      return;
    }
    if (item.sensitive()) {
      diags.Error("Invalid for_each argument: sensitive values cannot be used as for_each keys",
                  "Instance keys appear in plans and state.", at);
      return;
    }
    if (!item.is_string()) {
      diags.Error("Invalid for_each argument: element " + std::to_string(i) +
                      " is " + DescribeValue(item) + "; a list for for_each must hold strings",
                  {}, at);
      return;
    }
    if (!keys.insert(item.AsString()).second) {
      diags.Error("Invalid for_each argument: duplicate key \"" + item.AsString() + "\"",
                  "Each element names one instance; use toset() to drop duplicates.", at);
      return;
    }
  }
  if (out == nullptr) return;
  out->reserve(keys.size());
  for (const std::string& key : keys)
    out->push_back(InstanceSpec{InstanceKey::String(key), Value::String(key), Value::String(key)});
}

void ExpandForEach(const Value& for_each, const SourceRange& at, Diagnostics& diags,
                   std::vector<InstanceSpec>* out) {
  if (for_each.is_unknown()) {
    diags.Error("The for_each value depends on resource attributes that cannot be determined "
                "until apply",
                kUnknownDetail, at);
    return;
  }
  if (for_each.sensitive()) {
    diags.Error("Invalid for_each argument: sensitive values cannot be used in for_each",
                "Instance keys appear in plans and state; for_each over a value that is not "
                "sensitive (keys can come from nonsensitive data).",
                at);
    return;
  }
  if (for_each.is_map()) return ExpandMap(for_each, out);
  if (for_each.is_list()) return ExpandStrings(for_each, at, diags, out);
  diags.Error("Invalid for_each argument: a map or a list of strings is required, got " +
                  DescribeValue(for_each),
              {}, at);
}

}  // namespace

Diagnostics ExpandInstances(const std::optional<Expression>& count,
                            const std::optional<Expression>& for_each, Scope& scope,
                            std::vector<InstanceSpec>* out) {
  Diagnostics diags;
  out->clear();
  if (count) {
    Value value = count->Evaluate(scope, diags);
    if (!diags.HasErrors()) ExpandCount(value, count->range(), diags, out);
  } else if (for_each) {
    Value value = for_each->Evaluate(scope, diags);
    if (!diags.HasErrors()) ExpandForEach(value, for_each->range(), diags, out);
  } else {
    out->push_back(InstanceSpec{InstanceKey::None(), {}, {}});
  }
  if (diags.HasErrors()) out->clear();
  return diags;
}

Diagnostics ExpandInstances(const ResourceBlock& block, Scope& scope,
                            std::vector<InstanceSpec>* out) {
  return ExpandInstances(block.count, block.for_each, scope, out);
}

Diagnostics CheckCountValue(const Value& count, const SourceRange& at) {
  Diagnostics diags;
  ExpandCount(count, at, diags, nullptr);
  return diags;
}

Diagnostics CheckForEachValue(const Value& for_each, const SourceRange& at) {
  Diagnostics diags;
  ExpandForEach(for_each, at, diags, nullptr);
  return diags;
}

}  // namespace reconcile::config
