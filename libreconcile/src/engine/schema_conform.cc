#include "engine/schema_conform.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace reconcile::engine {

namespace {

std::string_view TypeName(AttributeType t) {
  switch (t) {
    case AttributeType::kString:
      return "a string";
    case AttributeType::kNumber:
      return "a number";
    case AttributeType::kBool:
      return "a bool";
    case AttributeType::kList:
      return "a list";
    case AttributeType::kSet:
      return "a set (list)";
    case AttributeType::kMap:
      return "a map";
    case AttributeType::kObject:
      return "a table";
    case AttributeType::kAny:
      return "any value";
  }
  return "a value";
}

bool IsEmpty(const Value& v) {
  return v.is_null() || (v.is_string() && v.AsString().empty()) ||
         (v.is_list() && v.AsList().empty()) || (v.is_map() && v.AsMap().empty());
}

// Converts `in` to `type`; on mismatch returns false (and the input unchanged).
bool ConvertScalar(AttributeType type, const Value& in, Value* out) {
  if (in.is_null() || in.is_unknown()) {
    *out = in;
    return true;
  }
  switch (type) {
    case AttributeType::kString:
      if (in.is_string()) *out = in;
      else if (in.is_number()) *out = Value::String(FormatNumber(in.AsNumber()));
      else if (in.is_bool()) *out = Value::String(in.AsBool() ? "true" : "false");
      else return false;
      break;
    case AttributeType::kNumber:
      if (in.is_number()) {
        *out = in;
      } else if (in.is_string()) {
        const std::string& s = in.AsString();
        char* end = nullptr;
        double d = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(d)) return false;
        *out = Value::Number(d);
      } else {
        return false;
      }
      break;
    case AttributeType::kBool:
      if (in.is_bool()) *out = in;
      else if (in.is_string() && in.AsString() == "true") *out = Value::Bool(true);
      else if (in.is_string() && in.AsString() == "false") *out = Value::Bool(false);
      else return false;
      break;
    default:
      *out = in;
      break;
  }
  out->set_sensitive(in.sensitive());
  return true;
}

struct Conformer {
  bool report;  // false: normalize state quietly
  Diagnostics* diags;
  SourceRange range;
  std::string what;

  void Mismatch(const std::string& path, AttributeType want, const Value& got) {
    if (!report) return;
    diags->Error("Incorrect type for \"" + path + "\" in " + what,
                 "Expected " + std::string(TypeName(want)) + ", got " +
                     std::string(got.kind_name()) + ".",
                 range);
  }

  // A known string outside the values the schema lists.
  void CheckOneOf(const Attribute& a, const Value& v, const std::string& path) {
    if (!report || a.one_of.empty() ||
        std::find(a.one_of.begin(), a.one_of.end(), v.AsString()) != a.one_of.end())
      return;
    std::string expected;
    for (const std::string& allowed : a.one_of)
      expected += (expected.empty() ? "\"" : ", \"") + allowed + "\"";
    std::string suggestion = ClosestName(v.AsString(), a.one_of);
    diags->Error("Invalid value for \"" + path + "\" in " + what,
                 "Expected one of " + expected + ", got " +
                     (v.sensitive() ? std::string("a sensitive value") : "\"" + v.AsString() + "\"") +
                     "." + (suggestion.empty() || v.sensitive() ? "" : " Did you mean \"" + suggestion + "\"?"),
                 range);
  }

  Value Object(const std::vector<Attribute>& fields, const Value& in, const std::string& path,
               bool drop_unknown_fields) {
    if (in.is_unknown() || in.is_null()) return in;
    if (!in.is_map()) {
      Mismatch(path, AttributeType::kObject, in);
      return in;
    }
    ValueMap out;
    for (const Attribute& f : fields) {
      const Value* v = in.Find(f.name);
      Value conformed = v ? Attr(f, *v, path.empty() ? f.name : path + "." + f.name) : Value();
      if (conformed.is_null() && !f.default_value.is_null()) conformed = f.default_value;
      if (!f.computed && IsEmpty(conformed) && !conformed.sensitive()) conformed = Value();
      if (f.sensitive && !conformed.is_null()) conformed.set_sensitive(true);
      out.emplace(f.name, std::move(conformed));
    }
    if (!drop_unknown_fields && report) {
      for (const auto& [k, v] : in.AsMap()) {
        if (std::none_of(fields.begin(), fields.end(), [&name = k](const Attribute& f) { return f.name == name; })) {
          std::vector<std::string> names;
          for (const Attribute& f : fields) names.push_back(f.name);
          std::string suggestion = ClosestName(k, names);
          diags->Error("Unsupported attribute \"" + (path.empty() ? k : path + "." + k) + "\" in " + what,
                       suggestion.empty() ? "This block has no attribute of that name."
                                          : "Did you mean \"" + suggestion + "\"?",
                       range);
        }
      }
    }
    Value result = Value::Map(std::move(out));
    result.set_sensitive(in.sensitive());
    return result;
  }

  Value Collection(const Attribute& a, const Value& in, const std::string& path) {
    Value list = in;
    if (a.element == AttributeType::kObject && in.is_map()) list = Value::List({in});
    if (!list.is_list()) {
      Mismatch(path, a.type, in);
      return in;
    }
    ValueList items;
    items.reserve(list.AsList().size());
    for (std::size_t i = 0; i < list.AsList().size(); ++i) {
      const Value& item = list.AsList()[i];
      std::string at = path + "[" + std::to_string(i) + "]";
      if (a.element == AttributeType::kObject) {
        items.push_back(Object(a.nested, item, at, !report));
      } else {
        Value v;
        if (!ConvertScalar(a.element, item, &v)) Mismatch(at, a.element, item);
        items.push_back(v);
      }
    }
    if (a.type == AttributeType::kSet && !list.ContainsUnknown()) {
      std::sort(items.begin(), items.end(),
                [](const Value& x, const Value& y) { return ToJson(x) < ToJson(y); });
      items.erase(std::unique(items.begin(), items.end(),
                              [](const Value& x, const Value& y) { return x.Equals(y); }),
                  items.end());
    }
    Value result = Value::List(std::move(items));
    result.set_sensitive(in.sensitive());
    return result;
  }

  Value Attr(const Attribute& a, const Value& in, const std::string& path) {
    if (in.is_unknown() || in.is_null()) return in;
    switch (a.type) {
      case AttributeType::kList:
      case AttributeType::kSet:
        return Collection(a, in, path);
      case AttributeType::kMap: {
        if (!in.is_map()) {
          Mismatch(path, a.type, in);
          return in;
        }
        ValueMap out;
        for (const auto& [k, item] : in.AsMap()) {
          Value v;
          if (a.element == AttributeType::kObject) v = Object(a.nested, item, path + "." + k, !report);
          else if (!ConvertScalar(a.element, item, &v)) Mismatch(path + "." + k, a.element, item);
          out.emplace(k, v);
        }
        Value result = Value::Map(std::move(out));
        result.set_sensitive(in.sensitive());
        return result;
      }
      case AttributeType::kObject:
        return Object(a.nested, in, path, !report);
      case AttributeType::kAny:
        return in;
      default: {
        Value v;
        if (!ConvertScalar(a.type, in, &v)) {
          Mismatch(path, a.type, in);
          return in;
        }
        if (v.is_string()) CheckOneOf(a, v, path);
        return v;
      }
    }
  }
};

SourceRange AttributeRange(const config::Body& body, const std::string& name) {
  if (const config::Expression* e = body.Find(name)) return e->range();
  return body.range;
}

}  // namespace

Value ConformConfig(const ResourceSchema& schema, const Value& config, const config::Body& body,
                    const std::string& what, Diagnostics& diags) {
  ValueMap out;
  for (const Attribute& a : schema.attributes) {
    const Value* v = config.Find(a.name);
    Conformer c{true, &diags, AttributeRange(body, a.name), what};
    Value conformed = v ? c.Attr(a, *v, a.name) : Value();
    if (!a.computed && IsEmpty(conformed) && !conformed.sensitive()) conformed = Value();
    if (a.sensitive && !conformed.is_null()) conformed.set_sensitive(true);
    out.emplace(a.name, std::move(conformed));
  }
  return Value::Map(std::move(out));
}

Value WithoutWriteOnly(const ResourceSchema& schema, const Value& value) {
  if (!value.is_map()) return value;
  Value out = value;
  for (const Attribute& a : schema.attributes)
    if (a.write_only && out.Find(a.name) != nullptr) out.Set(a.name, Value());
  return out;
}

Value NormalizeState(const ResourceSchema& schema, const Value& state) {
  if (!state.is_map()) return state;
  Diagnostics ignored;
  ValueMap out;
  for (const Attribute& a : schema.attributes) {
    const Value* v = state.Find(a.name);
    Conformer c{false, &ignored, {}, {}};
    Value conformed = v ? c.Attr(a, *v, a.name) : Value();
    if (!a.computed && IsEmpty(conformed)) conformed = Value();
    if (a.sensitive && !conformed.is_null()) conformed.set_sensitive(true);
    if (a.write_only) conformed = Value();  // never stored
    out.emplace(a.name, std::move(conformed));
  }
  return Value::Map(std::move(out));
}

namespace {

std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string ClosestName(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 4;
  for (const std::string& c : candidates) {
    std::size_t d = EditDistance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

void CheckBodyAgainstSchema(const ResourceSchema& schema, const config::Body& body,
                            const std::string& what, Diagnostics& diags) {
  std::vector<std::string> settable;
  for (const Attribute& a : schema.attributes)
    if (a.required || a.optional) settable.push_back(a.name);
  for (const auto& [name, expr] : body.attributes) {
    const Attribute* a = schema.Find(name);
    if (a != nullptr && (a->required || a->optional)) continue;
    if (a != nullptr) {
      diags.Error("Attribute \"" + name + "\" of " + what + " cannot be set",
                  "It is computed by the provider; remove it from the configuration.",
                  expr.range());
      continue;
    }
    std::string suggestion = ClosestName(name, settable);
    diags.Error("Unsupported attribute \"" + name + "\" in " + what,
                suggestion.empty() ? "This resource type has no attribute of that name."
                                   : "Did you mean \"" + suggestion + "\"?",
                expr.range());
  }
  for (const Attribute& a : schema.attributes) {
    if (a.required && body.Find(a.name) == nullptr)
      diags.Error("Missing required attribute \"" + a.name + "\" in " + what,
                  "The attribute \"" + a.name + "\" must be set" +
                      (a.description.empty() ? "." : ": " + a.description + "."),
                  body.range);
  }
}

}  // namespace reconcile::engine
