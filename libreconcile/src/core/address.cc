#include "reconcile/address.h"

#include <cctype>

namespace reconcile {

std::string InstanceKey::ToString() const {
  switch (kind) {
    case Kind::kNone:
      return {};
    case Kind::kIndex:
      return "[" + std::to_string(index) + "]";
    case Kind::kString: {
      std::string out = "[\"";
      for (char c : key) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + "\"]";
    }
  }
  return {};
}

bool InstanceKey::operator<(const InstanceKey& o) const {
  if (kind != o.kind) return kind < o.kind;
  if (kind == Kind::kIndex) return index < o.index;
  return key < o.key;
}

std::string ModuleStep::ToString() const { return "module." + name + key.ToString(); }

std::string ResourceAddress::ModulePrefix() const {
  std::string out;
  for (const ModuleStep& step : module_path) out += step.ToString() + ".";
  return out;
}

std::string ResourceAddress::ResourceString() const {
  std::string out = ModulePrefix();
  if (type.empty()) {
    if (!out.empty()) out.pop_back();
    return out;
  }
  if (mode == ResourceMode::kData) out += "data.";
  return out + type + "." + name;
}

std::string ResourceAddress::ToString() const { return ResourceString() + key.ToString(); }

namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// Reads an identifier at text[*pos]; empty when there is none.
std::string ReadIdent(std::string_view text, std::size_t* pos) {
  std::size_t start = *pos;
  while (*pos < text.size() && IsIdentChar(text[*pos])) ++*pos;
  return std::string(text.substr(start, *pos - start));
}

bool ReadKey(std::string_view text, std::size_t* pos, InstanceKey* key, std::string* error) {
  ++*pos;  // '['
  if (*pos < text.size() && text[*pos] == '"') {
    ++*pos;
    std::string k;
    while (*pos < text.size() && text[*pos] != '"') {
      if (text[*pos] == '\\' && *pos + 1 < text.size()) ++*pos;
      k += text[(*pos)++];
    }
    if (*pos + 1 >= text.size() || text[*pos + 1] != ']') {
      *error = "unterminated instance key: expected \"]\" after the quoted key";
      return false;
    }
    *pos += 2;
    *key = InstanceKey::String(std::move(k));
    return true;
  }
  std::size_t start = *pos;
  while (*pos < text.size() && std::isdigit(static_cast<unsigned char>(text[*pos]))) ++*pos;
  if (start == *pos || *pos >= text.size() || text[*pos] != ']' || *pos - start > 18) {
    *error = "an instance key must be a number like [0] or a quoted string like [\"a\"]";
    return false;
  }
  std::int64_t index = 0;
  for (std::size_t d = start; d < *pos; ++d) index = index * 10 + (text[d] - '0');
  *key = InstanceKey::Index(index);
  ++*pos;
  return true;
}

}  // namespace

bool ResourceAddress::Parse(std::string_view text, ResourceAddress* out, std::string* error) {
  *out = ResourceAddress{};
  std::size_t pos = 0;
  auto fail = [&](std::string msg) {
    *error = "invalid address \"" + std::string(text) + "\": " + msg;
    return false;
  };
  while (text.substr(pos).starts_with("module.")) {
    pos += 7;
    std::string name = ReadIdent(text, &pos);
    if (name.empty()) return fail("expected a module name after \"module.\"");
    ModuleStep step{std::move(name), InstanceKey::None()};
    if (pos < text.size() && text[pos] == '[') {
      std::string key_error;
      if (!ReadKey(text, &pos, &step.key, &key_error)) return fail(key_error);
    }
    out->module_path.push_back(std::move(step));
    if (pos == text.size()) return true;  // a whole module (instance)
    if (text[pos] != '.') return fail("expected \".\" after the module name");
    ++pos;
  }
  if (text.substr(pos).starts_with("data.")) {
    out->mode = ResourceMode::kData;
    pos += 5;
  }
  out->type = ReadIdent(text, &pos);
  if (out->type.empty()) return fail("expected a resource type such as aws_vpc");
  if (pos >= text.size() || text[pos] != '.')
    return fail("expected TYPE.NAME, such as aws_vpc.main");
  ++pos;
  out->name = ReadIdent(text, &pos);
  if (out->name.empty()) return fail("expected a resource name after \"" + out->type + ".\"");
  if (pos < text.size() && text[pos] == '[') {
    std::string key_error;
    if (!ReadKey(text, &pos, &out->key, &key_error)) return fail(key_error);
  }
  if (pos != text.size())
    return fail("unexpected \"" + std::string(text.substr(pos)) + "\" after the address");
  return true;
}

bool AddressMatches(const ResourceAddress& target, const ResourceAddress& instance) {
  if (target.module_path.size() > instance.module_path.size()) return false;
  for (std::size_t i = 0; i < target.module_path.size(); ++i) {
    const ModuleStep& want = target.module_path[i];
    const ModuleStep& have = instance.module_path[i];
    if (want.name != have.name) return false;
    if (want.key.kind != InstanceKey::Kind::kNone && want.key != have.key) return false;
  }
  if (target.type.empty()) return true;
  if (target.module_path.size() != instance.module_path.size()) return false;
  if (target.mode != instance.mode || target.type != instance.type || target.name != instance.name)
    return false;
  return target.key.kind == InstanceKey::Kind::kNone || target.key == instance.key;
}

}  // namespace reconcile
