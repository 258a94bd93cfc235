// An IAM policy document as aws_iam_policy_document builds it: statements
// from configuration or parsed from JSON, merged by Sid, and rendered as
// Terraform renders them (field order Sid, Effect, Action, NotAction,
// Resource, NotResource, Principal, NotPrincipal, Condition; empty fields
// left out; a configured one-element list as a plain string; configured
// lists and principal identifiers in reverse sorted order; principal types
// and condition keys sorted; 2-space indentation; <, > and & escaped as
// \u003c, \u003e, \u0026).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace reconcile::aws_provider {

// A list of a statement. From configuration, one element is written as a
// plain string; a list read from a JSON document stays a list.
struct PolicyList {
  std::vector<std::string> values;
  bool keep_list = false;
};

struct PolicyPrincipal {
  std::string type;  // "AWS", "Service", "*"
  PolicyList identifiers;
};

struct PolicyCondition {
  std::string test;      // "StringLike"
  std::string variable;  // "s3:prefix"
  std::vector<std::string> values;
};

struct PolicyStatement {
  std::string sid;
  std::string effect;
  PolicyList actions, not_actions, resources, not_resources;
  std::vector<PolicyPrincipal> principals, not_principals;  // "*" is type "*" with identifier "*"
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
PolicyList ConfiguredPolicyList(std::vector<std::string> values);

// Terraform's id of a document: the CRC-32 of its text, as decimal.
std::string PolicyHashId(const std::string& text);

}  // namespace reconcile::aws_provider
