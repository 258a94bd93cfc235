#include "capi/options_json.h"

#include <cstdio>
#include <functional>
#include <map>

namespace reconcile::capi {

namespace {

using nlohmann::json;

// Reads one options document: checks it is an object, hands each member to
// its reader, and reports unknown members with the list of known ones.
class OptionsReader {
 public:
  using MemberReader = std::function<void(const json& value)>;

  OptionsReader(std::string what, Diagnostics& diags) : what_(std::move(what)), diags_(diags) {}

  void On(const std::string& name, MemberReader reader) { readers_[name] = std::move(reader); }

  void Read(std::string_view text) {
    if (text.empty()) return;
    json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) {
      diags_.Error("Invalid " + what_ + ": not valid JSON",
                   "Expected a JSON object such as {}; check quotes, commas and brackets.");
      return;
    }
    if (document.is_null()) return;
    if (!document.is_object()) {
      diags_.Error("Invalid " + what_ + ": expected a JSON object, found " + TypeName(document), "");
      return;
    }
    for (const auto& [name, value] : document.items()) {
      auto it = readers_.find(name);
      if (it == readers_.end()) {
        diags_.Error("Invalid " + what_ + ": unknown member \"" + name + "\"", "Known members: " + Known() + ".");
        continue;
      }
      current_ = name;
      it->second(value);
    }
  }

  void Expect(bool ok, const json& value, const std::string& expected) {
    if (!ok)
      diags_.Error("Invalid " + what_ + ": \"" + current_ + "\" must be " + expected + ", found " +
                       TypeName(value),
                   "");
  }

  void String(const json& value, std::string* out) {
    Expect(value.is_string(), value, "a string");
    if (value.is_string()) *out = value.get<std::string>();
  }

  void Bool(const json& value, bool* out) {
    Expect(value.is_boolean(), value, "true or false");
    if (value.is_boolean()) *out = value.get<bool>();
  }

  void StringList(const json& value, std::vector<std::string>* out) {
    bool ok = value.is_array();
    if (ok)
      for (const json& item : value) ok = ok && item.is_string();
    Expect(ok, value, "a list of strings");
    if (!ok) return;
    out->clear();
    for (const json& item : value) out->push_back(item.get<std::string>());
  }

  // A whole number in [low, high].
  void Integer(const json& value, long long low, long long high, long long* out) {
    bool ok = value.is_number_integer() || value.is_number_unsigned();
    if (ok) {
      long long n = value.is_number_unsigned() && value.get<unsigned long long>() > static_cast<unsigned long long>(high)
                        ? high + 1
                        : value.get<long long>();
      ok = n >= low && n <= high;
      if (ok) *out = n;
    }
    Expect(ok, value, "a whole number from " + std::to_string(low) + " to " + std::to_string(high));
  }

  void Fail(const std::string& summary, const std::string& detail) {
    diags_.Error("Invalid " + what_ + ": " + summary, detail);
  }
  const std::string& current() const { return current_; }

 private:
  static std::string TypeName(const json& value) {
    switch (value.type()) {
      case json::value_t::null:
        return "null";
      case json::value_t::boolean:
        return "a bool";
      case json::value_t::number_integer:
      case json::value_t::number_unsigned:
      case json::value_t::number_float:
        return "a number";
      case json::value_t::string:
        return "a string";
      case json::value_t::array:
        return "a list";
      case json::value_t::object:
        return "an object";
      default:
        return "another kind of value";
    }
  }

  std::string Known() const {
    std::string out;
    for (const auto& [name, reader] : readers_) out += (out.empty() ? "" : ", ") + name;
    return out;
  }

  std::string what_;
  Diagnostics& diags_;
  std::map<std::string, MemberReader> readers_;
  std::string current_;
};

// A string as an expression literal: quoted, escaped, "${" kept literal.
std::string QuotedLiteral(const std::string& text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '$':
        out += text.compare(i, 2, "${") == 0 ? "$$" : "$";
        break;
      default:
        if (c < 0x20) {
          char escape[8];
          std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(c));
          out += escape;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string Literal(const json& value) {
  switch (value.type()) {
    case json::value_t::string:
      return QuotedLiteral(value.get<std::string>());
    case json::value_t::array: {
      std::string out = "[";
      for (const json& item : value) out += (out.size() > 1 ? ", " : "") + Literal(item);
      return out + "]";
    }
    case json::value_t::object: {
      std::string out = "{";
      for (const auto& [key, item] : value.items())
        out += (out.size() > 1 ? ", " : "") + QuotedLiteral(key) + " = " + Literal(item);
      return out + "}";
    }
    default:
      return value.dump();
  }
}

}  // namespace

std::string VariableText(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return Literal(value);
}

Diagnostics ParseEngineOptions(std::string_view text, EngineOptions* out) {
  Diagnostics diags;
  OptionsReader reader("engine options", diags);
  reader.On("stack_dir", [&](const json& v) { reader.String(v, &out->stack_dir); });
  reader.On("workspace", [&](const json& v) { reader.String(v, &out->workspace); });
  reader.On("var_files", [&](const json& v) { reader.StringList(v, &out->var_files); });
  reader.On("plugin_dirs", [&](const json& v) { reader.StringList(v, &out->plugin_dirs); });
  reader.On("parallelism", [&](const json& v) {
    long long n = 0;
    reader.Integer(v, 1, 256, &n);
    if (n > 0) out->parallelism = static_cast<int>(n);
  });
  reader.On("lock_timeout_ms", [&](const json& v) {
    long long n = -1;
    reader.Integer(v, 0, 24LL * 3600 * 1000, &n);
    if (n >= 0) out->lock_timeout = std::chrono::milliseconds(n);
  });
  reader.On("files", [&](const json& v) {
    bool ok = v.is_object();
    if (ok)
      for (const auto& [name, content] : v.items()) ok = ok && content.is_string();
    reader.Expect(ok, v, "an object of file name to file content (strings)");
    if (!ok) return;
    out->files.clear();
    for (const auto& [name, content] : v.items()) out->files[name] = content.get<std::string>();
    if (out->files.empty())
      reader.Fail("\"files\" is empty", "Give the stack's files, or leave \"files\" out to read stack_dir.");
  });
  reader.On("variables", [&](const json& v) {
    reader.Expect(v.is_object(), v, "an object of variable name to value");
    if (!v.is_object()) return;
    for (const auto& [name, value] : v.items()) {
      if (value.is_null()) {
        reader.Fail("variable \"" + name + "\" is null",
                    "Leave the variable out to use its default, or give a value.");
        continue;
      }
      out->variables.push_back({name, VariableText(value)});
    }
  });
  reader.Read(text);
  return diags;
}

namespace {

void OnTargets(OptionsReader& reader, PlanOptions* out) {
  reader.On("targets", [&reader, out](const json& v) { reader.StringList(v, &out->targets); });
}

}  // namespace

Diagnostics ParsePlanOptions(std::string_view text, PlanOptions* out) {
  Diagnostics diags;
  OptionsReader reader("plan options", diags);
  reader.On("destroy", [&](const json& v) { reader.Bool(v, &out->destroy); });
  reader.On("refresh", [&](const json& v) { reader.Bool(v, &out->refresh); });
  reader.On("refresh_only", [&](const json& v) { reader.Bool(v, &out->refresh_only); });
  OnTargets(reader, out);
  reader.Read(text);
  return diags;
}

Diagnostics ParseDestroyOptions(std::string_view text, PlanOptions* out) {
  Diagnostics diags;
  OptionsReader reader("destroy options", diags);
  OnTargets(reader, out);
  reader.Read(text);
  out->destroy = true;
  return diags;
}

Diagnostics ParseDeployOptions(std::string_view text, DeployOptions* out) {
  Diagnostics diags;
  OptionsReader reader("deploy options", diags);
  reader.On("release", [&](const json& v) {
    reader.Expect(v.is_object(), v, "an object of release variable name to value");
    if (!v.is_object()) return;
    for (const auto& [name, value] : v.items()) {
      if (value.is_null()) {
        reader.Fail("release value \"" + name + "\" is null",
                    "Leave it out to keep the recorded value, or give a value.");
        continue;
      }
      out->release.push_back({name, VariableText(value)});
    }
  });
  reader.On("wait", [&](const json& v) { reader.Bool(v, &out->wait); });
  reader.On("timeout_ms", [&](const json& v) {
    long long ms = out->rollouts.timeout.count();
    reader.Integer(v, 1, 7LL * 24 * 3600 * 1000, &ms);
    out->rollouts.timeout = std::chrono::milliseconds(ms);
  });
  reader.On("poll_interval_ms", [&](const json& v) {
    long long ms = out->rollouts.poll_interval.count();
    reader.Integer(v, 1, 3600LL * 1000, &ms);
    out->rollouts.poll_interval = std::chrono::milliseconds(ms);
  });
  reader.Read(text);
  return diags;
}

}  // namespace reconcile::capi
