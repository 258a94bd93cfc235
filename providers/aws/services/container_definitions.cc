#include "container_definitions.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace reconcile::aws_provider {

namespace {

using nlohmann::json;

bool IsEmpty(const json& v) {
  return v.is_null() || ((v.is_array() || v.is_object()) && v.empty());
}

// Drops null and empty values at every depth (ECS answers [] and {} for unset lists).
void DropEmpty(json& v) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end();) {
      DropEmpty(it.value());
      it = IsEmpty(it.value()) ? v.erase(it) : std::next(it);
    }
  } else if (v.is_array()) {
    for (json& item : v) DropEmpty(item);
  }
}

void DropIfEqual(json& object, const char* key, const json& default_value) {
  auto it = object.find(key);
  if (it != object.end() && *it == default_value) object.erase(it);
}

void SortByName(json& container, const char* key) {
  auto it = container.find(key);
  if (it == container.end() || !it->is_array()) return;
  std::stable_sort(it->begin(), it->end(), [](const json& a, const json& b) {
    return a.value("name", json()).dump() < b.value("name", json()).dump();
  });
}

// A port mapping without what ECS fills in: protocol tcp, a host port equal
// to the container port (awsvpc) or 0 (dynamic).
void NormalizePortMapping(json& mapping) {
  if (!mapping.is_object()) return;
  DropIfEqual(mapping, "protocol", "tcp");
  auto host = mapping.find("hostPort");
  if (host != mapping.end() && (*host == 0 || *host == mapping.value("containerPort", json())))
    mapping.erase(host);
}

void NormalizeContainer(json& container) {
  DropIfEqual(container, "essential", true);
  DropIfEqual(container, "cpu", 0);
  SortByName(container, "environment");
  SortByName(container, "secrets");
  for (const char* list : {"mountPoints", "volumesFrom"}) {
    auto it = container.find(list);
    if (it == container.end() || !it->is_array()) continue;
    for (json& item : *it)
      if (item.is_object()) DropIfEqual(item, "readOnly", false);
  }
  auto ports = container.find("portMappings");
  if (ports != container.end() && ports->is_array())
    for (json& mapping : *ports) NormalizePortMapping(mapping);
  DropEmpty(container);
}

}  // namespace

std::optional<std::string> CanonicalContainerDefinitions(const std::string& text,
                                                         std::string* error) {
  json document = json::parse(text, nullptr, false);
  std::string problem;
  if (document.is_discarded())
    problem = "it is not valid JSON";
  else if (!document.is_array())
    problem = "it is not a JSON array";
  else if (!std::all_of(document.begin(), document.end(),
                        [](const json& c) { return c.is_object(); }))
    problem = "an element of the array is not an object";
  if (!problem.empty()) {
    if (error != nullptr) *error = problem;
    return std::nullopt;
  }
  for (json& container : document) NormalizeContainer(container);
  return document.dump();
}

bool EquivalentContainerDefinitions(const std::string& a, const std::string& b) {
  auto left = CanonicalContainerDefinitions(a);
  auto right = CanonicalContainerDefinitions(b);
  return left && right && *left == *right;
}

}  // namespace reconcile::aws_provider
