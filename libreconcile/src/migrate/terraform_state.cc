#include "migrate/terraform_state.h"

#include <cmath>

#include "state/document_reader.h"
#include "state/json_reader.h"

namespace reconcile::migrate {

namespace {

using json::DocumentReader;
using json::ElementPath;
using json::MemberPath;
using json::Presence;

bool ReadIndexKey(DocumentReader& reader, const Value& instance, const std::string& path,
                  InstanceKey* out) {
  const Value* key = instance.Find("index_key");
  if (key == nullptr || key->is_null()) return true;
  if (key->is_string()) {
    *out = InstanceKey::String(key->AsString());
    return true;
  }
  if (key->is_number() && key->AsNumber() >= 0 && std::floor(key->AsNumber()) == key->AsNumber()) {
    *out = InstanceKey::Index(static_cast<std::int64_t>(key->AsNumber()));
    return true;
  }
  reader.Fail(MemberPath(path, "index_key"),
              "expected a whole number (count) or a string (for_each)");
  return false;
}

bool ReadSensitivePaths(DocumentReader& reader, const Value& instance, const std::string& path,
                        std::vector<ValuePath>* out) {
  const Value* paths = instance.Find("sensitive_attributes");
  if (paths == nullptr || paths->is_null()) return true;
  std::string list_path = MemberPath(path, "sensitive_attributes");
  if (!reader.ExpectList(*paths, list_path)) return false;
  for (std::size_t i = 0; i < paths->AsList().size(); ++i) {
    ValuePath parsed;
    if (!ParseTerraformPath(paths->AsList()[i], &parsed)) {
      reader.Fail(
          ElementPath(list_path, i),
          "expected a path: a list of {\"type\": \"get_attr\" or \"index\", \"value\": ...} steps");
      return false;
    }
    out->push_back(std::move(parsed));
  }
  return true;
}

bool ReadInstance(DocumentReader& reader, const Value& item, const std::string& path,
                  TerraformInstance* out) {
  if (!reader.ExpectObject(item, path)) return false;
  bool ok = ReadIndexKey(reader, item, path, &out->key);
  reader.String(item, path, "deposed", &out->deposed, Presence::kOptional);
  reader.Int(item, path, "schema_version", &out->schema_version);
  reader.StringList(item, path, "dependencies", &out->dependencies);
  // Terraform 0.12 recorded them as depends_on.
  if (out->dependencies.empty()) reader.StringList(item, path, "depends_on", &out->dependencies);
  reader.Bool(item, path, "create_before_destroy", &out->create_before_destroy);
  std::string status;
  reader.String(item, path, "status", &status, Presence::kOptional);
  out->tainted = status == "tainted";
  ok &= ReadSensitivePaths(reader, item, path, &out->sensitive_paths);
  const Value* attributes = item.Find("attributes");
  if (attributes == nullptr) {
    reader.Fail(path,
                item.Find("attributes_flat") != nullptr
                    ? "holds attributes_flat (a state last written by Terraform 0.11); refresh it "
                      "with Terraform 0.12 or later (`terraform apply -refresh-only`) first"
                    : "expected a member \"attributes\"");
    return false;
  }
  if (!reader.ExpectObject(*attributes, MemberPath(path, "attributes"))) return false;
  out->attributes = *attributes;
  return ok;
}

bool ReadResource(DocumentReader& reader, const Value& item, const std::string& path,
                  TerraformResource* out) {
  if (!reader.ExpectObject(item, path)) return false;
  reader.String(item, path, "module", &out->module, Presence::kOptional);
  bool ok = reader.String(item, path, "mode", &out->mode);
  ok &= reader.String(item, path, "type", &out->type);
  ok &= reader.String(item, path, "name", &out->name);
  ok &= reader.String(item, path, "provider", &out->provider);
  if (ok && out->mode != "managed" && out->mode != "data") {
    reader.Fail(MemberPath(path, "mode"),
                "expected \"managed\" or \"data\", found \"" + out->mode + "\"");
    ok = false;
  }
  const Value* instances = reader.Member(item, path, "instances", Presence::kRequired);
  std::string list_path = MemberPath(path, "instances");
  if (instances == nullptr || !reader.ExpectList(*instances, list_path)) return false;
  for (std::size_t i = 0; i < instances->AsList().size(); ++i) {
    TerraformInstance instance;
    if (ReadInstance(reader, instances->AsList()[i], ElementPath(list_path, i), &instance))
      out->instances.push_back(std::move(instance));
    else
      ok = false;
  }
  return ok;
}

void ReadOutputs(DocumentReader& reader, const Value& root, TerraformState* out) {
  const Value* outputs = root.Find("outputs");
  if (outputs == nullptr || outputs->is_null() || !reader.ExpectObject(*outputs, "outputs")) return;
  for (const auto& [name, output] : outputs->AsMap()) {
    std::string path = MemberPath("outputs", name);
    if (!reader.ExpectObject(output, path)) continue;
    TerraformOutput o;
    if (const Value* v = reader.Member(output, path, "value", Presence::kRequired)) o.value = *v;
    reader.Bool(output, path, "sensitive", &o.sensitive);
    if (o.sensitive) o.value.set_sensitive(true);
    out->outputs[name] = std::move(o);
  }
}

// The module steps of a resource's module path: {"network"} from
// "module.network"; false for "module.network[0]" (error set): the drafted
// configuration has no module calls to give count or for_each.
bool ModuleNames(const std::string& module, std::vector<ModuleStep>* out, std::string* error) {
  std::string_view rest = module;
  while (!rest.empty()) {
    if (!rest.starts_with("module.")) {
      *error = "the module path \"" + module + "\" is not in Terraform's form (module.NAME)";
      return false;
    }
    rest.remove_prefix(7);
    std::size_t end = rest.find_first_of(".[");
    std::string name(rest.substr(0, end));
    if (name.empty()) {
      *error = "the module path \"" + module + "\" has an empty module name";
      return false;
    }
    if (end != std::string_view::npos && rest[end] == '[') {
      *error = "it is inside " +
               module.substr(0, module.size() - rest.size() + rest.find(']', end) + 1) +
               ", an instance of a module with count or for_each, which the import does not take over "
               "yet";
      return false;
    }
    out->push_back(ModuleStep{std::move(name), InstanceKey::None()});
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  return true;
}

}  // namespace

Diagnostics ParseTerraformState(std::string_view document, const std::string& name,
                                TerraformState* out) {
  Diagnostics diags;
  *out = TerraformState{};
  Value root;
  std::string error;
  if (!json::Parse(document, &root, &error)) {
    diags.Error("Cannot read the Terraform state " + name, "It is not JSON: " + error + ".");
    return diags;
  }
  DocumentReader reader("Terraform state " + name, &diags);
  if (!reader.ExpectObject(root, "")) return diags;
  if (root.Find("format_version") != nullptr && root.Find("version") == nullptr) {
    diags.Error("Cannot read " + name + " as a Terraform state",
                "It has \"format_version\" and no \"version\": it looks like a reconcile state or "
                "`terraform show -json` output. Give the state itself (`terraform state pull`).");
    return diags;
  }
  reader.Int(root, "", "version", &out->version, Presence::kRequired);
  if (reader.failed()) return diags;
  if (out->version != 4) {
    diags.Error("Terraform state " + name + " has format version " + std::to_string(out->version),
                out->version < 4
                    ? "Only version 4 (Terraform 0.12 and later) is read. Upgrade it first: run "
                      "`terraform apply -refresh-only` with Terraform 0.12 or later."
                    : "Only version 4 (Terraform 0.12 to 1.x) is read; this one is newer than "
                      "reconcile knows.");
    return diags;
  }
  reader.String(root, "", "terraform_version", &out->terraform_version, Presence::kOptional);
  reader.Uint64(root, "", "serial", &out->serial, Presence::kOptional);
  reader.String(root, "", "lineage", &out->lineage, Presence::kOptional);
  ReadOutputs(reader, root, out);
  const Value* resources = root.Find("resources");
  if (resources != nullptr && !resources->is_null() && reader.ExpectList(*resources, "resources")) {
    for (std::size_t i = 0; i < resources->AsList().size(); ++i) {
      TerraformResource resource;
      if (ReadResource(reader, resources->AsList()[i], ElementPath("resources", i), &resource))
        out->resources.push_back(std::move(resource));
    }
  }
  return diags;
}

std::string TerraformProvider::ToString() const {
  std::string out = "provider[\"" + hostname + "/" + namespace_ + "/" + type + "\"]";
  return alias.empty() ? out : out + "." + alias;
}

bool ParseTerraformProvider(std::string_view text, TerraformProvider* out) {
  *out = TerraformProvider{};
  // A provider configured inside a module: the module part does not name it.
  std::size_t at = text.find("provider[\"");
  if (at == std::string_view::npos) {
    at = text.find("provider.");
    if (at == std::string_view::npos || (at > 0 && text[at - 1] != '.')) return false;
    std::string_view rest = text.substr(at + 9);  // legacy: provider.aws.west
    std::size_t dot = rest.find('.');
    out->hostname = "registry.terraform.io";
    out->namespace_ = "hashicorp";
    out->type = std::string(rest.substr(0, dot));
    if (dot != std::string_view::npos) out->alias = std::string(rest.substr(dot + 1));
    return !out->type.empty();
  }
  if (at > 0 && text[at - 1] != '.') return false;
  std::string_view rest = text.substr(at + 10);
  std::size_t close = rest.find("\"]");
  if (close == std::string_view::npos) return false;
  std::string_view source = rest.substr(0, close);
  std::size_t first = source.find('/');
  std::size_t second = first == std::string_view::npos ? first : source.find('/', first + 1);
  if (second == std::string_view::npos) return false;
  out->hostname = std::string(source.substr(0, first));
  out->namespace_ = std::string(source.substr(first + 1, second - first - 1));
  out->type = std::string(source.substr(second + 1));
  rest = rest.substr(close + 2);
  if (!rest.empty()) {
    if (rest[0] != '.' || rest.size() == 1) return false;
    out->alias = std::string(rest.substr(1));
  }
  return !out->type.empty();
}

bool InstanceAddress(const TerraformResource& resource, const TerraformInstance& instance,
                     ResourceAddress* out, std::string* error) {
  *out = ResourceAddress{};
  if (!ModuleNames(resource.module, &out->module_path, error)) return false;
  out->mode = resource.mode == "data" ? ResourceMode::kData : ResourceMode::kManaged;
  out->type = resource.type;
  out->name = resource.name;
  out->key = instance.key;
  return true;
}

bool ParseTerraformPath(const Value& steps, ValuePath* out) {
  out->clear();
  if (!steps.is_list()) return false;
  for (const Value& step : steps.AsList()) {
    const Value* type = step.Find("type");
    const Value* value = step.Find("value");
    if (type == nullptr || value == nullptr || !type->is_string()) return false;
    if (type->AsString() == "get_attr" && value->is_string()) {
      out->push_back({value->AsString(), 0, false});
      continue;
    }
    if (type->AsString() != "index") return false;
    const Value* key = value->Find("value");
    if (key == nullptr) return false;
    if (key->is_string()) {
      out->push_back({key->AsString(), 0, false});
    } else if (key->is_number() && key->AsNumber() >= 0) {
      out->push_back({{}, static_cast<std::size_t>(key->AsNumber()), true});
    } else {
      return false;
    }
  }
  return true;
}

Value TerraformPathSteps(const ValuePath& path) {
  ValueList steps;
  for (const PathStep& step : path) {
    if (step.is_index) {
      steps.push_back(Value::Map(
          {{"type", Value::String("index")},
           {"value", Value::Map({{"value", Value::Number(static_cast<double>(step.index))},
                                 {"type", Value::String("number")}})}}));
    } else {
      steps.push_back(
          Value::Map({{"type", Value::String("get_attr")}, {"value", Value::String(step.key)}}));
    }
  }
  return Value::List(std::move(steps));
}

}  // namespace reconcile::migrate
