// Collection functions on lists and maps: length, lookup, merge, concat,
// keys, values, contains, element, index, reverse, slice, flatten, distinct,
// compact, chunklist, one, zipmap, transpose, coalesce, coalescelist,
// alltrue, anytrue.
#include "config/expr/functions_collection.h"

#include <algorithm>
#include <map>
#include <string>

#include "config/expr/conversion.h"
#include "config/expr/functions.h"

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


Value Index(const std::vector<Value>& args, CallContext& call) {
  const ValueList* list = nullptr;
  if (!call.GetList(args, 0, &list)) return Value();
  for (std::size_t i = 0; i < list->size(); ++i)
    if ((*list)[i].Equals(args[1])) return Value::Number(static_cast<double>(i));
  call.ArgumentError(1, "the list has no element equal to " + DescribeValue(args[1]));
  return Value();
}

Value Reverse(const std::vector<Value>& args, CallContext& call) {
  const ValueList* list = nullptr;
  if (!call.GetList(args, 0, &list)) return Value();
  return Value::List(ValueList(list->rbegin(), list->rend()));
}

Value Slice(const std::vector<Value>& args, CallContext& call) {
  const ValueList* list = nullptr;
  std::int64_t start = 0, end = 0;
  if (!call.GetList(args, 0, &list) || !call.GetInteger(args, 1, &start) ||
      !call.GetInteger(args, 2, &end))
    return Value();
  const auto size = static_cast<std::int64_t>(list->size());
  if (start < 0 || start > size) {
    call.ArgumentError(1, "the start index must be from 0 to the list's length " +
                              std::to_string(size) + ", got " + std::to_string(start));
    return Value();
  }
  if (end < 0 || end > size) {
    call.ArgumentError(2, "the end index must be from 0 to the list's length " +
                              std::to_string(size) + ", got " + std::to_string(end));
    return Value();
  }
  if (start > end) {
    call.ArgumentError(1, "the start index " + std::to_string(start) +
                              " is greater than the end index " + std::to_string(end));
    return Value();
  }
  return Value::List(ValueList(list->begin() + start, list->begin() + end));
}

// Appends the elements of `list`, and of lists inside it, to `out`.
void FlattenInto(const ValueList& list, bool sensitive, ValueList& out) {
  for (const Value& item : list) {
    if (item.is_list()) {
      FlattenInto(item.AsList(), sensitive || item.sensitive(), out);
    } else {
      out.push_back(MarkIf(item, sensitive));
    }
  }
}

Value Flatten(const std::vector<Value>& args, CallContext& call) {
  const ValueList* list = nullptr;
  if (!call.GetList(args, 0, &list)) return Value();
  ValueList out;
  FlattenInto(*list, false, out);
  return Value::List(std::move(out));
}

Value Distinct(const std::vector<Value>& args, CallContext& call) {
  const ValueList* list = nullptr;
  if (!call.GetList(args, 0, &list)) return Value();
  ValueList out;
  for (const Value& item : *list) {
    bool seen = std::any_of(out.begin(), out.end(), [&](const Value& v) { return v.Equals(item); });
    if (!seen) out.push_back(item);
  }
  return Value::List(std::move(out));
}

Value Compact(const std::vector<Value>& args, CallContext& call) {
  const ValueList* list = nullptr;
  if (!call.GetList(args, 0, &list)) return Value();
  ValueList out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Value& item = (*list)[i];
    if (item.is_null()) continue;
    std::string text;
    if (!ToText(item, &text)) {
      call.ArgumentError(0, "element " + std::to_string(i) + " is " + DescribeValue(item) +
                                "; compact takes a list of strings");
      return Value();
    }
    if (!text.empty()) out.push_back(MarkIf(Value::String(std::move(text)), item.sensitive()));
  }
  return Value::List(std::move(out));
}

Value Chunklist(const std::vector<Value>& args, CallContext& call) {
  const ValueList* list = nullptr;
  std::int64_t size = 0;
  if (!call.GetList(args, 0, &list) || !call.GetInteger(args, 1, &size)) return Value();
  if (size < 0) {
    call.ArgumentError(1, "the size must not be negative, got " + std::to_string(size));
    return Value();
  }
  ValueList chunks;
  if (list->empty()) return Value::List(std::move(chunks));
  if (size == 0) return Value::List({args[0]});  // as Terraform: the whole list, once
  for (std::size_t i = 0; i < list->size(); i += static_cast<std::size_t>(size)) {
    const std::size_t end = std::min(list->size(), i + static_cast<std::size_t>(size));
    chunks.push_back(Value::List(ValueList(list->begin() + static_cast<std::ptrdiff_t>(i),
                                           list->begin() + static_cast<std::ptrdiff_t>(end))));
  }
  return Value::List(std::move(chunks));
}

Value One(const std::vector<Value>& args, CallContext& call) {
  if (args[0].is_null()) return Value();
  const ValueList* list = nullptr;
  if (!call.GetList(args, 0, &list)) return Value();
  if (list->size() > 1) {
    call.ArgumentError(0, "the list has " + std::to_string(list->size()) +
                              " elements; one() takes a list of zero or one elements");
    return Value();
  }
  return list->empty() ? Value() : list->front();
}

Value Zipmap(const std::vector<Value>& args, CallContext& call) {
  const ValueList* keys = nullptr;
  const ValueList* values = nullptr;
  if (!call.GetList(args, 0, &keys) || !call.GetList(args, 1, &values)) return Value();
  if (keys->size() != values->size()) {
    call.Error("the number of keys (" + std::to_string(keys->size()) +
               ") does not match the number of values (" + std::to_string(values->size()) + ")");
    return Value();
  }
  ValueMap out;
  bool sensitive_key = false;
  for (std::size_t i = 0; i < keys->size(); ++i) {
    const Value& key = (*keys)[i];
    if (key.is_unknown()) return Value::Unknown();
    std::string text;
    if (!ToText(key, &text)) {
      call.ArgumentError(0, "key " + std::to_string(i) + " is " + DescribeValue(key) +
                                "; keys must be strings");
      return Value();
    }
    sensitive_key = sensitive_key || key.sensitive();
    out.insert_or_assign(std::move(text), (*values)[i]);
  }
  return MarkIf(Value::Map(std::move(out)), sensitive_key);
}

Value Transpose(const std::vector<Value>& args, CallContext& call) {
  const ValueMap* map = nullptr;
  if (!call.GetMap(args, 0, &map)) return Value();
  std::map<std::string, ValueList> out;
  for (const auto& [key, list] : *map) {
    if (!list.is_list()) {
      call.ArgumentError(0, "the value of \"" + key + "\" is " + DescribeValue(list) +
                                "; transpose takes a map of lists of strings");
      return Value();
    }
    for (const Value& item : list.AsList()) {
      std::string text;
      if (!ToText(item, &text)) {
        call.ArgumentError(0, "the list of \"" + key + "\" holds " + DescribeValue(item) +
                                  "; transpose takes a map of lists of strings");
        return Value();
      }
      out[text].push_back(MarkIf(Value::String(key), item.sensitive() || list.sensitive()));
    }
  }
  ValueMap result;
  for (auto& [key, keys] : out) result.emplace(key, Value::List(std::move(keys)));
  return Value::Map(std::move(result));
}

Value Coalescelist(const std::vector<Value>& args, CallContext& call) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i].is_null()) continue;
    const ValueList* list = nullptr;
    if (!call.GetList(args, i, &list)) return Value();
    if (!list->empty()) return args[i];
  }
  call.Error("every argument is null or an empty list");
  return Value();
}

// alltrue / anytrue: `all` true for alltrue.
Value BoolFold(const std::vector<Value>& args, CallContext& call, bool all) {
  const ValueList* list = nullptr;
  if (!call.GetList(args, 0, &list)) return Value();
  for (std::size_t i = 0; i < list->size(); ++i) {
    bool b = false;
    if (!ToBool((*list)[i], &b)) {
      call.ArgumentError(0, "element " + std::to_string(i) + " is " +
                                DescribeValue((*list)[i]) + ", not a bool");
      return Value();
    }
    if (b != all) return Value::Bool(!all);
  }
  return Value::Bool(all);
}

Value AllTrue(const std::vector<Value>& args, CallContext& call) { return BoolFold(args, call, true); }
Value AnyTrue(const std::vector<Value>& args, CallContext& call) { return BoolFold(args, call, false); }

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
      {"index", "index(list, value)", 2, 2, false, false, Index},
      {"reverse", "reverse(list)", 1, 1, true, false, Reverse},
      {"slice", "slice(list, start_index, end_index)", 3, 3, true, false, Slice},
      {"flatten", "flatten(list)", 1, 1, false, false, Flatten},
      {"distinct", "distinct(list)", 1, 1, false, false, Distinct},
      {"compact", "compact(list)", 1, 1, false, false, Compact},
      {"chunklist", "chunklist(list, size)", 2, 2, true, false, Chunklist},
      {"one", "one(list)", 1, 1, true, false, One},
      {"zipmap", "zipmap(keys, values)", 2, 2, true, false, Zipmap},
      {"transpose", "transpose(map)", 1, 1, false, false, Transpose},
      {"coalesce", "coalesce(values...)", 1, -1, false, false, Coalesce},
      {"coalescelist", "coalescelist(lists...)", 1, -1, true, false, Coalescelist},
      {"alltrue", "alltrue(list)", 1, 1, false, false, AllTrue},
      {"anytrue", "anytrue(list)", 1, 1, false, false, AnyTrue},
  };
}

}  // namespace reconcile::config
