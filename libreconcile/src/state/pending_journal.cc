// The pending-operation journal: SerializePending / ParsePending.
#include "state/pending_journal.h"

#include <utility>

#include "reconcile/state.h"
#include "state/document_reader.h"
#include "state/json_reader.h"
#include "state/json_writer.h"
#include "state/marked_value.h"

namespace reconcile {

namespace {

constexpr int kPendingFormatVersion = 1;

using json::DocumentReader;
using json::Presence;

}  // namespace

void WritePendingOperation(json::Writer& w, const PendingOperation& op) {
  w.BeginObject();
  w.Field("address", op.address);
  w.Field("type", op.type);
  w.Field("provider", op.provider);
  w.Field("action", op.action);
  w.Field("started", op.started);
  w.Field("client_token", op.client_token);
  w.Key("planned_state");
  json::WriteMarkedValue(w, op.planned_state);
  w.Key("prior_state");
  json::WriteMarkedValue(w, op.prior_state);
  if (op.outcome_unknown) w.Field("outcome_unknown", true);
  w.EndObject();
}

bool ReadPendingOperation(DocumentReader& reader, const Value& item, const std::string& path,
                   PendingOperation* out) {
  if (!reader.ExpectObject(item, path)) return false;
  bool ok = reader.String(item, path, "address", &out->address);
  ok &= reader.String(item, path, "action", &out->action);
  reader.String(item, path, "type", &out->type, Presence::kOptional);
  reader.String(item, path, "provider", &out->provider, Presence::kOptional);
  reader.String(item, path, "started", &out->started, Presence::kOptional);
  reader.String(item, path, "client_token", &out->client_token, Presence::kOptional);
  reader.Bool(item, path, "outcome_unknown", &out->outcome_unknown, Presence::kOptional);
  if (const Value* planned = item.Find("planned_state"))
    ok &= json::ReadMarkedValue(reader, *planned, json::MemberPath(path, "planned_state"), &out->planned_state);
  if (const Value* prior = item.Find("prior_state"))
    ok &= json::ReadMarkedValue(reader, *prior, json::MemberPath(path, "prior_state"), &out->prior_state);
  return ok;
}

std::string SerializePending(const std::map<std::string, PendingOperation>& pending) {
  std::string out;
  json::Writer w(&out);
  w.BeginObject();
  w.Field("format_version", kPendingFormatVersion);
  w.Key("operations");
  w.BeginArray();
  for (const auto& [address, op] : pending) WritePendingOperation(w, op);
  w.EndArray();
  w.EndObject();
  out += '\n';
  return out;
}

Diagnostics ParsePending(std::string_view document, std::map<std::string, PendingOperation>* out) {
  Diagnostics diags;
  Value root;
  std::string error;
  if (!json::Parse(document, &root, &error)) {
    diags.Error("pending-operation journal is not valid JSON", error);
    return diags;
  }
  DocumentReader reader("pending-operation journal", &diags);
  int version = 0;
  if (!reader.ExpectObject(root, "") || !reader.Int(root, "", "format_version", &version, Presence::kRequired))
    return diags;
  if (version != kPendingFormatVersion) {
    reader.Fail("format_version", "unsupported journal format version " + std::to_string(version) +
                                      "; this reconcile reads version " + std::to_string(kPendingFormatVersion));
    return diags;
  }
  const Value* operations = reader.Member(root, "", "operations", Presence::kRequired);
  if (operations == nullptr || !reader.ExpectList(*operations, "operations")) return diags;
  std::map<std::string, PendingOperation> result;
  for (std::size_t i = 0; i < operations->AsList().size(); ++i) {
    PendingOperation op;
    if (ReadPendingOperation(reader, operations->AsList()[i], json::ElementPath("operations", i), &op))
      result[op.address] = std::move(op);
  }
  if (!diags.HasErrors()) *out = std::move(result);
  return diags;
}

}  // namespace reconcile
