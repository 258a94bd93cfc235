// Saved plans (`plan --out F`): everything in a Plan, marks included, in a
// versioned JSON file written 0600 (it holds sensitive values in clear).
#include "plan/plan_file.h"

#include "reconcile/plan.h"
#include "state/atomic_file.h"
#include "state/document_reader.h"
#include "state/json_reader.h"
#include "state/json_writer.h"
#include "state/marked_value.h"
#include "state/pending_journal.h"

namespace reconcile {

namespace {

constexpr int kPlanFileVersion = 1;
constexpr const char* kPlanFileKind = "reconcile-plan";

using json::DocumentReader;
using json::Presence;

void MarkedField(json::Writer& w, std::string_view key, const Value& v) {
  w.Key(key);
  json::WriteMarkedValue(w, v);
}

void WriteChange(json::Writer& w, const PlannedChange& change) {
  w.BeginObject();
  w.Field("address", change.address);
  w.Field("type", change.type);
  w.Field("provider", change.provider);
  w.Field("mode", change.mode == ResourceMode::kData ? "data" : "managed");
  w.Field("action", ActionName(change.action));
  MarkedField(w, "before", change.before);
  MarkedField(w, "after", change.after);
  w.Field("replace_paths", change.replace_paths);
  w.Field("create_before_destroy", change.create_before_destroy);
  w.Field("reason", change.reason);
  w.Field("depends_on", change.depends_on);
  w.Key("deposed");
  w.BeginArray();
  for (const Value& object : change.deposed) json::WriteMarkedValue(w, object);
  w.EndArray();
  w.EndObject();
}

void WriteChanges(json::Writer& w, std::string_view key, const std::vector<PlannedChange>& changes) {
  w.Key(key);
  w.BeginArray();
  for (const PlannedChange& change : changes) WriteChange(w, change);
  w.EndArray();
}

void WriteOutputs(json::Writer& w, const std::vector<OutputChange>& outputs) {
  w.Key("outputs");
  w.BeginArray();
  for (const OutputChange& output : outputs) {
    w.BeginObject();
    w.Field("name", output.name);
    w.Field("action", ActionName(output.action));
    w.Field("sensitive", output.sensitive);
    MarkedField(w, "before", output.before);
    MarkedField(w, "after", output.after);
    w.EndObject();
  }
  w.EndArray();
}


bool ReadAction(DocumentReader& reader, const Value& object, const std::string& path, Action* out) {
  std::string name;
  if (!reader.String(object, path, "action", &name)) return false;
  for (Action action : {Action::kNoOp, Action::kCreate, Action::kRead, Action::kUpdate, Action::kReplace,
                        Action::kDelete}) {
    if (ActionName(action) == name) {
      *out = action;
      return true;
    }
  }
  reader.Fail(json::MemberPath(path, "action"),
              "unknown action \"" + name + "\"; expected no-op, create, read, update, replace or delete");
  return false;
}

bool ReadMarkedMember(DocumentReader& reader, const Value& object, const std::string& path, std::string_view key,
                      Value* out) {
  const Value* member = reader.Member(object, path, key, Presence::kRequired);
  return member != nullptr && json::ReadMarkedValue(reader, *member, json::MemberPath(path, key), out);
}

bool ReadChange(DocumentReader& reader, const Value& item, const std::string& path, PlannedChange* out) {
  if (!reader.ExpectObject(item, path)) return false;
  std::string mode;
  bool ok = reader.String(item, path, "address", &out->address);
  ok &= reader.String(item, path, "type", &out->type);
  ok &= reader.String(item, path, "provider", &out->provider);
  ok &= reader.String(item, path, "mode", &mode);
  out->mode = mode == "data" ? ResourceMode::kData : ResourceMode::kManaged;
  ok &= ReadAction(reader, item, path, &out->action);
  ok &= ReadMarkedMember(reader, item, path, "before", &out->before);
  ok &= ReadMarkedMember(reader, item, path, "after", &out->after);
  reader.StringList(item, path, "replace_paths", &out->replace_paths);
  reader.Bool(item, path, "create_before_destroy", &out->create_before_destroy);
  reader.String(item, path, "reason", &out->reason, Presence::kOptional);
  reader.StringList(item, path, "depends_on", &out->depends_on);
  if (const Value* deposed = reader.Member(item, path, "deposed", Presence::kOptional)) {
    std::string list_path = json::MemberPath(path, "deposed");
    if (reader.ExpectList(*deposed, list_path)) {
      for (std::size_t i = 0; i < deposed->AsList().size(); ++i) {
        Value object;
        ok &= json::ReadMarkedValue(reader, deposed->AsList()[i], list_path + "[" + std::to_string(i) + "]", &object);
        out->deposed.push_back(std::move(object));
      }
    } else {
      ok = false;
    }
  }
  return ok;
}

void ReadChanges(DocumentReader& reader, const Value& root, std::string_view key, std::vector<PlannedChange>* out) {
  const Value* list = reader.Member(root, "", key, Presence::kRequired);
  if (list == nullptr || !reader.ExpectList(*list, key)) return;
  for (std::size_t i = 0; i < list->AsList().size(); ++i) {
    PlannedChange change;
    if (ReadChange(reader, list->AsList()[i], json::ElementPath(key, i), &change)) out->push_back(std::move(change));
  }
}

void ReadOutputs(DocumentReader& reader, const Value& root, std::vector<OutputChange>* out) {
  const Value* list = reader.Member(root, "", "outputs", Presence::kRequired);
  if (list == nullptr || !reader.ExpectList(*list, "outputs")) return;
  for (std::size_t i = 0; i < list->AsList().size(); ++i) {
    const Value& item = list->AsList()[i];
    std::string path = json::ElementPath("outputs", i);
    OutputChange output;
    if (!reader.ExpectObject(item, path)) continue;
    bool ok = reader.String(item, path, "name", &output.name);
    ok &= ReadAction(reader, item, path, &output.action);
    reader.Bool(item, path, "sensitive", &output.sensitive);
    ok &= ReadMarkedMember(reader, item, path, "before", &output.before);
    ok &= ReadMarkedMember(reader, item, path, "after", &output.after);
    if (ok) out->push_back(std::move(output));
  }
}

void ReadPendingList(DocumentReader& reader, const Value& root, std::vector<PendingOperation>* out) {
  const Value* list = reader.Member(root, "", "pending", Presence::kRequired);
  if (list == nullptr || !reader.ExpectList(*list, "pending")) return;
  for (std::size_t i = 0; i < list->AsList().size(); ++i) {
    PendingOperation op;
    if (ReadPendingOperation(reader, list->AsList()[i], json::ElementPath("pending", i), &op))
      out->push_back(std::move(op));
  }
}

void ReadVariables(DocumentReader& reader, const Value& root, std::map<std::string, Value>* out) {
  const Value* variables = reader.Member(root, "", "variables", Presence::kRequired);
  if (variables == nullptr || !reader.ExpectObject(*variables, "variables")) return;
  for (const auto& [name, encoded] : variables->AsMap()) {
    Value value;
    if (json::ReadMarkedValue(reader, encoded, json::MemberPath("variables", name), &value))
      (*out)[name] = std::move(value);
  }
  // Kept by name only: unknown until the apply resolves them again.
  const Value* omitted = root.Find("sensitive_variables");
  if (omitted == nullptr || !omitted->is_list()) return;
  for (const Value& name : omitted->AsList())
    if (name.is_string()) (*out)[name.AsString()] = Value::Unknown().MarkedSensitive();
}

void ReadExcluded(DocumentReader& reader, const Value& root, std::vector<ExcludedInstance>* out) {
  const Value* list = reader.Member(root, "", "excluded", Presence::kOptional);
  if (list == nullptr || !reader.ExpectList(*list, "excluded")) return;
  for (std::size_t i = 0; i < list->AsList().size(); ++i) {
    const Value& item = list->AsList()[i];
    std::string path = json::ElementPath("excluded", i);
    ExcludedInstance e;
    if (!reader.ExpectObject(item, path)) continue;
    bool ok = reader.String(item, path, "address", &e.address);
    ok &= reader.String(item, path, "because_of", &e.because_of);
    if (ok) out->push_back(std::move(e));
  }
}

bool ReadHeader(DocumentReader& reader, const Value& root, Plan* out) {
  std::string kind;
  int version = 0;
  const Value* kind_member = root.Find("kind");
  if (kind_member != nullptr && kind_member->is_string()) kind = kind_member->AsString();
  if (kind != kPlanFileKind) {
    reader.Fail("kind", "this is not a saved reconcile plan (expected \"kind\": \"reconcile-plan\")");
    return false;
  }
  if (!reader.Int(root, "", "format_version", &version, Presence::kRequired)) return false;
  if (version != kPlanFileVersion) {
    reader.Fail("format_version", "unsupported plan file version " + std::to_string(version) +
                                      "; this reconcile reads version " + std::to_string(kPlanFileVersion) +
                                      ". Make the plan again with this version.");
    return false;
  }
  bool ok = reader.String(root, "", "workspace", &out->workspace);
  ok &= reader.String(root, "", "lineage", &out->lineage);
  ok &= reader.Uint64(root, "", "serial", &out->serial);
  reader.Bool(root, "", "state_existed", &out->state_existed);
  reader.Bool(root, "", "destroy", &out->destroy);
  reader.StringList(root, "", "targets", &out->targets);
  reader.StringList(root, "", "replace", &out->replace);
  reader.StringList(root, "", "excludes", &out->excludes);
  reader.String(root, "", "config_digest", &out->config_digest, Presence::kOptional);
  return ok;
}

}  // namespace

std::string SerializePlan(const Plan& plan) {
  std::string out;
  json::Writer w(&out);
  w.BeginObject();
  w.Field("format_version", kPlanFileVersion);
  w.Field("kind", kPlanFileKind);
  w.Field("workspace", plan.workspace);
  w.Field("lineage", plan.lineage);
  w.Field("serial", plan.serial);
  w.Field("state_existed", plan.state_existed);
  w.Field("destroy", plan.destroy);
  w.Field("targets", plan.targets);
  w.Field("replace", plan.replace);
  w.Field("excludes", plan.excludes);
  w.Key("excluded");
  w.BeginArray();
  for (const ExcludedInstance& e : plan.excluded) {
    w.BeginObject();
    w.Field("address", e.address);
    w.Field("because_of", e.because_of);
    w.EndObject();
  }
  w.EndArray();
  w.Field("config_digest", plan.config_digest);
  // Sensitive variables' values stay out of plan files: only their names,
  // and `apply FILE` takes them from their sources again (docs/secrets.md).
  w.Key("variables");
  w.BeginObject();
  std::vector<std::string> omitted;
  for (const auto& [name, value] : plan.variables) {
    if (value.sensitive()) omitted.push_back(name);
    else MarkedField(w, name, value);
  }
  w.EndObject();
  if (!omitted.empty()) w.Field("sensitive_variables", omitted);
  WriteChanges(w, "changes", plan.changes);
  WriteChanges(w, "drift", plan.drift);
  w.Key("pending");
  w.BeginArray();
  for (const PendingOperation& op : plan.pending) WritePendingOperation(w, op);
  w.EndArray();
  WriteOutputs(w, plan.outputs);
  w.EndObject();
  out += '\n';
  return out;
}

Diagnostics WritePlanFile(const std::string& path, const Plan& plan) {
  files::AtomicWriteOptions options;
  options.mode = 0600;
  return files::WriteAtomically(path, SerializePlan(plan), options);
}

Diagnostics ReadPlanFile(const std::string& path, Plan* out) {
  Diagnostics diags;
  std::string content;
  std::string error;
  switch (files::ReadWholeFile(path, &content, &error)) {
    case files::ReadStatus::kMissing:
      diags.Error("cannot read plan file " + path, "no such file");
      return diags;
    case files::ReadStatus::kFailed:
      diags.Error("cannot read plan file " + path, error);
      return diags;
    case files::ReadStatus::kOk:
      break;
  }
  return ParsePlanFile(content, path, out);
}

Diagnostics ParsePlanFile(std::string_view content, const std::string& path, Plan* out) {
  Diagnostics diags;
  std::string error;
  Value root;
  if (content.find("{\"reconcile_encrypted\":") == content.find_first_not_of(" \t\r\n")) {
    diags.Error("plan file " + path + " is encrypted",
                "Apply or show it from its stack's directory, with the stack's [encryption] key available.");
    return diags;
  }
  if (!json::Parse(content, &root, &error)) {
    diags.Error("plan file " + path + " is not valid JSON", error);
    return diags;
  }
  DocumentReader reader("plan file " + path, &diags);
  Plan plan;
  if (!reader.ExpectObject(root, "") || !ReadHeader(reader, root, &plan)) return diags;
  ReadVariables(reader, root, &plan.variables);
  ReadChanges(reader, root, "changes", &plan.changes);
  ReadChanges(reader, root, "drift", &plan.drift);
  ReadPendingList(reader, root, &plan.pending);
  ReadOutputs(reader, root, &plan.outputs);
  ReadExcluded(reader, root, &plan.excluded);
  if (!diags.HasErrors()) *out = std::move(plan);
  return diags;
}

}  // namespace reconcile
