// Prints a TOML file as toml-test's tagged JSON ({"type":"integer","value":"42"}),
// or the reader's diagnostic on stderr with exit code 1. Used by
// toml_differential.py to compare our reader with Python's tomllib.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "config/toml/toml_tree.h"

namespace {

using reconcile::config::TomlNode;

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", u);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string Tagged(const char* type, const std::string& value) {
  return std::string("{\"type\":\"") + type + "\",\"value\":" + JsonString(value) + "}";
}

std::string Number(double number, bool integer) {
  if (std::isnan(number)) return "nan";
  if (std::isinf(number)) return number < 0 ? "-inf" : "inf";
  char text[40];
  std::snprintf(text, sizeof(text), integer ? "%.0f" : "%.17g", number);
  return text;
}

std::string ToJson(const TomlNode& node) {
  switch (node.kind) {
    case TomlNode::Kind::kString:
      return Tagged("string", node.text);
    case TomlNode::Kind::kInteger:
      return Tagged("integer", Number(node.number, true));
    case TomlNode::Kind::kFloat:
      return Tagged("float", Number(node.number, false));
    case TomlNode::Kind::kBool:
      return Tagged("bool", node.boolean ? "true" : "false");
    case TomlNode::Kind::kDateTime:
      return Tagged("datetime", node.text);
    case TomlNode::Kind::kArray: {
      std::string out = "[";
      for (const TomlNode& item : node.items) out += (out.size() > 1 ? "," : "") + ToJson(item);
      return out + "]";
    }
    case TomlNode::Kind::kTable: {
      std::string out = "{";
      for (const auto& [key, child] : node.entries)
        out += (out.size() > 1 ? "," : "") + JsonString(key) + ":" + ToJson(child);
      return out + "}";
    }
  }
  return "null";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: toml_dump FILE.toml\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 2;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  reconcile::Diagnostics diags;
  reconcile::config::TomlDocument doc;
  if (!reconcile::config::ParseTomlDocument(bytes.str(), argv[1], &doc, diags)) {
    for (const auto& d : diags) std::cerr << d.range.ToString() << ": " << d.summary << "\n";
    return 1;
  }
  std::cout << ToJson(doc.root) << "\n";
  return 0;
}
