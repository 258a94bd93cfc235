#include "value_text.h"

#include <cctype>

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
  return out + "\"";
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
        out += simple ? (i ? ", " : "") : (i ? ",\n" + pad + "  " : "\n" + pad + "  ");
        out += ValueText(v.AsList()[i], indent + 2);
      }
      return out + (simple ? "]" : "\n" + pad + "]");
    }
    case Value::Kind::kMap: {
      if (v.AsMap().empty()) return "{}";
      std::string out = "{\n";
      for (const auto& [k, item] : v.AsMap())
        out += pad + "  " + (IsBareKey(k) ? k : Quote(k)) + " = " + ValueText(item, indent + 2) + "\n";
      return out + pad + "}";
    }
  }
  return "";
}

std::string OutputsText(const std::map<std::string, OutputValue>& outputs) {
  std::string out;
  for (const auto& [name, o] : outputs) {
    Value shown = o.value;
    if (o.sensitive) shown.set_sensitive(true);
    out += name + " = " + ValueText(shown) + "\n";
  }
  return out;
}

}  // namespace reconcile::tool
