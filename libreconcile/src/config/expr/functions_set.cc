// Set functions and ordering. A set is a list sorted and de-duplicated the
// way toset() does it (numbers numerically, strings lexically); when a set
// mixes strings with numbers or bools, they all become strings, as
// Terraform unifies a set's element type.
#include "config/expr/functions_set.h"

#include <algorithm>
#include <string>

#include "config/expr/conversion.h"
#include "config/expr/type_constraint.h"

namespace reconcile::config {
namespace {

// The elements of argument i as a set; false (reported) when it is not a
// list or holds null.
bool GetSet(const std::vector<Value>& args, std::size_t i, CallContext& call, ValueList* out) {
  const ValueList* list = nullptr;
  if (!call.GetList(args, i, &list)) return false;
  for (const Value& item : *list) {
    if (item.is_null()) {
      call.ArgumentError(i, "a set cannot hold null");
      return false;
    }
  }
  *out = *list;
  return true;
}

// Sorted, de-duplicated, with mixed primitives turned into strings.
Value MakeSet(ValueList items) {
  bool all_numbers = true, all_primitive = true;
  for (const Value& item : items) {
    all_numbers = all_numbers && item.is_number();
    all_primitive = all_primitive && (item.is_string() || item.is_number() || item.is_bool());
  }
  if (all_primitive && !all_numbers) {
    for (Value& item : items) {
      std::string text;
      if (ToText(item, &text)) item = MarkIf(Value::String(std::move(text)), item.sensitive());
    }
  }
  return Value::List(SortedUnique(std::move(items)));
}

bool Holds(const ValueList& set, const Value& item) {
  return std::any_of(set.begin(), set.end(), [&](const Value& v) { return v.Equals(item); });
}

Value ToSet(const std::vector<Value>& args, CallContext& call) {
  if (args[0].is_null()) return Value();
  ValueList items;
  if (!GetSet(args, 0, call, &items)) return Value();
  return MakeSet(std::move(items));
}

Value SetUnion(const std::vector<Value>& args, CallContext& call) {
  ValueList all;
  for (std::size_t i = 0; i < args.size(); ++i) {
    ValueList items;
    if (!GetSet(args, i, call, &items)) return Value();
    all.insert(all.end(), items.begin(), items.end());
  }
  return MakeSet(std::move(all));
}

// The sets of every argument, unified as one set would unify them.
bool GetSets(const std::vector<Value>& args, CallContext& call, std::vector<ValueList>* out) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    ValueList items;
    if (!GetSet(args, i, call, &items)) return false;
    out->push_back(MakeSet(std::move(items)).AsList());
  }
  // Unify across arguments too: {1} and {"1"} are the same element.
  ValueList all;
  for (const ValueList& set : *out) all.insert(all.end(), set.begin(), set.end());
  bool any_number = false, any_string = false;
  for (const Value& item : all) {
    any_number = any_number || item.is_number() || item.is_bool();
    any_string = any_string || item.is_string();
  }
  if (any_number && any_string) {
    for (ValueList& set : *out) {
      ValueList as_strings;
      for (const Value& item : set) {
        std::string text;
        as_strings.push_back(ToText(item, &text) ? MarkIf(Value::String(text), item.sensitive())
                                                 : item);
      }
      set = SortedUnique(std::move(as_strings));
    }
  }
  return true;
}

Value SetIntersection(const std::vector<Value>& args, CallContext& call) {
  std::vector<ValueList> sets;
  if (!GetSets(args, call, &sets)) return Value();
  ValueList out;
  for (const Value& item : sets.front()) {
    bool everywhere = std::all_of(sets.begin() + 1, sets.end(),
                                  [&](const ValueList& set) { return Holds(set, item); });
    if (everywhere) out.push_back(item);
  }
  return Value::List(std::move(out));
}

Value SetSubtract(const std::vector<Value>& args, CallContext& call) {
  std::vector<ValueList> sets;
  if (!GetSets(args, call, &sets)) return Value();
  ValueList out;
  for (const Value& item : sets[0])
    if (!Holds(sets[1], item)) out.push_back(item);
  return Value::List(std::move(out));
}

constexpr std::size_t kMaxProduct = 100000;

Value SetProduct(const std::vector<Value>& args, CallContext& call) {
  std::vector<const ValueList*> lists;
  std::size_t total = 1;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const ValueList* list = nullptr;
    if (!call.GetList(args, i, &list)) return Value();
    lists.push_back(list);
    total = list->empty() ? 0 : std::min(kMaxProduct + 1, total * list->size());
  }
  if (total > kMaxProduct) {
    call.Error("the product would have more than " + std::to_string(kMaxProduct) + " elements");
    return Value();
  }
  ValueList out;
  std::vector<std::size_t> at(lists.size(), 0);
  for (std::size_t n = 0; n < total; ++n) {
    ValueList combination;
    for (std::size_t i = 0; i < lists.size(); ++i) combination.push_back((*lists[i])[at[i]]);
    out.push_back(Value::List(std::move(combination)));
    // The last argument varies fastest.
    for (std::size_t i = lists.size(); i-- > 0;) {
      if (++at[i] < lists[i]->size()) break;
      at[i] = 0;
    }
  }
  return Value::List(std::move(out));
}

Value Sort(const std::vector<Value>& args, CallContext& call) {
  const ValueList* list = nullptr;
  if (!call.GetList(args, 0, &list)) return Value();
  ValueList out;
  out.reserve(list->size());
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Value& item = (*list)[i];
    std::string text;
    if (!ToText(item, &text)) {
      call.ArgumentError(0, "element " + std::to_string(i) + " is " + DescribeValue(item) +
                                "; sort takes a list of strings");
      return Value();
    }
    out.push_back(MarkIf(Value::String(std::move(text)), item.sensitive()));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Value& a, const Value& b) { return a.AsString() < b.AsString(); });
  return Value::List(std::move(out));
}

}  // namespace

std::vector<Function> SetFunctions() {
  return {
      {"toset", "toset(list)", 1, 1, false, false, ToSet},
      {"setunion", "setunion(sets...)", 1, -1, false, false, SetUnion},
      {"setintersection", "setintersection(sets...)", 1, -1, false, false, SetIntersection},
      {"setsubtract", "setsubtract(a, b)", 2, 2, false, false, SetSubtract},
      {"setproduct", "setproduct(sets...)", 1, -1, false, false, SetProduct},
      {"sort", "sort(list)", 1, 1, false, false, Sort},
  };
}

}  // namespace reconcile::config
