// The state document: SerializeState / ParseState (docs/state-format.md).
#include <utility>

#include "reconcile/state.h"
#include "state/document_reader.h"
#include "state/json_reader.h"
#include "state/json_writer.h"

namespace reconcile {

namespace {

using json::DocumentReader;
using json::Presence;

std::vector<std::string> FormattedSensitivePaths(const Value& v) {
  std::vector<std::string> out;
  for (const ValuePath& path : SensitivePaths(v)) out.push_back(FormatPath(path));
  return out;
}

// `"attributes": {...}, "sensitive_attributes": [...]` for one object.
void WriteObjectAttributes(json::Writer& w, const Value& attributes) {
  w.Field("attributes", attributes);
  w.Field("sensitive_attributes", FormattedSensitivePaths(attributes));
}

void WriteInstance(json::Writer& w, const std::string& address, const ResourceInstanceState& r) {
  w.BeginObject();
  w.Field("address", address);
  w.Field("mode", r.mode);
  w.Field("type", r.type);
  w.Field("provider", r.provider);
  w.Field("schema_version", r.schema_version);
  w.Field("tainted", r.tainted);
  if (r.create_before_destroy) w.Field("create_before_destroy", true);
  WriteObjectAttributes(w, r.attributes);
  w.Field("dependencies", r.dependencies);
  w.Key("deposed");
  w.BeginArray();
  for (const Value& object : r.deposed) {
    w.BeginObject();
    WriteObjectAttributes(w, object);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

void WriteOutputs(json::Writer& w, const std::map<std::string, OutputState>& outputs) {
  w.Key("outputs");
  w.BeginObject();
  for (const auto& [name, output] : outputs) {
    w.Key(name);
    w.BeginObject();
    w.Field("sensitive", output.sensitive);
    w.Field("value", output.value);
    w.Field("sensitive_paths", FormattedSensitivePaths(output.value));
    w.EndObject();
  }
  w.EndObject();
}

// `"release": {"image_tag": {"value": "v2", "sensitive_paths": []}}`.
void WriteRelease(json::Writer& w, const std::map<std::string, Value>& release) {
  if (release.empty()) return;
  w.Key("release");
  w.BeginObject();
  for (const auto& [name, value] : release) {
    w.Key(name);
    w.BeginObject();
    w.Field("value", value);
    w.Field("sensitive_paths", FormattedSensitivePaths(value));
    w.EndObject();
  }
  w.EndObject();
}

void WriteLastApply(json::Writer& w, const ApplyRecord& record) {
  if (record.empty()) return;
  w.Key("last_apply");
  w.BeginObject();
  w.Field("id", record.id);
  w.Field("operation", record.operation);
  w.Field("who", record.who);
  w.Field("time", record.time);
  w.Field("add", record.add);
  w.Field("change", record.change);
  w.Field("destroy", record.destroy);
  w.EndObject();
}

// Moves the member `key` out of `object` (which must be a map); null when missing.
Value TakeMember(Value& object, std::string_view key) {
  ValueMap& map = object.MutableMap();
  auto it = map.find(key);
  return it == map.end() ? Value() : std::move(it->second);
}

// Takes `attributes` out of `object` and marks the paths in `sensitive_attributes`.
bool ReadObjectAttributes(DocumentReader& reader, Value& object, const std::string& path, Value* out) {
  if (reader.Member(object, path, "attributes", Presence::kRequired) == nullptr) return false;
  std::vector<ValuePath> sensitive;
  if (object.Find("sensitive_attributes") != nullptr &&
      !reader.PathList(object, path, "sensitive_attributes", &sensitive))
    return false;
  Value attributes = TakeMember(object, "attributes");
  if (!attributes.is_map() && !attributes.is_null()) {
    reader.ExpectObject(attributes, json::MemberPath(path, "attributes"));
    return false;
  }
  MarkPaths(attributes, sensitive);
  *out = std::move(attributes);
  return true;
}

bool ReadDeposed(DocumentReader& reader, Value& instance, const std::string& path, std::vector<Value>* out) {
  if (instance.Find("deposed") == nullptr) return true;
  Value deposed = TakeMember(instance, "deposed");
  std::string list_path = json::MemberPath(path, "deposed");
  if (!reader.ExpectList(deposed, list_path)) return false;
  ValueList& items = deposed.MutableList();
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string item_path = json::ElementPath(list_path, i);
    Value attributes;
    if (!reader.ExpectObject(items[i], item_path) || !ReadObjectAttributes(reader, items[i], item_path, &attributes))
      return false;
    out->push_back(std::move(attributes));
  }
  return true;
}

bool ReadInstance(DocumentReader& reader, Value& item, const std::string& path, ResourceInstanceState* out) {
  if (!reader.ExpectObject(item, path)) return false;
  bool ok = reader.String(item, path, "address", &out->address);
  ok &= reader.String(item, path, "mode", &out->mode);
  ok &= reader.String(item, path, "type", &out->type);
  ok &= reader.String(item, path, "provider", &out->provider);
  reader.Int(item, path, "schema_version", &out->schema_version);
  reader.Bool(item, path, "tainted", &out->tainted);
  reader.Bool(item, path, "create_before_destroy", &out->create_before_destroy);
  reader.StringList(item, path, "dependencies", &out->dependencies);
  ok &= ReadObjectAttributes(reader, item, path, &out->attributes);
  ok &= ReadDeposed(reader, item, path, &out->deposed);
  if (ok && out->mode != "managed" && out->mode != "data") {
    reader.Fail(json::MemberPath(path, "mode"),
                "expected \"managed\" or \"data\", found \"" + out->mode + "\"");
    return false;
  }
  return ok;
}

// Adds resources[index] to the state.
void AddInstance(DocumentReader& reader, Value& item, std::size_t index, State* out) {
  std::string path = json::ElementPath("resources", index);
  ResourceInstanceState instance;
  if (!ReadInstance(reader, item, path, &instance)) return;
  // Addresses arrive sorted in documents we write: hint at the end.
  std::size_t before = out->resources.size();
  auto it = out->resources.emplace_hint(out->resources.end(), instance.address, std::move(instance));
  if (out->resources.size() == before)
    reader.Fail(json::MemberPath(path, "address"), "\"" + it->first + "\" appears twice");
}

void ReadResources(DocumentReader& reader, Value& resources, State* out) {
  if (!reader.ExpectList(resources, "resources")) return;
  ValueList& items = resources.MutableList();
  for (std::size_t i = 0; i < items.size(); ++i) AddInstance(reader, items[i], i, out);
}

void ReadOutputs(DocumentReader& reader, const Value& root, State* out) {
  const Value* outputs = reader.Member(root, "", "outputs", Presence::kOptional);
  if (outputs == nullptr || !reader.ExpectObject(*outputs, "outputs")) return;
  for (const auto& [name, item] : outputs->AsMap()) {
    std::string path = json::MemberPath("outputs", name);
    if (!reader.ExpectObject(item, path)) continue;
    OutputState output;
    reader.Bool(item, path, "sensitive", &output.sensitive);
    const Value* value = reader.Member(item, path, "value", Presence::kRequired);
    if (value != nullptr) output.value = *value;
    std::vector<ValuePath> sensitive;
    if (item.Find("sensitive_paths") != nullptr) reader.PathList(item, path, "sensitive_paths", &sensitive);
    MarkPaths(output.value, sensitive);
    out->outputs.emplace(name, std::move(output));
  }
}

void ReadRelease(DocumentReader& reader, const Value& root, State* out) {
  const Value* release = reader.Member(root, "", "release", Presence::kOptional);
  if (release == nullptr || !reader.ExpectObject(*release, "release")) return;
  for (const auto& [name, item] : release->AsMap()) {
    std::string path = json::MemberPath("release", name);
    if (!reader.ExpectObject(item, path)) continue;
    const Value* value = reader.Member(item, path, "value", Presence::kRequired);
    if (value == nullptr) continue;
    Value marked = *value;
    std::vector<ValuePath> sensitive;
    if (item.Find("sensitive_paths") != nullptr) reader.PathList(item, path, "sensitive_paths", &sensitive);
    MarkPaths(marked, sensitive);
    out->release.emplace(name, std::move(marked));
  }
}

void ReadLastApply(DocumentReader& reader, const Value& root, State* out) {
  const Value* record = reader.Member(root, "", "last_apply", Presence::kOptional);
  if (record == nullptr || !reader.ExpectObject(*record, "last_apply")) return;
  ApplyRecord r;
  bool ok = reader.String(*record, "last_apply", "id", &r.id);
  ok &= reader.String(*record, "last_apply", "operation", &r.operation);
  reader.String(*record, "last_apply", "who", &r.who, Presence::kOptional);
  reader.String(*record, "last_apply", "time", &r.time, Presence::kOptional);
  reader.Int(*record, "last_apply", "add", &r.add, Presence::kOptional);
  reader.Int(*record, "last_apply", "change", &r.change, Presence::kOptional);
  reader.Int(*record, "last_apply", "destroy", &r.destroy, Presence::kOptional);
  if (ok) out->last_apply = std::move(r);
}

bool ReadHeader(DocumentReader& reader, const Value& root, State* out) {
  int version = 0;
  if (!reader.Int(root, "", "format_version", &version, Presence::kRequired)) return false;
  if (version != State::kFormatVersion) {
    reader.Fail("format_version",
                "unsupported state format version " + std::to_string(version) + "; this reconcile reads version " +
                    std::to_string(State::kFormatVersion) +
                    (version > State::kFormatVersion ? " (the state was written by a newer reconcile: upgrade)" : ""));
    return false;
  }
  bool ok = reader.String(root, "", "lineage", &out->lineage);
  if (ok && out->lineage.empty()) {
    reader.Fail("lineage", "must not be empty");
    ok = false;
  }
  ok &= reader.Uint64(root, "", "serial", &out->serial);
  reader.String(root, "", "tool_version", &out->tool_version, Presence::kOptional);
  return ok;
}

}  // namespace

std::string SerializeState(const State& state) {
  std::string out;
  out.reserve(4096);
  json::Writer w(&out);
  w.BeginObject();
  w.Field("format_version", State::kFormatVersion);
  w.Field("tool_version", state.tool_version);
  w.Field("lineage", state.lineage);
  w.Field("serial", state.serial);
  WriteRelease(w, state.release);
  WriteLastApply(w, state.last_apply);
  WriteOutputs(w, state.outputs);
  w.Key("resources");
  w.BeginArray();
  std::size_t written = 0;
  std::size_t resources_start = out.size();
  for (const auto& [address, instance] : state.resources) {
    WriteInstance(w, address, instance);
    // Size the buffer once from the first instances: growing a big document
    // by doubling copies (and page-faults) it again and again.
    if (++written == 16 && state.resources.size() > 64) {
      std::size_t average = (out.size() - resources_start) / written;
      out.reserve(out.size() + average * 5 / 4 * (state.resources.size() - written) + 4096);
    }
  }
  w.EndArray();
  w.EndObject();
  out += '\n';
  return out;
}

namespace {

// Streams the resources list, one instance at a time, so a big state is never
// held twice in memory.
bool StreamResources(json::Reader& json, DocumentReader& reader, State* out) {
  bool done = false;
  for (std::size_t index = 0; json.NextElement(&done) && !done; ++index) {
    Value item;
    if (!json.ReadValue(&item)) return false;
    AddInstance(reader, item, index, out);
  }
  return json.error().empty();
}

}  // namespace

Diagnostics ParseState(std::string_view document, State* out) {
  Diagnostics diags;
  DocumentReader reader("state document", &diags);
  json::Reader json(document);
  State state;
  Value top = Value::Map({});  // every top-level member but a streamed resources list
  bool header_read = false;
  bool header_ok = true;
  if (json.PeekObject()) {
    json.BeginObject();
    std::string key;
    bool done = false;
    while (json.NextKey(&key, &done) && !done) {
      // Documents reconcile writes have the header first: check it, then stream.
      if (key == "resources" && json.PeekList() && top.Find("format_version") && top.Find("lineage") &&
          top.Find("serial")) {
        header_read = true;
        if (!(header_ok = ReadHeader(reader, top, &state))) break;
        if (!json.BeginList() || !StreamResources(json, reader, &state)) break;
        continue;
      }
      Value member;
      if (!json.ReadValue(&member)) break;
      top.Set(std::move(key), std::move(member));
    }
    if (header_ok) json.ExpectEnd();
  } else {
    Value root;
    if (json.ReadValue(&root) && json.ExpectEnd()) reader.ExpectObject(root, "");
  }
  if (!json.error().empty()) {
    diags = Diagnostics();
    diags.Error("state document is not valid JSON", json.error());
    return diags;
  }
  if (diags.HasErrors() || !header_ok || (!header_read && !ReadHeader(reader, top, &state))) return diags;
  ReadOutputs(reader, top, &state);
  ReadRelease(reader, top, &state);
  ReadLastApply(reader, top, &state);
  if (top.Find("resources") != nullptr) ReadResources(reader, top.MutableMap().find("resources")->second, &state);
  if (!diags.HasErrors()) *out = std::move(state);
  return diags;
}

}  // namespace reconcile
