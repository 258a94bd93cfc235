// LockInfo: Terraform-compatible lock information.
#include <nlohmann/json.hpp>

#include "reconcile/backend.h"

namespace reconcile {

namespace {

// The Terraform field names, in the order Terraform writes them.
struct LockField {
  const char* name;
  std::string LockInfo::*member;
};
constexpr LockField kLockFields[] = {
    {"ID", &LockInfo::id},           {"Operation", &LockInfo::operation}, {"Info", &LockInfo::info},
    {"Who", &LockInfo::who},         {"Version", &LockInfo::version},     {"Created", &LockInfo::created},
    {"Path", &LockInfo::path},
};

}  // namespace

std::string LockInfo::ToJson() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const LockField& field : kLockFields) j[field.name] = this->*field.member;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool LockInfo::FromJson(const std::string& json, LockInfo* out) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) return false;
  LockInfo info;
  for (const LockField& field : kLockFields) {
    auto it = j.find(field.name);
    if (it == j.end()) continue;
    if (!it->is_string()) return false;
    info.*field.member = it->get<std::string>();
  }
  *out = std::move(info);
  return true;
}

std::string LockInfo::Describe() const {
  std::string out = "ID: " + id + ", Operation: " + (operation.empty() ? "?" : operation) +
                    ", Who: " + (who.empty() ? "?" : who) + ", Created: " + (created.empty() ? "?" : created);
  if (!info.empty()) out += ", Info: " + info;
  return out;
}

}  // namespace reconcile
