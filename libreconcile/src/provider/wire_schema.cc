// Provider schemas on the wire: every attribute with its type, element type,
// nested block fields, flags, default and description.
#include <array>
#include <utility>

#include <nlohmann/json.hpp>

#include "provider/wire.h"
#include "provider/wire_fields.h"

namespace reconcile::wire {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<AttributeType, std::string_view>, 8> kTypeNames{{
    {AttributeType::kString, "string"},
    {AttributeType::kNumber, "number"},
    {AttributeType::kBool, "bool"},
    {AttributeType::kList, "list"},
    {AttributeType::kSet, "set"},
    {AttributeType::kMap, "map"},
    {AttributeType::kObject, "object"},
    {AttributeType::kAny, "any"},
}};

std::string_view TypeName(AttributeType type) {
  for (const auto& [t, name] : kTypeNames)
    if (t == type) return name;
  return "any";
}

bool ParseType(const std::string& name, AttributeType* out) {
  for (const auto& [t, text] : kTypeNames) {
    if (text == name) {
      *out = t;
      return true;
    }
  }
  return false;
}

json EncodeAttribute(const Attribute& a) {
  json out{{"name", a.name}, {"type", TypeName(a.type)}};
  if (a.type == AttributeType::kList || a.type == AttributeType::kSet ||
      a.type == AttributeType::kMap)
    out["element"] = TypeName(a.element);
  if (!a.nested.empty()) {
    json nested = json::array();
    for (const Attribute& field : a.nested) nested.push_back(EncodeAttribute(field));
    out["nested"] = std::move(nested);
  }
  for (auto [flag, key] : {std::pair{a.required, "required"},
                           {a.optional, "optional"},
                           {a.computed, "computed"},
                           {a.force_new, "force_new"},
                           {a.sensitive, "sensitive"},
                           {a.write_only, "write_only"}})
    if (flag) out[key] = true;
  if (!a.default_value.is_null()) out["default"] = EncodeValue(a.default_value);
  if (!a.description.empty()) out["description"] = a.description;
  if (a.max_items != 0) out["max_items"] = a.max_items;
  if (!a.one_of.empty()) out["one_of"] = a.one_of;
  return out;
}

bool DecodeAttribute(const json& j, Attribute* out, std::string* error);

bool DecodeAttributes(const json* list, std::vector<Attribute>* out, std::string* error) {
  if (list == nullptr) return true;
  if (!list->is_array()) {
    *error = "attributes must be an array";
    return false;
  }
  for (const json& item : *list) {
    Attribute a;
    if (!DecodeAttribute(item, &a, error)) return false;
    out->push_back(std::move(a));
  }
  return true;
}

bool DecodeAttribute(const json& j, Attribute* out, std::string* error) {
  FieldReader fields(j, "attribute", error);
  std::string type = "string";
  std::string element = "string";
  fields.String("name", &out->name, true)
      .String("type", &type)
      .String("element", &element)
      .Bool("required", &out->required)
      .Bool("optional", &out->optional)
      .Bool("computed", &out->computed)
      .Bool("force_new", &out->force_new)
      .Bool("sensitive", &out->sensitive)
      .Bool("write_only", &out->write_only)
      .ValueField("default", &out->default_value)
      .String("description", &out->description)
      .Int("max_items", &out->max_items)
      .Strings("one_of", &out->one_of);
  if (fields.ok() && !ParseType(type, &out->type)) fields.Fail("type", "is not a known type");
  if (fields.ok() && !ParseType(element, &out->element))
    fields.Fail("element", "is not a known type");
  if (!fields.ok()) {
    if (!out->name.empty()) *error = "attribute \"" + out->name + "\": " + *error;
    return false;
  }
  if (!DecodeAttributes(fields.Raw("nested"), &out->nested, error)) {
    *error = "attribute \"" + out->name + "\": " + *error;
    return false;
  }
  if (!out->nested.empty()) out->element = AttributeType::kObject;
  return true;
}

json EncodeResource(const ResourceSchema& schema) {
  json attributes = json::array();
  for (const Attribute& a : schema.attributes) attributes.push_back(EncodeAttribute(a));
  json out{{"version", schema.version}, {"attributes", std::move(attributes)}};
  if (!schema.description.empty()) out["description"] = schema.description;
  return out;
}

bool DecodeResource(const json& j, ResourceSchema* out, std::string* error) {
  FieldReader fields(j, "schema", error);
  fields.Int("version", &out->version).String("description", &out->description);
  return fields.ok() && DecodeAttributes(fields.Raw("attributes"), &out->attributes, error);
}

json EncodeResources(const std::map<std::string, ResourceSchema>& schemas) {
  json out = json::object();
  for (const auto& [type, schema] : schemas) out[type] = EncodeResource(schema);
  return out;
}

bool DecodeResources(const json* j, std::map<std::string, ResourceSchema>* out,
                     std::string* error) {
  if (j == nullptr) return true;
  if (!j->is_object()) {
    *error = "resources and data_sources must be objects keyed by type";
    return false;
  }
  for (auto it = j->begin(); it != j->end(); ++it) {
    if (!DecodeResource(it.value(), &(*out)[it.key()], error)) {
      *error = it.key() + ": " + *error;
      return false;
    }
  }
  return true;
}

}  // namespace

json EncodeSchema(const ProviderSchema& schema) {
  return json{{"provider", EncodeResource(schema.provider_config)},
              {"resources", EncodeResources(schema.resources)},
              {"data_sources", EncodeResources(schema.data_sources)}};
}

bool DecodeSchema(const json& j, ProviderSchema* out, std::string* error) {
  FieldReader fields(j, "schema result", error);
  if (!fields.ok()) return false;
  if (const json* config = fields.Raw("provider")) {
    if (!DecodeResource(*config, &out->provider_config, error)) {
      *error = "provider configuration: " + *error;
      return false;
    }
  }
  return DecodeResources(fields.Raw("resources"), &out->resources, error) &&
         DecodeResources(fields.Raw("data_sources"), &out->data_sources, error);
}

}  // namespace reconcile::wire
