// Given AWS XML responses, when looked up through XmlNode, then paths,
// repeated elements and namespaces behave as callers expect.
#include <gtest/gtest.h>

#include "aws/xml.h"

namespace reconcile::aws {
namespace {

constexpr const char* kDescribeInstances =
    "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
    "<reservationSet>"
    "<item><instancesSet><item><instanceId>i-1</instanceId></item><item><instanceId>i-2</instanceId></item></instancesSet></item>"
    "<item><instancesSet><item><instanceId>i-3</instanceId></item></instancesSet></item>"
    "</reservationSet><nextToken>tok</nextToken></DescribeInstancesResponse>";

TEST(XmlTest, PathsAndCollections) {
  auto doc = XmlDocument::Parse(kDescribeInstances);
  ASSERT_TRUE(doc.has_value());
  XmlNode root = doc->root();
  EXPECT_EQ(root.name(), "DescribeInstancesResponse");
  EXPECT_EQ(root.Text("reservationSet/item/instancesSet/item/instanceId"), "i-1");
  std::vector<std::string> ids;
  for (const XmlNode& item : root.FindAll("reservationSet/item/instancesSet/item")) {
    ids.push_back(item.Text("instanceId"));
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"i-1", "i-2", "i-3"}));
  EXPECT_EQ(root.Descendant("nextToken").text(), "tok");
  EXPECT_EQ(root.Child("reservationSet").Children("item").size(), 2u);
}

TEST(XmlTest, MissingElementsAreEmptyNotErrors) {
  auto doc = XmlDocument::Parse("<a:Root xmlns:a=\"urn:x\"><a:B>text</a:B><C/></a:Root>");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->root().name(), "Root");
  EXPECT_EQ(doc->root().Text("B"), "text");
  EXPECT_EQ(doc->root().Text("Nope/Deeper"), "");
  EXPECT_FALSE(doc->root().TextIf("Nope").has_value());
  EXPECT_EQ(doc->root().TextIf("C"), std::optional<std::string>(""));
  EXPECT_FALSE(XmlDocument::Parse("<unclosed>").has_value());
}

TEST(XmlTest, NodesOutliveTheirDocumentHandle) {
  XmlNode kept;
  {
    auto doc = XmlDocument::Parse("<R><V>42</V></R>");
    kept = doc->root().Child("V");
  }
  EXPECT_EQ(kept.text(), "42");
}

}  // namespace
}  // namespace reconcile::aws
