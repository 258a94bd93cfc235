#include "iam_policy_text.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

namespace reconcile::aws_provider {

namespace {

using nlohmann::json;

// A value IAM accepts as one string or a list of them, as a sorted unique list
// of strings (numbers and booleans in conditions compare as their text).
json StringSet(const json& value) {
  json items = value.is_array() ? value : json::array({value});
  std::vector<std::string> out;
  for (const json& item : items)
    out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool IsAccountId(const std::string& s) {
  return s.size() == 12 &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

json NormalizePrincipal(const json& principal) {
  if (principal.is_string()) return {{"AWS", json::array({principal.get<std::string>()})}};
  if (!principal.is_object()) return principal;
  json out = json::object();
  for (const auto& [kind, ids] : principal.items()) {
    json set = StringSet(ids);
    if (kind == "AWS") {
      for (json& id : set)
        if (IsAccountId(id.get<std::string>()))
          id = "arn:aws:iam::" + id.get<std::string>() + ":root";
      set = StringSet(set);
    }
    out[kind] = set;
  }
  return out;
}

json NormalizeCondition(const json& condition) {
  if (!condition.is_object()) return condition;
  json out = json::object();
  for (const auto& [op, tests] : condition.items()) {
    if (!tests.is_object()) {
      out[op] = tests;
      continue;
    }
    for (const auto& [key, values] : tests.items()) out[op][key] = StringSet(values);
  }
  return out;
}

json NormalizeStatement(const json& statement) {
  if (!statement.is_object()) return statement;
  json out = json::object();
  for (const auto& [key, value] : statement.items()) {
    if (key == "Action" || key == "NotAction" || key == "Resource" || key == "NotResource")
      out[key] = StringSet(value);
    else if (key == "Principal" || key == "NotPrincipal")
      out[key] = NormalizePrincipal(value);
    else if (key == "Condition")
      out[key] = NormalizeCondition(value);
    else if (key == "Sid" && value == "")
      continue;
    else
      out[key] = value;
  }
  return out;
}

}  // namespace

std::optional<std::string> CanonicalPolicy(const std::string& text, std::string* error) {
  json document = json::parse(text, nullptr, false);
  if (document.is_discarded() || !document.is_object()) {
    if (error != nullptr)
      *error = document.is_discarded() ? "it is not valid JSON" : "it is not a JSON object";
    return std::nullopt;
  }
  if (auto it = document.find("Statement"); it != document.end()) {
    json statements = json::array();
    for (const json& s : it->is_array() ? *it : json::array({*it}))
      statements.push_back(NormalizeStatement(s));
    std::sort(statements.begin(), statements.end(),
              [](const json& a, const json& b) { return a.dump() < b.dump(); });
    *it = statements;
  }
  return document.dump();
}

bool EquivalentPolicies(const std::string& a, const std::string& b) {
  auto left = CanonicalPolicy(a);
  auto right = CanonicalPolicy(b);
  return left && right && *left == *right;
}

std::string PolicyForState(const std::string& aws_text, const std::string& recorded) {
  if (!recorded.empty() && EquivalentPolicies(aws_text, recorded)) return recorded;
  json document = json::parse(aws_text, nullptr, false);
  return document.is_discarded() ? aws_text : document.dump();
}

}  // namespace reconcile::aws_provider
