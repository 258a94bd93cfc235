#include "state/marked_value.h"

#include <vector>

namespace reconcile::json {

namespace {

// Collects the path of every sensitive-marked and every unknown value, at every depth.
void CollectMarks(const Value& v, ValuePath& at, std::vector<std::string>* sensitive,
                  std::vector<std::string>* unknown) {
  if (v.sensitive()) sensitive->push_back(FormatPath(at));
  if (v.is_unknown()) unknown->push_back(FormatPath(at));
  if (v.is_list()) {
    const ValueList& items = v.AsList();
    for (std::size_t i = 0; i < items.size(); ++i) {
      at.push_back(PathStep{{}, i, true});
      CollectMarks(items[i], at, sensitive, unknown);
      at.pop_back();
    }
  } else if (v.is_map()) {
    for (const auto& [key, item] : v.AsMap()) {
      at.push_back(PathStep{key, 0, false});
      CollectMarks(item, at, sensitive, unknown);
      at.pop_back();
    }
  }
}

// The value at `path` inside `v`, for writing; nullptr when the path is absent.
Value* Locate(Value& v, const ValuePath& path) {
  Value* at = &v;
  for (const PathStep& step : path) {
    if (step.is_index) {
      if (!at->is_list() || step.index >= at->AsList().size()) return nullptr;
      at = &at->MutableList()[step.index];
    } else {
      if (at->Find(step.key) == nullptr) return nullptr;
      at = &at->MutableMap().find(step.key)->second;
    }
  }
  return at;
}

bool ApplyMarks(DocumentReader& reader, const Value& encoded, std::string_view path, std::string_view key,
                bool unknown, Value* out) {
  std::vector<ValuePath> paths;
  if (encoded.Find(key) == nullptr) return true;
  if (!reader.PathList(encoded, path, key, &paths)) return false;
  for (const ValuePath& p : paths) {
    Value* target = Locate(*out, p);
    if (target == nullptr) {
      reader.Fail(MemberPath(path, key), "path \"" + FormatPath(p) + "\" is not inside the value");
      return false;
    }
    if (unknown) {
      *target = Value::Unknown();
    } else {
      target->set_sensitive(true);
    }
  }
  return true;
}

}  // namespace

void WriteMarkedValue(Writer& w, const Value& v) {
  std::vector<std::string> sensitive;
  std::vector<std::string> unknown;
  ValuePath at;
  CollectMarks(v, at, &sensitive, &unknown);
  w.BeginObject();
  w.Field("value", v);
  if (!sensitive.empty()) w.Field("sensitive", sensitive);
  if (!unknown.empty()) w.Field("unknown", unknown);
  w.EndObject();
}

bool ReadMarkedValue(DocumentReader& reader, const Value& encoded, std::string_view path, Value* out) {
  if (!reader.ExpectObject(encoded, path)) return false;
  const Value* value = reader.Member(encoded, path, "value", Presence::kRequired);
  if (value == nullptr) return false;
  *out = *value;
  // Unknowns first: marking sensitive afterwards keeps a sensitive unknown marked.
  return ApplyMarks(reader, encoded, path, "unknown", true, out) &&
         ApplyMarks(reader, encoded, path, "sensitive", false, out);
}

}  // namespace reconcile::json
