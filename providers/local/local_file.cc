#include "local_file.h"

#include "file_io.h"
#include "reconcile/provider_kit.h"

namespace reconcile::local_provider {

namespace {

using encoding::Digest;

constexpr const char* kContentSources[] = {"content", "content_base64", "source"};

enum class Bytes : unsigned char { kKnown, kUnknown, kFailed };

std::string Hex(Digest digest, const std::string& bytes) {
  return encoding::HexEncode(encoding::DigestOf(digest, bytes));
}

// id (sha1, as Terraform) and every content digest.
void SetDigests(Value* state, const std::string& bytes) {
  state->Set("id", Value::String(Hex(Digest::kSha1, bytes)));
  state->Set("content_md5", Value::String(Hex(Digest::kMd5, bytes)));
  state->Set("content_sha1", Value::String(Hex(Digest::kSha1, bytes)));
  state->Set("content_sha256", Value::String(Hex(Digest::kSha256, bytes)));
  state->Set("content_sha512", Value::String(Hex(Digest::kSha512, bytes)));
  state->Set("content_base64sha256",
             Value::String(encoding::Base64Encode(encoding::DigestOf(Digest::kSha256, bytes))));
  state->Set("content_base64sha512",
             Value::String(encoding::Base64Encode(encoding::DigestOf(Digest::kSha512, bytes))));
}

void SetDigestsUnknown(Value* state) {
  for (const char* name : {"id", "content_md5", "content_sha1", "content_sha256", "content_sha512",
                           "content_base64sha256", "content_base64sha512"})
    state->Set(name, Value::Unknown());
}

Value MaybeSensitive(Value v, bool sensitive) { return sensitive ? v.MarkedSensitive() : v; }

// The bytes the configuration asks for: content, decoded content_base64, or
// the source file's bytes.
Bytes DesiredBytes(const Value& config, std::string* bytes, Diagnostics* diagnostics) {
  for (const char* name : kContentSources)
    if (IsUnknown(config, name)) return Bytes::kUnknown;
  if (IsSet(config, "content_base64")) {
    if (encoding::Base64Decode(GetString(config, "content_base64"), bytes)) return Bytes::kKnown;
    diagnostics->Error("content_base64 is not valid base64");
    return Bytes::kFailed;
  }
  if (IsSet(config, "source")) {
    std::string error;
    ReadStatus status = ReadWholeFile(GetString(config, "source"), bytes, &error);
    if (status == ReadStatus::kOk) return Bytes::kKnown;
    diagnostics->Error("Cannot read source file " + GetString(config, "source"),
                       status == ReadStatus::kMissing ? "The file does not exist." : error);
    return Bytes::kFailed;
  }
  *bytes = GetString(config, "content");
  return Bytes::kKnown;
}

bool Mode(const Value& state, const char* name, bool sensitive, mode_t* mode) {
  return ParseMode(FindString(state, name).value_or(sensitive ? "0700" : "0777"), mode);
}

std::vector<Attribute> DigestAttributes() {
  std::vector<Attribute> out;
  for (const char* name : {"content_md5", "content_sha1", "content_sha256", "content_sha512",
                           "content_base64sha256", "content_base64sha512"})
    out.push_back(Attribute::Computed(name, AttributeType::kString));
  return out;
}

Value CreateOrUpdate(const ApplyRequest& request, bool sensitive, Diagnostics* diagnostics) {
  std::string bytes;
  if (DesiredBytes(request.planned_state, &bytes, diagnostics) != Bytes::kKnown) {
    if (!diagnostics->HasErrors()) diagnostics->Error("The file's content is not known yet");
    return Value();
  }
  const Value& planned = request.planned_state;
  mode_t mode = 0, directory_mode = 0;
  if (!Mode(planned, "file_permission", sensitive, &mode) ||
      !Mode(planned, "directory_permission", sensitive, &directory_mode)) {
    diagnostics->Error("Invalid file_permission or directory_permission",
                       "Permissions are octal strings such as \"0644\".");
    return Value();
  }
  std::string error;
  std::string filename = GetString(planned, "filename");
  if (!WriteFileAtomically(filename, bytes, mode, directory_mode, &error)) {
    diagnostics->Error("Cannot write " + filename, error);
    return Value();
  }
  Value state = request.planned_state;
  SetDigests(&state, bytes);
  return state;
}

// Content read back from disk into the attribute the configuration uses.
void SetContentFromDisk(Value* state, const std::string& bytes, bool sensitive) {
  if (IsSet(*state, "content_base64"))
    state->Set("content_base64",
               MaybeSensitive(Value::String(encoding::Base64Encode(bytes)), sensitive));
  else if (!IsSet(*state, "source"))
    state->Set("content", MaybeSensitive(Value::String(bytes), sensitive));
  SetDigests(state, bytes);
}

// A mode changed on disk reads back as it is; the configured mode counts as
// it was applied (reduced by the umask).
void SetModeFromDisk(Value* state, const std::string& filename, bool sensitive) {
  mode_t configured = 0, actual = 0;
  if (!Mode(*state, "file_permission", sensitive, &configured) ||
      !FileMode(filename, &actual))
    return;
  if (actual != (configured & ~ProcessUmask()))
    state->Set("file_permission", Value::String(FormatMode(actual)));
}

}  // namespace

ResourceSchema FileSchema(bool sensitive) {
  const char* default_mode = sensitive ? "0700" : "0777";
  Attribute content = Attribute::Optional("content", AttributeType::kString)
                          .Describe("The file's content as text.");
  Attribute content_base64 = Attribute::Optional("content_base64", AttributeType::kString)
                                 .Describe("The file's content as base64, for binary files.");
  if (sensitive) content.Sensitive(), content_base64.Sensitive();
  ResourceSchema schema;
  schema.description = std::string("A file on the machine running reconcile") +
                       (sensitive ? ", its content kept secret" : "") +
                       ". A relative filename is relative to the stack directory.";
  schema.attributes = {
      Attribute::Required("filename", AttributeType::kString)
          .ForceNew()
          .Describe("Path of the file; relative to the working directory (the stack directory)."),
      content,
      content_base64,
      Attribute::Optional("source", AttributeType::kString)
          .Describe("Path of a file whose content to copy."),
      Attribute::Optional("file_permission", AttributeType::kString)
          .Default(Value::String(default_mode))
          .Describe("Octal permission bits of the file, reduced by the umask."),
      Attribute::Optional("directory_permission", AttributeType::kString)
          .Default(Value::String(default_mode))
          .Describe("Octal permission bits of directories created for the file."),
      Attribute::Computed("id", AttributeType::kString).Describe("SHA-1 of the content, in hex."),
  };
  for (Attribute& a : DigestAttributes()) schema.attributes.push_back(std::move(a));
  return schema;
}

ResourceSchema FileDataSchema(bool sensitive) {
  Attribute content = Attribute::Computed("content", AttributeType::kString);
  Attribute content_base64 = Attribute::Computed("content_base64", AttributeType::kString);
  if (sensitive) content.Sensitive(), content_base64.Sensitive();
  ResourceSchema schema;
  schema.description = "Reads a file on the machine running reconcile.";
  schema.attributes = {Attribute::Required("filename", AttributeType::kString), content,
                       content_base64, Attribute::Computed("id", AttributeType::kString)};
  for (Attribute& a : DigestAttributes()) schema.attributes.push_back(std::move(a));
  return schema;
}

Diagnostics ValidateFile(const Value& config) {
  Diagnostics diagnostics;
  int sources = 0;
  for (const char* name : kContentSources) sources += Has(config, name) ? 1 : 0;
  if (sources != 1)
    diagnostics.Error("Exactly one of content, content_base64 or source must be set",
                      std::to_string(sources) + " of them are set.");
  for (const char* name : {"file_permission", "directory_permission"}) {
    mode_t mode = 0;
    if (IsSet(config, name) && !ParseMode(GetString(config, name), &mode))
      diagnostics.Error(std::string(name) + " must be an octal mode such as \"0644\"",
                        "Got \"" + GetString(config, name) + "\".");
  }
  return diagnostics;
}

PlanResponse PlanFile(const PlanRequest& request, bool sensitive) {
  PlanResponse out{request.proposed_state, {}, {}};
  if (!out.planned_state.is_map()) return out;
  (void)sensitive;
  std::string bytes;
  switch (DesiredBytes(out.planned_state, &bytes, &out.diagnostics)) {
    case Bytes::kKnown:
      SetDigests(&out.planned_state, bytes);
      break;
    case Bytes::kUnknown:
      SetDigestsUnknown(&out.planned_state);
      break;
    case Bytes::kFailed:
      break;
  }
  return out;
}

ApplyResponse ApplyFile(const ApplyRequest& request, bool sensitive) {
  ApplyResponse out;
  if (request.action != ApplyAction::kDelete) {
    out.new_state = CreateOrUpdate(request, sensitive, &out.diagnostics);
    return out;
  }
  std::string error;
  std::string filename = GetString(request.prior_state, "filename");
  if (!RemoveFile(filename, &error)) {
    out.new_state = request.prior_state;
    out.diagnostics.Error("Cannot delete " + filename, error);
  }
  return out;
}

ReadResponse ReadFile(const ReadRequest& request, bool sensitive) {
  ReadResponse out{request.current_state, {}};
  std::string filename = GetString(request.current_state, "filename");
  std::string bytes, error;
  switch (ReadWholeFile(filename, &bytes, &error)) {
    case ReadStatus::kMissing:
      out.new_state = Value();
      return out;
    case ReadStatus::kError:
      out.diagnostics.Error("Cannot read " + filename, error);
      return out;
    case ReadStatus::kOk:
      break;
  }
  if (Hex(Digest::kSha1, bytes) != IdOf(out.new_state))
    SetContentFromDisk(&out.new_state, bytes, sensitive);
  SetModeFromDisk(&out.new_state, filename, sensitive);
  return out;
}

DataResponse ReadFileData(const DataRequest& request, bool sensitive) {
  DataResponse out{request.config, {}};
  std::string filename = GetString(request.config, "filename");
  std::string bytes, error;
  ReadStatus status = ReadWholeFile(filename, &bytes, &error);
  if (status != ReadStatus::kOk) {
    out.diagnostics.Error("Cannot read " + filename,
                          status == ReadStatus::kMissing ? "The file does not exist." : error);
    return out;
  }
  out.state.Set("content", MaybeSensitive(Value::String(bytes), sensitive));
  out.state.Set("content_base64",
                MaybeSensitive(Value::String(encoding::Base64Encode(bytes)), sensitive));
  SetDigests(&out.state, bytes);
  return out;
}

}  // namespace reconcile::local_provider
