#include "reconcile/value.h"

#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

namespace reconcile {

Value Value::Bool(bool b) {
  Value v;
  v.data_ = b;
  return v;
}

Value Value::Number(double n) {
  Value v;
  v.data_ = n;
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.data_ = std::move(s);
  return v;
}

Value Value::List(ValueList items) {
  Value v;
  v.data_ = std::make_shared<ValueList>(std::move(items));
  return v;
}

Value Value::Map(ValueMap entries) {
  Value v;
  v.data_ = std::make_shared<ValueMap>(std::move(entries));
  return v;
}

Value Value::Unknown() {
  Value v;
  v.data_ = UnknownTag{};
  return v;
}

bool Value::AsBool() const {
  assert(is_bool());
  return std::get<bool>(data_);
}

double Value::AsNumber() const {
  assert(is_number());
  return std::get<double>(data_);
}

const std::string& Value::AsString() const {
  assert(is_string());
  return std::get<std::string>(data_);
}

const ValueList& Value::AsList() const {
  assert(is_list());
  return *std::get<std::shared_ptr<ValueList>>(data_);
}

const ValueMap& Value::AsMap() const {
  assert(is_map());
  return *std::get<std::shared_ptr<ValueMap>>(data_);
}

ValueList& Value::MutableList() {
  assert(is_list());
  auto& ptr = std::get<std::shared_ptr<ValueList>>(data_);
  if (ptr.use_count() > 1) ptr = std::make_shared<ValueList>(*ptr);
  return *ptr;
}

ValueMap& Value::MutableMap() {
  assert(is_map());
  auto& ptr = std::get<std::shared_ptr<ValueMap>>(data_);
  if (ptr.use_count() > 1) ptr = std::make_shared<ValueMap>(*ptr);
  return *ptr;
}

const Value* Value::Find(std::string_view key) const {
  if (!is_map()) return nullptr;
  const ValueMap& m = AsMap();
  auto it = m.find(key);
  return it == m.end() ? nullptr : &it->second;
}

void Value::Set(std::string key, Value v) {
  if (is_null()) data_ = std::make_shared<ValueMap>();
  MutableMap()[std::move(key)] = std::move(v);
}

Value Value::MarkedSensitive() const {
  Value copy = *this;
  copy.sensitive_ = true;
  return copy;
}

bool Value::ContainsSensitive() const {
  if (sensitive_) return true;
  if (is_list()) {
    for (const Value& v : AsList())
      if (v.ContainsSensitive()) return true;
  } else if (is_map()) {
    for (const auto& [k, v] : AsMap())
      if (v.ContainsSensitive()) return true;
  }
  return false;
}

bool Value::ContainsUnknown() const {
  if (is_unknown()) return true;
  if (is_list()) {
    for (const Value& v : AsList())
      if (v.ContainsUnknown()) return true;
  } else if (is_map()) {
    for (const auto& [k, v] : AsMap())
      if (v.ContainsUnknown()) return true;
  }
  return false;
}

Value Value::WithoutMarks() const {
  if (!ContainsSensitive()) return *this;
  Value copy = *this;
  copy.sensitive_ = false;
  if (copy.is_list()) {
    for (Value& v : copy.MutableList()) v = v.WithoutMarks();
  } else if (copy.is_map()) {
    for (auto& [k, v] : copy.MutableMap()) v = v.WithoutMarks();
  }
  return copy;
}

bool Value::Equals(const Value& other) const {
  if (kind() != other.kind()) return false;
  switch (kind()) {
    case Kind::kNull:
    case Kind::kUnknown:
      return true;
    case Kind::kBool:
      return AsBool() == other.AsBool();
    case Kind::kNumber:
      return AsNumber() == other.AsNumber();
    case Kind::kString:
      return AsString() == other.AsString();
    case Kind::kList: {
      const ValueList& a = AsList();
      const ValueList& b = other.AsList();
      if (&a == &b) return true;
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!a[i].Equals(b[i])) return false;
      return true;
    }
    case Kind::kMap: {
      const ValueMap& a = AsMap();
      const ValueMap& b = other.AsMap();
      if (&a == &b) return true;
      if (a.size() != b.size()) return false;
      auto ia = a.begin();
      auto ib = b.begin();
      for (; ia != a.end(); ++ia, ++ib)
        if (ia->first != ib->first || !ia->second.Equals(ib->second)) return false;
      return true;
    }
  }
  return false;
}

bool Value::operator==(const Value& other) const {
  if (sensitive_ != other.sensitive_ || kind() != other.kind()) return false;
  if (is_list()) {
    const ValueList& a = AsList();
    const ValueList& b = other.AsList();
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  if (is_map()) {
    const ValueMap& a = AsMap();
    const ValueMap& b = other.AsMap();
    if (a.size() != b.size()) return false;
    auto ia = a.begin();
    auto ib = b.begin();
    for (; ia != a.end(); ++ia, ++ib)
      if (ia->first != ib->first || ia->second != ib->second) return false;
    return true;
  }
  return Equals(other);
}

std::string_view Value::KindName(Kind k) {
  switch (k) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return "bool";
    case Kind::kNumber:
      return "number";
    case Kind::kString:
      return "string";
    case Kind::kList:
      return "list";
    case Kind::kMap:
      return "map";
    case Kind::kUnknown:
      return "unknown";
  }
  return "?";
}

std::string FormatNumber(double n) {
  if (std::isnan(n)) return "NaN";
  if (std::isinf(n)) return n > 0 ? "Infinity" : "-Infinity";
  if (n == std::floor(n) && std::fabs(n) < 9007199254740992.0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", n);
    return std::string(buf) == "-0" ? "0" : buf;
  }
  char buf[40];
  // Shortest representation that round-trips.
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, n);
    if (std::strtod(buf, nullptr) == n) break;
  }
  return buf;
}

namespace {

nlohmann::json ToJsonTree(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
    case Value::Kind::kUnknown:
      return nullptr;
    case Value::Kind::kBool:
      return v.AsBool();
    case Value::Kind::kNumber: {
      double n = v.AsNumber();
      if (n == std::floor(n) && std::fabs(n) < 9007199254740992.0)
        return static_cast<std::int64_t>(n);
      if (!std::isfinite(n)) return nullptr;
      return n;
    }
    case Value::Kind::kString:
      return v.AsString();
    case Value::Kind::kList: {
      nlohmann::json arr = nlohmann::json::array();
      for (const Value& item : v.AsList()) arr.push_back(ToJsonTree(item));
      return arr;
    }
    case Value::Kind::kMap: {
      nlohmann::json obj = nlohmann::json::object();
      for (const auto& [k, item] : v.AsMap()) obj[k] = ToJsonTree(item);
      return obj;
    }
  }
  return nullptr;
}

Value FromJsonTree(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return Value();
    case nlohmann::json::value_t::boolean:
      return Value::Bool(j.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value::Number(static_cast<double>(j.get<std::int64_t>()));
    case nlohmann::json::value_t::number_unsigned:
      return Value::Number(static_cast<double>(j.get<std::uint64_t>()));
    case nlohmann::json::value_t::number_float:
      return Value::Number(j.get<double>());
    case nlohmann::json::value_t::string:
      return Value::String(j.get<std::string>());
    case nlohmann::json::value_t::array: {
      ValueList items;
      items.reserve(j.size());
      for (const auto& item : j) items.push_back(FromJsonTree(item));
      return Value::List(std::move(items));
    }
    case nlohmann::json::value_t::object: {
      ValueMap entries;
      for (auto it = j.begin(); it != j.end(); ++it) entries.emplace(it.key(), FromJsonTree(*it));
      return Value::Map(std::move(entries));
    }
    case nlohmann::json::value_t::binary:
      return Value();
  }
  return Value();
}

}  // namespace

std::string ToJson(const Value& v, bool pretty) {
  return ToJsonTree(v).dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Value FromJson(std::string_view text, std::string* error) {
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    if (error) error->clear();
    return FromJsonTree(j);
  } catch (const nlohmann::json::exception& e) {
    if (error) *error = e.what();
    return Value();
  }
}

namespace {

bool IsPlainKey(const std::string& key) {
  if (key.empty()) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == ':';
    if (!ok) return false;
  }
  return true;
}

void AppendQuoted(std::string& out, const std::string& key) {
  out += "[\"";
  for (char c : key) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += "\"]";
}

}  // namespace

std::string FormatPath(const ValuePath& path) {
  std::string out;
  for (const PathStep& step : path) {
    if (step.is_index) {
      out += '[';
      out += std::to_string(step.index);
      out += ']';
    } else if (IsPlainKey(step.key)) {
      if (!out.empty()) out += '.';
      out += step.key;
    } else {
      AppendQuoted(out, step.key);
    }
  }
  return out;
}

bool ParsePath(std::string_view text, ValuePath* out) {
  out->clear();
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '.') {
      if (out->empty()) return false;
      ++i;
    }
    if (i < text.size() && text[i] == '[') {
      ++i;
      if (i < text.size() && text[i] == '"') {
        ++i;
        std::string key;
        while (i < text.size() && text[i] != '"') {
          if (text[i] == '\\' && i + 1 < text.size()) ++i;
          key += text[i++];
        }
        if (i + 1 >= text.size() || text[i + 1] != ']') return false;
        i += 2;
        out->push_back(PathStep{std::move(key), 0, false});
      } else {
        std::size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        if (start == i || i >= text.size() || text[i] != ']' || i - start > 18) return false;
        std::size_t index = 0;
        for (std::size_t d = start; d < i; ++d) index = index * 10 + static_cast<std::size_t>(text[d] - '0');
        out->push_back(PathStep{{}, index, true});
        ++i;
      }
      continue;
    }
    std::size_t start = i;
    while (i < text.size() && text[i] != '.' && text[i] != '[') ++i;
    if (start == i) return false;
    out->push_back(PathStep{std::string(text.substr(start, i - start)), 0, false});
  }
  return true;
}

namespace {

void CollectSensitive(const Value& v, ValuePath& at, std::vector<ValuePath>& out) {
  if (v.sensitive()) {
    out.push_back(at);
    return;
  }
  if (v.is_list()) {
    const ValueList& items = v.AsList();
    for (std::size_t i = 0; i < items.size(); ++i) {
      at.push_back(PathStep{{}, i, true});
      CollectSensitive(items[i], at, out);
      at.pop_back();
    }
  } else if (v.is_map()) {
    for (const auto& [k, item] : v.AsMap()) {
      at.push_back(PathStep{k, 0, false});
      CollectSensitive(item, at, out);
      at.pop_back();
    }
  }
}

void MarkAt(Value& v, const ValuePath& path, std::size_t depth) {
  if (depth == path.size()) {
    v.set_sensitive(true);
    return;
  }
  const PathStep& step = path[depth];
  if (step.is_index) {
    if (!v.is_list() || step.index >= v.AsList().size()) return;
    MarkAt(v.MutableList()[step.index], path, depth + 1);
  } else {
    if (!v.is_map() || v.Find(step.key) == nullptr) return;
    MarkAt(v.MutableMap().find(step.key)->second, path, depth + 1);
  }
}

}  // namespace

std::vector<ValuePath> SensitivePaths(const Value& v) {
  std::vector<ValuePath> out;
  ValuePath at;
  CollectSensitive(v, at, out);
  return out;
}

void MarkPaths(Value& v, const std::vector<ValuePath>& paths) {
  for (const ValuePath& p : paths) MarkAt(v, p, 0);
}

}  // namespace reconcile
