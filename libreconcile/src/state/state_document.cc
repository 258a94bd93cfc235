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

// Reads `attributes` and marks the paths in `sensitive_attributes`.
bool ReadObjectAttributes(DocumentReader& reader, const Value& object, const std::string& path,
                          Value* out) {
  const Value* attributes = reader.Member(object, path, "attributes", Presence::kRequired);
  if (attributes == nullptr) return false;
  if (!attributes->is_map() && !attributes->is_null()) {
    reader.ExpectObject(*attributes, json::MemberPath(path, "attributes"));
    return false;
  }
  *out = *attributes;
  std::vector<ValuePath> sensitive;
  if (object.Find("sensitive_attributes") != nullptr &&
      !reader.PathList(object, path, "sensitive_attributes", &sensitive))
    return false;
  MarkPaths(*out, sensitive);
  return true;
}

bool ReadDeposed(DocumentReader& reader, const Value& instance, const std::string& path,
                 std::vector<Value>* out) {
  const Value* deposed = reader.Member(instance, path, "deposed", Presence::kOptional);
  if (deposed == nullptr) return true;
  std::string list_path = json::MemberPath(path, "deposed");
  if (!reader.ExpectList(*deposed, list_path)) return false;
  for (std::size_t i = 0; i < deposed->AsList().size(); ++i) {
    std::string item_path = json::ElementPath(list_path, i);
    const Value& item = deposed->AsList()[i];
    Value attributes;
    if (!reader.ExpectObject(item, item_path) ||
        !ReadObjectAttributes(reader, item, item_path, &attributes))
      return false;
    out->push_back(std::move(attributes));
  }
  return true;
}

bool ReadInstance(DocumentReader& reader, const Value& item, const std::string& path,
                  ResourceInstanceState* out) {
  if (!reader.ExpectObject(item, path)) return false;
  bool ok = reader.String(item, path, "address", &out->address);
  ok &= reader.String(item, path, "mode", &out->mode);
  ok &= reader.String(item, path, "type", &out->type);
  ok &= reader.String(item, path, "provider", &out->provider);
  reader.Int(item, path, "schema_version", &out->schema_version);
  reader.Bool(item, path, "tainted", &out->tainted);
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

void ReadResources(DocumentReader& reader, const Value& root, State* out) {
  const Value* resources = reader.Member(root, "", "resources", Presence::kOptional);
  if (resources == nullptr || !reader.ExpectList(*resources, "resources")) return;
  for (std::size_t i = 0; i < resources->AsList().size(); ++i) {
    std::string path = json::ElementPath("resources", i);
    ResourceInstanceState instance;
    if (!ReadInstance(reader, resources->AsList()[i], path, &instance)) continue;
    auto [it, inserted] = out->resources.emplace(instance.address, std::move(instance));
    if (!inserted) reader.Fail(json::MemberPath(path, "address"), "\"" + it->first + "\" appears twice");
  }
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
  out.reserve(4096 + state.resources.size() * 512);
  json::Writer w(&out);
  w.BeginObject();
  w.Field("format_version", State::kFormatVersion);
  w.Field("tool_version", state.tool_version);
  w.Field("lineage", state.lineage);
  w.Field("serial", state.serial);
  WriteOutputs(w, state.outputs);
  w.Key("resources");
  w.BeginArray();
  for (const auto& [address, instance] : state.resources) WriteInstance(w, address, instance);
  w.EndArray();
  w.EndObject();
  out += '\n';
  return out;
}

Diagnostics ParseState(std::string_view document, State* out) {
  Diagnostics diags;
  Value root;
  std::string error;
  if (!json::Parse(document, &root, &error)) {
    diags.Error("state document is not valid JSON", error);
    return diags;
  }
  DocumentReader reader("state document", &diags);
  if (!reader.ExpectObject(root, "")) return diags;
  State state;
  if (!ReadHeader(reader, root, &state)) return diags;
  ReadOutputs(reader, root, &state);
  ReadResources(reader, root, &state);
  if (!diags.HasErrors()) *out = std::move(state);
  return diags;
}

}  // namespace reconcile
