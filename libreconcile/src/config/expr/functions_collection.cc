// Collection functions: length, lookup, merge, concat, keys, values,
// contains, element, tolist, toset, coalesce.
#include "config/expr/functions_collection.h"

#include <algorithm>

#include "config/expr/conversion.h"
#include "config/expr/functions.h"
#include "config/expr/type_constraint.h"

namespace reconcile::config {
namespace {

std::size_t CountCharacters(const std::string& text) {
  std::size_t n = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

Value Length(const std::vector<Value>& args, CallContext& call) {
  const Value& v = args[0];
  switch (v.kind()) {
    case Value::Kind::kList:
      return Value::Number(static_cast<double>(v.AsList().size()));
    case Value::Kind::kMap:
      return Value::Number(static_cast<double>(v.AsMap().size()));
    case Value::Kind::kString:
      return Value::Number(static_cast<double>(CountCharacters(v.AsString())));
    default:
      call.ArgumentError(0, "a list, map or string is required, got " +
                                std::string(v.kind_name()));
      return Value();
  }
}

Value Lookup(const std::vector<Value>& args, CallContext& call) {
  const ValueMap* map = nullptr;
  std::string key;
  if (!call.GetMap(args, 0, &map) || !call.GetString(args, 1, &key)) return Value();
  auto it = map->find(key);
  if (it != map->end()) return it->second;
  if (args.size() == 3) return args[2];
  call.ArgumentError(1, "the map has no key \"" + key + "\"",
                     "Give a default as the third argument: lookup(map, key, default).");
  return Value();
}

Value Merge(const std::vector<Value>& args, CallContext& call) {
  ValueMap merged;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].is_null()) continue;
    const ValueMap* map = nullptr;
    if (!call.GetMap(args, i, &map)) return Value();
    for (const auto& [key, value] : *map) merged.insert_or_assign(key, value);
  }
  return Value::Map(std::move(merged));
}

Value Concat(const std::vector<Value>& args, CallContext& call) {
  ValueList items;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const ValueList* list = nullptr;
    if (!call.GetList(args, i, &list)) return Value();
    items.insert(items.end(), list->begin(), list->end());
  }
  return Value::List(std::move(items));
}

Value Keys(const std::vector<Value>& args, CallContext& call) {
  const ValueMap* map = nullptr;
  if (!call.GetMap(args, 0, &map)) return Value();
  ValueList keys;
  keys.reserve(map->size());
  for (const auto& [key, value] : *map) keys.push_back(Value::String(key));
  return Value::List(std::move(keys));
}

Value Values(const std::vector<Value>& args, CallContext& call) {
  const ValueMap* map = nullptr;
  if (!call.GetMap(args, 0, &map)) return Value();
  ValueList values;
  values.reserve(map->size());
  for (const auto& [key, value] : *map) values.push_back(value);
  return Value::List(std::move(values));
}

Value Contains(const std::vector<Value>& args, CallContext& call) {
  const ValueList* list = nullptr;
  if (!call.GetList(args, 0, &list)) return Value();
  for (const Value& item : *list)
    if (item.Equals(args[1])) return Value::Bool(true);
  return Value::Bool(false);
}

Value Element(const std::vector<Value>& args, CallContext& call) {
  const ValueList* list = nullptr;
  std::int64_t index = 0;
  if (!call.GetList(args, 0, &list) || !call.GetInteger(args, 1, &index)) return Value();
  if (list->empty()) {
    call.ArgumentError(0, "the list is empty, so it has no elements");
    return Value();
  }
  if (index < 0) {
    call.ArgumentError(1, "the index must not be negative, got " + std::to_string(index));
    return Value();
  }
  return (*list)[static_cast<std::size_t>(index) % list->size()];
}

Value ToList(const std::vector<Value>& args, CallContext& call) {
  if (args[0].is_null() || args[0].is_list()) return args[0];
  call.ArgumentError(0, "a list is required, got " + std::string(args[0].kind_name()));
  return Value();
}

Value ToSet(const std::vector<Value>& args, CallContext& call) {
  const ValueList* list = nullptr;
  if (!call.GetList(args, 0, &list)) return Value();
  bool all_numbers = true, all_primitive = true;
  for (const Value& item : *list) {
    if (item.is_null()) {
      call.ArgumentError(0, "a set cannot hold null");
      return Value();
    }
    all_numbers = all_numbers && item.is_number();
    all_primitive = all_primitive && (item.is_string() || item.is_number() || item.is_bool());
  }
  ValueList items;
  items.reserve(list->size());
  for (const Value& item : *list) {
    std::string text;
    // Mixed primitives become strings, as Terraform unifies them.
    if (all_primitive && !all_numbers && ToText(item, &text)) {
      items.push_back(MarkIf(Value::String(text), item.sensitive()));
    } else {
      items.push_back(item);
    }
  }
  return Value::List(SortedUnique(std::move(items)));
}

Value Coalesce(const std::vector<Value>& args, CallContext& call) {
  for (const Value& arg : args) {
    if (arg.is_null() || (arg.is_string() && arg.AsString().empty())) continue;
    return arg;
  }
  call.Error("every argument is null or an empty string");
  return Value();
}

}  // namespace

std::vector<Function> CollectionFunctions() {
  return {
      {"length", "length(value)", 1, 1, true, false, Length},
      {"lookup", "lookup(map, key, default?)", 2, 3, true, false, Lookup},
      {"merge", "merge(maps...)", 0, -1, true, false, Merge},
      {"concat", "concat(lists...)", 0, -1, true, false, Concat},
      {"keys", "keys(map)", 1, 1, true, false, Keys},
      {"values", "values(map)", 1, 1, true, false, Values},
      {"contains", "contains(list, value)", 2, 2, false, false, Contains},
      {"element", "element(list, index)", 2, 2, true, false, Element},
      {"tolist", "tolist(value)", 1, 1, true, false, ToList},
      {"toset", "toset(list)", 1, 1, false, false, ToSet},
      {"coalesce", "coalesce(values...)", 1, -1, false, false, Coalesce},
  };
}

}  // namespace reconcile::config
