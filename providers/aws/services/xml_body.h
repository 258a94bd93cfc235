// Building the XML request bodies of the REST-XML services (S3, Route53).
#pragma once

#include <string>
#include <string_view>

namespace reconcile::aws_provider {

// Text escaped for an XML element or attribute.
std::string XmlEscape(std::string_view text);
// <Name>escaped text</Name>
std::string XmlElement(std::string_view name, std::string_view text);

}  // namespace reconcile::aws_provider
