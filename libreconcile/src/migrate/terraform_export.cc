#include "migrate/terraform_export.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "migrate/terraform_state.h"
#include "migrate/terraform_types.h"
#include "reconcile/provider.h"
#include "state/json_writer.h"

namespace reconcile::migrate {

namespace {

// One Terraform resource: the instances of one TYPE.NAME in one module.
struct ResourceGroup {
  ResourceAddress address;  // without key
  std::string provider;
  std::vector<const ResourceInstanceState*> instances;
};

std::string ModuleText(const ResourceAddress& a) {
  std::string out = a.ModulePrefix();
  if (!out.empty()) out.pop_back();
  return out;
}

// The provider configuration address: provider["registry.terraform.io/hashicorp/aws"].west.
std::string ProviderAddress(const std::string& key) {
  TerraformProvider p{"registry.terraform.io", "hashicorp", key.substr(0, key.find('.')), ""};
  if (key.find('.') != std::string::npos) p.alias = key.substr(key.find('.') + 1);
  return p.ToString();
}

// cty's JSON type of a value (outputs carry one).
Value CtyType(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kString:
      return Value::String("string");
    case Value::Kind::kNumber:
      return Value::String("number");
    case Value::Kind::kBool:
      return Value::String("bool");
    case Value::Kind::kList: {
      ValueList types;
      for (const Value& item : v.AsList()) types.push_back(CtyType(item));
      return Value::List({Value::String("tuple"), Value::List(std::move(types))});
    }
    case Value::Kind::kMap: {
      ValueMap types;
      for (const auto& [k, item] : v.AsMap()) types.emplace(k, CtyType(item));
      return Value::List({Value::String("object"), Value::Map(std::move(types))});
    }
    default:
      return Value::String("dynamic");
  }
}

Value SensitiveSteps(const Value& attributes) {
  ValueList paths;
  for (const ValuePath& path : SensitivePaths(attributes))
    if (!path.empty()) paths.push_back(TerraformPathSteps(path));
  return Value::List(std::move(paths));
}

// Our attributes, with the Terraform provider's recorded defaults where ours lack them.
Value TerraformAttributes(const ResourceInstanceState& r, const Value& object) {
  Value out = object.is_map() ? object : Value::Map({});
  for (const auto& [name, value] : TerraformType(r.type).terraform_defaults) {
    const Value* have = out.Find(name);
    if (have == nullptr || have->is_null()) out.Set(name, value);
  }
  return out;
}

// The 8-hex-digit key Terraform gives a deposed object.
std::string DeposedKey(std::size_t index) {
  char key[16];
  std::snprintf(key, sizeof key, "%08zx", index + 1);
  return key;
}

void WriteObject(json::Writer& w, const ResourceInstanceState& r, const Value& object,
                 const std::string& deposed) {
  w.BeginObject();
  if (r.address.back() == ']') {
    ResourceAddress a;
    std::string error;
    if (ResourceAddress::Parse(r.address, &a, &error)) {
      w.Key("index_key");
      if (a.key.kind == InstanceKey::Kind::kIndex)
        w.Integer(a.key.index);
      else
        w.String(a.key.key);
    }
  }
  if (!deposed.empty()) w.Field("deposed", deposed);
  if (r.tainted && deposed.empty()) w.Field("status", "tainted");
  w.Field("schema_version",
          r.mode == "managed" ? TerraformType(r.type).terraform_schema_version : 0);
  w.Field("attributes", TerraformAttributes(r, object).WithoutMarks());
  w.Field("sensitive_attributes", SensitiveSteps(object));
  if (!r.dependencies.empty()) w.Field("dependencies", r.dependencies);
  if (r.create_before_destroy) w.Field("create_before_destroy", true);
  w.EndObject();
}

void WriteResource(json::Writer& w, const ResourceGroup& group) {
  w.BeginObject();
  std::string module = ModuleText(group.address);
  if (!module.empty()) w.Field("module", module);
  w.Field("mode", group.address.mode == ResourceMode::kData ? "data" : "managed");
  w.Field("type", group.address.type);
  w.Field("name", group.address.name);
  ResourceAddress first;
  std::string error;
  ResourceAddress::Parse(group.instances.front()->address, &first, &error);
  if (first.key.kind == InstanceKey::Kind::kIndex) w.Field("each", "list");
  if (first.key.kind == InstanceKey::Kind::kString) w.Field("each", "map");
  w.Field("provider", ProviderAddress(group.provider));
  w.Key("instances");
  w.BeginArray();
  for (const ResourceInstanceState* r : group.instances) {
    WriteObject(w, *r, r->attributes, "");
    for (std::size_t d = 0; d < r->deposed.size(); ++d)
      WriteObject(w, *r, r->deposed[d], DeposedKey(d));
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string TerraformDocument(const State& state) {
  std::map<std::string, ResourceGroup> groups;  // by module + mode + type + name
  for (const auto& [address, r] : state.resources) {
    ResourceAddress a;
    std::string error;
    if (!ResourceAddress::Parse(address, &a, &error)) continue;
    a.key = InstanceKey::None();
    ResourceGroup& g = groups[a.ToString()];
    g.address = a;
    g.provider = r.provider.empty() ? ProviderNameForType(r.type) : r.provider;
    g.instances.push_back(&r);
  }
  // Instances by index, not by address text ([10] after [9]).
  for (auto& [name, g] : groups) {
    std::stable_sort(g.instances.begin(), g.instances.end(), [](const auto* x, const auto* y) {
      ResourceAddress a, b;
      std::string error;
      ResourceAddress::Parse(x->address, &a, &error);
      ResourceAddress::Parse(y->address, &b, &error);
      return a.key < b.key;
    });
  }
  std::string out;
  json::Writer w(&out);
  w.BeginObject();
  w.Field("version", 4);
  w.Field("terraform_version", kTerraformVersion);
  w.Field("serial", state.serial);
  w.Field("lineage", state.lineage);
  w.Key("outputs");
  w.BeginObject();
  for (const auto& [name, output] : state.outputs) {
    w.Key(name);
    w.BeginObject();
    w.Field("value", output.value.WithoutMarks());
    w.Field("type", CtyType(output.value));
    if (output.sensitive) w.Field("sensitive", true);
    w.EndObject();
  }
  w.EndObject();
  w.Key("resources");
  w.BeginArray();
  for (const auto& [name, g] : groups) WriteResource(w, g);
  w.EndArray();
  w.Key("check_results");
  w.Null();
  w.EndObject();
  out += "\n";
  return out;
}

}  // namespace reconcile::migrate
