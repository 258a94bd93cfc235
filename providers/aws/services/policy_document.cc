#include "policy_document.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include <nlohmann/json.hpp>

namespace reconcile::aws_provider {

namespace {

using Json = nlohmann::ordered_json;

Json ListJson(const PolicyList& list) {
  if (list.values.size() == 1 && !list.keep_list) return list.values.front();
  return Json(list.values);
}

// One principal of type "*" for "*" is the bare "*". Otherwise principals
// merge by type (types sorted, as Go marshals maps); a list of identifiers is
// reverse sorted and turns a single identifier of its type into a list.
Json RenderPrincipals(const std::vector<PolicyPrincipal>& principals) {
  if (principals.size() == 1 && principals.front().type == "*" &&
      principals.front().identifiers.values == std::vector<std::string>{"*"})
    return "*";
  std::map<std::string, PolicyList> by_type;
  for (const PolicyPrincipal& p : principals) {
    PolicyList& merged = by_type[p.type];
    bool list = p.identifiers.keep_list || p.identifiers.values.size() != 1;
    std::vector<std::string> ids = p.identifiers.values;
    if (list) std::sort(ids.rbegin(), ids.rend());
    merged.keep_list = merged.keep_list || list || !merged.values.empty();
    merged.values.insert(merged.values.end(), ids.begin(), ids.end());
  }
  Json out = Json::object();
  for (const auto& [type, identifiers] : by_type) out[type] = ListJson(identifiers);
  return out;
}

// Conditions merge by test and variable (both sorted); one value is a string.
Json RenderConditions(const std::vector<PolicyCondition>& conditions) {
  std::map<std::string, std::map<std::string, std::vector<std::string>>> by_test;
  for (const PolicyCondition& c : conditions) {
    auto& values = by_test[c.test][c.variable];
    values.insert(values.end(), c.values.begin(), c.values.end());
  }
  Json out = Json::object();
  for (const auto& [test, variables] : by_test) {
    Json inner = Json::object();
    for (const auto& [variable, values] : variables) inner[variable] = ListJson({values, false});
    out[test] = inner;
  }
  return out;
}

Json RenderStatement(const PolicyStatement& s) {
  Json out = Json::object();
  if (!s.sid.empty()) out["Sid"] = s.sid;
  if (!s.effect.empty()) out["Effect"] = s.effect;
  const std::pair<const char*, const PolicyList*> lists[] = {{"Action", &s.actions},
                                                             {"NotAction", &s.not_actions},
                                                             {"Resource", &s.resources},
                                                             {"NotResource", &s.not_resources}};
  for (const auto& [key, list] : lists)
    if (!list->values.empty()) out[key] = ListJson(*list);
  if (!s.principals.empty()) out["Principal"] = RenderPrincipals(s.principals);
  if (!s.not_principals.empty()) out["NotPrincipal"] = RenderPrincipals(s.not_principals);
  if (!s.conditions.empty()) out["Condition"] = RenderConditions(s.conditions);
  return out;
}

// Go's encoder escapes these three even inside strings; they appear in JSON
// text only inside strings, so a plain replacement is exact.
std::string EscapeLikeGo(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<')
      out += "\\u003c";
    else if (c == '>')
      out += "\\u003e";
    else if (c == '&')
      out += "\\u0026";
    else
      out += c;
  }
  return out;
}

// A string, a bool ("true") or a list of strings, as given.
PolicyList ListOf(const Json& value) {
  PolicyList out;
  if (value.is_string()) out.values.push_back(value.get<std::string>());
  if (value.is_boolean()) out.values.push_back(value.get<bool>() ? "true" : "false");
  if (value.is_array()) {
    out.keep_list = true;
    for (const Json& item : value)
      if (item.is_string()) out.values.push_back(item.get<std::string>());
  }
  return out;
}

// A string principal means anyone ("*").
std::vector<PolicyPrincipal> PrincipalsOf(const Json& value) {
  std::vector<PolicyPrincipal> out;
  if (value.is_string()) out.push_back({"*", {{"*"}, true}});
  if (value.is_object())
    for (const auto& [type, identifiers] : value.items())
      out.push_back({type, ListOf(identifiers)});
  return out;
}

PolicyStatement StatementOf(const Json& s) {
  PolicyStatement out;
  out.sid = s.value("Sid", "");
  out.effect = s.value("Effect", "");
  out.actions = ListOf(s.value("Action", Json()));
  out.not_actions = ListOf(s.value("NotAction", Json()));
  out.resources = ListOf(s.value("Resource", Json()));
  out.not_resources = ListOf(s.value("NotResource", Json()));
  out.principals = PrincipalsOf(s.value("Principal", Json()));
  out.not_principals = PrincipalsOf(s.value("NotPrincipal", Json()));
  Json conditions = s.value("Condition", Json::object());
  for (const auto& [test, variables] : conditions.items())
    for (const auto& [variable, values] : variables.items())
      out.conditions.push_back({test, variable, ListOf(values).values});
  return out;
}

}  // namespace

void PolicyDocument::Merge(const PolicyDocument& other) {
  if (!other.id.empty()) id = other.id;
  if (other.version > version) version = other.version;
  for (const PolicyStatement& statement : other.statements) {
    auto same = std::find_if(statements.begin(), statements.end(), [&](const PolicyStatement& s) {
      return !statement.sid.empty() && s.sid == statement.sid;
    });
    if (same != statements.end())
      *same = statement;
    else
      statements.push_back(statement);
  }
}

std::string PolicyDocument::Render(bool indent) const {
  Json doc = Json::object();
  if (!version.empty()) doc["Version"] = version;
  if (!id.empty()) doc["Id"] = id;
  for (const PolicyStatement& s : statements) doc["Statement"].push_back(RenderStatement(s));
  return EscapeLikeGo(indent ? doc.dump(2) : doc.dump());
}

std::optional<PolicyDocument> ParsePolicyDocument(const std::string& text, std::string* error) {
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    *error = "not a JSON object";
    return std::nullopt;
  }
  PolicyDocument out;
  out.version = doc.value("Version", "");
  out.id = doc.value("Id", "");
  Json statements = doc.value("Statement", Json::array());
  if (statements.is_object()) statements = Json::array({statements});
  for (const Json& s : statements) {
    if (!s.is_object()) {
      *error = "a Statement is not an object";
      return std::nullopt;
    }
    out.statements.push_back(StatementOf(s));
  }
  return out;
}

PolicyList ConfiguredPolicyList(std::vector<std::string> values) {
  std::sort(values.rbegin(), values.rend());
  for (std::string& v : values) {
    for (std::size_t at = v.find("&{"); at != std::string::npos; at = v.find("&{", at + 2))
      v[at] = '$';
  }
  return {values, false};
}

std::string PolicyHashId(const std::string& text) {
  static const std::array<std::uint32_t, 256> kTable = [] {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
    return table;
  }();
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : text) crc = kTable[(crc ^ byte) & 0xFF] ^ (crc >> 8);
  return std::to_string(crc ^ 0xFFFFFFFFu);
}

}  // namespace reconcile::aws_provider
