#include "xml_body.h"

namespace reconcile::aws_provider {

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string XmlElement(std::string_view name, std::string_view text) {
  std::string tag(name);
  return "<" + tag + ">" + XmlEscape(text) + "</" + tag + ">";
}

}  // namespace reconcile::aws_provider
