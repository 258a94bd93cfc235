// A small read-only view of an XML document (pugixml underneath, kept out of
// this header) with the lookups AWS responses need.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pugi {
struct xml_node_struct;
class xml_document;
}  // namespace pugi

namespace reconcile::aws {

// One element of an XmlDocument; cheap to copy, keeps the document alive. An
// invalid node (lookup found nothing) answers every query with empty results.
class XmlNode {
 public:
  XmlNode() = default;

  bool valid() const { return node_ != nullptr; }
  explicit operator bool() const { return valid(); }

  // The element name without any namespace prefix ("Error", "item").
  std::string_view name() const;
  // The element's own text content ("" for none).
  std::string text() const;

  // The first child element named `name`.
  XmlNode Child(std::string_view name) const;
  // Every child element named `name` (every child element when `name` is empty).
  std::vector<XmlNode> Children(std::string_view name = {}) const;
  // Follows a slash-separated path of child names ("instancesSet/item/instanceId"),
  // taking the first match at each step.
  XmlNode Find(std::string_view path) const;
  // Every element at the end of `path`, across all branches
  // ("reservationSet/item/instancesSet/item" lists all instances).
  std::vector<XmlNode> FindAll(std::string_view path) const;
  // The first descendant element named `name`, searched depth-first.
  XmlNode Descendant(std::string_view name) const;
  // Text of Find(path); "" when absent.
  std::string Text(std::string_view path) const;
  // Text of Find(path); nullopt when the element is absent.
  std::optional<std::string> TextIf(std::string_view path) const;

 private:
  friend class XmlDocument;
  XmlNode(std::shared_ptr<const pugi::xml_document> doc, pugi::xml_node_struct* node)
      : doc_(std::move(doc)), node_(node) {}
  std::shared_ptr<const pugi::xml_document> doc_;
  pugi::xml_node_struct* node_ = nullptr;
};

// A parsed XML document; empty (no root) when made from an empty body.
class XmlDocument {
 public:
  XmlDocument() = default;
  // Parses `text`; nullopt when it is not well-formed XML.
  static std::optional<XmlDocument> Parse(std::string_view text);

  // The document element (invalid for an empty document).
  XmlNode root() const;
  bool empty() const { return !root().valid(); }

 private:
  std::shared_ptr<const pugi::xml_document> doc_;
};

}  // namespace reconcile::aws
