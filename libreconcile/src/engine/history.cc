#include "engine/history.h"

#include <algorithm>
#include <map>

namespace reconcile::engine {

namespace {

// How many versions are read per entry asked for: S3 keeps the writes made
// during an apply as versions too.
constexpr std::size_t kVersionsPerEntry = 8;

// "web:42" of a task definition's state.
std::string TaskDefinitionName(const Value& attributes) {
  const Value* family = attributes.Find("family");
  const Value* revision = attributes.Find("revision");
  if (family == nullptr || !family->is_string()) return "";
  std::string out = family->AsString();
  if (revision != nullptr && revision->is_number()) out += ":" + FormatNumber(revision->AsNumber());
  return out;
}

HistoryEntry EntryOf(const State& state, const std::string& version) {
  HistoryEntry entry;
  entry.serial = state.serial;
  entry.version = version;
  entry.apply = state.last_apply;
  entry.release = state.release;
  for (const auto& [address, instance] : state.resources)
    if (instance.type == "aws_ecs_task_definition" && instance.mode == "managed")
      entry.task_definitions[address] = TaskDefinitionName(instance.attributes);
  return entry;
}

}  // namespace

Diagnostics ReadHistory(Backend& backend, const std::string& workspace, std::size_t limit,
                        std::vector<HistoryEntry>* out) {
  out->clear();
  std::vector<StateVersion> versions;
  Diagnostics diags = backend.ListStateVersions(workspace, limit * kVersionsPerEntry, &versions);
  if (diags.HasErrors()) return diags;
  std::map<std::string, HistoryEntry> by_apply;  // apply id -> its oldest version
  for (const StateVersion& version : versions) {  // newest first
    std::string document;
    Diagnostics read = backend.ReadStateVersion(workspace, version.id, &document);
    State state;
    if (!read.HasErrors()) read.Append(ParseState(document, &state));
    if (read.HasErrors()) {
      diags.Warning("Skipped state version " + version.id + " of workspace \"" + workspace + "\"",
                    read.ToString());
      continue;
    }
    if (state.last_apply.empty()) continue;
    HistoryEntry entry = EntryOf(state, version.id);
    if (entry.apply.time.empty()) entry.apply.time = version.modified;
    by_apply[state.last_apply.id] = std::move(entry);
  }
  for (auto& [id, entry] : by_apply) out->push_back(std::move(entry));
  std::sort(out->begin(), out->end(),
            [](const HistoryEntry& a, const HistoryEntry& b) { return a.serial > b.serial; });
  if (out->size() > limit) out->resize(limit);
  return diags;
}

Diagnostics KeepStateVersion(StateStore& store, const std::string& workspace) {
  State state = store.Snapshot();
  Diagnostics kept = store.backend().KeepStateVersion(workspace, {SerializeState(state), state.lineage, state.serial});
  Diagnostics out;
  for (const Diagnostic& d : kept)
    out.Warning("The history of workspace \"" + workspace + "\" misses this apply: " + d.summary, d.detail);
  return out;
}

}  // namespace reconcile::engine
