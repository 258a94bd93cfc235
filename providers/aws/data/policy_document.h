// An IAM policy document as aws_iam_policy_document builds it: statements
// from configuration or parsed from JSON, merged by Sid, and rendered as
// Terraform renders them (field order Sid, Effect, Action, NotAction,
// Resource, NotResource, Principal, NotPrincipal, Condition; a one-element
// list as a plain string; lists from configuration in reverse sorted order;
// 2-space indentation; <, > and & escaped as \u003c, \u003e, \u0026).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace reconcile::aws_provider {

// Principals by type ("AWS", "Service", "*"), identifiers in output order.
using PolicyPrincipals = std::vector<std::pair<std::string, std::vector<std::string>>>;

struct PolicyCondition {
  std::string test;      // "StringLike"
  std::string variable;  // "s3:prefix"
  std::vector<std::string> values;
};

struct PolicyStatement {
  std::string sid;
  std::string effect = "Allow";
  std::vector<std::string> actions, not_actions, resources, not_resources;
  PolicyPrincipals principals, not_principals;  // "*" is type "*" with identifier "*"
  std::vector<PolicyCondition> conditions;
};

struct PolicyDocument {
  std::string version;
  std::string id;
  std::vector<PolicyStatement> statements;

  // Takes `other`'s Id and newer Version; its statements replace ours of the
  // same Sid and are appended otherwise.
  void Merge(const PolicyDocument& other);
  // JSON text, indented (2 spaces) or minified.
  std::string Render(bool indent) const;
};

// Parses a policy JSON document; nullopt with `error` set when it is not one.
std::optional<PolicyDocument> ParsePolicyDocument(const std::string& text, std::string* error);

// A configured list in Terraform's output order (reverse sorted), with
// "&{var}" written for IAM's "${var}".
std::vector<std::string> ConfiguredPolicyList(std::vector<std::string> values);

// Terraform's id of a document: the CRC-32 of its text, as decimal.
std::string PolicyHashId(const std::string& text);

}  // namespace reconcile::aws_provider
