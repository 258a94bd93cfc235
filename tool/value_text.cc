#include "value_text.h"

#include <cctype>
#include <iterator>

#include <fmt/format.h>

namespace reconcile::tool {

namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  out += '"';
  return out;
}

bool IsBareKey(const std::string& k) {
  if (k.empty()) return false;
  for (char c : k)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace

std::string ValueText(const Value& v, int indent) {
  if (v.sensitive()) return "(sensitive value)";
  std::string pad(indent, ' ');
  switch (v.kind()) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kUnknown:
      return "(known after apply)";
    case Value::Kind::kBool:
      return v.AsBool() ? "true" : "false";
    case Value::Kind::kNumber:
      return FormatNumber(v.AsNumber());
    case Value::Kind::kString:
      return Quote(v.AsString());
    case Value::Kind::kList: {
      if (v.AsList().empty()) return "[]";
      bool simple = true;
      for (const Value& item : v.AsList()) simple = simple && !item.is_map() && !item.is_list();
      std::string out = "[";
      for (std::size_t i = 0; i < v.AsList().size(); ++i) {
        std::string item = ValueText(v.AsList()[i], indent + 2);
        if (simple)
          fmt::format_to(std::back_inserter(out), "{}{}", i ? ", " : "", item);
        else
          fmt::format_to(std::back_inserter(out), "{}\n{}  {}", i ? "," : "", pad, item);
      }
      if (simple)
        out += "]";
      else
        fmt::format_to(std::back_inserter(out), "\n{}]", pad);
      return out;
    }
    case Value::Kind::kMap: {
      if (v.AsMap().empty()) return "{}";
      std::string out = "{\n";
      for (const auto& [k, item] : v.AsMap())
        fmt::format_to(std::back_inserter(out), "{}  {} = {}\n", pad, IsBareKey(k) ? k : Quote(k),
                       ValueText(item, indent + 2));
      fmt::format_to(std::back_inserter(out), "{}}}", pad);
      return out;
    }
  }
  return "";
}

std::string OutputsText(const std::map<std::string, OutputValue>& outputs) {
  std::string out;
  for (const auto& [name, o] : outputs) {
    Value shown = o.value;
    if (o.sensitive) shown.set_sensitive(true);
    fmt::format_to(std::back_inserter(out), "{} = {}\n", name, ValueText(shown));
  }
  return out;
}

}  // namespace reconcile::tool
