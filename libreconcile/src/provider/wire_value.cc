// Values and diagnostics on the wire.
#include <cmath>
#include <cstdint>
#include <limits>

#include <nlohmann/json.hpp>

#include "provider/wire.h"
#include "provider/wire_fields.h"

namespace reconcile::wire {

namespace {

using nlohmann::json;

std::string TooDeep() {
  return "arrays and objects nest deeper than " + std::to_string(kMaxNestingDepth) + " levels";
}

constexpr double kLargestExactInteger = 9007199254740992.0;  // 2^53

json EncodeNumber(double n) {
  if (std::isnan(n)) return json{{"$number", "NaN"}};
  if (std::isinf(n)) return json{{"$number", n > 0 ? "Infinity" : "-Infinity"}};
  if (n == std::floor(n) && std::fabs(n) < kLargestExactInteger)
    return static_cast<std::int64_t>(n);
  return n;
}

bool HasEscapedKey(const ValueMap& entries) {
  for (const auto& [key, item] : entries)
    if (!key.empty() && key[0] == '$') return true;
  return false;
}

json EncodeUnmarked(const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNull:
      return nullptr;
    case Value::Kind::kUnknown:
      return json{{"$unknown", true}};
    case Value::Kind::kBool:
      return value.AsBool();
    case Value::Kind::kNumber:
      return EncodeNumber(value.AsNumber());
    case Value::Kind::kString:
      return value.AsString();
    case Value::Kind::kList: {
      json items = json::array();
      for (const Value& item : value.AsList()) items.push_back(EncodeValue(item));
      return items;
    }
    case Value::Kind::kMap: {
      json entries = json::object();
      for (const auto& [key, item] : value.AsMap()) entries[key] = EncodeValue(item);
      if (HasEscapedKey(value.AsMap())) return json{{"$map", std::move(entries)}};
      return entries;
    }
  }
  return nullptr;
}

class ValueDecoder {
 public:
  explicit ValueDecoder(std::string* error) : error_(error) {}

  bool Decode(const json& j, Value* out) {
    if (j.is_structured() && path_.size() + escapes_ >= static_cast<std::size_t>(kMaxNestingDepth))
      return Fail(TooDeep());
    switch (j.type()) {
      case json::value_t::null:
        *out = Value();
        return true;
      case json::value_t::boolean:
        *out = Value::Bool(j.get<bool>());
        return true;
      case json::value_t::number_integer:
        *out = Value::Number(static_cast<double>(j.get<std::int64_t>()));
        return true;
      case json::value_t::number_unsigned:
        *out = Value::Number(static_cast<double>(j.get<std::uint64_t>()));
        return true;
      case json::value_t::number_float:
        *out = Value::Number(j.get<double>());
        return true;
      case json::value_t::string:
        *out = Value::String(j.get<std::string>());
        return true;
      case json::value_t::array:
        return DecodeList(j, out);
      case json::value_t::object:
        if (j.size() == 1 && !j.begin().key().empty() && j.begin().key()[0] == '$')
          return DecodeEscape(j.begin().key(), j.begin().value(), out);
        return DecodeMap(j, out);
      default:
        return Fail("binary data is not a value");
    }
  }

 private:
  bool DecodeList(const json& j, Value* out) {
    ValueList items(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
      path_.push_back(PathStep{{}, i, true});
      if (!Decode(j[i], &items[i])) return false;
      path_.pop_back();
    }
    *out = Value::List(std::move(items));
    return true;
  }

  bool DecodeMap(const json& j, Value* out) {
    ValueMap entries;
    for (auto it = j.begin(); it != j.end(); ++it) {
      path_.push_back(PathStep{it.key(), 0, false});
      if (!Decode(it.value(), &entries[it.key()])) return false;
      path_.pop_back();
    }
    *out = Value::Map(std::move(entries));
    return true;
  }

  bool DecodeEscape(const std::string& escape, const json& inner, Value* out) {
    if (escape == "$unknown") {
      if (inner != true) return Fail("\"$unknown\" must be true");
      *out = Value::Unknown();
      return true;
    }
    if (escape == "$sensitive") {
      ++escapes_;
      bool decoded = Decode(inner, out);
      --escapes_;
      if (!decoded) return false;
      out->set_sensitive(true);
      return true;
    }
    if (escape == "$map") {
      if (!inner.is_object()) return Fail("\"$map\" must hold an object");
      ++escapes_;
      bool decoded = DecodeMap(inner, out);
      --escapes_;
      return decoded;
    }
    if (escape == "$number") return DecodeSpecialNumber(inner, out);
    return Fail("unknown value escape \"" + escape + "\" (a literal map key starting with \"$\" " +
                "must be wrapped in {\"$map\": ...})");
  }

  bool DecodeSpecialNumber(const json& inner, Value* out) {
    double n = 0;
    if (inner == "NaN") {
      n = std::numeric_limits<double>::quiet_NaN();
    } else if (inner == "Infinity") {
      n = std::numeric_limits<double>::infinity();
    } else if (inner == "-Infinity") {
      n = -std::numeric_limits<double>::infinity();
    } else {
      return Fail("\"$number\" must be \"NaN\", \"Infinity\" or \"-Infinity\"");
    }
    *out = Value::Number(n);
    return true;
  }

  bool Fail(const std::string& problem) {
    std::string where = FormatPath(path_);
    *error_ = where.empty() ? problem : "at " + where + ": " + problem;
    return false;
  }

  std::string* error_;
  ValuePath path_;
  std::size_t escapes_ = 0;  // escape objects around the current value (each one a level)
};

std::string_view SeverityName(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

json EncodeRange(const SourceRange& range) {
  return json{{"file", range.file},
              {"line", range.line},
              {"column", range.column},
              {"end_line", range.end_line},
              {"end_column", range.end_column}};
}

bool DecodeRange(const json& j, SourceRange* out, std::string* error) {
  FieldReader fields(j, "diagnostic range", error);
  fields.String("file", &out->file)
      .Int("line", &out->line)
      .Int("column", &out->column)
      .Int("end_line", &out->end_line)
      .Int("end_column", &out->end_column);
  return fields.ok();
}

bool DecodeDiagnostic(const json& j, Diagnostic* out, std::string* error) {
  FieldReader fields(j, "diagnostic", error);
  std::string severity = "error";
  fields.String("severity", &severity)
      .String("summary", &out->summary, true)
      .String("detail", &out->detail)
      .String("address", &out->address);
  if (!fields.ok()) return false;
  if (severity != "error" && severity != "warning")
    return fields.Fail("severity", "must be \"error\" or \"warning\"").ok();
  out->severity = severity == "error" ? Severity::kError : Severity::kWarning;
  if (const json* range = fields.Raw("range")) return DecodeRange(*range, &out->range, error);
  return true;
}

}  // namespace

bool ParseMessage(std::string_view line, json* out, std::string* error) {
  // Containers below the limit are discarded as they are read, so a deep
  // line is never built (nor copied, nor walked) as a tree.
  bool too_deep = false;
  json::parser_callback_t guard = [&too_deep](int depth, json::parse_event_t event, json&) {
    if ((event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) &&
        depth >= kMaxNestingDepth) {
      too_deep = true;
    }
    return !too_deep;
  };
  try {
    *out = json::parse(line, guard);
  } catch (const json::exception& e) {
    *error = e.what();
    *out = json();
    return false;
  }
  if (too_deep) {
    *error = TooDeep();
    *out = json();
    return false;
  }
  return true;
}

json EncodeValue(const Value& value) {
  json plain = EncodeUnmarked(value);
  if (value.sensitive()) return json{{"$sensitive", std::move(plain)}};
  return plain;
}

bool DecodeValue(const json& j, Value* out, std::string* error) {
  ValueDecoder decoder(error);
  return decoder.Decode(j, out);
}

json EncodeDiagnostic(const Diagnostic& diagnostic) {
  json out{{"severity", SeverityName(diagnostic.severity)}, {"summary", diagnostic.summary}};
  if (!diagnostic.detail.empty()) out["detail"] = diagnostic.detail;
  if (!diagnostic.address.empty()) out["address"] = diagnostic.address;
  if (diagnostic.range.valid()) out["range"] = EncodeRange(diagnostic.range);
  return out;
}

json EncodeDiagnostics(const Diagnostics& diagnostics) {
  json out = json::array();
  for (const Diagnostic& d : diagnostics) out.push_back(EncodeDiagnostic(d));
  return out;
}

bool DecodeDiagnostics(const json& j, Diagnostics* out, std::string* error) {
  if (!j.is_array()) {
    *error = "diagnostics must be an array";
    return false;
  }
  for (const json& item : j) {
    Diagnostic d;
    if (!DecodeDiagnostic(item, &d, error)) return false;
    out->Add(std::move(d));
  }
  return true;
}

std::string Excerpt(std::string_view line, std::size_t limit) {
  if (line.size() <= limit) return std::string(line);
  return std::string(line.substr(0, limit)) + "...";
}

}  // namespace reconcile::wire
