#include "aws/xml.h"

#include <pugixml.hpp>

namespace reconcile::aws {

namespace {

std::string_view LocalName(const char* qualified) {
  std::string_view name(qualified);
  std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Wrap(pugi::xml_node_struct* node) { return pugi::xml_node(node); }

pugi::xml_node FirstChildNamed(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element && LocalName(child.name()) == name) return child;
  }
  return {};
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

void CollectAll(pugi::xml_node node, const std::vector<std::string_view>& parts, std::size_t depth,
                std::vector<pugi::xml_node>& out) {
  if (depth == parts.size()) {
    out.push_back(node);
    return;
  }
  for (pugi::xml_node child = node.first_child(); child; child = child.next_sibling()) {
    if (child.type() == pugi::node_element && LocalName(child.name()) == parts[depth]) {
      CollectAll(child, parts, depth + 1, out);
    }
  }
}

// Depth-first in document order, walking parent links rather than
// recursing: a response body may nest as deep as it likes.
pugi::xml_node FirstDescendant(pugi::xml_node root, std::string_view name) {
  pugi::xml_node node = root.first_child();
  while (node) {
    if (node.type() == pugi::node_element && LocalName(node.name()) == name) return node;
    if (node.first_child()) {
      node = node.first_child();
      continue;
    }
    while (node != root && !node.next_sibling()) node = node.parent();
    if (node == root) break;
    node = node.next_sibling();
  }
  return {};
}

}  // namespace

std::string_view XmlNode::name() const {
  return valid() ? LocalName(Wrap(node_).name()) : std::string_view();
}

std::string XmlNode::text() const { return valid() ? Wrap(node_).child_value() : ""; }

XmlNode XmlNode::Child(std::string_view child_name) const {
  if (!valid()) return {};
  pugi::xml_node found = FirstChildNamed(Wrap(node_), child_name);
  return found ? XmlNode(doc_, found.internal_object()) : XmlNode();
}

std::vector<XmlNode> XmlNode::Children(std::string_view child_name) const {
  std::vector<XmlNode> out;
  if (!valid()) return out;
  for (pugi::xml_node child = Wrap(node_).first_child(); child; child = child.next_sibling()) {
    if (child.type() != pugi::node_element) continue;
    if (child_name.empty() || LocalName(child.name()) == child_name) {
      out.push_back(XmlNode(doc_, child.internal_object()));
    }
  }
  return out;
}

XmlNode XmlNode::Find(std::string_view path) const {
  XmlNode node = *this;
  for (std::string_view part : SplitPath(path)) node = node.Child(part);
  return node;
}

std::vector<XmlNode> XmlNode::FindAll(std::string_view path) const {
  std::vector<XmlNode> out;
  if (!valid()) return out;
  std::vector<pugi::xml_node> found;
  CollectAll(Wrap(node_), SplitPath(path), 0, found);
  for (pugi::xml_node node : found) out.push_back(XmlNode(doc_, node.internal_object()));
  return out;
}

XmlNode XmlNode::Descendant(std::string_view descendant_name) const {
  if (!valid()) return {};
  pugi::xml_node found = FirstDescendant(Wrap(node_), descendant_name);
  return found ? XmlNode(doc_, found.internal_object()) : XmlNode();
}

std::string XmlNode::Text(std::string_view path) const { return Find(path).text(); }

std::optional<std::string> XmlNode::TextIf(std::string_view path) const {
  XmlNode node = Find(path);
  if (!node.valid()) return std::nullopt;
  return node.text();
}

std::optional<XmlDocument> XmlDocument::Parse(std::string_view text) {
  auto doc = std::make_shared<pugi::xml_document>();
  pugi::xml_parse_result parsed = doc->load_buffer(text.data(), text.size());
  if (!parsed) return std::nullopt;
  XmlDocument out;
  out.doc_ = std::move(doc);
  return out;
}

XmlNode XmlDocument::root() const {
  if (!doc_) return {};
  pugi::xml_node element = doc_->document_element();
  return element ? XmlNode(doc_, element.internal_object()) : XmlNode();
}

}  // namespace reconcile::aws
