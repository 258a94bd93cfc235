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

TEST(XmlTest, DescendantIsFoundInDocumentOrder) {
  auto doc = XmlDocument::Parse("<R><A><B><T>deep</T></B><T>second</T></A><T>last</T></R>");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ(doc->root().Descendant("T").text(), "deep");
  EXPECT_EQ(doc->root().Child("A").Child("B").Descendant("T").text(), "deep");
  EXPECT_FALSE(doc->root().Child("A").Child("B").Child("T").Descendant("T").valid());
  EXPECT_FALSE(doc->root().Descendant("Missing").valid());
}

TEST(XmlTest, DescendantSearchDoesNotRecurseThroughDeepDocuments) {
  // Given a body nested a million elements deep (a recursive search would
  // overflow the stack)
  constexpr int kDepth = 1'000'000;
  std::string body;
  for (int i = 0; i < kDepth; ++i) body += "<a>";
  body += "<Code>Deep</Code>";
  for (int i = 0; i < kDepth; ++i) body += "</a>";
  auto doc = XmlDocument::Parse(body);
  ASSERT_TRUE(doc.has_value());
  // Then the search reaches the bottom, and misses cleanly
  EXPECT_EQ(doc->root().Descendant("Code").text(), "Deep");
  EXPECT_FALSE(doc->root().Descendant("Message").valid());
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
